#ifndef TLS_H
#define TLS_H

#include <stddef.h>

#include <openssl/ssl.h>

#include "psk.h"

/* TLS settings of one side (echo flags or a service). */
struct tls_conf {
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

/* Who the callbacks of one SSL speak of: log prefix and socket. */
struct tls_peer {
	const char *who; /* log prefix */
	int fd; /* the association (its peer address is logged) */
};

/*
 * A problem with the TLS material or settings, told with the caller's
 * ${arg}: the configuration ${key} at fault ("cert", "ciphers"...); for a
 * bad setting its ${value} (${msg} says what is expected), for a file NULL
 * (${msg} says it all, naming the file).
 */
typedef void tls_report_fn(
    void *arg, const char *key, const char *value, const char *msg);

/**
 * tls_ctx_new(t, server, who, report, arg): an SSL_CTX for DTLS 1.2 with
 * the certificate, key, trust and options of ${t}, for a ${server} or a
 * client. This is where the TLS material is read and checked, once: every
 * problem (a file that cannot be read or holds nothing usable, a key that
 * does not match, a bad cipher list...) is told to ${report} with ${arg},
 * or logged with the prefix ${who} if ${report} is NULL, and NULL is
 * returned. Which credentials a side needs is the caller's to check. The
 * pre-shared keys of ${t} must outlive the context.
 */
SSL_CTX *tls_ctx_new(const struct tls_conf *t, int server, const char *who,
    tls_report_fn *report, void *arg);

/**
 * tls_ctx_use_psk(ctx, t, server): make the context ${ctx} (from
 * tls_ctx_new()) take its pre-shared keys from t->psk now (a copy that
 * outlives the one it was built with). 0, or -1 (logged).
 */
int tls_ctx_use_psk(SSL_CTX *ctx, const struct tls_conf *t, int server);

/**
 * tls_ctx_ticket_keys(ctx, secret, len, name): give the server context
 * ${ctx} session ticket keys (RFC 5077: key name, HMAC and AES keys, 80
 * bytes) derived with HMAC-SHA-512 from the ${len} bytes at ${secret} and
 * the service ${name}: every process with the same secret issues and
 * accepts the same tickets, and no other service's. 0, or -1 (logged).
 */
int tls_ctx_ticket_keys(
    SSL_CTX *ctx, const unsigned char *secret, size_t len, const char *name);

/**
 * tls_peer_set(ssl, p): the callbacks of ${ssl} log with ${p}, which must
 * outlive it. 0, or -1 (logged).
 */
int tls_peer_set(SSL *ssl, const struct tls_peer *p);

/**
 * tls_name_str(n, buf, size): the distinguished name ${n} on one line
 * (RFC 2253) into ${buf}, or "-" for NULL; returns ${buf}.
 */
char *tls_name_str(const X509_NAME *n, char *buf, size_t size);

/**
 * tls_stall_reason(ssl, buf, size): what the handshake of ${ssl} that
 * stopped waits for, as far as it can be told (a wrong pre-shared key:
 * DTLS drops a Finished that does not verify, without an alert; an
 * SCTP-AUTH key derived otherwise), as ": ..." into ${buf}, or ""; returns
 * ${buf}.
 */
char *tls_stall_reason(const SSL *ssl, char *buf, size_t size);

/** tls_session_expired(s): non-zero once ${s} is past its lifetime. */
int tls_session_expired(const SSL_SESSION *s);

/** tls_session_hold(s): take a reference to ${s}; NULL is a no-op. */
void tls_session_hold(SSL_SESSION *s);

/** tls_session_free(s): drop a reference to ${s}; NULL is a no-op. */
void tls_session_free(SSL_SESSION *s);

#endif
