#ifndef END_TCP_H
#define END_TCP_H

#include <netdb.h>

#include <ev.h>

#include "end.h"
#include "resolve.h"

/*
 * A TCP connection as an end: a byte stream; end of input passed on as
 * FIN (half-close), a reset as RST.
 */

/**
 * end_tcp_accepted(fd, nodelay, who, addr): the end of the accepted TCP
 * connection ${fd} (now owned) with the peer ${addr} (as accept() gave
 * it), TCP_NODELAY set if ${nodelay}. NULL if out of memory (logged; ${fd}
 * reset).
 */
struct end *end_tcp_accepted(
    int fd, int nodelay, const char *who, const char *addr);

/**
 * end_tcp_connect(loop, dst, nodelay, who, owner): an end connecting to
 * the addresses of ${dst} (which must outlive it; resolve.h), reporting
 * progress to ${owner}. NULL if out of memory (logged).
 */
struct end *end_tcp_connect(struct ev_loop *loop, struct resolver *dst,
    int nodelay, const char *who, const struct end_owner *owner);

#endif
