#ifndef RTX_H
#define RTX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "unit.h"

/*
 * The outgoing side of the RFC 6083 BIO (rbio.c): the bytes OpenSSL
 * writes cut into DTLS records, each sent as one SCTP user message on a
 * one-to-one socket (control records on stream 0, PPID 0, with an
 * immediate SACK; application data records on the stream, PPID and flags
 * set), a record cut anywhere by OpenSSL's buffering BIO put together, a
 * record the socket cannot take kept until it can, and small application
 * data records queued to leave several per sendmmsg (rtx_batch(); mmsg.c),
 * never across a record of another type (an SCTP-AUTH key change comes
 * with those) or a sender-dry wait.
 */

/* What the owner does around each record, with ${arg}. */
struct rtx_ops {
	/* Before a record of ${type} goes: 1 to send it, 0 to wait (the
	 * ChangeCipherSpec waits for sender-dry), -1 if the association
	 * failed. */
	int (*before)(void *arg, uint8_t type);
	/* After it was handed to SCTP: 0, or -1 if the association failed. */
	int (*after)(void *arg, uint8_t type);
	/* A send failed with errno ${err} (not for want of room). */
	void (*send_failed)(void *arg, int err);
	/* What OpenSSL wrote is not DTLS records, or memory ran out. */
	void (*fail)(void *arg, const char *why);
};

/* rtx_write(): nothing was taken; try again when the socket has room. */
#define RTX_RETRY (-2)

struct rtx;

/**
 * rtx_new(fd, ops, arg): the outgoing side for the association on ${fd}
 * (not owned), reporting to ${ops} with ${arg}. NULL if out of memory.
 */
struct rtx *rtx_new(int fd, const struct rtx_ops *ops, void *arg);

/** rtx_free(t): free ${t} and what it holds; a no-op for NULL. */
void rtx_free(struct rtx *t);

/**
 * rtx_meta(t, m): stream, PPID and unordered flag of the application data
 * records written from now on.
 */
void rtx_meta(struct rtx *t, const struct unit_meta *m);

/**
 * rtx_batch(t, on): if ${on}, application data records of up to
 * MMSG_SMALL bytes are queued and leave, several per sendmmsg, at
 * rtx_push() (or before any other record or a sender-dry wait, or when the
 * queue is full); else each is sent as it is written.
 */
void rtx_batch(struct rtx *t, int on);

/**
 * rtx_write(t, p, len): the ${len} bytes OpenSSL wrote at ${p}: each
 * record sent when whole, the beginning of one kept until the rest comes,
 * a whole one the socket refused kept (refused, OpenSSL would write its
 * data again under the next sequence number). The bytes taken (> 0),
 * RTX_RETRY, or -1 if the association failed.
 */
ssize_t rtx_write(struct rtx *t, const uint8_t *p, size_t len);

/**
 * rtx_flush(t): send the record kept back because the socket was full: 1
 * when nothing is kept (any more), 0 while the socket is still full (or
 * the record waits for sender-dry), -1 if the association failed.
 */
int rtx_flush(struct rtx *t);

/**
 * rtx_push(t): send the records queued (rtx_batch()), several per system
 * call: 1 when none is left, 0 while the socket is full, -1 if the
 * association failed.
 */
int rtx_push(struct rtx *t);

/** rtx_kept(t): non-zero if a whole record is kept (rtx_flush()). */
int rtx_kept(const struct rtx *t);

/** rtx_pending(t): bytes kept (a record not whole or not sent yet). */
size_t rtx_pending(const struct rtx *t);

/** rtx_want_write(t): non-zero if a send waits for socket space. */
int rtx_want_write(const struct rtx *t);

/** rtx_release(t): give back the buffers of ${t} while they are empty. */
void rtx_release(struct rtx *t);

#endif
