/*
 * dtls.c: DTLS 1.2 over SCTP as RFC 6083 wants it, on a stock OpenSSL that
 * has no SCTP support: the SSL_CTX and a BIO that carries one DTLS record
 * per SCTP user message and runs the SCTP-AUTH key schedule, wire compatible
 * with OpenSSL's own enable-sctp BIO (bss_dgram.c).
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "dtls.h"
#include "ksched.h"
#include "log.h"
#include "rec.h"
#include "sctp.h"

/*
 * The link MTU we tell OpenSSL: large enough that a 16384-byte write leaves
 * as one record and handshake messages are not fragmented below 2^14
 * (RFC 6083 3.2: no path MTU discovery, PMTU 2^14).
 */
#define LINK_MTU (16384 + 2048)
/* RFC 6083 4.8 exporter label; 23 bytes, no NUL (OpenSSL > 1.1.1a). */
#define EXPORTER_LABEL "EXPORTER_DTLS_OVER_SCTP"
#define EXPORTER_KEYLEN 64
/*
 * DTLS retransmission MUST NOT be used on SCTP (RFC 6083 3.5). Stock
 * OpenSSL cannot turn its timer off, so it gets the longest interval it can
 * hold (~71 minutes); handshakes time out long before.
 */
#define NO_TIMER_US 4000000000u
#define DEFAULT_CIPHERS "ECDHE+AESGCM:ECDHE+CHACHA20"

struct dtls {
	SSL *ssl;
	BIO *bio;
	int fd;
	struct dtls_params p;
	struct ksched ks;
	uint8_t *rx; /* one message being reassembled */
	size_t rxlen; /* bytes in rx */
	unsigned rx_ready : 1; /* rx holds a whole message */
	unsigned eof : 1; /* the association ended */
	unsigned failed : 1; /* fatal error, logged */
	unsigned dry : 1; /* nothing of ours is unacknowledged */
	unsigned dry_wait : 1; /* subscribed to the sender-dry event */
	unsigned want_write : 1; /* a send hit EAGAIN */
	char who[128];
};

static BIO_METHOD *rfc6083_method;

/* Fail the association: log once. */
static void
fail(struct dtls *d, const char *what, int err)
{
	if (!d->failed) {
		if (err != 0)
			log_err(d->who, "%s: %s", what, strerror(err));
		else
			log_err(d->who, "%s", what);
	}
	d->failed = 1;
}

static void
key_install(struct dtls *d)
{
	uint8_t key[EXPORTER_KEYLEN];

	if (SSL_export_keying_material(d->ssl, key, sizeof(key), EXPORTER_LABEL,
	        strlen(EXPORTER_LABEL), NULL, 0, 0) != 1) {
		log_ssl(LOG_LVL_ERROR, d->who, "RFC 5705 exporter failed");
		d->failed = 1;
		return;
	}
	if (sctp_key_set(d->fd, d->ks.next, key, sizeof(key)) != 0)
		fail(d, "installing SCTP-AUTH key", errno);
	else
		log_debug(d->who, "SCTP-AUTH key %u installed", d->ks.next);
	OPENSSL_cleanse(key, sizeof(key));
}

/* Carry out what the key schedule asks for. */
static void
key_actions(struct dtls *d, unsigned act)
{
	if (act & KS_INSTALL)
		key_install(d);
	if ((act & KS_ACTIVATE) && !d->failed) {
		if (sctp_key_activate(d->fd, d->ks.active) != 0)
			fail(d, "activating SCTP-AUTH key", errno);
		else
			log_debug(
			    d->who, "SCTP-AUTH key %u active", d->ks.active);
	}
	if ((act & KS_RETIRE) && !d->failed) {
		if (sctp_key_retire(d->fd, d->ks.old) != 0)
			log_warn(d->who, "deleting SCTP-AUTH key %u: %s",
			    d->ks.old, strerror(errno));
		else
			log_debug(
			    d->who, "SCTP-AUTH key %u deleted", d->ks.old);
	}
}

/*
 * The master secret exists once the handshake is past these states: the
 * earliest moment the new key can be installed, so that it is there before
 * the peer may use it, whichever Finished comes first.
 */
static void
info_cb(const SSL *ssl, int where, int ret)
{
	struct dtls *d = SSL_get_app_data(ssl);

	(void)ret;
	if (d == NULL || !(where & SSL_CB_LOOP) || d->ks.has_next)
		return;
	switch (SSL_get_state(ssl)) {
	case TLS_ST_CW_CERT_VRFY:
	case TLS_ST_CW_CHANGE:
	case TLS_ST_CR_SESSION_TICKET:
	case TLS_ST_CR_CHANGE:
	case TLS_ST_SR_CERT_VRFY:
	case TLS_ST_SR_CHANGE:
	case TLS_ST_SW_SESSION_TICKET:
	case TLS_ST_SW_CHANGE:
		key_actions(d, ksched_secret(&d->ks));
		break;
	default:
		break;
	}
}

static unsigned int
timer_cb(SSL *ssl, unsigned int timer_us)
{
	(void)ssl;
	(void)timer_us;
	return NO_TIMER_US;
}

static void
on_notification(struct dtls *d, const uint8_t *buf, size_t len)
{
	const union sctp_notification *n = (const void *)buf;
	char text[160];
	int type;

	type = sctp_notif_str(buf, len, text, sizeof(text));
	log_debug(d->who, "SCTP notification: %s", text);
	if (d->p.notify != NULL)
		d->p.notify(d->p.notify_arg, text);
	switch (type) {
	case SCTP_SENDER_DRY_EVENT:
		if (d->dry_wait) {
			d->dry = 1;
			d->dry_wait = 0;
			(void)sctp_dry_subscribe(d->fd, 0);
		}
		break;
	case SCTP_AUTHENTICATION_EVENT:
		if (len >= sizeof(n->sn_authkey_event) &&
		    n->sn_authkey_event.auth_indication == SCTP_AUTH_NO_AUTH)
			fail(d, "peer does not support SCTP-AUTH", 0);
		break;
	default:
		break;
	}
}

/* A whole message arrived: check it is DTLS and note what it carries. */
static int
on_message(struct dtls *d)
{
	const char *why;
	unsigned types;

	if (rec_check(d->rx, d->rxlen, &why) != 0) {
		log_err(d->who, "protocol violation: %s (%zu bytes)", why,
		    d->rxlen);
		d->failed = 1;
		return -1;
	}
	types = rec_types(d->rx, d->rxlen);
	if (types & (1u << (REC_CCS - REC_CCS)))
		ksched_received(&d->ks, REC_CCS);
	d->rx_ready = 1;
	return 0;
}

/*
 * Read from the socket until a whole message is held, the socket is empty
 * or the association ends. Notifications are handled on the way.
 */
static int
pump(struct dtls *d)
{
	ssize_t n;
	int flags;

	if (d->rx == NULL && (d->rx = malloc(REC_MAX + 1)) == NULL) {
		fail(d, "out of memory", 0);
		return -1;
	}
	while (!d->rx_ready && !d->eof && !d->failed) {
		n = sctp_msg_recv(
		    d->fd, d->rx + d->rxlen, REC_MAX + 1 - d->rxlen, &flags);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			if (errno == ECONNRESET || errno == EPIPE)
				fail(d, "association aborted by the peer", 0);
			else
				fail(d, "SCTP receive", errno);
			return -1;
		}
		if (n == 0) {
			d->eof = 1;
			break;
		}
		if (flags & MSG_NOTIFICATION) {
			/* Notifications are small and come whole. */
			if (flags & MSG_EOR)
				on_notification(d, d->rx + d->rxlen, (size_t)n);
			continue;
		}
		d->rxlen += (size_t)n;
		if (flags & MSG_EOR) {
			if (on_message(d) != 0)
				return -1;
		} else if (d->rxlen > REC_MAX) {
			log_err(d->who,
			    "protocol violation: SCTP message "
			    "larger than %d bytes",
			    REC_MAX);
			d->failed = 1;
			return -1;
		}
	}
	return d->failed ? -1 : 0;
}

/* Wait (without blocking) until all we sent is acknowledged. */
static int
wait_dry(struct dtls *d)
{
	if (d->dry)
		return 1;
	if (!d->dry_wait) {
		if (sctp_dry_subscribe(d->fd, 1) != 0) {
			fail(d, "subscribing to SCTP_SENDER_DRY_EVENT", errno);
			return -1;
		}
		d->dry_wait = 1;
	}
	if (pump(d) != 0)
		return -1;
	if (d->eof && !d->dry) {
		fail(d, "association ended while waiting for acknowledgements",
		    0);
		return -1;
	}
	return d->dry;
}

static int
bio_read(BIO *b, char *out, int outl)
{
	struct dtls *d = BIO_get_data(b);
	int n;

	BIO_clear_retry_flags(b);
	if (pump(d) != 0)
		return -1;
	if (!d->rx_ready) {
		if (d->eof)
			return 0;
		BIO_set_retry_read(b);
		return -1;
	}
	if (d->rxlen > (size_t)outl) {
		log_err(d->who,
		    "protocol violation: record of %zu bytes "
		    "exceeds the DTLS read buffer",
		    d->rxlen);
		d->failed = 1;
		return -1;
	}
	memcpy(out, d->rx, d->rxlen);
	n = (int)d->rxlen;
	d->rxlen = 0;
	d->rx_ready = 0;
	return n;
}

/*
 * OpenSSL may hand over a whole flight in one write (its buffering BIO):
 * each record becomes its own SCTP message. Handshake, ChangeCipherSpec and
 * alert records go on stream 0 with PPID 0 and an immediate SACK;
 * application data on the configured stream and PPID. Returns the bytes of
 * whole records sent; a record is never sent in part.
 */
static int
bio_write(BIO *b, const char *in, int inl)
{
	struct dtls *d = BIO_get_data(b);
	const uint8_t *p = (const uint8_t *)in;
	size_t off = 0, len = (size_t)inl;
	long rl;
	uint8_t type;
	int app, r;

	BIO_clear_retry_flags(b);
	d->want_write = 0;
	while (off < len && !d->failed) {
		if ((rl = rec_len(p + off, len - off)) < 0) {
			fail(d,
			    "internal error: OpenSSL wrote a partial record",
			    0);
			break;
		}
		type = p[off];
		app = type == REC_APPDATA;
		/* RFC 6083 4.7: everything acknowledged before our CCS. */
		if (type == REC_CCS) {
			key_actions(d, ksched_before_send(&d->ks, type));
			if ((r = wait_dry(d)) <= 0) {
				if (r == 0)
					BIO_set_retry_write(b);
				break;
			}
		} else {
			key_actions(d, ksched_before_send(&d->ks, type));
		}
		if (d->failed)
			break;
		if (sctp_msg_send(d->fd, p + off, (size_t)rl,
		        app ? d->p.stream : 0, app ? d->p.ppid : 0, !app) < 0) {
			if (errno == EAGAIN || errno == ENOMEM) {
				d->want_write = 1;
				BIO_set_retry_write(b);
			} else if (errno == EPIPE || errno == ECONNRESET) {
				fail(d, "association aborted by the peer", 0);
			} else {
				fail(d, "SCTP send", errno);
			}
			break;
		}
		d->dry = 0;
		key_actions(d, ksched_after_send(&d->ks, type));
		off += (size_t)rl;
	}
	if (off > 0)
		return (int)off;
	return -1;
}

static long
bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	(void)b;
	(void)ptr;
	switch (cmd) {
	case BIO_CTRL_FLUSH:
	case BIO_CTRL_DUP:
		return 1;
	case BIO_CTRL_DGRAM_QUERY_MTU:
	case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
		return LINK_MTU;
	case BIO_CTRL_DGRAM_SET_MTU:
		return num;
	case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD:
	case BIO_CTRL_DGRAM_MTU_EXCEEDED:
	case BIO_CTRL_WPENDING:
	case BIO_CTRL_PENDING:
	default:
		return 0;
	}
}

static int
bio_create(BIO *b)
{
	BIO_set_init(b, 1);
	return 1;
}

/** dtls_init(void): set up the process-wide BIO method. 0 or -1. */
int
dtls_init(void)
{
	BIO_METHOD *m;

	if (rfc6083_method != NULL)
		return 0;
	m = BIO_meth_new(
	    BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "RFC 6083 DTLS/SCTP");
	if (m == NULL || !BIO_meth_set_write(m, bio_write) ||
	    !BIO_meth_set_read(m, bio_read) ||
	    !BIO_meth_set_ctrl(m, bio_ctrl) ||
	    !BIO_meth_set_create(m, bio_create)) {
		log_ssl(LOG_LVL_ERROR, NULL, "cannot create the BIO method");
		BIO_meth_free(m);
		return -1;
	}
	rfc6083_method = m;
	return 0;
}

/** dtls_fini(void): free what dtls_init() made; a no-op if nothing. */
void
dtls_fini(void)
{
	BIO_meth_free(rfc6083_method);
	rfc6083_method = NULL;
}

/* Trust: the CA file, or the own certificate (the seed's deployment). */
static int
ctx_trust(SSL_CTX *ctx, const struct dtls_tls *t, int server, const char *who)
{
	int mode = SSL_VERIFY_PEER;

	if (t->insecure) {
		SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
		return 0;
	}
	if (t->ca != NULL) {
		if (SSL_CTX_load_verify_locations(ctx, t->ca, NULL) != 1) {
			log_ssl(LOG_LVL_ERROR, who, "cannot load CA file");
			return -1;
		}
	} else if (X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx),
	               SSL_CTX_get0_certificate(ctx)) != 1) {
		log_ssl(LOG_LVL_ERROR, who,
		    "cannot use the certificate as trust anchor");
		return -1;
	}
	if (server)
		mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
	SSL_CTX_set_verify(ctx, mode, NULL);
	return 0;
}

/**
 * dtls_ctx_new(t, server, who): an SSL_CTX for DTLS 1.2 over SCTP with the
 * certificate, key and trust of ${t}, for a ${server} or a client. Errors
 * are logged with the prefix ${who}. Returns NULL on failure.
 */
SSL_CTX *
dtls_ctx_new(const struct dtls_tls *t, int server, const char *who)
{
	SSL_CTX *ctx;
	static const unsigned char sid_ctx[] = "sctp-dtls";

	ctx = SSL_CTX_new(server ? DTLS_server_method() : DTLS_client_method());
	if (ctx == NULL) {
		log_ssl(LOG_LVL_ERROR, who, "SSL_CTX_new failed");
		goto err0;
	}
	if (!SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION) ||
	    !SSL_CTX_set_max_proto_version(ctx, DTLS1_2_VERSION)) {
		log_ssl(LOG_LVL_ERROR, who, "cannot restrict to DTLS 1.2");
		goto err1;
	}
	/* Renegotiation would interleave handshakes with data on streams. */
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_QUERY_MTU);
	SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	if (SSL_CTX_set_cipher_list(
	        ctx, t->ciphers != NULL ? t->ciphers : DEFAULT_CIPHERS) != 1) {
		log_ssl(LOG_LVL_ERROR, who, "bad cipher list");
		goto err1;
	}
	if (t->cert != NULL &&
	    SSL_CTX_use_certificate_chain_file(ctx, t->cert) != 1) {
		log_ssl(LOG_LVL_ERROR, who, "cannot load certificate");
		goto err1;
	}
	if (t->key != NULL &&
	    SSL_CTX_use_PrivateKey_file(ctx, t->key, SSL_FILETYPE_PEM) != 1) {
		log_ssl(LOG_LVL_ERROR, who, "cannot load private key");
		goto err1;
	}
	if (t->cert != NULL && t->key != NULL &&
	    SSL_CTX_check_private_key(ctx) != 1) {
		log_ssl(LOG_LVL_ERROR, who,
		    "private key does not match the certificate");
		goto err1;
	}
	if (t->cert == NULL && server) {
		log_err(who, "a server needs a certificate and key");
		goto err1;
	}
	if (t->cert == NULL && t->ca == NULL && !t->insecure) {
		log_err(who,
		    "no certificate and no CA file to verify the "
		    "peer with");
		goto err1;
	}
	if (ctx_trust(ctx, t, server, who) != 0)
		goto err1;
	if (server &&
	    SSL_CTX_set_session_id_context(ctx, sid_ctx, sizeof(sid_ctx) - 1) !=
	        1) {
		log_ssl(LOG_LVL_ERROR, who, "cannot set session id context");
		goto err1;
	}
	SSL_CTX_set_info_callback(ctx, info_cb);
	return ctx;

err1:
	SSL_CTX_free(ctx);
err0:
	return NULL;
}

/**
 * dtls_new(ctx, fd, server, p, who): the DTLS endpoint of the established
 * association on ${fd} (not owned), after checking the peer authenticates
 * DATA and FORWARD-TSN. ${who} (copied) prefixes its log lines.
 */
struct dtls *
dtls_new(SSL_CTX *ctx, int fd, int server, const struct dtls_params *p,
    const char *who)
{
	struct dtls *d;

	if ((d = calloc(1, sizeof(*d))) == NULL) {
		log_err(who, "out of memory");
		goto err0;
	}
	d->fd = fd;
	d->p = *p;
	snprintf(d->who, sizeof(d->who), "%s", who);
	ksched_init(&d->ks);
	if (sctp_peer_auth_check(fd, who) != 0)
		goto err1;
	if ((d->ssl = SSL_new(ctx)) == NULL ||
	    (d->bio = BIO_new(rfc6083_method)) == NULL) {
		log_ssl(LOG_LVL_ERROR, who, "cannot create the DTLS state");
		goto err2;
	}
	BIO_set_data(d->bio, d);
	SSL_set_bio(d->ssl, d->bio, d->bio);
	SSL_set_app_data(d->ssl, d);
	DTLS_set_timer_cb(d->ssl, timer_cb);
	if (!DTLS_set_link_mtu(d->ssl, LINK_MTU)) {
		log_ssl(LOG_LVL_ERROR, who, "cannot set the link MTU");
		goto err2;
	}
	if (server)
		SSL_set_accept_state(d->ssl);
	else
		SSL_set_connect_state(d->ssl);
	return d;

err2:
	SSL_free(d->ssl); /* frees the BIO it holds */
	if (d->ssl == NULL)
		BIO_free(d->bio);
err1:
	free(d);
err0:
	return NULL;
}

/** dtls_free(d): free ${d}; the fd stays open. A no-op for NULL. */
void
dtls_free(struct dtls *d)
{
	if (d == NULL)
		return;
	SSL_free(d->ssl);
	free(d->rx);
	free(d);
}

/** dtls_ssl(d): the SSL object of ${d}. */
SSL *
dtls_ssl(struct dtls *d)
{
	return d->ssl;
}

/* Map an SSL_* result to DTLS_AGAIN / DTLS_ERR, logging failures once. */
static int
ssl_result(struct dtls *d, int r, const char *what)
{
	long vr;

	switch (SSL_get_error(d->ssl, r)) {
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE:
		if (!d->failed)
			return DTLS_AGAIN;
		break;
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	default:
		break;
	}
	if (!d->failed) {
		vr = SSL_get_verify_result(d->ssl);
		if (vr != X509_V_OK)
			log_err(d->who, "%s: peer certificate rejected: %s",
			    what, X509_verify_cert_error_string(vr));
		else if (d->eof && ERR_peek_error() == 0)
			log_err(
			    d->who, "%s: association closed by the peer", what);
		else
			log_ssl(LOG_LVL_ERROR, d->who, what);
		d->failed = 1;
	}
	ERR_clear_error();
	return DTLS_ERR;
}

/**
 * dtls_handshake(d): advance the handshake: 1 done, DTLS_AGAIN, DTLS_ERR.
 */
int
dtls_handshake(struct dtls *d)
{
	int r;

	if (d->failed)
		return DTLS_ERR;
	ERR_clear_error();
	r = SSL_do_handshake(d->ssl);
	if (r == 1 && !d->failed) {
		key_actions(d, ksched_done(&d->ks));
		return d->failed ? DTLS_ERR : 1;
	}
	r = ssl_result(d, r, "DTLS handshake failed");
	return r == 0 ? DTLS_ERR : r;
}

/**
 * dtls_read(d, buf, len): one record's plaintext into ${buf} (${len} >=
 * 16384): the byte count, 0 when the peer closed, DTLS_AGAIN or DTLS_ERR.
 */
ssize_t
dtls_read(struct dtls *d, void *buf, size_t len)
{
	int r;

	if (d->failed)
		return DTLS_ERR;
	ERR_clear_error();
	r = SSL_read(d->ssl, buf, len > 16384 ? 16384 : (int)len);
	if (r > 0)
		return r;
	return ssl_result(d, r, "DTLS read failed");
}

/**
 * dtls_write(d, buf, len): send up to 16384 bytes of ${buf} as one record:
 * the byte count, DTLS_AGAIN or DTLS_ERR.
 */
ssize_t
dtls_write(struct dtls *d, const void *buf, size_t len)
{
	int r;

	if (d->failed)
		return DTLS_ERR;
	ERR_clear_error();
	r = SSL_write(d->ssl, buf, len > 16384 ? 16384 : (int)len);
	if (r > 0)
		return r;
	r = ssl_result(d, r, "DTLS write failed");
	return r == 0 ? DTLS_ERR : r;
}

/**
 * dtls_shutdown(d): send close_notify once all sent data is acknowledged
 * (RFC 6083 4.9): 1 when sent, DTLS_AGAIN or DTLS_ERR.
 */
int
dtls_shutdown(struct dtls *d)
{
	int r;

	if (d->failed)
		return DTLS_ERR;
	if (SSL_get_shutdown(d->ssl) & SSL_SENT_SHUTDOWN)
		return 1;
	if ((r = wait_dry(d)) <= 0)
		return r == 0 ? DTLS_AGAIN : DTLS_ERR;
	ERR_clear_error();
	r = SSL_shutdown(d->ssl);
	if (r >= 0 && (SSL_get_shutdown(d->ssl) & SSL_SENT_SHUTDOWN))
		return 1;
	r = ssl_result(d, r, "DTLS shutdown failed");
	return r == 0 ? DTLS_ERR : r;
}

/** dtls_want_write(d): non-zero if a send waits for socket space. */
int
dtls_want_write(const struct dtls *d)
{
	return d->want_write;
}

/** dtls_pending(d): non-zero if a record can be read without the socket. */
int
dtls_pending(struct dtls *d)
{
	return d->rx_ready || SSL_pending(d->ssl) > 0;
}

/** dtls_peer_closed(d): non-zero once the peer's close_notify arrived. */
int
dtls_peer_closed(const struct dtls *d)
{
	return (SSL_get_shutdown(d->ssl) & SSL_RECEIVED_SHUTDOWN) != 0;
}

/** dtls_key_active(d): the SCTP-AUTH key number in use, from the kernel. */
int
dtls_key_active(const struct dtls *d)
{
	return sctp_key_active(d->fd);
}

/**
 * dtls_peer_name(d, buf, size): the peer certificate's subject on one line
 * (RFC 2253), or "-" without one; returns ${buf}.
 */
char *
dtls_peer_name(struct dtls *d, char *buf, size_t size)
{
	X509 *x = SSL_get0_peer_certificate(d->ssl);
	BIO *m;
	int n;

	snprintf(buf, size, "-");
	if (x == NULL || (m = BIO_new(BIO_s_mem())) == NULL)
		return buf;
	if (X509_NAME_print_ex(
	        m, X509_get_subject_name(x), 0, XN_FLAG_RFC2253) >= 0 &&
	    (n = BIO_read(m, buf, (int)size - 1)) > 0)
		buf[n] = '\0';
	BIO_free(m);
	return buf;
}

/**
 * dtls_print_peer(d, f): print the seed's block to ${f}: the peer's
 * subject, one field a line, and the cipher, between dashed lines.
 */
void
dtls_print_peer(struct dtls *d, FILE *f)
{
	X509 *x = SSL_get0_peer_certificate(d->ssl);

	fprintf(f,
	    "------------------------------------------------------------"
	    "\n");
	if (x != NULL)
		X509_NAME_print_ex_fp(
		    f, X509_get_subject_name(x), 1, XN_FLAG_MULTILINE);
	fprintf(f, "\n\n Cipher: %s",
	    SSL_CIPHER_get_name(SSL_get_current_cipher(d->ssl)));
	fprintf(f,
	    "\n------------------------------------------------------"
	    "------\n\n");
	fflush(f);
}
