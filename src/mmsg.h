#ifndef MMSG_H
#define MMSG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "unit.h"

/*
 * SCTP user messages sent and received in batches on a one-to-one socket:
 * one sendmmsg(2) for up to MMSG_MAX messages, each with its own
 * SCTP_SNDINFO (stream, PPID, unordered flag, immediate SACK), and one
 * recvmmsg(2) for up to MMSG_MAX messages or pieces of messages, each with
 * its own SCTP_RCVINFO and SCTP_NXTINFO. Order is kept: messages leave in
 * the order queued and are handed out in the order received.
 */

/* Messages in one batch, at most. */
#define MMSG_MAX 32
/* Bytes queued to send, at most (one message may be up to 16384 + 2048). */
#define MMSG_OUT_BYTES 65536
/*
 * Messages larger than this are not batched: sent alone (after what was
 * queued) with no copy into the queue, where one system call per 16 KiB
 * message costs little next to the message's own work.
 */
#define MMSG_SMALL 4096
/* Bytes of each receive slot: a longer message fills several slots. */
#define MMSG_SLOT 2048

struct mmsg_out;
struct mmsg_in;

/** mmsg_out_new(void): an empty send queue, or NULL if out of memory. */
struct mmsg_out *mmsg_out_new(void);

/** mmsg_out_free(q): free ${q} and what it holds; a no-op for NULL. */
void mmsg_out_free(struct mmsg_out *q);

/**
 * mmsg_out_add(q, buf, len, m, now): queue a copy of the message of ${len}
 * bytes at ${buf} with the stream, PPID and unordered flag of ${m}, asking
 * for an immediate SACK if ${now}: 0, or -1 if ${q} has no room for it
 * (send first).
 */
int mmsg_out_add(struct mmsg_out *q, const void *buf, size_t len,
    const struct unit_meta *m, int now);

/** mmsg_out_count(q): the messages queued and not sent yet. */
unsigned mmsg_out_count(const struct mmsg_out *q);

/**
 * mmsg_out_first(q, len, m): the length and stream, PPID and flags of the
 * first message of ${q} not sent yet into *${len} and *${m} (${q} not
 * empty).
 */
void mmsg_out_first(const struct mmsg_out *q, size_t *len, struct unit_meta *m);

/**
 * mmsg_out_send(q, fd): send what ${q} holds on ${fd}, in order, with as
 * few sendmmsg(2) calls as the socket allows: 1 once all went (${q} is
 * empty), 0 if the socket took only part (EAGAIN, ENOMEM, EINTR: the rest
 * stays queued), -1 with errno (EPIPE, ECONNRESET...; the rest stays
 * queued, mmsg_out_count() says how much).
 */
int mmsg_out_send(struct mmsg_out *q, int fd);

/** mmsg_out_clear(q): forget what ${q} holds (after a failure). */
void mmsg_out_clear(struct mmsg_out *q);

/* One received slot: a message, or a piece of one, or a notification. */
struct mmsg_got {
	const uint8_t *p; /* the bytes, valid until the next mmsg_in_fill */
	size_t len;
	int flags; /* MSG_EOR, MSG_NOTIFICATION */
	struct unit_meta m; /* from SCTP_RCVINFO */
	int next; /* SCTP_NXTINFO came: something is queued behind it */
	size_t next_len; /* ... its length as far as known */
};

/** mmsg_in_new(void): an empty receive batch, or NULL if out of memory. */
struct mmsg_in *mmsg_in_new(void);

/** mmsg_in_free(b): free ${b}; a no-op for NULL. */
void mmsg_in_free(struct mmsg_in *b);

/**
 * mmsg_in_fill(b, fd): one recvmmsg(2) on ${fd} (without waiting) into the
 * empty ${b}, up to MMSG_MAX slots of MMSG_SLOT bytes: the slots filled
 * (a slot of 0 bytes that is not a notification: the association ended),
 * or -1 with errno (EAGAIN: nothing queued).
 */
int mmsg_in_fill(struct mmsg_in *b, int fd);

/**
 * mmsg_in_next(b, g): the next slot of ${b} into *${g}: 1, or 0 when
 * all were handed out.
 */
int mmsg_in_next(struct mmsg_in *b, struct mmsg_got *g);

/**
 * mmsg_in_peek(b, g): the next slot of ${b} into *${g}, left there: 1, or
 * 0 when all were handed out.
 */
int mmsg_in_peek(struct mmsg_in *b, struct mmsg_got *g);

/**
 * mmsg_in_read(b, fd, buf, room, g): the next message, piece of one or
 * notification into *${g}: the next slot of ${b}; else, when the next
 * message is likely to fit a slot (SCTP_NXTINFO said so, or without it the
 * last message did), one recvmmsg(2) into ${b}; else one recvmsg(2)
 * straight into ${buf} (${room} bytes). A large message is so read whole
 * into ${buf}, never in slot-sized pieces (each piece read would open the
 * receive window by its size while the kernel still holds the memory of
 * the whole message). g->p points into ${buf} or ${b}. 1, or -1 with errno
 * (EAGAIN: nothing queued).
 */
int mmsg_in_read(
    struct mmsg_in *b, int fd, uint8_t *buf, size_t room, struct mmsg_got *g);

/**
 * mmsg_in_drained(b): 1 (once) if all of ${b} was handed out and the
 * recvmmsg that filled it found the socket empty after them: reading again
 * before the socket is readable would only return EAGAIN.
 */
int mmsg_in_drained(struct mmsg_in *b);

/** mmsg_in_left(b): the slots of ${b} not handed out yet. */
unsigned mmsg_in_left(const struct mmsg_in *b);

#endif
