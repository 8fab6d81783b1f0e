/*
 * authkey.c: the SCTP-AUTH keys of one DTLS/SCTP association, installed,
 * made active and deleted on the socket as the RFC 6083 4.8 key schedule
 * (ksched.c) says (authkey.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "authkey.h"
#include "ksched.h"
#include "log.h"
#include "sctp.h"

/*
 * RFC 6083 4.8 exporter label; 23 bytes, no NUL (OpenSSL > 1.1.1a), or
 * with the NUL (sctp_label_bug, as OpenSSL up to 1.1.0i).
 */
#define EXPORTER_LABEL "EXPORTER_DTLS_OVER_SCTP"
#define EXPORTER_KEYLEN 64

struct authkey {
	SSL *ssl;
	int fd;
	int label_bug;
	struct ksched ks;
	unsigned long installed;
	const char *error; /* what failed last */
	const char *who;
};

/**
 * authkey_new(ssl, fd, label_bug, who): the keys of the association on
 * ${fd} (not owned) whose DTLS state is ${ssl} (not owned), key 0 (the
 * empty key) active; ${label_bug}: the exporter label with its NUL, as
 * OpenSSL up to 1.1.0i; ${who} (must outlive it) prefixes log lines. NULL
 * if out of memory (logged).
 */
struct authkey *
authkey_new(SSL *ssl, int fd, int label_bug, const char *who)
{
	struct authkey *a;

	if ((a = calloc(1, sizeof(*a))) == NULL) {
		log_err(who, "out of memory");
		return NULL;
	}
	a->ssl = ssl;
	a->fd = fd;
	a->label_bug = label_bug;
	a->who = who;
	ksched_init(&a->ks);
	return a;
}

/** authkey_free(a): free ${a}; NULL is a no-op. */
void
authkey_free(struct authkey *a)
{
	free(a);
}

/* The exporter key of the new master secret as key ks.next. 0 or -1. */
static int
install(struct authkey *a)
{
	uint8_t key[EXPORTER_KEYLEN];
	size_t llen =
	    a->label_bug ? sizeof(EXPORTER_LABEL) : strlen(EXPORTER_LABEL);
	int r = 0;

	if (SSL_export_keying_material(a->ssl, key, sizeof(key), EXPORTER_LABEL,
	        llen, NULL, 0, 0) != 1) {
		log_ssl(LOG_LVL_ERROR, a->who, "RFC 5705 exporter failed");
		a->error = NULL; /* logged */
		errno = 0;
		return -1;
	}
	if (sctp_key_set(a->fd, a->ks.next, key, sizeof(key)) != 0) {
		a->error = "installing SCTP-AUTH key";
		r = -1;
	} else {
		a->installed++;
		log_debug(a->who, "SCTP-AUTH key %u installed", a->ks.next);
	}
	OPENSSL_cleanse(key, sizeof(key));
	return r;
}

/* Delete the old key; a gone association is no failure. */
static void
retire(struct authkey *a)
{
	if (sctp_key_retire(a->fd, a->ks.old) == 0)
		log_debug(a->who, "SCTP-AUTH key %u deleted", a->ks.old);
	else if (sctp_assoc_gone(a->fd))
		/* An abort beat the handshake's end: nothing to do (the
		 * kernel answers EACCES or EINVAL for the endpoint). */
		log_debug(a->who,
		    "SCTP-AUTH key %u not deleted: the association is gone",
		    a->ks.old);
	else
		log_warn(a->who, "deleting SCTP-AUTH key %u: %s", a->ks.old,
		    strerror(errno));
}

/* Carry out what the key schedule asks for: 0, or -1 at the first failure. */
static int
act(struct authkey *a, unsigned what)
{
	if ((what & KS_INSTALL) && install(a) != 0)
		return -1;
	if (what & KS_ACTIVATE) {
		if (sctp_key_activate(a->fd, a->ks.active) != 0) {
			a->error = "activating SCTP-AUTH key";
			return -1;
		}
		log_debug(a->who, "SCTP-AUTH key %u active", a->ks.active);
	}
	if (what & KS_RETIRE)
		retire(a);
	return 0;
}

/**
 * authkey_before_send(a, type): a record of content type ${type} is about
 * to go to SCTP: what the schedule wants first done. 0, or -1 if a key
 * could not be installed or made active (the association cannot go on;
 * authkey_error() says what, errno why).
 */
int
authkey_before_send(struct authkey *a, uint8_t type)
{
	return act(a, ksched_before_send(&a->ks, type));
}

/**
 * authkey_after_send(a, type): a record of content type ${type} went to
 * SCTP: what the schedule wants done then. 0, or -1 as
 * authkey_before_send().
 */
int
authkey_after_send(struct authkey *a, uint8_t type)
{
	return act(a, ksched_after_send(&a->ks, type));
}

/** authkey_received(a, type): a record of content type ${type} arrived. */
void
authkey_received(struct authkey *a, uint8_t type)
{
	ksched_received(&a->ks, type);
}

/**
 * authkey_state(a, st): the handshake reached the state ${st} (the info
 * callback's SSL_CB_LOOP): once past those where the master secret exists,
 * the new key is installed, before the peer may use it. 0, or -1 as
 * authkey_before_send().
 */
int
authkey_state(struct authkey *a, OSSL_HANDSHAKE_STATE st)
{
	if (a->ks.has_next)
		return 0;
	switch (st) {
	case TLS_ST_CW_CERT_VRFY:
	case TLS_ST_CW_CHANGE:
	case TLS_ST_CR_SESSION_TICKET:
	case TLS_ST_CR_CHANGE:
	case TLS_ST_SR_CERT_VRFY:
	case TLS_ST_SR_CHANGE:
	case TLS_ST_SW_SESSION_TICKET:
	case TLS_ST_SW_CHANGE:
		return act(a, ksched_secret(&a->ks));
	default:
		return 0;
	}
}

/**
 * authkey_done(a, retired): a handshake completed: the old key is deleted
 * if ChangeCipherSpec went both ways, *${retired} set non-zero then (a
 * failure to delete is logged, unless an abort took the association away
 * first: the kernel then answers EACCES or EINVAL). Returns 0.
 */
int
authkey_done(struct authkey *a, int *retired)
{
	unsigned what = ksched_done(&a->ks);

	*retired = (what & KS_RETIRE) != 0;
	return act(a, what);
}

/** authkey_active(a): the key number in use. */
unsigned
authkey_active(const struct authkey *a)
{
	return a->ks.active;
}

/** authkey_old(a): the key number the last handshake retired. */
unsigned
authkey_old(const struct authkey *a)
{
	return a->ks.old;
}

/** authkey_installed(a): how many keys were installed. */
unsigned long
authkey_installed(const struct authkey *a)
{
	return a->installed;
}

/** authkey_error(a): what failed last ("installing SCTP-AUTH key"...). */
const char *
authkey_error(const struct authkey *a)
{
	return a->error;
}
