#ifndef DTLS_H
#define DTLS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <openssl/ssl.h>

#include "psk.h"

/* Results of the non-blocking operations besides byte counts. */
#define DTLS_AGAIN (-2) /* retry when dtls_want_*() says */
#define DTLS_ERR (-1) /* failed; logged */

/* TLS settings of one side (echo flags or a service). */
struct dtls_tls {
	const char *cert; /* certificate chain (PEM) */
	const char *key; /* private key (PEM) */
	const char *ca; /* trust anchors; NULL: the own certificate */
	const char *capath; /* directory of hashed trust anchors, or NULL */
	const char *crl; /* PEM CRLs: revocation of the whole chain checked */
	const char *check_host; /* DNS name the peer's certificate must have */
	const char *check_ip; /* IP address the peer's certificate must have */
	int verify_depth; /* longest chain; -1: OpenSSL's default (100) */
	const char *ciphers; /* DTLS 1.2 cipher list; NULL: default */
	const char *groups; /* key exchange groups; NULL: OpenSSL's */
	int min_version, max_version; /* DTLS1_2_VERSION...; 0: DTLS 1.2 */
	const char *options; /* SSL_CONF_cmd() "Options" value, or NULL */
	const struct psk *psk; /* pre-shared keys, or NULL */
	const char *psk_identity; /* client: which of them to use */
	int no_session_cache; /* no session cache and no tickets */
	long session_timeout; /* session lifetime, seconds; 0: OpenSSL's */
	int insecure; /* do not verify the peer */
};

/* What the RFC 6083 engine needs to know about an association. */
struct dtls_params {
	uint16_t stream; /* stream of application data records */
	uint32_t ppid; /* payload protocol id of application data */
	/* Called with each SCTP notification's description, or NULL. */
	void (*notify)(void *arg, const char *text);
	void *notify_arg;
};

struct dtls;

/** dtls_init(void): set up the process-wide BIO method. 0 or -1. */
int dtls_init(void);

/** dtls_fini(void): free what dtls_init() made; a no-op if nothing. */
void dtls_fini(void);

/**
 * dtls_ctx_new(t, server, who): an SSL_CTX for DTLS 1.2 over SCTP with the
 * certificate, key, trust and options of ${t}, for a ${server} or a client.
 * The pre-shared keys of ${t} must outlive the context. Errors are logged
 * with the prefix ${who}. Returns NULL on failure.
 */
SSL_CTX *dtls_ctx_new(const struct dtls_tls *t, int server, const char *who);

/**
 * dtls_new(ctx, fd, server, p, who): the DTLS endpoint of the established
 * association on ${fd} (not owned), after checking the peer authenticates
 * DATA and FORWARD-TSN. ${who} (copied) prefixes its log lines.
 */
struct dtls *dtls_new(SSL_CTX *ctx, int fd, int server,
    const struct dtls_params *p, const char *who);

/** dtls_free(d): free ${d}; the fd stays open. A no-op for NULL. */
void dtls_free(struct dtls *d);

/** dtls_ssl(d): the SSL object of ${d}. */
SSL *dtls_ssl(struct dtls *d);

/**
 * dtls_handshake(d): advance the handshake: 1 done, DTLS_AGAIN, DTLS_ERR.
 */
int dtls_handshake(struct dtls *d);

/**
 * dtls_read(d, buf, len): one record's plaintext into ${buf} (${len} >=
 * 16384): the byte count, 0 when the peer closed, DTLS_AGAIN or DTLS_ERR.
 */
ssize_t dtls_read(struct dtls *d, void *buf, size_t len);

/**
 * dtls_write(d, buf, len): send up to 16384 bytes of ${buf} as one record:
 * the byte count, DTLS_AGAIN or DTLS_ERR.
 */
ssize_t dtls_write(struct dtls *d, const void *buf, size_t len);

/**
 * dtls_shutdown(d): send close_notify once all sent data is acknowledged
 * (RFC 6083 4.9): 1 when sent, DTLS_AGAIN or DTLS_ERR.
 */
int dtls_shutdown(struct dtls *d);

/**
 * dtls_release(d): give back OpenSSL's record buffers of the quiet
 * association ${d}; they are allocated again before its next operation.
 */
void dtls_release(struct dtls *d);

/** dtls_want_write(d): non-zero if a send waits for socket space. */
int dtls_want_write(const struct dtls *d);

/** dtls_pending(d): non-zero if a record can be read without the socket. */
int dtls_pending(struct dtls *d);

/** dtls_peer_closed(d): non-zero once the peer's close_notify arrived. */
int dtls_peer_closed(const struct dtls *d);

/** dtls_key_active(d): the SCTP-AUTH key number in use, from the kernel. */
int dtls_key_active(const struct dtls *d);

/**
 * dtls_peer_name(d, buf, size): the peer certificate's subject on one line
 * (RFC 2253), or "-" without one; returns ${buf}.
 */
char *dtls_peer_name(struct dtls *d, char *buf, size_t size);

/**
 * dtls_print_peer(d, f): print the seed's block to ${f}: the peer's
 * subject, one field a line, and the cipher, between dashed lines.
 */
void dtls_print_peer(struct dtls *d, FILE *f);

#endif
