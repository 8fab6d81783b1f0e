/*
 * sctputil.c: kernel SCTP sockets for the test and benchmark peers
 * (sctppeer, sctpbench): one-to-one sockets with 16 streams each way
 * ($SCTPPEER_STREAMS sets another number), SCTP_NODELAY, SCTP_RCVINFO,
 * SCTP-AUTH off. Failures to set up exit with status 2.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "sctputil.h"

#define NSTREAMS 16

static _Noreturn void
die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, what,
	    strerror(errno));
	exit(2);
}

/*
 * Options of every socket: 16 streams each way ($SCTPPEER_STREAMS if
 * set), NODELAY, rcvinfo, no AUTH.
 */
static void
setup_sock(int fd)
{
	struct sctp_initmsg im;
	struct sctp_assoc_value av;
	const char *env = getenv("SCTPPEER_STREAMS");
	int one = 1, n = env != NULL ? atoi(env) : NSTREAMS;

	memset(&im, 0, sizeof(im));
	im.sinit_num_ostreams = (uint16_t)(n > 0 && n < 65536 ? n : NSTREAMS);
	im.sinit_max_instreams = im.sinit_num_ostreams;
	if (setsockopt(fd, IPPROTO_SCTP, SCTP_INITMSG, &im, sizeof(im)) != 0 ||
	    setsockopt(fd, IPPROTO_SCTP, SCTP_RECVRCVINFO, &one, sizeof(one)) !=
	        0) {
		die("setsockopt");
	}
	setsockopt(fd, IPPROTO_SCTP, SCTP_NODELAY, &one, sizeof(one));
	/* Off even if net.sctp.auth_enable is 1 (older kernels lack it). */
	memset(&av, 0, sizeof(av));
	setsockopt(fd, IPPROTO_SCTP, SCTP_AUTH_SUPPORTED, &av, sizeof(av));
}

/**
 * sctputil_listen(port): a socket listening on [::]:${port} (IPv4 too);
 * exits 2 on failure.
 */
int
sctputil_listen(const char *port)
{
	struct addrinfo hints, *res;
	int fd, one = 1, zero = 0, rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET6;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_SCTP;
	hints.ai_flags = AI_PASSIVE;
	if ((rc = getaddrinfo(NULL, port, &hints, &res)) != 0) {
		fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name,
		    port, gai_strerror(rc));
		exit(2);
	}
	if ((fd = socket(res->ai_family, SOCK_STREAM, IPPROTO_SCTP)) < 0) {
		die("socket");
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	setup_sock(fd);
	if (bind(fd, res->ai_addr, res->ai_addrlen) != 0 ||
	    listen(fd, 128) != 0) {
		die("bind/listen");
	}
	freeaddrinfo(res);
	return fd;
}

/**
 * sctputil_accept(lfd): the next association of ${lfd};
 * exits 2 on failure.
 */
int
sctputil_accept(int lfd)
{
	int fd = accept(lfd, NULL, NULL);

	if (fd < 0) {
		die("accept");
	}
	setup_sock(fd);
	return fd;
}

/**
 * sctputil_connect(host, port): a connected socket, or -1 with errno (the
 * connect's).
 */
int
sctputil_connect(const char *host, const char *port)
{
	struct addrinfo hints, *res;
	int fd, rc, e;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_SCTP;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
		fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name,
		    host, gai_strerror(rc));
		exit(2);
	}
	if ((fd = socket(res->ai_family, SOCK_STREAM, IPPROTO_SCTP)) < 0) {
		die("socket");
	}
	setup_sock(fd);
	if (connect(fd, res->ai_addr, res->ai_addrlen) != 0) {
		e = errno;
		close(fd);
		fd = -1;
		errno = e;
	}
	freeaddrinfo(res);
	return fd;
}

/**
 * sctputil_send(fd, b, n, sid, ppid, unord): ${n} bytes at ${b} as one
 * message on stream ${sid} with PPID ${ppid} (host order), unordered if
 * ${unord}. Returns ${n} or -1 with errno.
 */
ssize_t
sctputil_send(
    int fd, const void *b, size_t n, uint16_t sid, uint32_t ppid, int unord)
{
	struct sctp_sndinfo si;
	struct iovec iov;

	memset(&si, 0, sizeof(si));
	si.snd_sid = sid;
	si.snd_ppid = htonl(ppid);
	si.snd_flags = unord ? SCTP_UNORDERED : 0;
	iov.iov_base = (void *)(uintptr_t)b;
	iov.iov_len = n;
	return sctp_sendv(fd, &iov, 1, NULL, 0, &si, sizeof(si),
	    SCTP_SENDV_SNDINFO, MSG_NOSIGNAL);
}
