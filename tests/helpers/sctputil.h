#ifndef SCTPUTIL_H
#define SCTPUTIL_H

#include <stdint.h>
#include <sys/types.h>

/*
 * Kernel SCTP sockets for the test and benchmark peers: one-to-one, 16
 * streams each way ($SCTPPEER_STREAMS sets another number), SCTP_NODELAY,
 * SCTP_RCVINFO, SCTP-AUTH off. Failures to set up exit with status 2.
 */

/**
 * sctputil_listen(port): a socket listening on [::]:${port} (IPv4 too);
 * exits 2 on failure.
 */
int sctputil_listen(const char *port);

/**
 * sctputil_accept(lfd): the next association of ${lfd};
 * exits 2 on failure.
 */
int sctputil_accept(int lfd);

/**
 * sctputil_connect(host, port): a connected socket, or -1 with errno (the
 * connect's).
 */
int sctputil_connect(const char *host, const char *port);

/**
 * sctputil_send(fd, b, n, sid, ppid, unord): ${n} bytes at ${b} as one
 * message on stream ${sid} with PPID ${ppid} (host order), unordered if
 * ${unord}. Returns ${n} or -1 with errno.
 */
ssize_t sctputil_send(
    int fd, const void *b, size_t n, uint16_t sid, uint32_t ppid, int unord);

#endif
