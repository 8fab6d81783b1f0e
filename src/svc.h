#ifndef SVC_H
#define SVC_H

#include <netdb.h>

#include <ev.h>
#include <openssl/ssl.h>

#include "config.h"
#include "dtls.h"
#include "sctp.h"
#include "tls.h"

struct conn;

/* Per-service counters, logged when the service stops. */
struct svc_stats {
	unsigned long accepted; /* connections (UDP flows) started */
	unsigned long refused; /* over max_conns */
	unsigned long dropped; /* UDP datagrams dropped */
};

/*
 * A service: one listener and the connections it started. It outlives its
 * listener when retired (stopped or replaced by a reload) until its last
 * connection ends.
 */
struct svc {
	char name[64];
	struct ev_loop *loop;
	enum ep_kind akind; /* accept side */
	enum ep_kind ckind; /* connect side */
	char atext[300]; /* the endpoints as text, for logs */
	char ctext[300];
	SSL_CTX *ctx; /* for the DTLS/SCTP side */
	struct psk *psk; /* its pre-shared keys (ctx refers to them) */
	int session_cache; /* client: offer the last session again */
	SSL_SESSION *sess; /* client: the last good session, or NULL */
	struct sctp_sockopts so;
	struct dtls_params dp;
	struct addrinfo *dst; /* connect addresses (resolved at start) */
	int nodelay;
	double connect_timeout, handshake_timeout, idle_timeout, close_timeout;
	int max_conns;
	int max_handshakes; /* accepted handshakes at once */
	int nhandshakes; /* accepted handshakes in progress */
	int transcript; /* print the seed's lines on stdout */
	int nconns;
	struct svc_stats st;
	int lfd; /* listening socket, -1 if none */
	ev_io lio;
	ev_timer backoff; /* accept paused (EMFILE) */
	struct conn *conns; /* open connections */
	struct conn **flows; /* UDP flows by client address (hash) */
	int retired; /* stopped accepting; freed when empty */
	int kept; /* reload could not replace it: runs on */
	struct svc *next;
};

/**
 * svc_endpoint_text(ep, buf, size): ${ep} as it is written in the file
 * ("tcp://[::1]:3868", "echo") into ${buf}; returns ${buf}.
 */
char *svc_endpoint_text(const struct endpoint *ep, char *buf, size_t size);

/**
 * svc_conf_tls(sc, t): the TLS settings of the service ${sc} in ${t}, as
 * tls_ctx_new() takes them (the keys of psk_secrets excepted: t->psk is
 * the caller's to set).
 */
void svc_conf_tls(const struct svc_conf *sc, struct tls_conf *t);

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
 * owner frees ${svc} (svc_free) once svc->nconns is 0.
 */
void svc_retire(struct svc *svc);

/**
 * svc_free(svc): abort every connection and free ${svc}; a no-op for NULL.
 */
void svc_free(struct svc *svc);

#endif
