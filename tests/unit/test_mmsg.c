/*
 * test_mmsg.c: batches of SCTP messages (mmsg.c) against a fake
 * sendmmsg(2) and recvmmsg(2) defined here (they take the place of the C
 * library's): every message leaves once, in order, with its own stream,
 * PPID, unordered flag and immediate-SACK flag, also when the socket takes
 * part of a batch; received slots come out in order with their own
 * SCTP_RCVINFO and SCTP_NXTINFO.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "mmsg.h"

#define SENT_MAX 256

/* What the fake socket was given, message by message. */
static struct {
	uint8_t data[64];
	size_t len;
	struct sctp_sndinfo si;
} sent[SENT_MAX];
static int nsent;
static int calls; /* sendmmsg calls */
static int take; /* messages the socket takes per call; 0: all */
static int full_after; /* calls before it says EAGAIN; -1: never */
static int fail_errno; /* the next call fails with it (0: none) */

int
sendmmsg(int fd, struct mmsghdr *h, unsigned int n, int flags)
{
	unsigned i;
	struct cmsghdr *c;

	(void)fd;
	(void)flags;
	if (fail_errno != 0) {
		errno = fail_errno;
		return -1;
	}
	if (full_after == 0) {
		errno = EAGAIN;
		return -1;
	}
	if (full_after > 0)
		full_after--;
	calls++;
	if (take > 0 && n > (unsigned)take)
		n = (unsigned)take;
	for (i = 0; i < n; i++) {
		assert_int_equal(h[i].msg_hdr.msg_iovlen, 1);
		assert_true(h[i].msg_hdr.msg_iov[0].iov_len <= 64);
		sent[nsent].len = h[i].msg_hdr.msg_iov[0].iov_len;
		memcpy(sent[nsent].data, h[i].msg_hdr.msg_iov[0].iov_base,
		    sent[nsent].len);
		c = CMSG_FIRSTHDR(&h[i].msg_hdr);
		assert_non_null(c);
		assert_int_equal(c->cmsg_level, IPPROTO_SCTP);
		assert_int_equal(c->cmsg_type, SCTP_SNDINFO);
		memcpy(&sent[nsent].si, CMSG_DATA(c), sizeof(sent[nsent].si));
		nsent++;
	}
	return (int)n;
}

static void
reset(void)
{
	nsent = calls = take = fail_errno = 0;
	full_after = -1;
}

/* Message ${i}: "m<i>" on stream i % 5, PPID 1000 + i, every third
 * unordered, every seventh with an immediate SACK. */
static void
add(struct mmsg_out *q, int i)
{
	char b[16];
	struct unit_meta m = {
	    (uint16_t)(i % 5), 1000u + (unsigned)i, (uint8_t)(i % 3 == 0), 1};

	snprintf(b, sizeof(b), "m%d", i);
	assert_int_equal(mmsg_out_add(q, b, strlen(b), &m, i % 7 == 0), 0);
}

/* The fake socket got messages 0 .. n-1 exactly, in order. */
static void
check_sent(int n)
{
	char b[16];
	int i;

	assert_int_equal(nsent, n);
	for (i = 0; i < n; i++) {
		snprintf(b, sizeof(b), "m%d", i);
		assert_int_equal(sent[i].len, strlen(b));
		assert_memory_equal(sent[i].data, b, strlen(b));
		assert_int_equal(sent[i].si.snd_sid, i % 5);
		assert_int_equal(ntohl(sent[i].si.snd_ppid), 1000 + i);
		assert_int_equal(
		    !!(sent[i].si.snd_flags & SCTP_UNORDERED), i % 3 == 0);
		assert_int_equal(
		    !!(sent[i].si.snd_flags & SCTP_SACK_IMMEDIATELY),
		    i % 7 == 0);
	}
}

static void
test_one_call(void **state)
{
	struct mmsg_out *q = mmsg_out_new();
	int i;

	(void)state;
	reset();
	for (i = 0; i < 20; i++)
		add(q, i);
	assert_int_equal(mmsg_out_count(q), 20);
	assert_int_equal(mmsg_out_send(q, 3), 1);
	assert_int_equal(calls, 1);
	assert_int_equal(mmsg_out_count(q), 0);
	check_sent(20);
	/* Empty: nothing to send, no call. */
	assert_int_equal(mmsg_out_send(q, 3), 1);
	assert_int_equal(calls, 1);
	mmsg_out_free(q);
}

static void
test_full_queue(void **state)
{
	struct mmsg_out *q = mmsg_out_new();
	struct unit_meta m = {0, 0, 0, 1};
	static uint8_t big[MMSG_OUT_BYTES];
	int i;

	(void)state;
	reset();
	for (i = 0; i < MMSG_MAX; i++)
		add(q, i);
	assert_int_equal(mmsg_out_add(q, "x", 1, &m, 0), -1);
	assert_int_equal(mmsg_out_send(q, 3), 1);
	check_sent(MMSG_MAX);
	/* Bytes: one message as large as the queue, then no room. */
	assert_int_equal(mmsg_out_add(q, big, sizeof(big), &m, 0), 0);
	assert_int_equal(mmsg_out_add(q, "x", 1, &m, 0), -1);
	mmsg_out_clear(q);
	assert_int_equal(mmsg_out_count(q), 0);
	assert_int_equal(mmsg_out_add(q, "x", 1, &m, 0), 0);
	mmsg_out_free(q);
}

/* The socket takes 3 per call, then is full: the rest stays, in order. */
static void
test_partial(void **state)
{
	struct mmsg_out *q = mmsg_out_new();
	struct unit_meta m;
	size_t len;
	int i;

	(void)state;
	reset();
	take = 3;
	full_after = 2;
	for (i = 0; i < 10; i++)
		add(q, i);
	assert_int_equal(mmsg_out_send(q, 3), 0);
	assert_int_equal(nsent, 6);
	assert_int_equal(mmsg_out_count(q), 4);
	mmsg_out_first(q, &len, &m);
	assert_int_equal(len, 2);
	assert_int_equal(m.ppid, 1006);
	/* Room for more while the rest waits: queued behind it. */
	for (i = 10; i < 12; i++)
		add(q, i);
	full_after = -1;
	assert_int_equal(mmsg_out_send(q, 3), 1);
	check_sent(12);
	mmsg_out_free(q);
}

/* A failure: -1 with errno, and what was not sent is still counted. */
static void
test_failure(void **state)
{
	struct mmsg_out *q = mmsg_out_new();
	int i;

	(void)state;
	reset();
	for (i = 0; i < 5; i++)
		add(q, i);
	fail_errno = EPIPE;
	assert_int_equal(mmsg_out_send(q, 3), -1);
	assert_int_equal(errno, EPIPE);
	assert_int_equal(mmsg_out_count(q), 5);
	fail_errno = ENOMEM; /* a full socket, not a failure */
	assert_int_equal(mmsg_out_send(q, 3), 0);
	fail_errno = 0;
	assert_int_equal(mmsg_out_send(q, 3), 1);
	check_sent(5);
	mmsg_out_free(q);
}

/* What the fake socket holds to be received. */
static struct {
	const char *data;
	int flags; /* MSG_EOR, MSG_NOTIFICATION */
	uint16_t sid;
	uint32_t ppid;
	int unordered;
} queued[64];
static int nqueued, qpos;
static size_t qoff; /* bytes of queued[qpos] already read (pieces) */
static unsigned last_vlen;
static int no_nxt; /* the socket gives no SCTP_NXTINFO (plaintext ends) */
static int nrecvmsg, nrecvmmsg; /* calls */
static unsigned mm_max = MMSG_MAX; /* slots the socket fills per call */

static void
put_cmsgs(struct msghdr *h, int i, int last)
{
	struct sctp_rcvinfo ri;
	struct sctp_nxtinfo ni;
	struct cmsghdr *c = CMSG_FIRSTHDR(h);
	size_t used;

	memset(&ri, 0, sizeof(ri));
	ri.rcv_sid = queued[i].sid;
	ri.rcv_ppid = htonl(queued[i].ppid);
	ri.rcv_flags = queued[i].unordered ? SCTP_UNORDERED : 0;
	c->cmsg_level = IPPROTO_SCTP;
	c->cmsg_type = SCTP_RCVINFO;
	c->cmsg_len = CMSG_LEN(sizeof(ri));
	memcpy(CMSG_DATA(c), &ri, sizeof(ri));
	used = CMSG_SPACE(sizeof(ri));
	if (!last && !no_nxt) {
		c = (struct cmsghdr *)(void *)((char *)h->msg_control + used);
		memset(&ni, 0, sizeof(ni));
		ni.nxt_length = (uint32_t)strlen(queued[i + 1].data);
		c->cmsg_level = IPPROTO_SCTP;
		c->cmsg_type = SCTP_NXTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(ni));
		memcpy(CMSG_DATA(c), &ni, sizeof(ni));
		used += CMSG_SPACE(sizeof(ni));
	}
	assert_true(used <= h->msg_controllen);
	h->msg_controllen = used;
}

/* The next queued message or piece into ${h}: its length. */
static size_t
take_one(struct msghdr *h)
{
	size_t len = strlen(queued[qpos].data) - qoff,
	       room = h->msg_iov[0].iov_len;
	int whole = len <= room;

	if (!whole)
		len = room;
	memcpy(h->msg_iov[0].iov_base, queued[qpos].data + qoff, len);
	h->msg_flags = queued[qpos].flags & (whole ? ~0 : ~MSG_EOR);
	put_cmsgs(h, qpos, qpos + 1 == nqueued);
	if (whole) {
		qpos++;
		qoff = 0;
	} else {
		qoff += len;
	}
	return len;
}

int
recvmmsg(
    int fd, struct mmsghdr *h, unsigned int n, int flags, struct timespec *t)
{
	unsigned i;

	(void)fd;
	(void)t;
	assert_true(flags & MSG_DONTWAIT);
	nrecvmmsg++;
	last_vlen = n;
	if (qpos == nqueued) {
		errno = EAGAIN;
		return -1;
	}
	if (n > mm_max)
		n = mm_max;
	for (i = 0; i < n && qpos < nqueued; i++)
		h[i].msg_len = (unsigned)take_one(&h[i].msg_hdr);
	return (int)i;
}

ssize_t
recvmsg(int fd, struct msghdr *h, int flags)
{
	(void)fd;
	assert_true(flags & MSG_DONTWAIT);
	nrecvmsg++;
	if (qpos == nqueued) {
		errno = EAGAIN;
		return -1;
	}
	return (ssize_t)take_one(h);
}

static void
queue_msg(const char *d, int flags, uint16_t sid, uint32_t ppid, int uo)
{
	queued[nqueued].data = d;
	queued[nqueued].flags = flags;
	queued[nqueued].sid = sid;
	queued[nqueued].ppid = ppid;
	queued[nqueued].unordered = uo;
	nqueued++;
}

static void
test_receive(void **state)
{
	struct mmsg_in *b = mmsg_in_new();
	struct mmsg_got g;

	(void)state;
	nqueued = qpos = 0;
	qoff = 0;
	no_nxt = 0;
	queue_msg("first", MSG_EOR, 1, 60, 0);
	queue_msg("pie", 0, 2, 61, 1); /* a message in two pieces */
	queue_msg("ce", MSG_EOR, 2, 61, 1);
	queue_msg("nn", MSG_EOR | MSG_NOTIFICATION, 0, 0, 0);
	queue_msg("last", MSG_EOR, 7, 0xfffffffe, 0);
	assert_int_equal(mmsg_in_fill(b, 3), 5);
	assert_int_equal(last_vlen, MMSG_MAX);
	assert_int_equal(mmsg_in_left(b), 5);
	assert_int_equal(mmsg_in_next(b, &g), 1);
	assert_int_equal(g.len, 5);
	assert_memory_equal(g.p, "first", 5);
	assert_int_equal(g.flags, MSG_EOR);
	assert_int_equal(g.m.stream, 1);
	assert_int_equal(g.m.ppid, 60);
	assert_int_equal(g.m.unordered, 0);
	assert_int_equal(g.next, 1);
	assert_int_equal(g.next_len, 3);
	assert_int_equal(mmsg_in_peek(b, &g), 1); /* left there */
	assert_int_equal(mmsg_in_next(b, &g), 1);
	assert_memory_equal(g.p, "pie", 3);
	assert_int_equal(g.flags & MSG_EOR, 0);
	assert_int_equal(g.m.unordered, 1);
	assert_int_equal(mmsg_in_next(b, &g), 1);
	assert_memory_equal(g.p, "ce", 2);
	assert_int_equal(g.flags, MSG_EOR);
	assert_int_equal(g.m.ppid, 61);
	assert_int_equal(mmsg_in_next(b, &g), 1);
	assert_true(g.flags & MSG_NOTIFICATION);
	assert_int_equal(mmsg_in_next(b, &g), 1);
	assert_memory_equal(g.p, "last", 4);
	assert_int_equal(g.m.stream, 7);
	assert_int_equal(g.m.ppid, 0xfffffffe);
	assert_int_equal(g.next, 0);
	assert_int_equal(mmsg_in_next(b, &g), 0);
	assert_int_equal(mmsg_in_left(b), 0);
	/* Empty socket. */
	assert_int_equal(mmsg_in_fill(b, 3), -1);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(mmsg_in_next(b, &g), 0);
	mmsg_in_free(b);
}

/* More than one batch holds: the rest on the next fill, in order. */
static void
test_receive_many(void **state)
{
	static char names[40][16];
	struct mmsg_in *b = mmsg_in_new();
	struct mmsg_got g;
	int i, got = 0;

	(void)state;
	nqueued = qpos = 0;
	qoff = 0;
	no_nxt = 0;
	for (i = 0; i < 40; i++) {
		snprintf(names[i], sizeof(names[i]), "r%d", i);
		queue_msg(names[i], MSG_EOR, (uint16_t)(i % 4), (uint32_t)i, 0);
	}
	assert_int_equal(mmsg_in_fill(b, 3), MMSG_MAX);
	while (mmsg_in_next(b, &g)) {
		assert_int_equal(g.m.ppid, got);
		assert_memory_equal(g.p, names[got], strlen(names[got]));
		got++;
	}
	assert_int_equal(mmsg_in_fill(b, 3), 40 - MMSG_MAX);
	while (mmsg_in_next(b, &g)) {
		assert_int_equal(g.m.ppid, got);
		assert_int_equal(g.m.stream, got % 4);
		got++;
	}
	assert_int_equal(got, 40);
	mmsg_in_free(b);
}

/*
 * mmsg_in_read(): small messages come several per recvmmsg; a large one
 * is read whole with one recvmsg into the caller's buffer, never in
 * slot-sized pieces, with SCTP_NXTINFO (it says) and without (the last
 * message says); the last piece of a large message read in pieces does not
 * pass for a small message.
 */
static void
test_read(void **state)
{
	static char big[5000];
	uint8_t buf[20000];
	struct mmsg_in *b;
	struct mmsg_got g;
	int nxt;

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	for (nxt = 0; nxt < 2; nxt++) {
		b = mmsg_in_new();
		nqueued = qpos = 0;
		qoff = 0;
		nrecvmsg = nrecvmmsg = 0;
		no_nxt = !nxt;
		mm_max = MMSG_MAX;
		queue_msg(big, MSG_EOR, 3, 1, 0);
		queue_msg(big, MSG_EOR, 3, 2, 0);
		queue_msg("s0", MSG_EOR, 1, 3, 0);
		queue_msg("s1", MSG_EOR, 2, 4, 0);
		queue_msg("s2", MSG_EOR, 4, 5, 0);
		/* Nothing known yet, then after a large one: recvmsg, whole. */
		assert_int_equal(mmsg_in_read(b, 3, buf, sizeof(buf), &g), 1);
		assert_int_equal(g.len, sizeof(big) - 1);
		assert_ptr_equal(g.p, buf);
		assert_int_equal(mmsg_in_read(b, 3, buf, sizeof(buf), &g), 1);
		assert_int_equal(g.len, sizeof(big) - 1);
		assert_int_equal(g.m.ppid, 2);
		assert_int_equal(nrecvmsg, 2);
		assert_int_equal(nrecvmmsg, 0);
		/* NXTINFO said s0 is small: a batch; else s0 alone first. */
		assert_int_equal(mmsg_in_read(b, 3, buf, sizeof(buf), &g), 1);
		assert_memory_equal(g.p, "s0", 2);
		assert_int_equal(nrecvmmsg, nxt);
		assert_int_equal(mmsg_in_read(b, 3, buf, sizeof(buf), &g), 1);
		assert_memory_equal(g.p, "s1", 2);
		assert_int_equal(mmsg_in_read(b, 3, buf, sizeof(buf), &g), 1);
		assert_memory_equal(g.p, "s2", 2);
		assert_int_equal(g.m.ppid, 5);
		assert_int_equal(nrecvmmsg, 1);
		assert_int_equal(nrecvmsg, nxt ? 2 : 3);
		/* In batch mode, a large message that ends a batch in pieces:
		 * its last piece is short, yet the next read is recvmsg. */
		mm_max = 3;
		queue_msg(big, MSG_EOR, 3, 6, 0);
		queue_msg(big, MSG_EOR, 3, 7, 0);
		assert_int_equal(mmsg_in_read(b, 3, buf, sizeof(buf), &g), 1);
		assert_int_equal(g.len, MMSG_SLOT); /* no way to know */
		assert_int_equal(mmsg_in_read(b, 3, buf, sizeof(buf), &g), 1);
		assert_int_equal(mmsg_in_read(b, 3, buf, sizeof(buf), &g), 1);
		assert_int_equal(g.len, sizeof(big) - 1 - 2 * MMSG_SLOT);
		assert_int_equal(g.flags, MSG_EOR);
		assert_int_equal(nrecvmmsg, 2);
		assert_int_equal(mmsg_in_read(b, 3, buf, sizeof(buf), &g), 1);
		assert_int_equal(g.len, sizeof(big) - 1); /* whole */
		assert_int_equal(g.m.ppid, 7);
		assert_int_equal(nrecvmmsg, 2);
		assert_int_equal(mmsg_in_read(b, 3, buf, sizeof(buf), &g), -1);
		assert_int_equal(errno, EAGAIN);
		mmsg_in_free(b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_one_call),
	    cmocka_unit_test(test_full_queue),
	    cmocka_unit_test(test_partial),
	    cmocka_unit_test(test_failure),
	    cmocka_unit_test(test_receive),
	    cmocka_unit_test(test_receive_many),
	    cmocka_unit_test(test_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
