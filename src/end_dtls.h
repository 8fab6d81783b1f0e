#ifndef END_DTLS_H
#define END_DTLS_H

#include <netdb.h>

#include <ev.h>
#include <openssl/ssl.h>

#include "dtls.h"
#include "resolve.h"
#include "end.h"
#include "sctp.h"

/*
 * The DTLS/SCTP association as an end: records of up to 16384 bytes,
 * each unit one record (RFC 6083); end of input passed on as close_notify
 * (after everything sent was acknowledged, 4.9), a reset as SCTP ABORT.
 * Opening it is connecting (the client side: every address of the peer,
 * dial.c) and the DTLS handshake.
 */

/* What a service gives each of its DTLS/SCTP ends. */
struct end_dtls_conf {
	struct ev_loop *loop;
	SSL_CTX *ctx;
	const struct sctp_sockopts *so;
	struct dtls_params dp; /* stream and PPID of data without its own */
	struct resolver *dst; /* the peer's addresses (client) */
	SSL_SESSION *offer; /* client: a session to offer, or NULL */
};

/**
 * end_dtls_accepted(fd, c, who, addr, owner): the server end of the
 * accepted association ${fd} (now owned) with the peer ${addr} (as accept()
 * gave it); its handshake starts when it is first opened. NULL if out of
 * memory (logged; the association aborted).
 */
struct end *end_dtls_accepted(int fd, const struct end_dtls_conf *c,
    const char *who, const char *addr, const struct end_owner *owner);

/**
 * end_dtls_connect(c, who, owner): the client end of an association to
 * the addresses of c->dst (which must outlive it; resolve.h), connecting
 * now. NULL if
 * out of memory (logged).
 */
struct end *end_dtls_connect(const struct end_dtls_conf *c, const char *who,
    const struct end_owner *owner);

/**
 * end_dtls_engine(e): the RFC 6083 engine of the DTLS end ${e} (for the
 * cipher, the peer's name, sessions, counters), or NULL before the
 * association exists.
 */
struct dtls *end_dtls_engine(const struct end *e);

/**
 * end_dtls_offered(e): the session ${e} offered to resume (compare only),
 * or NULL.
 */
const SSL_SESSION *end_dtls_offered(const struct end *e);

#endif
