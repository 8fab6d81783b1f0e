/*
 * sctpbench: plaintext SCTP message peers for `make bench` (the gateway
 * rows): a sender, a counting sink, and a plain SCTP relay that keeps
 * messages, streams, PPIDs and the unordered flag (the baseline the
 * tunnel pair is measured against).
 *
 *   sctpbench blast HOST PORT SIZE CONNS SECS [STREAMS]
 *                  CONNS associations send SIZE-byte messages (streams
 *                  0 to STREAMS - 1 in turn, 16 by default, PPID 60) as
 *                  fast as they are taken for SECS seconds, then
 *                  SHUTDOWN: "sent N messages"
 *   sctpbench count PORT CONNS
 *                  accept CONNS associations and read them to their end:
 *                  "ok: N messages, B bytes, S s, R msg/s" (S from the
 *                  first message to the last end of association)
 *   sctpbench relay LPORT HOST PORT
 *                  for each association accepted on LPORT, one to
 *                  HOST:PORT; every message relayed whole each way, one
 *                  in flight per direction, end of input passed on as
 *                  SHUTDOWN; "listening"
 *
 * The sender's and the sink's associations get the socket buffers the
 * daemon gives its own (buffers()). Non-blocking sockets and one poll
 * loop per process. Exit 0 on success,
 * 1 on a failed association, 2 on usage or setup errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "sctputil.h"

#define MAXC 64 /* associations (relay: pairs) at once */
#define BUF 65536

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* One message being read or written, with its stream, PPID and flag. */
struct msg {
	uint8_t buf[BUF];
	size_t len;
	uint32_t ppid;
	uint16_t sid;
	int unord;
	int whole; /* read to MSG_EOR, waiting to be written */
};

/* One recv into ${m}: 1 once whole, 0 not yet (or EAGAIN), -1 EOF/error. */
static int
read_msg(int fd, struct msg *m)
{
	struct sctp_rcvinfo ri;
	struct iovec iov = {m->buf + m->len, sizeof(m->buf) - m->len};
	socklen_t rilen = sizeof(ri);
	unsigned int type = 0;
	int flags = 0;
	ssize_t n;

	memset(&ri, 0, sizeof(ri));
	n = sctp_recvv(fd, &iov, 1, NULL, NULL, &ri, &rilen, &type, &flags);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0 || m->len + (size_t)n >= sizeof(m->buf))
		return -1;
	if (flags & MSG_NOTIFICATION)
		return 0;
	if (m->len == 0 && type == SCTP_RECVV_RCVINFO) {
		m->sid = ri.rcv_sid;
		m->ppid = ntohl(ri.rcv_ppid);
		m->unord = (ri.rcv_flags & SCTP_UNORDERED) != 0;
	}
	m->len += (size_t)n;
	m->whole = (flags & MSG_EOR) != 0;
	return m->whole;
}

/*
 * The socket buffers the daemon gives a DTLS/SCTP association once it is
 * up (sctp_sock_up): the receive buffer doubled (the window stays as it
 * was; without it this kernel drops 16 KiB messages the window allowed
 * and a reader moves a fraction of a MiB/s) and the send buffer as large
 * as net.core.wmem_max allows, so that raw SCTP is measured at its best.
 */
static void
buffers(int fd)
{
	int size = 0, big = 4 << 20;
	socklen_t len = sizeof(size);

	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, &len) == 0) {
		size *= 2;
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	}
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
}

/* blast: send for ${secs} seconds on ${conns} associations, on streams
 * 0 to ${streams} - 1 in turn; each association is written until it is
 * full, then polled. */
static int
do_blast(const char *host, const char *port, size_t size, int conns,
    double secs, unsigned streams)
{
	static uint8_t b[BUF];
	struct pollfd p[MAXC];
	unsigned long sent = 0;
	double end;
	int i;

	memset(b, 'x', sizeof(b));
	for (i = 0; i < conns; i++) {
		if ((p[i].fd = sctputil_connect(host, port)) < 0) {
			printf("connect failed: %s\n", strerror(errno));
			return 1;
		}
		nonblock(p[i].fd);
		buffers(p[i].fd);
		p[i].events = POLLOUT;
	}
	for (end = now() + secs; now() < end;) {
		if (poll(p, (nfds_t)conns, 100) <= 0)
			continue;
		for (i = 0; i < conns; i++) {
			if (!(p[i].revents & POLLOUT))
				continue;
			while (sctputil_send(p[i].fd, b, size,
			           (uint16_t)(sent % streams), 60,
			           0) == (ssize_t)size)
				sent++;
			if (errno != EAGAIN && errno != ENOMEM) {
				printf("send failed: %s\n", strerror(errno));
				return 1;
			}
		}
	}
	for (i = 0; i < conns; i++)
		shutdown(p[i].fd, SHUT_WR);
	printf("sent %lu messages\n", sent);
	return 0;
}

/* count: read ${conns} associations to their end, counting messages. */
static int
do_count(const char *port, int conns)
{
	static struct msg m;
	struct pollfd p[MAXC];
	unsigned long msgs = 0, bytes = 0;
	double t0 = 0, t1;
	int lfd = sctputil_listen(port), i, n = 0, open = 0, r;

	printf("listening\n");
	fflush(stdout);
	while (n < conns) {
		p[n].fd = sctputil_accept(lfd);
		nonblock(p[n].fd);
		buffers(p[n].fd);
		p[n++].events = POLLIN;
		open++;
	}
	while (open > 0) {
		if (poll(p, (nfds_t)n, -1) <= 0)
			continue;
		for (i = 0; i < n; i++) {
			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP)))
				continue;
			while ((r = read_msg(p[i].fd, &m)) > 0) {
				t0 = t0 > 0 ? t0 : now();
				msgs++;
				bytes += m.len;
				m.len = 0;
			}
			if (r < 0) {
				close(p[i].fd);
				p[i].fd = -1;
				open--;
			}
		}
	}
	t1 = now();
	printf("ok: %lu messages, %lu bytes, %.3f s, %.0f msg/s\n", msgs, bytes,
	    t1 - t0, t1 > t0 ? (double)msgs / (t1 - t0) : 0.0);
	return 0;
}

/* relay: a pair of associations, a message in flight each way. */
struct pair {
	int fd[2];
	struct msg m[2]; /* m[i]: read from fd[i], to be written to fd[!i] */
	int eof[2];
};

/* Move what can move from side ${i} of ${pr}: 0, or -1 to close it. */
static int
relay_side(struct pair *pr, int i)
{
	struct msg *m = &pr->m[i];
	int r;

	while (!pr->eof[i]) {
		if (!m->whole && (r = read_msg(pr->fd[i], m)) <= 0) {
			if (r == 0)
				return 0;
			pr->eof[i] = 1;
			shutdown(pr->fd[!i], SHUT_WR);
			break;
		}
		if (sctputil_send(pr->fd[!i], m->buf, m->len, m->sid, m->ppid,
		        m->unord) < 0)
			return errno == EAGAIN || errno == ENOMEM ? 0 : -1;
		m->len = 0;
		m->whole = 0;
	}
	return pr->eof[0] && pr->eof[1] ? -1 : 0;
}

static void
pair_events(const struct pair *pr, struct pollfd *p)
{
	for (int i = 0; i < 2; i++) {
		p[i].fd = pr->fd[i];
		p[i].events = 0;
		p[i].revents = 0;
	}
	for (int i = 0; i < 2; i++) {
		if (pr->eof[i])
			continue;
		if (pr->m[i].whole)
			p[!i].events |= POLLOUT;
		else
			p[i].events |= POLLIN;
	}
}

static int
pair_new(struct pair *pr, int lfd, const char *host, const char *port)
{
	memset(pr, 0, sizeof(*pr));
	pr->fd[0] = sctputil_accept(lfd);
	if ((pr->fd[1] = sctputil_connect(host, port)) < 0) {
		fprintf(
		    stderr, "sctpbench relay: connect: %s\n", strerror(errno));
		close(pr->fd[0]);
		return -1;
	}
	nonblock(pr->fd[0]);
	nonblock(pr->fd[1]);
	return 0;
}

static _Noreturn void
do_relay(const char *lport, const char *host, const char *port)
{
	static struct pair pr[MAXC];
	static struct pollfd p[2 * MAXC + 1];
	int n = 0, i;

	p[2 * MAXC].fd = sctputil_listen(lport);
	printf("listening\n");
	fflush(stdout);
	for (;;) {
		for (i = 0; i < n; i++)
			pair_events(&pr[i], &p[2 * i]);
		p[2 * n] = p[2 * MAXC];
		p[2 * n].events = n < MAXC ? POLLIN : 0;
		if (poll(p, (nfds_t)(2 * n + 1), -1) <= 0)
			continue;
		if ((p[2 * n].revents & POLLIN) &&
		    pair_new(&pr[n], p[2 * n].fd, host, port) == 0) {
			pair_events(&pr[n], &p[2 * n]);
			p[2 * n].revents = POLLIN; /* try both sides at once */
			n++;
		}
		for (i = n - 1; i >= 0; i--) {
			if ((p[2 * i].revents | p[2 * i + 1].revents) == 0)
				continue;
			if (relay_side(&pr[i], 0) == 0 &&
			    relay_side(&pr[i], 1) == 0)
				continue;
			close(pr[i].fd[0]);
			close(pr[i].fd[1]);
			pr[i] = pr[--n];
		}
	}
}

static long
num(const char *s, long min, long max)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < min || v > max) {
		fprintf(stderr, "sctpbench: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

int
main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	if ((argc == 7 || argc == 8) && strcmp(c, "blast") == 0)
		return do_blast(argv[2], argv[3],
		    (size_t)num(argv[4], 1, 16384), (int)num(argv[5], 1, MAXC),
		    (double)num(argv[6], 1, 3600),
		    argc == 8 ? (unsigned)num(argv[7], 1, 16) : 16);
	if (argc == 4 && strcmp(c, "count") == 0)
		return do_count(argv[2], (int)num(argv[3], 1, MAXC));
	if (argc == 5 && strcmp(c, "relay") == 0)
		do_relay(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: see the comment at the top of sctpbench.c\n");
	return 2;
}
