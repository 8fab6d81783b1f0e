#ifndef DIAL_H
#define DIAL_H

#include <netdb.h>
#include <sys/socket.h>

#include <ev.h>

#include "resolve.h"
#include "sctp.h"

/*
 * Connecting to a name with several addresses, in the manner of Happy
 * Eyeballs (RFC 8305): the name is looked up when the connection is made
 * (resolve.h, without blocking), then the addresses are tried in turn, families
 * alternating, each attempt started when the one before failed or after a
 * short delay, whichever is first; the first to connect wins and the
 * others are closed. The caller's timer bounds the whole.
 */

/* RFC 8305 5: the Connection Attempt Delay. */
#define DIAL_DELAY 0.25

/* What to connect. */
struct dial_conf {
	struct ev_loop *loop;
	int sctp; /* an SCTP association (else TCP) */
	const struct sctp_sockopts *so; /* SCTP socket options */
	double delay; /* seconds between attempts; 0: DIAL_DELAY */
	char *trying; /* NET_ADDRSTRLEN bytes: the address being tried */
	int udp; /* not SCTP: a connected UDP socket (at once), not TCP */
};

/*
 * The result, with the caller's ${arg}: the connected socket ${fd} (the
 * caller's now) and its address in ${addr}, or -1 when every address
 * failed, the last error in ${err}.
 */
typedef void dial_fn(void *arg, int fd, const char *addr, int err);

struct dial;

/**
 * dial_start(c, addrs, who, done, arg): start connecting to the addresses
 * ${addrs} (copied); ${done} is called once, never from within
 * dial_start(). Each failed attempt is logged with ${who} at info level:
 * the caller logs the outcome. NULL if out of memory (logged).
 */
struct dial *dial_start(const struct dial_conf *c, const struct addrinfo *addrs,
    const char *who, dial_fn *done, void *arg);

/**
 * dial_name(c, r, who, done, arg): as dial_start(), to the addresses the
 * resolver ${r} gives now (resolve.h: a host name is looked up without
 * blocking). A name without addresses ends with ${err} ENXIO.
 */
struct dial *dial_name(const struct dial_conf *c, struct resolver *r,
    const char *who, dial_fn *done, void *arg);

/**
 * dial_free(d): stop ${d}, closing the sockets of attempts in flight; a
 * no-op for NULL.
 */
void dial_free(struct dial *d);

#endif
