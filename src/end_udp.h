#ifndef END_UDP_H
#define END_UDP_H

#include <netdb.h>
#include <sys/socket.h>

#include <ev.h>

#include "end.h"
#include "resolve.h"

/*
 * UDP as an end: each datagram a unit, an empty one included. A flow of
 * a UDP listener shares the listener's socket: the service pushes the
 * flow's datagrams in (end_udp_push) and it answers with sendto(). A
 * backend has a connected socket of its own. A datagram that cannot be
 * carried (larger than one record, refused by the network) is dropped,
 * logged and counted, never split; end of input is passed on as the end
 * of the flow.
 */

/* Largest datagram carried: one DTLS record. */
#define END_UDP_MAX 16384

/**
 * end_udp_flow(fd, sa, salen, who): the end of the flow from the client
 * ${sa} on the UDP listener ${fd} (not owned). NULL if out of memory
 * (logged).
 */
struct end *end_udp_flow(
    int fd, const struct sockaddr *sa, socklen_t salen, const char *who);

/**
 * end_udp_push(e, buf, len): the datagram of ${len} bytes at ${buf}
 * arrived for the flow ${e}. 0, or -1 if it was dropped (the flow's queue
 * is full or closed, or out of memory): counted.
 */
int end_udp_push(struct end *e, const uint8_t *buf, size_t len);

/**
 * end_udp_connect(loop, dst, who, owner): a backend end sending to and
 * receiving from the first of the addresses of ${dst} (which must outlive
 * it; resolve.h) it can connect a socket to, reporting progress to
 * ${owner}. NULL if out of memory (logged).
 */
struct end *end_udp_connect(struct ev_loop *loop, struct resolver *dst,
    const char *who, const struct end_owner *owner);

/**
 * end_udp_drop(e, len, why): count a datagram of ${len} bytes of ${e}
 * dropped for ${why} (logged at info level: the first, then each time the
 * count doubles).
 */
void end_udp_drop(struct end *e, size_t len, const char *why);

#endif
