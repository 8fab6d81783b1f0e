/*
 * netpeer: plaintext TCP/UDP peers for the tunnel tests.
 *
 *   netpeer tcp-echo PORT            echo every TCP connection (poll loop);
 *                                    half-close passed on: EOF in -> FIN out
 *   netpeer tcp-sink PORT            accept and never read
 *   netpeer tcp-client HOST PORT BYTES [CONNS]
 *                                    CONNS connections at once, each sends
 *                                    BYTES of its own pseudo-random stream,
 *                                    then FIN, and checks the echo is that
 *                                    stream, byte for byte, up to EOF
 *   netpeer tcp-reset HOST PORT      connect, send 64 KiB, then reset (RST)
 *   netpeer tcp-rst-server PORT      accept, read something, then reset
 *   netpeer udp-echo PORT            echo every datagram to its sender
 *   netpeer udp-client HOST PORT MIN MAX STEP
 *                                    one datagram of each size, each echoed
 *                                    intact (retries a lost one 3 times)
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
#include <sys/socket.h>
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

/* Echo server: per connection a 64 KiB buffer; FIN passed on. */
static _Noreturn void
tcp_echo(const char *port, int sink)
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
			p[i + 1].events = sink
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
				if (r > 0)
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

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && strcmp(argv[1], "tcp-echo") == 0)
		tcp_echo(argv[2], 0);
	if (argc == 3 && strcmp(argv[1], "tcp-sink") == 0)
		tcp_echo(argv[2], 1);
	if ((argc == 5 || argc == 6) && strcmp(argv[1], "tcp-client") == 0)
		return tcp_client(argv[2], argv[3], atoll(argv[4]),
		    argc == 6 ? atoi(argv[5]) : 1);
	if (argc == 4 && strcmp(argv[1], "tcp-reset") == 0)
		return tcp_reset(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "tcp-rst-server") == 0)
		tcp_rst_server(argv[2]);
	if (argc == 3 && strcmp(argv[1], "udp-echo") == 0)
		udp_echo(argv[2]);
	if (argc == 7 && strcmp(argv[1], "udp-client") == 0)
		return udp_client(argv[2], argv[3], atol(argv[4]),
		    atol(argv[5]), atol(argv[6]));
	fprintf(stderr, "usage: see the comment at the top of netpeer.c\n");
	return 2;
}
