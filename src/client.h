#ifndef CLIENT_H
#define CLIENT_H

#include <ev.h>
#include <openssl/ssl.h>

#include "dtls.h"
#include "sctp.h"

/* What the echo client does (the seed's -c mode). */
struct client_opts {
	const char *host;
	const char *port;
	const char *message; /* text of each message, before " (i)" */
	long count; /* messages to send */
	long size; /* pad or cut each message to this; 0: as is */
	const char *sess_in; /* PEM session to resume, or NULL */
	const char *sess_out; /* where to save the session, or NULL */
	const char *key, *cert; /* printed as the seed did */
	double timeout; /* seconds for connect, handshake, replies */
	struct sctp_sockopts so;
	struct dtls_params dp;
};

/**
 * client_run(loop, ctx, o): run the echo client ${o} on ${loop} with the
 * TLS context ${ctx}, printing the seed's transcript on stdout. Returns 0
 * if every response came back identical, else 1.
 */
int client_run(struct ev_loop *loop, SSL_CTX *ctx, const struct client_opts *o);

#endif
