/*
 * dtlspeer: a DTLS/SCTP peer built on the project's own engine (src/), for
 * tests that need control over each record's stream and flags.
 *
 *   dtlspeer send HOST PORT CERT KEY CA SIZE STREAMS SECONDS [unordered]
 *        connect, handshake, then send messages of exactly SIZE bytes
 *        (8..16384) for SECONDS: message i goes on stream 1 + i % STREAMS
 *        (unordered if asked); bytes 0..7 are i (big-endian), byte k is
 *        (i * 131 + k * 7) & 0xff; then close_notify. Prints
 *        "sent N messages of SIZE bytes".
 *
 * The same message format as tests/helpers/osslpeer.c and
 * "netpeer tcp-msgs", which check it. Exit 0 on success.
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dtls.h"
#include "log.h"
#include "net.h"
#include "sctp.h"
#include "tls.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Wait until ${fd} is readable, or writable too if ${out}. */
static void
wait_fd(int fd, int out)
{
	struct pollfd p = {fd, (short)(POLLIN | (out ? POLLOUT : 0)), 0};

	(void)poll(&p, 1, 1000);
}

static void
fill(uint8_t *m, size_t size, uint64_t i)
{
	size_t k;

	for (k = 0; k < 8; k++)
		m[k] = (uint8_t)(i >> (56 - 8 * k));
	for (k = 8; k < size; k++)
		m[k] = (uint8_t)((i * 131 + k * 7) & 0xff);
}

/* Connected SCTP socket to HOST:PORT, or -1. */
static int
dial(const char *host, const char *port, uint16_t streams)
{
	struct sctp_sockopts so = {
	    .dtls = 1, .nodelay = 1, .ostreams = (uint16_t)(streams + 1)};
	struct addrinfo *ai;
	int fd, err = 0;
	socklen_t len = sizeof(err);

	if (net_resolve(host, port, SOCK_STREAM, IPPROTO_SCTP, 0, &ai) != 0)
		return -1;
	fd = sctp_sock_new(ai->ai_family, &so, "dtlspeer");
	if (fd != -1 && connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 &&
	    errno != EINPROGRESS) {
		perror("connect");
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	if (fd == -1)
		return -1;
	wait_fd(fd, 1);
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0 ||
	    sctp_sock_up(fd, NULL, "dtlspeer") != 0) {
		fprintf(stderr, "connect: %s\n", strerror(err));
		close(fd);
		return -1;
	}
	return fd;
}

static int
handshake(struct dtls *d, int fd)
{
	double end = now() + 30;
	int r;

	while ((r = dtls_handshake(d)) == DTLS_AGAIN && now() < end)
		wait_fd(fd, dtls_want_write(d));
	return r == 1 ? 0 : -1;
}

/* Send for ${secs}; the number of messages sent, -1 on failure. */
static long
blast(struct dtls *d, int fd, size_t size, int streams, double secs,
    int unordered)
{
	struct unit_meta m = {0, 0, (uint8_t)unordered, 1};
	uint8_t buf[16384];
	double end = now() + secs;
	long i = 0;
	ssize_t n;

	while (now() < end) {
		fill(buf, size, (uint64_t)i);
		m.stream = (uint16_t)(1 + i % streams);
		n = dtls_write(d, buf, size, &m);
		if (n == DTLS_AGAIN) {
			wait_fd(fd, 1);
			continue;
		}
		if (n < 0)
			return -1;
		i++;
	}
	return i;
}

/* close_notify, then the peer's (or the end of the association). */
static void
finish(struct dtls *d, int fd)
{
	double end = now() + 30;
	uint8_t buf[16384];
	ssize_t n;
	int r;

	while ((r = dtls_shutdown(d)) == DTLS_AGAIN && now() < end)
		wait_fd(fd, dtls_want_write(d));
	do {
		n = dtls_read(d, buf, sizeof(buf), NULL);
		if (n == DTLS_AGAIN)
			wait_fd(fd, 0);
	} while (n >= 0 || (n == DTLS_AGAIN && now() < end));
}

int
main(int argc, char **argv)
{
	struct tls_conf t;
	struct dtls_params p;
	struct dtls *d = NULL;
	SSL_CTX *ctx;
	long size, streams, sent;
	double secs;
	int fd;

	if (argc < 10 || argc > 11 || strcmp(argv[1], "send") != 0) {
		fprintf(stderr,
		    "usage: dtlspeer send HOST PORT CERT KEY CA "
		    "SIZE STREAMS SECONDS [unordered]\n");
		return 2;
	}
	size = atol(argv[7]);
	streams = atol(argv[8]);
	secs = atof(argv[9]);
	if (size < 8 || size > 16384 || streams < 1 || streams > 1000)
		return 2;
	log_open("stderr", LOG_LVL_NOTICE, "dtlspeer");
	memset(&t, 0, sizeof(t));
	t.cert = argv[4];
	t.key = argv[5];
	t.ca = argv[6];
	t.verify_depth = -1;
	memset(&p, 0, sizeof(p));
	if (dtls_init() != 0 ||
	    (ctx = tls_ctx_new(&t, 0, "dtlspeer", NULL, NULL)) == NULL)
		return 1;
	if ((fd = dial(argv[2], argv[3], (uint16_t)streams)) == -1 ||
	    (d = dtls_new(ctx, fd, 0, &p, "dtlspeer")) == NULL ||
	    handshake(d, fd) != 0)
		return 1;
	sent = blast(d, fd, (size_t)size, (int)streams, secs, argc == 11);
	if (sent < 0)
		return 1;
	finish(d, fd);
	printf("sent %ld messages of %ld bytes\n", sent, size);
	dtls_free(d);
	close(fd);
	SSL_CTX_free(ctx);
	dtls_fini();
	return 0;
}
