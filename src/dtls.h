#ifndef DTLS_H
#define DTLS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <openssl/ssl.h>

#include "rekey.h"
#include "unit.h"

/*
 * The RFC 6083 engine: one DTLS 1.2 association over one SCTP association,
 * driven without blocking. The TLS context comes from tls.c, the BIO from
 * rbio.c; this drives OpenSSL and runs the SCTP-AUTH key schedule (4.8).
 */

/* Results of the non-blocking operations besides byte counts. */
#define DTLS_AGAIN (-2) /* retry when dtls_want_write() / the socket says */
#define DTLS_ERR (-1) /* failed; logged */
#define DTLS_EOF (-3) /* dtls_read(): the peer's close_notify came */

struct sctp_notif;

/* What the engine needs to know about an association. */
struct dtls_params {
	/* Stream, PPID and flags of application data written without any. */
	struct unit_meta app;
	/* Called with each SCTP notification's description, or NULL. */
	void (*notify)(void *arg, const char *text);
	void *notify_arg;
	/* Renegotiation (rekey.h); all zero: none started by this side. */
	struct rekey_conf rekey;
	/* The service's handshake count (REKEY_HS_*), or NULL. */
	int (*handshake)(void *arg, int ev);
	void *handshake_arg;
	/* sctp_label_bug: the 24-byte exporter label of OpenSSL <= 1.1.0i. */
	int label_bug;
	/* Called with each SCTP notification (path changes...), or NULL.
	 * A restart or loss of the association (SCTP_ASSOC_CHANGE) then
	 * fails the engine, unlogged: the callback says why. */
	void (*event)(void *arg, const struct sctp_notif *n);
	void *event_arg;
};

/* Counted per association (the summary line shows them). */
struct dtls_stats {
	unsigned long held_max; /* most records held back at once (3.3) */
	unsigned long stale; /* records of an ended epoch, duplicates */
	unsigned long skipped; /* sequence numbers the peer never sent */
	unsigned long discarded; /* records OpenSSL dropped (bad MAC...) */
	unsigned long keys; /* SCTP-AUTH keys installed (RFC 6083 4.8) */
	int verify_failed; /* the peer's certificate was rejected */
	int alert; /* it failed on the peer's fatal alert */
	unsigned long rekeys; /* renegotiations completed */
	unsigned long rekeys_by[REKEY_REASONS]; /* ... by who started them */
};

struct dtls;

/** dtls_init(void): set up the process-wide BIO method. 0 or -1. */
int dtls_init(void);

/** dtls_fini(void): free what dtls_init() made; a no-op if nothing. */
void dtls_fini(void);

/**
 * dtls_new(ctx, fd, server, p, who): the DTLS endpoint of the established
 * association on ${fd} (not owned), after checking the peer authenticates
 * DATA and FORWARD-TSN (RFC 6083 4.5). ${who} (copied) prefixes its log
 * lines. NULL on failure (logged).
 */
struct dtls *dtls_new(SSL_CTX *ctx, int fd, int server,
    const struct dtls_params *p, const char *who);

/** dtls_free(d): free ${d}; the fd stays open. A no-op for NULL. */
void dtls_free(struct dtls *d);

/**
 * dtls_handshake(d): advance the handshake: 1 done, DTLS_AGAIN, DTLS_ERR.
 */
int dtls_handshake(struct dtls *d);

/**
 * dtls_read(d, buf, len, m): the plaintext of one record into ${buf}
 * (${len} >= 16384) and its stream, PPID and unordered flag into *${m}
 * (if not NULL): the byte count (0 for an empty record), DTLS_EOF once the
 * peer's close_notify came, DTLS_AGAIN or DTLS_ERR.
 */
ssize_t dtls_read(struct dtls *d, void *buf, size_t len, struct unit_meta *m);

/**
 * dtls_write(d, buf, len, m): send 1 to 16384 bytes of ${buf} as one
 * record on the stream, PPID and flags of ${m} (NULL: the defaults of the
 * parameters): ${len}, DTLS_AGAIN or DTLS_ERR.
 */
ssize_t dtls_write(
    struct dtls *d, const void *buf, size_t len, const struct unit_meta *m);

/**
 * dtls_shutdown(d): send close_notify once all sent data is acknowledged
 * (RFC 6083 4.9): 1 when sent, DTLS_AGAIN or DTLS_ERR.
 */
int dtls_shutdown(struct dtls *d);

/**
 * dtls_release(d): give back the record buffers of the quiet association
 * ${d} (OpenSSL's and the BIO's); they come back before its next use.
 */
void dtls_release(struct dtls *d);

/**
 * dtls_flush(d): send what waits for socket space and the records queued
 * (dtls_batch()): 1 when nothing waits, DTLS_AGAIN while the socket is
 * full, DTLS_ERR.
 */
int dtls_flush(struct dtls *d);

/**
 * dtls_batch(d, on): if ${on}, the records dtls_write() makes are queued
 * and leave together (several per system call) at dtls_flush(), before
 * any other record (never across an SCTP-AUTH key change) or a sender-dry
 * wait, or when the queue is full; else each leaves as it is written.
 */
void dtls_batch(struct dtls *d, int on);

/**
 * dtls_readable(d): the socket of ${d} became readable: the engine reads
 * it again. An owner that calls this once must call it whenever its event
 * loop reports the socket readable: the engine then does not read a socket
 * it found empty until told (rbio_readable()).
 */
void dtls_readable(struct dtls *d);

/** dtls_want_write(d): non-zero if a send waits for socket space. */
int dtls_want_write(const struct dtls *d);

/**
 * dtls_rekey_tick(d): start a renegotiation if one is due (rekey.h); 0,
 * or DTLS_ERR if the running one took longer than its timeout (logged).
 */
int dtls_rekey_tick(struct dtls *d);

/**
 * dtls_rekey(d): the renegotiations of ${d} (rekey.h), or NULL before its
 * first handshake completed.
 */
struct rekey *dtls_rekey(const struct dtls *d);

/** dtls_key_active(d): the SCTP-AUTH key number in use, from the kernel. */
int dtls_key_active(const struct dtls *d);

/**
 * dtls_log_handshake(d, local, remote): log at info level that the
 * handshake of ${d} completed: cipher, peer, full or resumed, SCTP-AUTH key
 * in use (the key and the name are looked up only when that level is
 * logged), then, if not NULL, the association's ${local} and ${remote}
 * addresses (given by the caller, path_list()).
 */
void dtls_log_handshake(
    const struct dtls *d, const char *local, const char *remote);

/** dtls_cipher(d): the name of the cipher suite in use, or "-". */
const char *dtls_cipher(const struct dtls *d);

/** dtls_resumed(d): non-zero if the handshake resumed a session. */
int dtls_resumed(const struct dtls *d);

/**
 * dtls_peer_name(d, buf, size): the peer certificate's subject on one line
 * (RFC 2253): the one of the last completed handshake (a renegotiation that
 * failed leaves it), else the one of the handshake running; "-" without
 * one; returns ${buf}.
 */
char *dtls_peer_name(const struct dtls *d, char *buf, size_t size);

/**
 * dtls_print_subject(d, f): the peer certificate's subject to ${f}, one
 * field a line (the seed's transcript); nothing without one.
 */
void dtls_print_subject(const struct dtls *d, FILE *f);

/** dtls_aborted(d): non-zero if the peer of ${d} aborted the association. */
int dtls_aborted(const struct dtls *d);

/**
 * dtls_unanswered(d): non-zero if ${d} is a client whose ClientHello the
 * server has not answered yet (an ABORT now is a refusal, not a failure).
 */
int dtls_unanswered(const struct dtls *d);

/**
 * dtls_stall_reason(d, buf, size): what a handshake that stopped waits
 * for, as far as it can be told (tls_stall_reason()), as ": ..." into
 * ${buf}, or ""; returns ${buf}.
 */
char *dtls_stall_reason(const struct dtls *d, char *buf, size_t size);

/** dtls_stats(d, st): the counters of ${d} into ${st}. */
void dtls_stats(const struct dtls *d, struct dtls_stats *st);

/**
 * dtls_session_get(d): the session of ${d}'s finished handshake if it can
 * be resumed (a reference the caller frees with tls_session_free()), or
 * NULL.
 */
SSL_SESSION *dtls_session_get(const struct dtls *d);

/**
 * dtls_session_offer(d, s): a client offers ${s} for resumption. 0, or -1
 * if it cannot be offered.
 */
int dtls_session_offer(struct dtls *d, SSL_SESSION *s);

#endif
