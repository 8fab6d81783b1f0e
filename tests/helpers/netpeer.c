/*
 * netpeer: plaintext TCP/UDP peers for the tunnel tests.
 *
 *   netpeer tcp-echo PORT            echo every TCP connection (poll loop);
 *                                    half-close passed on: EOF in -> FIN out
 *   netpeer tcp-sink PORT            accept and never read
 *   netpeer tcp-discard PORT         read and throw away; EOF in -> FIN out
 *   netpeer tcp-client HOST PORT BYTES [CONNS]
 *                                    CONNS connections at once, each sends
 *                                    BYTES of its own pseudo-random stream,
 *                                    then FIN, and checks the echo is that
 *                                    stream, byte for byte, up to EOF
 *   netpeer tcp-reset HOST PORT      connect, send 64 KiB, then reset (RST)
 *   netpeer tcp-rst-server PORT      accept, read something, then reset
 *   netpeer udp-echo PORT            echo every datagram to its sender
 *   netpeer udp-echo-empty PORT      the same, each answer after an empty
 *                                    datagram
 *   netpeer udp-ping HOST PORT       send an empty datagram, a request and
 *                                    an empty one; expect the request back
 *                                    (empty ones skipped); a second request
 *                                    a second later: "ok: 2 answers"
 *   netpeer tcp-msgs PORT SIZE       accept one connection, read it to EOF
 *                                    as messages of SIZE bytes in the format
 *                                    of tests/helpers/dtlspeer.c (in any
 *                                    order) and check each; prints "got N
 *                                    messages, B bad, D duplicates, M
 *                                    missing below MAX"
 *   netpeer udp-client HOST PORT MIN MAX STEP
 *                                    one datagram of each size, each echoed
 *                                    intact (retries a lost one 3 times)
 *
 * Load generators for the benchmark (bench/run); each prints one "ok:" line
 * with its figures:
 *
 *   netpeer tcp-blast HOST PORT BYTES [CONNS [SECONDS]]
 *                                    CONNS connections at once send BYTES
 *                                    in all (to tcp-discard), or what they
 *                                    can in SECONDS, then FIN, and wait for
 *                                    EOF: bytes, seconds and MiB/s
 *   netpeer tcp-pingpong HOST PORT COUNT SIZE
 *                                    one connection, COUNT round trips of
 *                                    SIZE bytes (to tcp-echo), after 20 not
 *                                    counted: median, p99, mean in us
 *   netpeer tcp-connrate HOST PORT SECONDS PAR SIZE
 *                                    for SECONDS, PAR connections at a
 *                                    time: connect, send SIZE bytes, read
 *                                    them back, FIN, wait for EOF, close:
 *                                    connections per second
 *   netpeer tcp-hold HOST PORT PAR N1 [N2...]
 *                                    open connections, PAR at a time, each
 *                                    checked with a 16-byte echo, and keep
 *                                    them idle; at N1 print "held N1", read
 *                                    a line from stdin, go on to N2...;
 *                                    exit at EOF on stdin
 *
 * Prints one result line; exit 0 on success.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXC 1024

/* xorshift stream: byte i of connection c's data. */
struct rng {
	uint64_t s;
	uint8_t buf[8];
	int n;
};

static void
rng_init(struct rng *r, unsigned seed)
{
	r->s = 0x9e3779b97f4a7c15ull * (seed + 1);
	r->n = 0;
}

static uint8_t
rng_byte(struct rng *r)
{
	if (r->n == 0) {
		r->s ^= r->s << 13;
		r->s ^= r->s >> 7;
		r->s ^= r->s << 17;
		memcpy(r->buf, &r->s, 8);
		r->n = 8;
	}
	return r->buf[--r->n];
}

static int
listen_on(const char *port, int type)
{
	struct addrinfo hints, *res;
	int fd, one = 1, zero = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET6;
	hints.ai_socktype = type;
	hints.ai_flags = AI_PASSIVE;
	if (getaddrinfo(NULL, port, &hints, &res) != 0)
		return -1;
	fd = socket(res->ai_family, type, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind(fd, res->ai_addr, res->ai_addrlen) != 0 ||
	    (type == SOCK_STREAM && listen(fd, 512) != 0)) {
		perror("netpeer: bind");
		exit(2);
	}
	freeaddrinfo(res);
	return fd;
}

static int
connect_to(const char *host, const char *port, int type)
{
	struct addrinfo hints, *res;
	int fd;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = type;
	if (getaddrinfo(host, port, &hints, &res) != 0)
		return -1;
	fd = socket(res->ai_family, type, 0);
	if (connect(fd, res->ai_addr, res->ai_addrlen) != 0) {
		perror("netpeer: connect");
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

enum echo_mode { ECHO, SINK, DISCARD };

/*
 * Echo server: per connection a 64 KiB buffer; FIN passed on. SINK never
 * reads; DISCARD reads and keeps nothing.
 */
static _Noreturn void
tcp_echo(const char *port, enum echo_mode mode)
{
	static struct {
		int fd;
		char buf[65536];
		size_t len;
		int eof;
	} c[MAXC];
	struct pollfd p[MAXC + 1];
	int lfd = listen_on(port, SOCK_STREAM), n = 0, i, fd;
	ssize_t r;

	printf("listening\n");
	fflush(stdout);
	for (;;) {
		p[0].fd = lfd;
		p[0].events = POLLIN;
		for (i = 0; i < n; i++) {
			p[i + 1].fd = c[i].fd;
			p[i + 1].events = mode == SINK
			    ? 0
			    : (c[i].len < sizeof(c[i].buf) && !c[i].eof ? POLLIN
			                                                : 0) |
			        (c[i].len > 0 ? POLLOUT : 0);
		}
		if (poll(p, (nfds_t)n + 1, -1) < 0)
			continue;
		if ((p[0].revents & POLLIN) && n < MAXC &&
		    (fd = accept(lfd, NULL, NULL)) >= 0) {
			c[n].fd = fd;
			c[n].len = 0;
			c[n].eof = 0;
			n++;
		}
		for (i = 0; i < n; i++) {
			short ev = p[i + 1].revents;

			if (p[i + 1].fd != c[i].fd)
				continue;
			if (ev & (POLLIN | POLLHUP | POLLERR)) {
				r = read(c[i].fd, c[i].buf + c[i].len,
				    sizeof(c[i].buf) - c[i].len);
				if (r > 0 && mode != DISCARD)
					c[i].len += (size_t)r;
				else if (r == 0 && !c[i].eof)
					c[i].eof = 1;
				else if (r < 0 && errno != EAGAIN)
					c[i].eof = 2;
			}
			if ((ev & POLLOUT) && c[i].len > 0) {
				r = write(c[i].fd, c[i].buf, c[i].len);
				if (r > 0) {
					memmove(c[i].buf, c[i].buf + r,
					    c[i].len - (size_t)r);
					c[i].len -= (size_t)r;
				} else if (r < 0 && errno != EAGAIN) {
					c[i].eof = 2;
					c[i].len = 0;
				}
			}
			if (c[i].eof && c[i].len == 0) {
				if (c[i].eof == 1)
					shutdown(c[i].fd, SHUT_WR);
				close(c[i].fd);
				c[i] = c[--n];
				i--;
			}
		}
	}
}

static int
tcp_client(const char *host, const char *port, long long bytes, int conns)
{
	static struct {
		int fd;
		struct rng tx, rx;
		long long sent, got;
		int done;
	} c[MAXC];
	struct pollfd p[MAXC];
	uint8_t buf[65536];
	int i, left = conns, bad = 0;
	ssize_t r;

	for (i = 0; i < conns; i++) {
		if ((c[i].fd = connect_to(host, port, SOCK_STREAM)) < 0)
			return 1;
		fcntl(c[i].fd, F_SETFL, O_NONBLOCK);
		rng_init(&c[i].tx, (unsigned)i);
		rng_init(&c[i].rx, (unsigned)i);
		c[i].sent = c[i].got = 0;
		c[i].done = 0;
	}
	while (left > 0) {
		for (i = 0; i < conns; i++) {
			p[i].fd = c[i].done ? -1 : c[i].fd;
			p[i].events =
			    POLLIN | (c[i].sent < bytes ? POLLOUT : 0);
		}
		if (poll(p, (nfds_t)conns, 60000) <= 0) {
			printf("timeout: no progress for 60s\n");
			return 1;
		}
		for (i = 0; i < conns; i++) {
			if (c[i].done)
				continue;
			if ((p[i].revents & POLLOUT) && c[i].sent < bytes) {
				size_t k, want = sizeof(buf);
				struct rng save = c[i].tx;

				if ((long long)want > bytes - c[i].sent)
					want = (size_t)(bytes - c[i].sent);
				for (k = 0; k < want; k++)
					buf[k] = rng_byte(&c[i].tx);
				r = write(c[i].fd, buf, want);
				if (r < 0)
					r = 0;
				/* Rewind the stream past what was not taken. */
				c[i].tx = save;
				for (k = 0; k < (size_t)r; k++)
					(void)rng_byte(&c[i].tx);
				c[i].sent += r;
				if (c[i].sent == bytes)
					shutdown(c[i].fd, SHUT_WR);
			}
			if (p[i].revents & (POLLIN | POLLHUP | POLLERR)) {
				r = read(c[i].fd, buf, sizeof(buf));
				if (r > 0) {
					for (ssize_t k = 0; k < r; k++)
						if (buf[k] !=
						    rng_byte(&c[i].rx)) {
							bad++;
							printf(
							    "conn %d: byte %lld differs\n",
							    i, c[i].got + k);
							c[i].done = 1;
							left--;
							break;
						}
					c[i].got += r;
				} else if (r == 0 || errno != EAGAIN) {
					if (c[i].got != bytes) {
						bad++;
						printf(
						    "conn %d: %lld of %lld bytes came back (%s)\n",
						    i, c[i].got, bytes,
						    r == 0 ? "EOF"
						           : strerror(errno));
					}
					c[i].done = 1;
					left--;
				}
			}
		}
	}
	if (bad)
		return 1;
	printf(
	    "ok: %d connection(s), %lld bytes each way each\n", conns, bytes);
	return 0;
}

static void
reset(int fd)
{
	struct linger l = {1, 0};

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(fd);
}

static int
tcp_reset(const char *host, const char *port)
{
	static char buf[65536];
	int fd = connect_to(host, port, SOCK_STREAM);

	if (fd < 0 || write(fd, buf, sizeof(buf)) < 0)
		return 1;
	usleep(300000);
	reset(fd);
	printf("reset sent\n");
	return 0;
}

static _Noreturn void
tcp_rst_server(const char *port)
{
	int lfd = listen_on(port, SOCK_STREAM), fd;
	char buf[4096];

	printf("listening\n");
	for (;;) {
		if ((fd = accept(lfd, NULL, NULL)) < 0)
			continue;
		if (read(fd, buf, sizeof(buf)) > 0)
			usleep(100000);
		reset(fd);
	}
}

static _Noreturn void
udp_echo(const char *port)
{
	int fd = listen_on(port, SOCK_DGRAM);
	struct sockaddr_storage ss;
	socklen_t len;
	static uint8_t buf[70000];
	ssize_t r;

	printf("listening\n");
	fflush(stdout);
	for (;;) {
		len = sizeof(ss);
		r = recvfrom(
		    fd, buf, sizeof(buf), 0, (struct sockaddr *)&ss, &len);
		if (r >= 0)
			sendto(
			    fd, buf, (size_t)r, 0, (struct sockaddr *)&ss, len);
	}
}

/* Echo, each answer after an empty datagram. */
static _Noreturn void
udp_echo_empty(const char *port)
{
	int fd = listen_on(port, SOCK_DGRAM);
	struct sockaddr_storage ss;
	socklen_t len;
	static uint8_t buf[70000];
	ssize_t r;

	for (;;) {
		len = sizeof(ss);
		r = recvfrom(
		    fd, buf, sizeof(buf), 0, (struct sockaddr *)&ss, &len);
		if (r <= 0)
			continue;
		sendto(fd, buf, 0, 0, (struct sockaddr *)&ss, len);
		sendto(fd, buf, (size_t)r, 0, (struct sockaddr *)&ss, len);
	}
}

/* Wait up to 5 s for the datagram ${want}, skipping empty ones. */
static int
await_answer(int fd, const char *want)
{
	struct pollfd p = {fd, POLLIN, 0};
	char buf[256];
	ssize_t r;

	while (poll(&p, 1, 5000) > 0) {
		if ((r = recv(fd, buf, sizeof(buf) - 1, 0)) < 0)
			return -1;
		buf[r] = '\0';
		if (r > 0)
			return strcmp(buf, want) == 0 ? 0 : -1;
	}
	return -1;
}

/* Empty datagrams around a request: the answer must come back. */
static int
udp_ping(const char *host, const char *port)
{
	int fd = connect_to(host, port, SOCK_DGRAM);

	if (fd < 0)
		return 2;
	send(fd, "", 0, 0);
	send(fd, "request 1", 9, 0);
	send(fd, "", 0, 0);
	if (await_answer(fd, "request 1") != 0) {
		printf("FAIL: no answer to request 1\n");
		return 1;
	}
	sleep(1);
	send(fd, "request 2", 9, 0);
	if (await_answer(fd, "request 2") != 0) {
		printf("FAIL: no answer to request 2\n");
		return 1;
	}
	printf("ok: 2 answers\n");
	return 0;
}

static int
udp_client(const char *host, const char *port, long min, long max, long step)
{
	int fd = connect_to(host, port, SOCK_DGRAM), tries, bad = 0, n = 0;
	static uint8_t out[70000], in[70000];
	struct pollfd p;
	long size, k;
	ssize_t r;

	if (fd < 0)
		return 1;
	for (size = min; size <= max; size += step) {
		for (k = 0; k < size; k++)
			out[k] = (uint8_t)(k * 31 + size);
		for (tries = 0; tries < 4; tries++) {
			send(fd, out, (size_t)size, 0);
			p.fd = fd;
			p.events = POLLIN;
			if (poll(&p, 1, 2000) > 0)
				break;
		}
		r = recv(fd, in, sizeof(in), MSG_DONTWAIT);
		if (r != size || memcmp(in, out, (size_t)size) != 0) {
			printf("datagram of %ld bytes: got %zd bytes%s\n", size,
			    r, r == size ? " (different)" : "");
			bad++;
		}
		n++;
	}
	if (bad)
		return 1;
	printf("ok: %d datagrams echoed intact\n", n);
	return 0;
}

/* Seconds on the monotonic clock. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
nodelay(int fd)
{
	int one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/*
 * Throughput: send BYTES in all over CONNS connections, or stop sending
 * after SECS seconds (if > 0), then FIN and wait for EOF on each.
 */
static int
tcp_blast(
    const char *host, const char *port, long long bytes, int conns, double secs)
{
	static struct {
		int fd;
		long long left;
		int done;
	} c[MAXC];
	static uint8_t buf[65536];
	struct pollfd p[MAXC];
	int i, left = conns, bad = 0, cut = 0, sndbuf = 262144;
	long long sent = 0;
	double t0 = now(), t;
	ssize_t r;

	if (conns < 1 || conns > MAXC)
		return 2;
	for (size_t k = 0; k < sizeof(buf); k++)
		buf[k] = (uint8_t)(k * 131 + (k >> 8));
	for (i = 0; i < conns; i++) {
		if ((c[i].fd = connect_to(host, port, SOCK_STREAM)) < 0)
			return 1;
		fcntl(c[i].fd, F_SETFL, O_NONBLOCK);
		/* Little buffered here, so the time limit stops it soon. */
		setsockopt(
		    c[i].fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
		c[i].left = bytes / conns + (i == 0 ? bytes % conns : 0);
		c[i].done = 0;
		if (c[i].left == 0)
			shutdown(c[i].fd, SHUT_WR);
	}
	while (left > 0) {
		if (secs > 0 && !cut && now() - t0 >= secs) {
			/* Time is up: send no more. */
			cut = 1;
			for (i = 0; i < conns; i++)
				if (c[i].left > 0) {
					c[i].left = 0;
					shutdown(c[i].fd, SHUT_WR);
				}
		}
		for (i = 0; i < conns; i++) {
			p[i].fd = c[i].done ? -1 : c[i].fd;
			p[i].events = POLLIN | (c[i].left > 0 ? POLLOUT : 0);
		}
		r = poll(p, (nfds_t)conns, secs > 0 && !cut ? 100 : 60000);
		if (r == 0 && (secs <= 0 || cut)) {
			printf("timeout: no progress for 60s\n");
			return 1;
		}
		for (i = 0; i < conns; i++) {
			if (c[i].done)
				continue;
			if ((p[i].revents & POLLOUT) && c[i].left > 0) {
				size_t want = sizeof(buf);

				if ((long long)want > c[i].left)
					want = (size_t)c[i].left;
				r = write(c[i].fd, buf, want);
				if (r > 0)
					sent += r;
				if (r > 0 && (c[i].left -= r) == 0)
					shutdown(c[i].fd, SHUT_WR);
			}
			if (p[i].revents & (POLLIN | POLLHUP | POLLERR)) {
				r = read(c[i].fd, buf, sizeof(buf));
				if (r < 0 && errno == EAGAIN)
					continue;
				if (r > 0)
					continue; /* a sink sends nothing */
				if (r < 0 || c[i].left > 0) {
					bad++;
					printf("conn %d: %s with %lld bytes "
					       "unsent\n",
					    i, r == 0 ? "EOF" : strerror(errno),
					    c[i].left);
				}
				close(c[i].fd);
				c[i].done = 1;
				left--;
			}
		}
	}
	t = now() - t0;
	if (bad)
		return 1;
	printf("ok: %d connection(s), %lld bytes in %.3f s, %.2f MiB/s%s\n",
	    conns, sent, t, (double)sent / t / 1048576.0,
	    cut ? " (stopped sending at the time limit)" : "");
	return 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Latency: COUNT round trips of SIZE bytes on one connection. */
static int
tcp_pingpong(const char *host, const char *port, int count, int size)
{
	enum { WARMUP = 20 };
	static uint8_t out[65536], in[65536];
	double *rtt, t0, sum = 0;
	int fd, i;
	ssize_t r;
	size_t got;

	if (count < 1 || size < 1 || size > (int)sizeof(out))
		return 2;
	if ((fd = connect_to(host, port, SOCK_STREAM)) < 0 ||
	    (rtt = malloc(sizeof(*rtt) * (size_t)count)) == NULL)
		return 1;
	nodelay(fd);
	for (i = -WARMUP; i < count; i++) {
		for (int k = 0; k < size; k++)
			out[k] = (uint8_t)(k + i);
		t0 = now();
		if (write(fd, out, (size_t)size) != size) {
			printf("round trip %d: write failed\n", i);
			return 1;
		}
		for (got = 0; got < (size_t)size; got += (size_t)r) {
			r = read(fd, in + got, (size_t)size - got);
			if (r <= 0) {
				printf("round trip %d: %s after %zu bytes\n", i,
				    r == 0 ? "EOF" : strerror(errno), got);
				return 1;
			}
		}
		if (memcmp(in, out, (size_t)size) != 0) {
			printf("round trip %d: the echo differs\n", i);
			return 1;
		}
		if (i >= 0) {
			rtt[i] = (now() - t0) * 1e6;
			sum += rtt[i];
		}
	}
	close(fd);
	qsort(rtt, (size_t)count, sizeof(*rtt), cmp_double);
	printf("ok: %d round trips of %d bytes: median %.0f us, p99 %.0f us, "
	       "mean %.0f us\n",
	    count, size, rtt[count / 2], rtt[(count * 99 - 1) / 100],
	    sum / count);
	free(rtt);
	return 0;
}

/* Non-blocking connect; -1 if it failed at once. */
static int
connect_nb(const struct addrinfo *ai)
{
	int fd = socket(ai->ai_family, ai->ai_socktype, 0);

	if (fd < 0)
		return -1;
	fcntl(fd, F_SETFL, O_NONBLOCK);
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 &&
	    errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Connection rate: for SECONDS, PAR connections in flight, each sends SIZE
 * bytes, reads them back, sends FIN and waits for EOF.
 */
static int
tcp_connrate(const char *host, const char *port, double secs, int par, int size)
{
	static struct {
		int fd;
		size_t sent, got;
		int fin;
	} c[MAXC];
	static uint8_t out[16384], in[16384];
	struct pollfd p[MAXC];
	struct addrinfo hints, *res;
	long done = 0, bad = 0;
	int i, active = 0;
	double t0 = now(), t, last = t0;
	ssize_t r;

	if (par < 1 || par > MAXC || size < 1 || size > (int)sizeof(out))
		return 2;
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, port, &hints, &res) != 0)
		return 1;
	for (int k = 0; k < size; k++)
		out[k] = (uint8_t)('a' + k % 26);
	for (i = 0; i < par; i++) {
		c[i].fd = -1;
		p[i].fd = -1;
	}
	for (;;) {
		t = now();
		/* Start new connections while the time lasts. */
		for (i = 0; i < par && t - t0 < secs; i++) {
			if (c[i].fd != -1)
				continue;
			if ((c[i].fd = connect_nb(res)) < 0) {
				if (bad++ == 0)
					printf(
					    "connect: %s\n", strerror(errno));
				continue;
			}
			c[i].sent = c[i].got = 0;
			c[i].fin = 0;
			active++;
		}
		if (active == 0)
			break;
		for (i = 0; i < par; i++) {
			p[i].fd = c[i].fd;
			p[i].events =
			    c[i].sent < (size_t)size ? POLLOUT : POLLIN;
		}
		if (poll(p, (nfds_t)par, 1000) < 0)
			continue;
		if (now() - last > 60) {
			printf("timeout: no connection finished for 60s\n");
			return 1;
		}
		for (i = 0; i < par; i++) {
			short ev = p[i].revents;
			const char *err = NULL;

			if (c[i].fd == -1 || ev == 0)
				continue;
			if (c[i].sent < (size_t)size) {
				r = write(c[i].fd, out + c[i].sent,
				    (size_t)size - c[i].sent);
				if (r > 0)
					c[i].sent += (size_t)r;
				else if (r < 0 && errno != EAGAIN)
					err = strerror(errno);
			} else {
				r = read(c[i].fd, in + c[i].got,
				    sizeof(in) - c[i].got);
				if (r > 0) {
					c[i].got += (size_t)r;
					if (c[i].got > (size_t)size)
						err = "too much came back";
				} else if (r == 0 && c[i].got == (size_t)size &&
				    c[i].fin) {
					if (memcmp(in, out, (size_t)size) != 0)
						err = "the echo differs";
					else {
						done++;
						last = now();
					}
					close(c[i].fd);
					c[i].fd = -1;
					active--;
				} else if (r == 0) {
					err = "EOF before the echo";
				} else if (errno != EAGAIN) {
					err = strerror(errno);
				}
				if (err == NULL && c[i].fd != -1 &&
				    c[i].got == (size_t)size && !c[i].fin) {
					shutdown(c[i].fd, SHUT_WR);
					c[i].fin = 1;
				}
			}
			if (err != NULL) {
				if (bad++ < 5)
					printf("connection %ld: %s\n",
					    done + bad, err);
				close(c[i].fd);
				c[i].fd = -1;
				active--;
			}
		}
	}
	t = now() - t0;
	freeaddrinfo(res);
	if (bad)
		return 1;
	printf("ok: %ld connections in %.3f s, %d at once, %.1f per second\n",
	    done, t, par, (double)done / t);
	return 0;
}

/*
 * Idle connections: open them PAR at a time, each checked by a 16-byte
 * echo, and hold them; stop at each count of targets[] until stdin says
 * go on.
 */
static int
tcp_hold(
    const char *host, const char *port, int par, int ntargets, char **targets)
{
	struct addrinfo hints, *res;
	struct pollfd *p;
	int *fd, held = 0, want, max = 0, i, t, inflight, closed;
	static const char probe[16] = "netpeer tcp-hold";
	char buf[64], line[64];
	double last;
	ssize_t r;

	for (t = 0; t < ntargets; t++)
		if (atoi(targets[t]) > max)
			max = atoi(targets[t]);
	if (par < 1 || max < 1)
		return 2;
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, port, &hints, &res) != 0 ||
	    (fd = malloc(sizeof(*fd) * (size_t)max)) == NULL ||
	    (p = malloc(sizeof(*p) * (size_t)max)) == NULL)
		return 1;
	for (t = 0; t < ntargets; t++) {
		want = atoi(targets[t]);
		last = now();
		/* fd[held..held+inflight) are connecting or waiting. */
		inflight = 0;
		while (held < want) {
			while (inflight < par && held + inflight < want) {
				int k = held + inflight;

				if ((fd[k] = connect_nb(res)) < 0) {
					printf("connection %d: connect: %s\n",
					    k, strerror(errno));
					return 1;
				}
				p[k].fd = fd[k];
				p[k].events = POLLOUT;
				inflight++;
			}
			if (poll(p + held, (nfds_t)inflight, 1000) < 0)
				continue;
			if (now() - last > 60) {
				printf("timeout: %d held, none more for 60s\n",
				    held);
				return 1;
			}
			for (i = held; i < held + inflight; i++) {
				if (p[i].revents == 0)
					continue;
				if (p[i].events == POLLOUT) {
					if (write(
					        fd[i], probe, sizeof(probe)) !=
					    sizeof(probe)) {
						printf("connection %d: %s\n", i,
						    strerror(errno));
						return 1;
					}
					p[i].events = POLLIN;
					continue;
				}
				r = read(fd[i], buf, sizeof(buf));
				if (r < 0 && errno == EAGAIN)
					continue;
				if (r != sizeof(probe) ||
				    memcmp(buf, probe, sizeof(probe)) != 0) {
					printf("connection %d: no echo (%s)\n",
					    i,
					    r < 0        ? strerror(errno)
					        : r == 0 ? "EOF"
					                 : "short read");
					return 1;
				}
				/* Established: move it to the held ones. */
				int tf = fd[held];
				struct pollfd tp = p[held];

				fd[held] = fd[i];
				p[held] = p[i];
				fd[i] = tf;
				p[i] = tp;
				p[held].events = POLLIN;
				held++;
				inflight--;
				last = now();
			}
		}
		/* All still open? */
		poll(p, (nfds_t)held, 0);
		for (i = closed = 0; i < held; i++)
			closed += p[i].revents != 0;
		printf("held %d (%d closed)\n", held, closed);
		if (closed)
			return 1;
		if (fgets(line, sizeof(line), stdin) == NULL)
			break;
	}
	printf("ok: held up to %d connection(s)\n", held);
	freeaddrinfo(res);
	return 0;
}

/* Message i of dtlspeer's format, ${size} bytes at ${m}: intact? */
static int
msg_ok(const uint8_t *m, size_t size, uint64_t *idx)
{
	uint64_t i = 0;
	size_t k;

	for (k = 0; k < 8; k++)
		i = i << 8 | m[k];
	for (k = 8; k < size; k++)
		if (m[k] != (uint8_t)((i * 131 + k * 7) & 0xff))
			return 0;
	*idx = i;
	return 1;
}

/* Note message ${i} in the bitmap ${*seen} (grown); 1 if seen before. */
static int
mark_seen(uint8_t **seen, uint64_t *cap, uint64_t i)
{
	uint64_t ncap;
	uint8_t *p;

	if (i >= *cap) {
		ncap = ((i + 1) * 2 + 7) & ~(uint64_t)7; /* whole bytes */
		if ((p = realloc(*seen, ncap / 8)) == NULL)
			exit(2);
		memset(p + *cap / 8, 0, (ncap - *cap) / 8);
		*seen = p;
		*cap = ncap;
	}
	if ((*seen)[i / 8] & (1u << (i % 8)))
		return 1;
	(*seen)[i / 8] |= (uint8_t)(1u << (i % 8));
	return 0;
}

static int
tcp_msgs(const char *port, size_t size)
{
	static uint8_t buf[16384];
	uint64_t cap = 0, i, max = 0, got = 0, bad = 0, dup = 0, missing = 0;
	uint8_t *seen = NULL;
	size_t have = 0;
	ssize_t n;
	int lfd = listen_on(port, SOCK_STREAM), fd;

	if (size < 8 || size > sizeof(buf) ||
	    (fd = accept(lfd, NULL, NULL)) < 0)
		return 2;
	while ((n = read(fd, buf + have, size - have)) > 0) {
		if ((have += (size_t)n) < size)
			continue;
		have = 0;
		if (!msg_ok(buf, size, &i)) {
			bad++;
			continue;
		}
		got++;
		dup += (uint64_t)mark_seen(&seen, &cap, i);
		if (i + 1 > max)
			max = i + 1;
	}
	for (i = 0; i < max; i++)
		missing += !(seen[i / 8] & (1u << (i % 8)));
	printf("got %llu messages, %llu bad, %llu duplicates, %llu missing "
	       "below %llu%s\n",
	    (unsigned long long)got, (unsigned long long)bad,
	    (unsigned long long)dup, (unsigned long long)missing,
	    (unsigned long long)max,
	    have ? " (a partial message at the end)" : "");
	free(seen);
	return 0;
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && strcmp(argv[1], "tcp-echo") == 0)
		tcp_echo(argv[2], ECHO);
	if (argc == 3 && strcmp(argv[1], "tcp-sink") == 0)
		tcp_echo(argv[2], SINK);
	if (argc == 3 && strcmp(argv[1], "tcp-discard") == 0)
		tcp_echo(argv[2], DISCARD);
	if ((argc == 5 || argc == 6) && strcmp(argv[1], "tcp-client") == 0)
		return tcp_client(argv[2], argv[3], atoll(argv[4]),
		    argc == 6 ? atoi(argv[5]) : 1);
	if (argc == 4 && strcmp(argv[1], "tcp-reset") == 0)
		return tcp_reset(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "tcp-rst-server") == 0)
		tcp_rst_server(argv[2]);
	if (argc == 4 && strcmp(argv[1], "tcp-msgs") == 0)
		return tcp_msgs(argv[2], (size_t)atol(argv[3]));
	if (argc == 3 && strcmp(argv[1], "udp-echo-empty") == 0)
		udp_echo_empty(argv[2]);
	if (argc == 4 && strcmp(argv[1], "udp-ping") == 0)
		return udp_ping(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "udp-echo") == 0)
		udp_echo(argv[2]);
	if (argc == 7 && strcmp(argv[1], "udp-client") == 0)
		return udp_client(argv[2], argv[3], atol(argv[4]),
		    atol(argv[5]), atol(argv[6]));
	if (argc >= 5 && argc <= 7 && strcmp(argv[1], "tcp-blast") == 0)
		return tcp_blast(argv[2], argv[3], atoll(argv[4]),
		    argc >= 6 ? atoi(argv[5]) : 1,
		    argc == 7 ? atof(argv[6]) : 0);
	if (argc == 6 && strcmp(argv[1], "tcp-pingpong") == 0)
		return tcp_pingpong(
		    argv[2], argv[3], atoi(argv[4]), atoi(argv[5]));
	if (argc == 7 && strcmp(argv[1], "tcp-connrate") == 0)
		return tcp_connrate(argv[2], argv[3], atof(argv[4]),
		    atoi(argv[5]), atoi(argv[6]));
	if (argc >= 6 && strcmp(argv[1], "tcp-hold") == 0)
		return tcp_hold(
		    argv[2], argv[3], atoi(argv[4]), argc - 5, argv + 5);
	fprintf(stderr, "usage: see the comment at the top of netpeer.c\n");
	return 2;
}
