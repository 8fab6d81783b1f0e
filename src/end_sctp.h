#ifndef END_SCTP_H
#define END_SCTP_H

#include <netdb.h>

#include <ev.h>

#include "end.h"
#include "ppidmap.h"
#include "resolve.h"
#include "sctp.h"

/*
 * A plaintext SCTP association as an end: each user message a unit, with
 * its stream, PPID (translated by the service's map) and unordered flag;
 * a message longer than one DTLS record can carry (16384 bytes, RFC 6083
 * 4.1) or on a stream the association does not have is refused, loudly:
 * never split, never moved to another stream. End of input passed on as
 * SHUTDOWN, a reset as ABORT.
 */

/* Largest message carried: one DTLS record. */
#define END_SCTP_MAX 16384

/* What a service gives each of its plaintext SCTP ends. */
struct end_sctp_conf {
	struct ev_loop *loop;
	const struct sctp_sockopts *so;
	struct resolver *dst; /* the backend's addresses (connect) */
	const struct ppidmap *map; /* PPIDs in the clear and over DTLS */
};

/**
 * end_sctp_accepted(fd, c, who, addr): the end of the accepted association
 * ${fd} (now owned) with the peer ${addr} (as accept() gave it). NULL if
 * out of memory (logged; ${fd} aborted).
 */
struct end *end_sctp_accepted(
    int fd, const struct end_sctp_conf *c, const char *who, const char *addr);

/**
 * end_sctp_connect(c, who, owner): an end connecting to the addresses of
 * c->dst (which must outlive it; resolve.h), reporting progress to
 * ${owner}. NULL if out of memory (logged).
 */
struct end *end_sctp_connect(const struct end_sctp_conf *c, const char *who,
    const struct end_owner *owner);

#endif
