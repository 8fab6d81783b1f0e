#ifndef SVC_H
#define SVC_H

#include <ev.h>
#include <openssl/ssl.h>

#include "dtls.h"
#include "sctp.h"

struct conn;

/* A service: one listener and the connections it accepted. */
struct svc {
	char name[64];
	struct ev_loop *loop;
	SSL_CTX *ctx;
	struct sctp_sockopts so;
	struct dtls_params dp;
	double hs_timeout; /* seconds for the DTLS handshake */
	double idle_timeout; /* seconds without traffic; 0: none */
	double close_timeout; /* seconds for a graceful close */
	int max_conns; /* concurrent connections; 0: no limit */
	int transcript; /* print the seed's lines on stdout */
	int nconns;
	unsigned long served; /* connections accepted so far */
	int lfd; /* listening socket, -1 if none */
	ev_io lio;
	ev_timer backoff; /* accept paused (EMFILE) */
	struct conn *conns; /* open connections */
};

#endif
