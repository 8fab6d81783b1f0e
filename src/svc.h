#ifndef SVC_H
#define SVC_H

#include <ev.h>

#include "config.h"
#include "conn.h"
#include "sctp.h"
#include "shared.h"
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
 * svc_new(loop, sc, lfd, sh): a service for the configuration ${sc}: its
 * TLS context (certificates read now), resolved connect addresses and a
 * listener: the bound socket ${lfd} (now owned; see listen.h).
 * With ${sh} (not NULL), max_conns and max_handshakes count in every
 * worker, and a server's session tickets are those of every worker.
 * Returns NULL on failure (logged with the service name; ${lfd} closed).
 */
struct svc *svc_new(struct ev_loop *loop, const struct svc_conf *sc, int lfd,
    struct shared *sh);

/**
 * svc_follow(svc, old): ${svc} replaces ${old} (a reload): it counts on
 * from ${old}'s counters, which the two share from now on (the summary is
 * logged once, when the last of them is freed).
 */
void svc_follow(struct svc *svc, struct svc *old);

/**
 * svc_dump(svc): log (notice) ${svc}'s counters, in all workers and in
 * this process, and each of its open connections: peer, age, bytes each
 * way, state.
 */
void svc_dump(const struct svc *svc);

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

/**
 * svc_renew(old, svc): ${svc} replaces ${old} after a reload: with its
 * rekey_on_reload, the established associations of ${old} renegotiate so
 * that both sides present and verify the reloaded certificates.
 */
void svc_renew(struct svc *old, const struct svc *svc);

/** svc_name(svc): the service's name, its [section]. */
const char *svc_name(const struct svc *svc);

/** svc_conns(svc): how many connections ${svc} has open. */
int svc_conns(const struct svc *svc);

/** svc_retired(svc): non-zero once ${svc} stopped accepting for good. */
int svc_retired(const struct svc *svc);

/**
 * svc_transcript(svc): print the seed's server transcript for ${svc}'s
 * connections on stdout (the flag mode).
 */
void svc_transcript(struct svc *svc);

/**
 * svc_publish(svc): add what ${svc}'s open connections moved since the
 * last call to the shared counters (metrics.h), so that they move while
 * connections last.
 */
void svc_publish(struct svc *svc);

/**
 * svc_each_conn(svc, fn, arg): call ${fn}(${arg}, name, c) for each open
 * connection ${c} of ${svc}.
 */
void svc_each_conn(const struct svc *svc,
    void (*fn)(void *arg, const char *name, const struct conn *c), void *arg);

#endif
