/*
 * rtx.c: the outgoing side of the RFC 6083 BIO: DTLS records out as SCTP
 * user messages, one record per message, small application data records
 * several per sendmmsg (rtx.h).
 */
#include <errno.h>
#include <stdlib.h>

#include "mmsg.h"
#include "rec.h"
#include "rtx.h"
#include "sctp.h"

struct rtx {
	int fd;
	const struct rtx_ops *ops;
	void *arg;
	struct unit_meta meta; /* for application data records */
	struct rec_out tx; /* a record taken from OpenSSL, not yet sent */
	struct mmsg_out *q; /* application data records not sent yet */
	unsigned batch : 1; /* small records are queued until rtx_push() */
	unsigned want_write : 1; /* a send found the socket full */
};

/**
 * rtx_new(fd, ops, arg): the outgoing side for the association on ${fd}
 * (not owned), reporting to ${ops} with ${arg}. NULL if out of memory.
 */
struct rtx *
rtx_new(int fd, const struct rtx_ops *ops, void *arg)
{
	struct rtx *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->fd = fd;
	t->ops = ops;
	t->arg = arg;
	return t;
}

/** rtx_free(t): free ${t} and what it holds; a no-op for NULL. */
void
rtx_free(struct rtx *t)
{
	if (t == NULL)
		return;
	rec_out_free(&t->tx);
	mmsg_out_free(t->q);
	free(t);
}

/**
 * rtx_meta(t, m): stream, PPID and unordered flag of the application data
 * records written from now on.
 */
void
rtx_meta(struct rtx *t, const struct unit_meta *m)
{
	t->meta = *m;
}

/**
 * rtx_batch(t, on): if ${on}, application data records of up to
 * MMSG_SMALL bytes are queued and leave, several per sendmmsg, at
 * rtx_push() (or before any other record or a sender-dry wait, or when the
 * queue is full); else each is sent as it is written.
 */
void
rtx_batch(struct rtx *t, int on)
{
	t->batch = on != 0;
}

/* A send failed with errno: 0 if for want of room (retry), else -1. */
static int
refused(struct rtx *t)
{
	if (errno == EAGAIN || errno == ENOMEM) {
		t->want_write = 1;
		return 0;
	}
	t->ops->send_failed(t->arg, errno);
	return -1;
}

/**
 * rtx_push(t): send the records queued (rtx_batch()), several per system
 * call: 1 when none is left, 0 while the socket is full, -1 if the
 * association failed.
 */
int
rtx_push(struct rtx *t)
{
	int s;

	if (t->q == NULL || mmsg_out_count(t->q) == 0)
		return 1;
	if ((s = mmsg_out_send(t->q, t->fd)) >= 0) {
		t->want_write = s == 0;
		return s;
	}
	t->ops->send_failed(t->arg, errno);
	return -1;
}

/*
 * Queue the application data record ${rec}, sending what was queued first
 * if there is no room: 1 when queued, 0 while the socket is full, -1 if
 * the association failed.
 */
static int
queue(struct rtx *t, const uint8_t *rec, size_t len)
{
	int s;

	if (t->q == NULL && (t->q = mmsg_out_new()) == NULL) {
		t->ops->fail(t->arg, "out of memory");
		return -1;
	}
	if (mmsg_out_add(t->q, rec, len, &t->meta, 0) == 0)
		return 1;
	if ((s = rtx_push(t)) <= 0)
		return s;
	return mmsg_out_add(t->q, rec, len, &t->meta, 0) == 0 ? 1 : -1;
}

/*
 * Send the whole record ${rec} as one SCTP message (or queue it). Handshake,
 * ChangeCipherSpec and alert records go on stream 0 with PPID 0 and an
 * immediate SACK; application data as rtx_meta() said. Returns 1 when sent,
 * 0 to retry, -1 on failure.
 */
static int
send_rec(struct rtx *t, const uint8_t *rec, size_t len)
{
	static const struct unit_meta control = {0, 0, 0, 0};
	uint8_t type = rec[0];
	int app = type == REC_APPDATA, w;

	/* Queued records first, and never across an SCTP-AUTH key change. */
	if ((!app || len > MMSG_SMALL) && (w = rtx_push(t)) <= 0)
		return w;
	if ((w = t->ops->before(t->arg, type)) <= 0)
		return w;
	if (app && t->batch && len <= MMSG_SMALL) {
		if ((w = queue(t, rec, len)) <= 0)
			return w;
	} else if (sctp_msg_send(
	               t->fd, rec, len, app ? &t->meta : &control, !app) < 0) {
		return refused(t);
	}
	return t->ops->after(t->arg, type) == 0 ? 1 : -1;
}

/*
 * Complete the record begun in t->tx from ${in} (the header first, then
 * the rest it announces) and send it once whole. Returns the bytes of
 * ${in} taken, RTX_RETRY if none could be, or -1 (failed).
 */
static ssize_t
tx_complete(struct rtx *t, const uint8_t *in, size_t inl)
{
	const char *why;
	long take;
	int s;

	if ((take = rec_out_add(&t->tx, in, inl, &why)) < 0) {
		t->ops->fail(t->arg, why);
		return -1;
	}
	if (!rec_out_whole(&t->tx))
		return take; /* more of it will come */
	if ((s = send_rec(t, t->tx.buf, t->tx.len)) > 0)
		t->tx.len = 0;
	if (s < 0)
		return -1;
	return s == 0 && take == 0 ? RTX_RETRY : take;
}

/* Keep the ${len} bytes at ${p} in t->tx (empty): 0, or -1 (failed). */
static int
stash(struct rtx *t, const uint8_t *p, size_t len)
{
	const char *why;

	if (rec_out_add(&t->tx, p, len, &why) != (long)len) {
		t->ops->fail(t->arg, why);
		return -1;
	}
	return 0;
}

/**
 * rtx_write(t, p, len): the ${len} bytes OpenSSL wrote at ${p}: each
 * record sent when whole, the beginning of one kept until the rest comes,
 * a whole one the socket refused kept (refused, OpenSSL would write its
 * data again under the next sequence number). The bytes taken (> 0),
 * RTX_RETRY, or -1 if the association failed.
 */
ssize_t
rtx_write(struct rtx *t, const uint8_t *p, size_t len)
{
	size_t off = 0;
	ssize_t n;
	long rl;
	int s = 1;

	t->want_write = 0;
	if (t->tx.len > 0) {
		if ((n = tx_complete(t, p, len)) < 0)
			return n;
		off = (size_t)n;
		if (t->tx.len > 0) /* still waiting to go, or to be whole */
			return (ssize_t)off;
	}
	while (off < len && s > 0) {
		if ((rl = rec_len(p + off, len - off)) < 0) {
			/* The beginning of a record: the rest comes later. */
			if (stash(t, p + off, len - off) == 0)
				off = len;
			break;
		}
		if ((s = send_rec(t, p + off, (size_t)rl)) < 0)
			break;
		/* s == 0: the socket is full (or CCS waits for sender-dry):
		 * the record taken all the same, kept. */
		if (s > 0 || stash(t, p + off, (size_t)rl) == 0)
			off += (size_t)rl;
	}
	if (off > 0)
		return (ssize_t)off;
	return s == 0 ? RTX_RETRY : -1;
}

/**
 * rtx_flush(t): send the record kept back because the socket was full: 1
 * when nothing is kept (any more), 0 while the socket is still full (or
 * the record waits for sender-dry), -1 if the association failed.
 */
int
rtx_flush(struct rtx *t)
{
	int s;

	if (!rec_out_whole(&t->tx))
		return 1; /* nothing kept, or the rest is still to come */
	t->want_write = 0;
	if ((s = send_rec(t, t->tx.buf, t->tx.len)) > 0)
		t->tx.len = 0;
	return s;
}

/** rtx_kept(t): non-zero if a whole record is kept (rtx_flush()). */
int
rtx_kept(const struct rtx *t)
{
	return rec_out_whole(&t->tx);
}

/** rtx_pending(t): bytes kept (a record not whole or not sent yet). */
size_t
rtx_pending(const struct rtx *t)
{
	return t->tx.len;
}

/** rtx_want_write(t): non-zero if a send waits for socket space. */
int
rtx_want_write(const struct rtx *t)
{
	return t->want_write;
}

/** rtx_release(t): give back the buffers of ${t} while they are empty. */
void
rtx_release(struct rtx *t)
{
	if (t->tx.len == 0)
		rec_out_free(&t->tx);
	if (t->q != NULL && mmsg_out_count(t->q) == 0) {
		mmsg_out_free(t->q);
		t->q = NULL;
	}
}
