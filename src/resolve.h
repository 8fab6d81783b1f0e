#ifndef RESOLVE_H
#define RESOLVE_H

#include <netdb.h>

#include <ev.h>

#include "endpoint.h"

/*
 * The addresses of a connect endpoint (all its hosts, for a multi-homed
 * SCTP peer), looked up when a connection needs them. A numeric address is fixed at the start. A host name is looked up
 * with c-ares, driven by the event loop (never blocking it): /etc/hosts,
 * then DNS, as /etc/nsswitch.conf orders them. An answer is kept for its
 * DNS TTL (at most RESOLVE_MAX_TTL), so a name that moves is followed;
 * lookups for connections that come together are one query. When the
 * name servers cannot be reached, the last answer is used again (RFC 8767
 * serve-stale) for RESOLVE_STALE more seconds at a time; a name that no
 * longer exists (NXDOMAIN) has no addresses. /etc/resolv.conf is read
 * again when it changes.
 */

#define RESOLVE_MAX_TTL 300.0 /* seconds an answer is kept at most */
#define RESOLVE_STALE 10.0 /* seconds a stale answer is used again */
#define RESOLVE_TIMEOUT_MS 2000 /* per query and name server (c-ares) */
#define RESOLVE_TRIES 2

struct resolver;
struct resolve_req;

/*
 * The answer, with the caller's ${arg}: the addresses ${addrs} (valid
 * during the call only; in the order to try them, RFC 6724) or NULL with
 * what went wrong in ${err}.
 */
typedef void resolve_fn(
    void *arg, const struct addrinfo *addrs, const char *err);

/**
 * resolve_new(loop, ep, socktype, proto, who): the addresses of the hosts
 * of ${ep} (each an IPv4 or IPv6 address, "%scope" allowed, or a DNS
 * name; several for a multi-homed SCTP peer, in the order written) and
 * its numeric port, for sockets of ${socktype} and ${proto}. Names are
 * looked up at once, so that one that does not resolve is reported (a
 * warning with ${who}: the service runs on and tries again for each
 * connection). NULL if out of memory or a host is a bad address (logged).
 */
struct resolver *resolve_new(struct ev_loop *loop, const struct endpoint *ep,
    int socktype, int proto, const char *who);

/**
 * resolve_lookup(r, done, arg): the addresses of ${r} for a connection:
 * ${done} is called once, from the event loop (never from within
 * resolve_lookup()), unless resolve_cancel() came first. NULL if out of
 * memory (logged).
 */
struct resolve_req *resolve_lookup(
    struct resolver *r, resolve_fn *done, void *arg);

/** resolve_cancel(q): ${q}'s answer is no longer wanted; NULL is a no-op. */
void resolve_cancel(struct resolve_req *q);

/**
 * resolve_check(loop, ep, socktype, proto, who): look the hosts of ${ep}
 * up as a connection would, running ${loop} until the answer came: 0 if
 * they have addresses, -1 if not (a warning logged with ${who}).
 */
int resolve_check(struct ev_loop *loop, const struct endpoint *ep, int socktype,
    int proto, const char *who);

/**
 * resolve_free(r): free ${r}; the requests still waiting are dropped
 * without a call. A no-op for NULL.
 */
void resolve_free(struct resolver *r);

#endif
