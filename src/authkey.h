#ifndef AUTHKEY_H
#define AUTHKEY_H

#include <stdint.h>

#include <openssl/ssl.h>

/*
 * The SCTP-AUTH keys of one DTLS/SCTP association (RFC 6083 4.8): at each
 * handshake, the first and every renegotiation, the key derived from the
 * new master secret (RFC 5705 exporter) installed as the next key number,
 * made active and the old one deleted at the points the key schedule of
 * ksched.c names, on the socket. dtls.c feeds it the records it sends and
 * receives and the handshake's progress.
 */
struct authkey;

/**
 * authkey_new(ssl, fd, label_bug, who): the keys of the association on
 * ${fd} (not owned) whose DTLS state is ${ssl} (not owned), key 0 (the
 * empty key) active; ${label_bug}: the exporter label with its NUL, as
 * OpenSSL up to 1.1.0i; ${who} (must outlive it) prefixes log lines. NULL
 * if out of memory (logged).
 */
struct authkey *authkey_new(SSL *ssl, int fd, int label_bug, const char *who);

/** authkey_free(a): free ${a}; NULL is a no-op. */
void authkey_free(struct authkey *a);

/**
 * authkey_before_send(a, type): a record of content type ${type} is about
 * to go to SCTP: what the schedule wants first done. 0, or -1 if a key
 * could not be installed or made active (the association cannot go on;
 * authkey_error() says what, errno why).
 */
int authkey_before_send(struct authkey *a, uint8_t type);

/**
 * authkey_after_send(a, type): a record of content type ${type} went to
 * SCTP: what the schedule wants done then. 0, or -1 as
 * authkey_before_send().
 */
int authkey_after_send(struct authkey *a, uint8_t type);

/** authkey_received(a, type): a record of content type ${type} arrived. */
void authkey_received(struct authkey *a, uint8_t type);

/**
 * authkey_state(a, st): the handshake reached the state ${st} (the info
 * callback's SSL_CB_LOOP): once past those where the master secret exists,
 * the new key is installed, before the peer may use it. 0, or -1 as
 * authkey_before_send().
 */
int authkey_state(struct authkey *a, OSSL_HANDSHAKE_STATE st);

/**
 * authkey_done(a, retired): a handshake completed: the old key is deleted
 * if ChangeCipherSpec went both ways, *${retired} set non-zero then (a
 * failure to delete is logged, unless an abort took the association away
 * first: the kernel then answers EACCES or EINVAL). Returns 0.
 */
int authkey_done(struct authkey *a, int *retired);

/** authkey_active(a): the key number in use. */
unsigned authkey_active(const struct authkey *a);

/** authkey_old(a): the key number the last handshake retired. */
unsigned authkey_old(const struct authkey *a);

/** authkey_installed(a): how many keys were installed. */
unsigned long authkey_installed(const struct authkey *a);

/** authkey_error(a): what failed last ("installing SCTP-AUTH key"...). */
const char *authkey_error(const struct authkey *a);

#endif
