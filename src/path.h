#ifndef PATH_H
#define PATH_H

#include <netdb.h>
#include <stddef.h>
#include <sys/socket.h>

#include "endpoint.h"
#include "net.h"
#include "sctp.h"

/*
 * SCTP multi-homing and path management (RFC 9260 sections 5.4, 6.4,
 * 8.2, 8.3; RFC 6458): an endpoint's addresses bound together
 * (sctp_bindx) and offered together (sctp_connectx), the preferred path
 * (primary), path state changes logged and counted. The tuning of each
 * socket is sctp.c's (struct sctp_tuning). Dynamic address reconfiguration
 * (ASCONF, RFC 5061) is off on every socket: a peer cannot add addresses
 * to an association, or move it to addresses we did not bind.
 */

/**
 * path_resolve(ep, port, passive, res): every address of every host of
 * ${ep} (a multi-homed SCTP endpoint, or `local =`), for SCTP, in the
 * order written, into one list (*${res}, freeaddrinfo()). ${port} replaces
 * ep->port if not NULL. 0, or -1 (logged).
 */
int path_resolve(const struct endpoint *ep, const char *port, int passive,
    struct addrinfo **res);

/**
 * path_primary_check(t, connect, why, size): t->primary (if set) against
 * the ${connect} endpoint: -1 with the reason in ${why} (${size} bytes) if
 * that is an SCTP endpoint that lists addresses only and t->primary is not
 * one of them; else 0 (a host name is looked up later: path_up() checks
 * the association's addresses then; without an SCTP connect the primary
 * is for the peers of accepted associations).
 */
int path_primary_check(const struct sctp_tuning *t,
    const struct endpoint *connect, char *why, size_t size);

/**
 * path_listen(addrs, o, reuseport, who): a listening SCTP socket with the
 * options ${o} bound to every address of ${addrs} (sctp_bindx; IPv4 and
 * IPv6 on one socket when both are given). Returns the fd or -1 (logged).
 */
int path_listen(const struct addrinfo *addrs, const struct sctp_sockopts *o,
    int reuseport, const char *who);

/**
 * path_connect(o, addrs, n, first, who): a non-blocking SCTP socket with
 * the options ${o}, bound to o->local if any, that connects to all ${n}
 * addresses of ${addrs} at once (sctp_connectx), the INIT going to
 * ${first} (one of them) first. Returns the fd (connecting), or -1 with
 * errno (setting the socket up is logged, a refused connect is not).
 */
int path_connect(const struct sctp_sockopts *o,
    const struct addrinfo *const *addrs, size_t n, const struct addrinfo *first,
    const char *who);

/**
 * path_up(fd, t, dialed, who): the association on ${fd} is up: make
 * t->primary the primary path if the peer has that address (if it has
 * not and this side connected, ${dialed}, warn: a name resolved to other
 * addresses), log the local and peer addresses (info if either side has
 * several, else debug) and, at debug level, the values the kernel applied
 * (read back with getsockopt). A no-op for a NULL ${t}.
 */
void path_up(int fd, const struct sctp_tuning *t, int dialed, const char *who);

/**
 * path_list(fd, local): the local (${local} non-zero) or peer addresses of
 * the association on ${fd} as one text, "A,B:port": the hosts separated by
 * commas (IPv6 in brackets, IPv4-mapped as IPv4), the socket's own address
 * (getsockname) or the primary path's first, and the port once (one
 * address: as net_addr_str() writes it). A new string (free()), or NULL
 * if they cannot be read (the association is gone) or out of memory.
 */
char *path_list(int fd, int local);

/**
 * path_event(fd, n, t, who): if ${n} is a peer address change
 * (SCTP_PEER_ADDR_CHANGE), log it at notice with ${who} and the path's
 * kernel figures, move the primary as t->primary_return says, and return
 * 1 (a path change to count); else 0.
 */
int path_event(int fd, const struct sctp_notif *n, const struct sctp_tuning *t,
    const char *who);

/* One path of an association, for a listing (/status). */
struct path_info {
	char addr[NET_ADDRSTRLEN]; /* the peer's address */
	const char *state; /* active, inactive, potentially-failed, ... */
	unsigned rto_ms, srtt_ms; /* retransmission timeout, smoothed RTT */
};

/**
 * path_states(fd, out, max): the peer addresses of the association on
 * ${fd} (those path_list(fd, 0) names), at most ${max}, with their state,
 * RTO and smoothed RTT (ms), into ${out}. How many, or -1 (not an
 * association).
 */
int path_states(int fd, struct path_info *out, int max);

#endif
