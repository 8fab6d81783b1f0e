#ifndef CONN_H
#define CONN_H

#include <stddef.h>
#include <stdint.h>

#include <ev.h>
#include <openssl/ssl.h>

#include "end.h"
#include "path.h"
#include "rekey.h"
#include "reason.h"

/*
 * One connection: the end a client opened (near: accepted by a service)
 * and the end made for it (far: the DTLS/SCTP peer, or the backend), one
 * of them DTLS/SCTP; opening the far end once the near one is open, the
 * relay between them, the timers, and the one teardown with its summary
 * line. It tells its owner (the service) of its life through a callback.
 */

struct conn;

/* What a connection tells its owner. */
enum conn_event {
	CONN_SECURE, /* the DTLS handshake completed */
	CONN_CLOSED, /* it ends now (conn_reason() says why); then freed */
};

/* Its owner (the service), with ${arg}. */
struct conn_owner {
	/* ${c} reached ${ev}. */
	void (*report)(void *arg, struct conn *c, enum conn_event ev);
	/* The far end of ${c}, reporting to ${o}; NULL if it cannot be made
	 * (logged): the connection is then closed with R_NOMEM. */
	struct end *(*far)(
	    void *arg, struct conn *c, const struct end_owner *o);
	void *arg;
};

/* How a connection behaves (from its service's configuration). */
struct conn_conf {
	struct ev_loop *loop;
	double connect_timeout; /* seconds; each also 0 for none */
	double handshake_timeout;
	double idle_timeout;
	double close_timeout;
	int dtls_near; /* the near end is the DTLS one (else the far) */
	const char *backend; /* the far endpoint as written, for logs */
	int backend_abort; /* a backend that fails aborts the client */
	int transcript; /* print the seed's server lines */
};

/* What a connection moved, for its summary and its service's counters. */
struct conn_stats {
	unsigned long long up; /* plaintext to DTLS bytes */
	unsigned long long down; /* DTLS to plaintext bytes */
	unsigned long long units_up, units_down; /* messages, records */
	unsigned long dropped; /* units dropped (UDP datagrams) */
	unsigned long discarded; /* records OpenSSL dropped, or stale */
	unsigned long paths; /* SCTP path state changes, both ends */
	unsigned long keys; /* SCTP-AUTH keys installed */
	unsigned long rekeys[REKEY_REASONS]; /* renegotiations (rekey_counts) */
	int resumed; /* the handshake resumed a session */
	int verify_failed; /* the peer's certificate was rejected */
	int alert; /* the handshake failed on the peer's fatal alert */
	int secure; /* the DTLS handshake completed */
	double seconds;
};

/**
 * conn_new(cf, owner, service, near): a connection of ${service} (its name,
 * for logs) for the accepted end ${near} (now owned); conn_start() sets it
 * going. ${cf} must outlive it. NULL on failure (logged; ${near} aborted).
 */
struct conn *conn_new(const struct conn_conf *cf,
    const struct conn_owner *owner, const char *service, struct end *near);

/**
 * conn_start(c): set ${c} going: its near end opens, then its far end is
 * made. It may end (and report CONN_CLOSED) before this returns.
 */
void conn_start(struct conn *c);

/**
 * conn_close(c, reason): the one teardown: stop every watcher, abort the
 * ends (SCTP ABORT, TCP RST) or close them gracefully as ${reason} says
 * (reason.c), log the summary line, report CONN_CLOSED, free ${c}.
 */
void conn_close(struct conn *c, enum reason reason);

/**
 * conn_push(c, buf, len): a datagram of ${len} bytes at ${buf} for the
 * UDP flow ${c}: queued on its near end and relayed. 0, or -1 if dropped
 * (counted by the end).
 */
int conn_push(struct conn *c, const uint8_t *buf, size_t len);

/**
 * conn_near(c): the near end of ${c} (the one its client opened), for its
 * owner to read (UDP flows: the client's address; dropping counts).
 */
struct end *conn_near(struct conn *c);

/** conn_reason(c): why ${c} ends (R_NONE while it does not). */
enum reason conn_reason(const struct conn *c);

/** conn_stats(c, st): what ${c} moved so far, into ${st}. */
void conn_stats(const struct conn *c, struct conn_stats *st);

/**
 * conn_session(c): the session of ${c}'s completed handshake if it can be
 * resumed (a reference for the caller), or NULL.
 */
SSL_SESSION *conn_session(const struct conn *c);

/**
 * conn_offered(c): the session ${c} offered to resume (compare only), or
 * NULL.
 */
const SSL_SESSION *conn_offered(const struct conn *c);

/**
 * conn_rekey(c, ctx): ${c}'s association renegotiates soon, presenting and
 * verifying the certificates of ${ctx} (a reloaded service's); one whose
 * handshake (with the old certificates) has not completed yet, once it has.
 */
void conn_rekey(struct conn *c, SSL_CTX *ctx);

/**
 * conn_state(c): what ${c} is doing, for a listing: "connecting",
 * "handshake", "relaying", "closing" or "opening".
 */
const char *conn_state(const struct conn *c);

/** conn_who(c): the log prefix of ${c} ("service: client"). */
const char *conn_who(const struct conn *c);

/**
 * conn_describe(c, cipher, subject, size): ${c}'s cipher suite and peer
 * certificate subject (each "-" if none yet) into the two buffers of
 * ${size} bytes; returns the SCTP-AUTH key in use, or -1.
 */
int conn_describe(
    const struct conn *c, char *cipher, char *subject, size_t size);

/**
 * conn_paths(c, out, max): the SCTP paths of ${c}'s DTLS/SCTP association
 * (path_states()), at most ${max}; how many (0 if none yet).
 */
int conn_paths(const struct conn *c, struct path_info *out, int max);

#endif
