/*
 * mmsg.c: SCTP user messages sent with sendmmsg(2) and received with
 * recvmmsg(2), several per system call, each with its own SCTP_SNDINFO or
 * SCTP_RCVINFO/SCTP_NXTINFO (mmsg.h).
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "mmsg.h"

struct mmsg_out {
	size_t used; /* bytes of buf taken */
	unsigned n, sent; /* messages queued; the first ${sent} went */
	struct {
		size_t off, len;
		struct unit_meta m;
		int now;
	} msg[MMSG_MAX];
	uint8_t buf[MMSG_OUT_BYTES];
};

/* Room for the control messages of one received slot. */
#define RX_CMSG                                                                \
	(CMSG_SPACE(sizeof(struct sctp_rcvinfo)) +                             \
	    CMSG_SPACE(sizeof(struct sctp_nxtinfo)))

struct mmsg_in {
	unsigned n, pos; /* slots filled; the next to hand out */
	unsigned small : 1; /* the next message is likely to fit a slot */
	unsigned drained : 1; /* the last recvmmsg left the socket empty */
	unsigned cont : 1; /* the last slot did not end its message */
	struct mmsghdr h[MMSG_MAX];
	struct iovec iov[MMSG_MAX];
	union {
		struct cmsghdr align;
		char b[RX_CMSG];
	} cm[MMSG_MAX];
	uint8_t buf[MMSG_MAX][MMSG_SLOT];
};

/** mmsg_out_new(void): an empty send queue, or NULL if out of memory. */
struct mmsg_out *
mmsg_out_new(void)
{
	struct mmsg_out *q = malloc(sizeof(*q));

	if (q != NULL)
		mmsg_out_clear(q);
	return q;
}

/** mmsg_out_free(q): free ${q} and what it holds; a no-op for NULL. */
void
mmsg_out_free(struct mmsg_out *q)
{
	free(q);
}

/**
 * mmsg_out_add(q, buf, len, m, now): queue a copy of the message of ${len}
 * bytes at ${buf} with the stream, PPID and unordered flag of ${m}, asking
 * for an immediate SACK if ${now}: 0, or -1 if ${q} has no room for it
 * (send first).
 */
int
mmsg_out_add(struct mmsg_out *q, const void *buf, size_t len,
    const struct unit_meta *m, int now)
{
	if (q->n == MMSG_MAX || len > sizeof(q->buf) - q->used)
		return -1;
	q->msg[q->n].off = q->used;
	q->msg[q->n].len = len;
	q->msg[q->n].m = *m;
	q->msg[q->n].now = now;
	if (len > 0)
		memcpy(q->buf + q->used, buf, len);
	q->used += len;
	q->n++;
	return 0;
}

/** mmsg_out_count(q): the messages queued and not sent yet. */
unsigned
mmsg_out_count(const struct mmsg_out *q)
{
	return q->n - q->sent;
}

/**
 * mmsg_out_first(q, len, m): the length and stream, PPID and flags of the
 * first message of ${q} not sent yet into *${len} and *${m} (${q} not
 * empty).
 */
void
mmsg_out_first(const struct mmsg_out *q, size_t *len, struct unit_meta *m)
{
	*len = q->msg[q->sent].len;
	*m = q->msg[q->sent].m;
}

/** mmsg_out_clear(q): forget what ${q} holds (after a failure). */
void
mmsg_out_clear(struct mmsg_out *q)
{
	q->used = 0;
	q->n = q->sent = 0;
}

/* The SCTP_SNDINFO of queued message ${i} into ${cm}, ${h} pointing at it. */
static void
out_hdr(struct mmsg_out *q, unsigned i, struct msghdr *h, struct iovec *iov,
    char *cm)
{
	struct cmsghdr *c;
	struct sctp_sndinfo si;

	memset(&si, 0, sizeof(si));
	si.snd_sid = q->msg[i].m.stream;
	si.snd_ppid = htonl(q->msg[i].m.ppid);
	si.snd_flags = (uint16_t)((q->msg[i].now ? SCTP_SACK_IMMEDIATELY : 0) |
	    (q->msg[i].m.unordered ? SCTP_UNORDERED : 0));
	iov->iov_base = q->buf + q->msg[i].off;
	iov->iov_len = q->msg[i].len;
	memset(h, 0, sizeof(*h));
	h->msg_iov = iov;
	h->msg_iovlen = 1;
	h->msg_control = cm;
	h->msg_controllen = CMSG_SPACE(sizeof(si));
	c = CMSG_FIRSTHDR(h);
	c->cmsg_level = IPPROTO_SCTP;
	c->cmsg_type = SCTP_SNDINFO;
	c->cmsg_len = CMSG_LEN(sizeof(si));
	memcpy(CMSG_DATA(c), &si, sizeof(si));
}

/**
 * mmsg_out_send(q, fd): send what ${q} holds on ${fd}, in order, with as
 * few sendmmsg(2) calls as the socket allows: 1 once all went (${q} is
 * empty), 0 if the socket took only part (EAGAIN, ENOMEM, EINTR: the rest
 * stays queued), -1 with errno (EPIPE, ECONNRESET...; the rest stays
 * queued, mmsg_out_count() says how much).
 */
int
mmsg_out_send(struct mmsg_out *q, int fd)
{
	struct mmsghdr h[MMSG_MAX];
	struct iovec iov[MMSG_MAX];
	union {
		struct cmsghdr align;
		char b[CMSG_SPACE(sizeof(struct sctp_sndinfo))];
	} cm[MMSG_MAX];
	unsigned i, k;
	int r;

	while (q->sent < q->n) {
		for (i = q->sent, k = 0; i < q->n; i++, k++)
			out_hdr(q, i, &h[k].msg_hdr, &iov[k], cm[k].b);
		if ((r = sendmmsg(fd, h, k, MSG_NOSIGNAL | MSG_DONTWAIT)) < 0)
			return errno == EAGAIN || errno == ENOMEM ||
			        errno == EINTR
			    ? 0
			    : -1;
		q->sent += (unsigned)r;
	}
	mmsg_out_clear(q);
	return 1;
}

/** mmsg_in_new(void): an empty receive batch, or NULL if out of memory. */
struct mmsg_in *
mmsg_in_new(void)
{
	return calloc(1, sizeof(struct mmsg_in));
}

/** mmsg_in_free(b): free ${b}; a no-op for NULL. */
void
mmsg_in_free(struct mmsg_in *b)
{
	free(b);
}

/**
 * mmsg_in_fill(b, fd): one recvmmsg(2) on ${fd} (without waiting) into the
 * empty ${b}, up to MMSG_MAX slots of MMSG_SLOT bytes: the slots filled
 * (a slot of 0 bytes that is not a notification: the association ended),
 * or -1 with errno (EAGAIN: nothing queued).
 */
int
mmsg_in_fill(struct mmsg_in *b, int fd)
{
	unsigned i;
	int r;

	b->n = b->pos = 0;
	for (i = 0; i < MMSG_MAX; i++) {
		b->iov[i].iov_base = b->buf[i];
		b->iov[i].iov_len = MMSG_SLOT;
		memset(&b->h[i], 0, sizeof(b->h[i]));
		b->h[i].msg_hdr.msg_iov = &b->iov[i];
		b->h[i].msg_hdr.msg_iovlen = 1;
		b->h[i].msg_hdr.msg_control = b->cm[i].b;
		b->h[i].msg_hdr.msg_controllen = sizeof(b->cm[i].b);
	}
	if ((r = recvmmsg(fd, b->h, MMSG_MAX, MSG_DONTWAIT, NULL)) < 0)
		return -1;
	b->n = (unsigned)r;
	b->drained = r < MMSG_MAX; /* it stopped at EAGAIN (or an error) */
	return r;
}

/* What the control messages of slot ${h} say, into *${g}. */
static void
in_info(struct msghdr *h, struct mmsg_got *g)
{
	const struct sctp_rcvinfo *ri = NULL;
	struct sctp_nxtinfo ni;
	struct cmsghdr *c;

	g->next = 0;
	g->next_len = 0;
	for (c = CMSG_FIRSTHDR(h); c != NULL; c = CMSG_NXTHDR(h, c)) {
		if (c->cmsg_level != IPPROTO_SCTP)
			continue;
		if (c->cmsg_type == SCTP_RCVINFO)
			ri = (const struct sctp_rcvinfo *)(void *)CMSG_DATA(c);
		else if (c->cmsg_type == SCTP_NXTINFO) {
			memcpy(&ni, CMSG_DATA(c), sizeof(ni));
			g->next = 1;
			g->next_len = ni.nxt_length;
		}
	}
	g->m.stream = ri != NULL ? ri->rcv_sid : 0;
	g->m.ppid = ri != NULL ? ntohl(ri->rcv_ppid) : 0;
	g->m.unordered = ri != NULL && (ri->rcv_flags & SCTP_UNORDERED) != 0;
	g->m.set = 1;
}

/**
 * mmsg_in_peek(b, g): the next slot of ${b} into *${g}, left there: 1, or
 * 0 when all were handed out.
 */
int
mmsg_in_peek(struct mmsg_in *b, struct mmsg_got *g)
{
	struct mmsghdr *h;

	if (b->pos >= b->n)
		return 0;
	h = &b->h[b->pos];
	g->p = b->buf[b->pos];
	g->len = h->msg_len;
	g->flags = h->msg_hdr.msg_flags;
	in_info(&h->msg_hdr, g);
	return 1;
}

/**
 * mmsg_in_next(b, g): the next slot of ${b} into *${g}: 1, or 0 when
 * all were handed out.
 */
int
mmsg_in_next(struct mmsg_in *b, struct mmsg_got *g)
{
	if (!mmsg_in_peek(b, g))
		return 0;
	b->pos++;
	return 1;
}

/* One recvmsg into ${buf} (${room} bytes), described in *${g}. */
static ssize_t
recv_one(int fd, uint8_t *buf, size_t room, struct mmsg_got *g)
{
	union {
		struct cmsghdr align;
		char b[RX_CMSG];
	} cm;
	struct iovec iov = {buf, room};
	struct msghdr mh;
	ssize_t n;

	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cm.b;
	mh.msg_controllen = sizeof(cm.b);
	if ((n = recvmsg(fd, &mh, MSG_DONTWAIT)) < 0)
		return -1;
	g->p = buf;
	g->len = (size_t)n;
	g->flags = mh.msg_flags;
	in_info(&mh, g);
	return n;
}

/*
 * Whether the message after ${g} is likely to fit a slot: as SCTP_NXTINFO
 * says, or without it if ${g} was a whole message that did (a message's
 * last piece says nothing; a notification leaves the guess as it was).
 */
static void
predict(struct mmsg_in *b, const struct mmsg_got *g)
{
	int eor = (g->flags & MSG_EOR) != 0;

	if (g->next)
		b->small = eor && g->next_len < MMSG_SLOT;
	else if (!(g->flags & MSG_NOTIFICATION))
		b->small = eor && !b->cont && g->len < MMSG_SLOT;
	if (!(g->flags & MSG_NOTIFICATION))
		b->cont = !eor;
}

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
int
mmsg_in_read(
    struct mmsg_in *b, int fd, uint8_t *buf, size_t room, struct mmsg_got *g)
{
	int got = mmsg_in_next(b, g), err = 0;

	if (!got && b->small) {
		if (mmsg_in_fill(b, fd) < 0) {
			b->small = 0;
			if (errno == EAGAIN || errno == EINTR)
				return -1;
			/*
			 * recvmmsg(2) returns the socket's pending error
			 * (ECONNRESET after an ABORT) before it looks at the
			 * queue, where recvmsg(2) returns it only once the
			 * queue is empty: what arrived before the ABORT is
			 * read one by one first, the error said after.
			 */
			err = errno;
		} else
			got = mmsg_in_next(b, g);
	}
	if (!got && recv_one(fd, buf, room, g) < 0) {
		if (err != 0 && errno == EAGAIN)
			errno = err; /* the queue is empty: now the error */
		return -1;
	}
	predict(b, g);
	return 1;
}

/**
 * mmsg_in_drained(b): 1 (once) if all of ${b} was handed out and the
 * recvmmsg that filled it found the socket empty after them: reading again
 * before the socket is readable would only return EAGAIN.
 */
int
mmsg_in_drained(struct mmsg_in *b)
{
	int d = b->drained && b->pos >= b->n;

	if (d)
		b->drained = 0;
	return d;
}

/** mmsg_in_left(b): the slots of ${b} not handed out yet. */
unsigned
mmsg_in_left(const struct mmsg_in *b)
{
	return b->n - b->pos;
}
