#ifndef SVC_H
#define SVC_H

#include <ev.h>

#include "config.h"
#include "tls.h"

/*
 * A service: one listener and the connections it started, which it owns
 * (their list, the UDP flows, counters, the handshakes in progress, the
 * session a client side offers again). It outlives its listener when
 * retired (stopped, or replaced by a reload) until its last connection
 * ends.
 */

struct svc;

/**
 * svc_new(loop, sc, lfd): a service for the configuration ${sc}: its TLS
 * context (certificates read now), resolved connect addresses and a
 * listener, reusing the bound socket ${lfd} if not -1 (a reload). Returns
 * NULL on failure (logged with the service name).
 */
struct svc *svc_new(struct ev_loop *loop, const struct svc_conf *sc, int lfd);

/**
 * svc_take_listener(svc): stop ${svc}'s listener and hand its socket to
 * the caller (for the service replacing it); -1 if none.
 */
int svc_take_listener(struct svc *svc);

/**
 * svc_resume_listener(svc, fd): give the listening socket ${fd} (from
 * svc_take_listener()) back to ${svc} and accept again.
 */
void svc_resume_listener(struct svc *svc, int fd);

/**
 * svc_retire(svc): stop accepting; established connections go on. The
 * owner frees ${svc} (svc_free) once svc_conns() is 0.
 */
void svc_retire(struct svc *svc);

/**
 * svc_free(svc): abort every connection and free ${svc}, logging its
 * counters; a no-op for NULL.
 */
void svc_free(struct svc *svc);

/** svc_name(svc): the service's name, its [section]. */
const char *svc_name(const struct svc *svc);

/** svc_conns(svc): how many connections ${svc} has open. */
int svc_conns(const struct svc *svc);

/** svc_retired(svc): non-zero once ${svc} stopped accepting for good. */
int svc_retired(const struct svc *svc);

/**
 * svc_same_accept(svc, sc): non-zero if ${sc} listens where ${svc} does
 * (a reload can hand the socket over).
 */
int svc_same_accept(const struct svc *svc, const struct svc_conf *sc);

/**
 * svc_transcript(svc): print the seed's server transcript for ${svc}'s
 * connections on stdout (the flag mode).
 */
void svc_transcript(struct svc *svc);

#endif
