#ifndef REKEY_H
#define REKEY_H

#include <sys/types.h>

#include <openssl/ssl.h>

#include "unit.h"

/*
 * Rekeying a running association by renegotiation (RFC 5746 secure
 * renegotiation on DTLS 1.2): every new master secret brings a new
 * SCTP-AUTH key (RFC 6083 4.8; the key schedule is ksched.c, its socket
 * calls dtls.c). This module decides when this side starts one (after
 * rekey_interval or rekey_bytes; the side that connected first, the
 * accepting side only after a grace period), asks OpenSSL to start it,
 * tells a renegotiation the peer starts from one of ours, refuses the
 * peer's when it comes too often or the service has too many handshakes
 * running, and logs and counts each that completes.
 */

/* When to renegotiate (a service's rekey keys). */
struct rekey_conf {
	int on; /* rekey = yes: start renegotiations at the limits */
	double interval; /* s after the last handshake (rekey_interval) */
	unsigned long long bytes; /* ... or bytes both ways; 0: no limit */
	double min_interval; /* s: the shortest gap between two; 0: none */
	double timeout; /* s a renegotiation may take (handshake_timeout) */
};

/* Events for the service's handshake budget (dtls_params.handshake). */
#define REKEY_HS_START 1 /* a renegotiation starts: 0 to allow, -1 not */
#define REKEY_HS_DONE 2 /* it completed */
#define REKEY_HS_END 3 /* it ended without completing */

/* Why a renegotiation ended the association (rekey_fault). */
#define REKEY_FAILED 1 /* it failed or timed out (logged) */
#define REKEY_TOO_OFTEN 2 /* the peer's came too often: refused, then */
#define REKEY_BUSY 3 /* too many at once: ... shut down 1 s later */

/* Why this side starts a renegotiation (rekey_policy_due). */
#define REKEY_DUE_RELOAD 1 /* asked: rekey_on_reload */
#define REKEY_DUE_TIME 2 /* rekey_interval reached */
#define REKEY_DUE_BYTES 3 /* rekey_bytes reached */
#define REKEY_BY_PEER 0 /* rekey_counts(): the peer started it */
#define REKEY_REASONS 4 /* REKEY_BY_PEER and the REKEY_DUE_* */

/* The time-and-bytes policy, as pure state (unit tests use it alone). */
struct rekey_policy {
	struct rekey_conf c;
	int initiator; /* we connected: start at the limits, no grace */
	double since; /* s (monotonic): the last handshake completed */
	unsigned long long base; /* bytes moved by then */
	double peer_last; /* s: the peer last started one; < 0: never */
	double asked_at; /* s: when rekey_policy_ask() was called */
	unsigned asked : 1; /* renegotiate soon (rekey_on_reload) */
};

/**
 * rekey_policy_init(p, c, initiator, now): the policy ${c} for an
 * association whose first handshake completed at ${now} (seconds); the
 * side that connected is the ${initiator}.
 */
void rekey_policy_init(struct rekey_policy *p, const struct rekey_conf *c,
    int initiator, double now);

/**
 * rekey_policy_due(p, now, bytes): why this side should start a
 * renegotiation at ${now}, ${bytes} having moved both ways in all
 * (REKEY_DUE_*), or 0 if it should not.
 */
int rekey_policy_due(
    const struct rekey_policy *p, double now, unsigned long long bytes);

/**
 * rekey_policy_wait(p, now): seconds from ${now} until a renegotiation is
 * due by time (0: now), or -1 if time alone never makes one due.
 */
double rekey_policy_wait(const struct rekey_policy *p, double now);

/**
 * rekey_policy_ask(p, now): renegotiate soon (a reload at ${now}): once
 * min_interval allows; the accepting side a grace period later, so that
 * its HelloRequest does not cross a ClientHello of the peer's (OpenSSL's
 * DTLS client then waits for a message that never comes).
 */
void rekey_policy_ask(struct rekey_policy *p, double now);

/**
 * rekey_policy_peer(p, now): the peer starts a renegotiation at ${now}:
 * 0, or -1 if it comes less than min_interval after its last one.
 */
int rekey_policy_peer(struct rekey_policy *p, double now);

/**
 * rekey_policy_done(p, began, now, bytes): a renegotiation that began at
 * ${began} completed at ${now}, ${bytes} having moved both ways by then:
 * the next one counts from here; a reload asked for before it began is
 * served (one asked for later may have missed the new certificates).
 */
void rekey_policy_done(
    struct rekey_policy *p, double began, double now, unsigned long long bytes);

struct rekey;

/**
 * rekey_new(ssl, c, initiator, budget, arg, who): the renegotiations of
 * the established association of ${ssl} (not owned), with the policy ${c};
 * ${budget}(${arg}, REKEY_HS_*) (may be NULL) is the service's handshake
 * count; ${who} (copied) prefixes log lines. NULL if out of memory.
 */
struct rekey *rekey_new(SSL *ssl, const struct rekey_conf *c, int initiator,
    int (*budget)(void *arg, int ev), void *arg, const char *who);

/** rekey_free(k): free ${k}, ending a renegotiation it counted; NULL ok. */
void rekey_free(struct rekey *k);

/**
 * rekey_due(k, bytes): why this side should start a renegotiation now
 * (REKEY_DUE_*; none runs), ${bytes} having moved both ways in all, or 0.
 */
int rekey_due(const struct rekey *k, unsigned long long bytes);

/**
 * rekey_due_bytes(k, bytes): rekey_due(), but only once ${bytes} reached
 * the byte limit (rekey_bytes), else 0 without reading the clock: for each
 * record moved. What time makes due, the owner's timer finds (rekey_wait(),
 * then rekey_due()).
 */
int rekey_due_bytes(const struct rekey *k, unsigned long long bytes);

/**
 * rekey_start(k, why): start a renegotiation (SSL_renegotiate) for the
 * reason ${why} (REKEY_DUE_*, logged when it completes): 0, or -1 if it
 * cannot now (one runs, or the service has too many handshakes). The
 * caller must then call SSL_read at once: only reading may run the
 * handshake while the peer's data can arrive.
 */
int rekey_start(struct rekey *k, int why);

/**
 * rekey_ask(k, ctx): present and verify the certificates of ${ctx} (a
 * reloaded service's; NULL: the same) in a renegotiation as soon as
 * min_interval allows.
 */
void rekey_ask(struct rekey *k, SSL_CTX *ctx);

/**
 * rekey_event(k, where): the info callback's ${where} for the SSL of ${k}:
 * at SSL_CB_HANDSHAKE_START a renegotiation begins (ours, or the peer's,
 * which may be refused: then OpenSSL answers no_renegotiation and
 * rekey_fault() says why).
 */
void rekey_event(struct rekey *k, int where);

/**
 * rekey_done(k, key, old, bytes): the running renegotiation completed with
 * SCTP-AUTH key ${key} active and ${old} retired, ${bytes} having moved
 * both ways in all: logged at info level, counted.
 */
void rekey_done(
    struct rekey *k, unsigned key, unsigned old, unsigned long long bytes);

/**
 * rekey_drive(k, rd, arg): may a write go on? During a renegotiation only
 * SSL_read may run the handshake (an SSL_write or SSL_do_handshake that
 * meets the peer's application data, sent before it saw the request,
 * fails with "unexpected record"), so writes wait and reading goes on
 * through ${rd}(${arg}, buf, 16384, meta) into the one record ${k} holds
 * for rekey_take(). Returns 1 (write), 0 (wait: the socket, or the held
 * record to be taken) or -1 (${rd} failed).
 */
int rekey_drive(struct rekey *k,
    ssize_t (*rd)(void *arg, void *buf, size_t len, struct unit_meta *m),
    void *arg);

/**
 * rekey_take(k, buf, m): the record held by rekey_drive() into ${buf}
 * (16384 bytes) and *${m} (if not NULL): its length, or -1 if none.
 */
ssize_t rekey_take(struct rekey *k, void *buf, struct unit_meta *m);

/** rekey_holding(k): non-zero while a record waits for rekey_take(). */
int rekey_holding(const struct rekey *k);

/** rekey_release(k): give back the held record's buffer while empty. */
void rekey_release(struct rekey *k);

/** rekey_running(k): non-zero while a renegotiation runs or is asked. */
int rekey_running(const struct rekey *k);

/**
 * rekey_pending(k): non-zero between rekey_start() and OpenSSL taking the
 * renegotiation up (the next SSL_read): no SSL_write meanwhile.
 */
int rekey_pending(const struct rekey *k);

/**
 * rekey_wait(k): seconds until rekey_tick() should run (a renegotiation
 * due by time, or the running one's timeout), or -1 for never.
 */
double rekey_wait(const struct rekey *k);

/**
 * rekey_expired(k, unsent): non-zero if the association ends now: the
 * running renegotiation has taken longer than its timeout (logged once),
 * or the peer whose renegotiation was refused had its second to read the
 * alert, which has been sent (${unsent}: it still waits for room in the
 * socket; then until the timeout).
 */
int rekey_expired(struct rekey *k, int unsent);

/**
 * rekey_dirty(k): non-zero (once) if rekey_wait() changed since it was
 * last asked: a renegotiation started or ended.
 */
int rekey_dirty(struct rekey *k);

/** rekey_fault(k): 0, or REKEY_* if a renegotiation ends the association. */
int rekey_fault(const struct rekey *k);

/** rekey_fail(k): the running renegotiation failed (logged by the caller). */
void rekey_fail(struct rekey *k);

/** rekey_count(k): renegotiations completed (both sides' starting). */
unsigned long rekey_count(const struct rekey *k);

/**
 * rekey_counts(k, by): renegotiations completed by who started them, into
 * ${by}[REKEY_REASONS]: [REKEY_BY_PEER] the peer, [REKEY_DUE_*] this side
 * for that reason.
 */
void rekey_counts(const struct rekey *k, unsigned long *by);

#endif
