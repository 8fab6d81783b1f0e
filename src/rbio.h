#ifndef RBIO_H
#define RBIO_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/bio.h>

#include "sctp.h"
#include "unit.h"

/*
 * The RFC 6083 BIO under a stock OpenSSL SSL object: one DTLS record per
 * SCTP user message on a non-blocking one-to-one SCTP socket (4.1),
 * handshake, ChangeCipherSpec and alert records on stream 0 (4.4), the
 * sender-dry wait before ChangeCipherSpec (4.7), and received records
 * handed over in an order OpenSSL's replay window accepts (3.3,
 * reorder.h). The engine (dtls.c) hears of every record that passes.
 */

/* What the engine is told, with its ${arg}. */
struct rbio_ops {
	/* Before a record of content type ${type} is sent. */
	void (*before_send)(void *arg, uint8_t type);
	/* After it was handed to SCTP. */
	void (*after_send)(void *arg, uint8_t type);
	/* The record ${rec} (${len} bytes, sent with ${m}) went to OpenSSL. */
	void (*handed)(void *arg, const uint8_t *rec, size_t len,
	    const struct unit_meta *m);
	/* An SCTP notification arrived. */
	void (*notify)(void *arg, const struct sctp_notif *n);
};

/* Counted per association. */
struct rbio_stats {
	unsigned long held_max; /* most records held back at once */
	unsigned long
	    stale; /* records OpenSSL would have dropped: never sent */
	unsigned long skipped; /* sequence numbers the peer never sent */
};

struct rbio;

/** rbio_init(void): the process-wide BIO method. 0, or -1 (logged). */
int rbio_init(void);

/** rbio_fini(void): free what rbio_init() made; a no-op if nothing. */
void rbio_fini(void);

/**
 * rbio_new(fd, ops, arg, who): a BIO for the association on ${fd} (not
 * owned) that reports to ${ops} with ${arg}; ${who} (copied) prefixes its
 * log lines. The BIO owns the returned state: BIO_free(rbio_bio(r)), or
 * the SSL it is given to, frees both. NULL on failure (logged).
 */
struct rbio *rbio_new(
    int fd, const struct rbio_ops *ops, void *arg, const char *who);

/** rbio_bio(r): the BIO of ${r}. */
BIO *rbio_bio(struct rbio *r);

/**
 * rbio_send_meta(r, m): stream, PPID and unordered flag of the application
 * data records written from now on.
 */
void rbio_send_meta(struct rbio *r, const struct unit_meta *m);

/**
 * rbio_flush(r): send the record kept back because the socket was full:
 * 1 when nothing is kept (any more), 0 while the socket is still full (or
 * the record waits for sender-dry), -1 if the association failed.
 */
int rbio_flush(struct rbio *r);

/**
 * rbio_push(r): send the application data records queued since the last
 * push (rbio_batch()), several per system call: 1 when none is left, 0
 * while the socket is full, -1 if the association failed.
 */
int rbio_push(struct rbio *r);

/**
 * rbio_batch(r, on): if ${on}, application data records are queued and
 * leave, several per sendmmsg, at rbio_push() (or before any other record,
 * a sender-dry wait, or when the queue is full); else each is sent as it
 * is written.
 */
void rbio_batch(struct rbio *r, int on);

/**
 * rbio_wait_dry(r): RFC 6083 4.9: 1 once everything sent is acknowledged
 * (SCTP_SENDER_DRY_EVENT), 0 to wait for the socket, -1 if the
 * association failed.
 */
int rbio_wait_dry(struct rbio *r);

/**
 * rbio_fail(r, what, err): the association failed: log "${what}" (and
 * strerror(${err}) if not 0) unless a failure was logged already, or
 * ${what} is NULL (the caller logged it).
 */
void rbio_fail(struct rbio *r, const char *what, int err);

/** rbio_failed(r): non-zero once ${r} failed (and said why). */
int rbio_failed(const struct rbio *r);

/** rbio_aborted(r): non-zero if ${r} failed because the peer aborted. */
int rbio_aborted(const struct rbio *r);

/** rbio_eof(r): non-zero once the association ended (no more input). */
int rbio_eof(const struct rbio *r);

/** rbio_want_write(r): non-zero if a send waits for socket space. */
int rbio_want_write(const struct rbio *r);

/**
 * rbio_release(r): give back the receive and send buffers while nothing
 * is in them (a quiet association); they come back when needed.
 */
void rbio_release(struct rbio *r);

/**
 * rbio_readable(r): the socket of ${r} became readable: read it again.
 * An owner that calls this once must call it whenever its event loop
 * reports the socket readable: from then on the BIO does not read a
 * socket it found empty (a system call that would only say EAGAIN) until
 * told. Owners that never call it (a blocking loop) see every read tried.
 */
void rbio_readable(struct rbio *r);

/** rbio_stats(r): the counters of ${r}. */
const struct rbio_stats *rbio_stats(const struct rbio *r);

#endif
