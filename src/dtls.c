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
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "dtls.h"
#include "ksched.h"
#include "log.h"
#include "net.h"
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
/* With pre-shared keys: (EC)DHE-PSK with AEAD (OpenSSL has no ECDHE-PSK-GCM). */
#define DEFAULT_PSK_CIPHERS                                                    \
	"ECDHE-PSK-CHACHA20-POLY1305:DHE-PSK-AES256-GCM-SHA384:"               \
	"DHE-PSK-CHACHA20-POLY1305:DHE-PSK-AES128-GCM-SHA256"

struct dtls {
	SSL *ssl;
	BIO *bio;
	int fd;
	struct dtls_params p;
	struct ksched ks;
	struct rec_asm rx; /* the message being received */
	unsigned rx_ready : 1; /* rx holds a whole message */
	unsigned eof : 1; /* the association ended */
	unsigned failed : 1; /* fatal error, logged */
	unsigned dry : 1; /* nothing of ours is unacknowledged */
	unsigned dry_wait : 1; /* subscribed to the sender-dry event */
	unsigned want_write : 1; /* a send hit EAGAIN */
	unsigned released : 1; /* OpenSSL's record buffers given back */
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

/* A whole message of DTLS records arrived: note what it carries. */
static void
on_message(struct dtls *d)
{
	unsigned types;

	types = rec_types(d->rx.buf, d->rx.len);
	if (types & (1u << (REC_CCS - REC_CCS)))
		ksched_received(&d->ks, REC_CCS);
	d->rx_ready = 1;
}

/*
 * Read from the socket until a whole message is held, the socket is empty
 * or the association ends. Notifications are handled on the way.
 */
static int
pump(struct dtls *d)
{
	const char *why;
	uint8_t *p;
	size_t room;
	ssize_t n;
	int flags, r;

	while (!d->rx_ready && !d->eof && !d->failed) {
		if ((p = rec_asm_room(&d->rx, &room)) == NULL) {
			fail(d, "out of memory", 0);
			return -1;
		}
		n = sctp_msg_recv(d->fd, p, room, &flags);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR) {
				/* Idle: give the 18 KiB back until more comes. */
				if (d->rx.len == 0)
					rec_asm_free(&d->rx);
				break;
			}
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
				on_notification(d, p, (size_t)n);
			continue;
		}
		r = rec_asm_add(
		    &d->rx, p, (size_t)n, (flags & MSG_EOR) != 0, &why);
		if (r == REC_ASM_ERR) {
			/* Refused at its end, or too large before it. */
			if (flags & MSG_EOR)
				log_err(d->who,
				    "protocol violation: %s (%zu bytes)", why,
				    d->rx.len);
			else
				log_err(d->who, "protocol violation: %s", why);
			d->failed = 1;
			return -1;
		}
		if (r == REC_ASM_WHOLE)
			on_message(d);
	}
	return d->failed ? -1 : 0;
}

/*
 * A message is held for OpenSSL while we wait for sender-dry: take the
 * notifications queued behind it (the dry event among them), stopping at
 * the next data message.
 */
static void
notifications_behind(struct dtls *d)
{
	union {
		union sctp_notification n;
		uint8_t b[512];
	} u;
	struct msghdr mh;
	struct iovec iov;
	ssize_t n;
	int flags;

	while (!d->dry && !d->failed) {
		memset(&mh, 0, sizeof(mh));
		iov.iov_base = u.b;
		iov.iov_len = 1;
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		n = recvmsg(d->fd, &mh, MSG_PEEK | MSG_DONTWAIT);
		if (n <= 0 || !(mh.msg_flags & MSG_NOTIFICATION))
			break;
		n = sctp_msg_recv(d->fd, u.b, sizeof(u.b), &flags);
		if (n > 0 && (flags & MSG_NOTIFICATION) && (flags & MSG_EOR))
			on_notification(d, u.b, (size_t)n);
	}
}

/*
 * The peer sent an alert while our flight waits for sender-dry: it gave
 * up on the handshake, so do we, saying why when the alert is readable.
 */
static int
held_alert(struct dtls *d)
{
	const uint8_t *m = d->rx.buf;

	if (!(rec_types(m, d->rx.len) & (1u << (REC_ALERT - REC_CCS))))
		return 0;
	if (m[0] == REC_ALERT && m[3] == 0 && m[4] == 0 && d->rx.len >= 15)
		log_err(d->who,
		    "DTLS handshake failed: the peer sent the "
		    "alert \"%s\"",
		    SSL_alert_desc_string_long(m[14]));
	else
		log_err(d->who,
		    "DTLS handshake failed: the peer sent an "
		    "alert");
	d->failed = 1;
	return 1;
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
	if (d->rx_ready && !d->dry) {
		if (!SSL_is_init_finished(d->ssl) && held_alert(d))
			return -1;
		notifications_behind(d);
	}
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
	if (d->rx.len > (size_t)outl) {
		log_err(d->who,
		    "protocol violation: record of %zu bytes "
		    "exceeds the DTLS read buffer",
		    d->rx.len);
		d->failed = 1;
		return -1;
	}
	memcpy(out, d->rx.buf, d->rx.len);
	n = (int)d->rx.len;
	/* The next piece starts a new message. */
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

/* ${s}, text from the network, made safe to log, in ${buf}. */
static const char *
printable(const char *s, char *buf, size_t size)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < size; i++)
		buf[i] =
		    (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f
		    ? s[i]
		    : '?';
	buf[i] = '\0';
	return buf;
}

/* The distinguished name ${n} on one line (RFC 2253) in ${buf}. */
static const char *
name_str(const X509_NAME *n, char *buf, size_t size)
{
	BIO *m;
	int len;

	snprintf(buf, size, "-");
	if (n == NULL || (m = BIO_new(BIO_s_mem())) == NULL)
		return buf;
	if (X509_NAME_print_ex(m, n, 0, XN_FLAG_RFC2253) >= 0 &&
	    (len = BIO_read(m, buf, (int)size - 1)) > 0)
		buf[len] = '\0';
	BIO_free(m);
	return buf;
}

/*
 * Certificate verification: when the peer's chain fails, say which
 * certificate, of which peer, and why (expired, revoked, wrong name...).
 */
static int
verify_cb(int ok, X509_STORE_CTX *xs)
{
	char subject[256], peer[NET_ADDRSTRLEN], want[300];
	X509_VERIFY_PARAM *vp;
	struct dtls *d = NULL;
	const char *name;
	char *ip;
	SSL *ssl;
	int err;

	ssl = X509_STORE_CTX_get_ex_data(
	    xs, SSL_get_ex_data_X509_STORE_CTX_idx());
	if (ssl != NULL)
		d = SSL_get_app_data(ssl);
	if (ok || d == NULL)
		return ok;
	err = X509_STORE_CTX_get_error(xs);
	vp = SSL_get0_param(ssl);
	want[0] = '\0';
	if (err == X509_V_ERR_HOSTNAME_MISMATCH &&
	    (name = X509_VERIFY_PARAM_get0_host(vp, 0)) != NULL)
		snprintf(want, sizeof(want), " (check_host %s)", name);
	else if (err == X509_V_ERR_IP_ADDRESS_MISMATCH &&
	    (ip = X509_VERIFY_PARAM_get1_ip_asc(vp)) != NULL) {
		snprintf(want, sizeof(want), " (check_ip %s)", ip);
		OPENSSL_free(ip);
	}
	log_warn(d->who, "peer %s: certificate %s (depth %d) rejected: %s%s",
	    net_peer_str(d->fd, peer, sizeof(peer)),
	    name_str(X509_get_subject_name(X509_STORE_CTX_get_current_cert(xs)),
	        subject, sizeof(subject)),
	    X509_STORE_CTX_get_error_depth(xs),
	    X509_verify_cert_error_string(err), want);
	return ok;
}

/* Server: the key of the identity the client sent, or 0 to refuse it. */
static unsigned int
psk_server_cb(
    SSL *ssl, const char *identity, unsigned char *psk, unsigned int max)
{
	const struct psk *k = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
	struct dtls *d = SSL_get_app_data(ssl);
	char peer[NET_ADDRSTRLEN], id[PSK_IDENTITY_MAX + 1];
	unsigned int len = 0;

	if (identity == NULL)
		identity = "";
	if ((k = psk_find(k, identity)) == NULL || k->len > max) {
		if (d != NULL)
			log_warn(d->who,
			    "peer %s: unknown PSK identity '%s': refused",
			    net_peer_str(d->fd, peer, sizeof(peer)),
			    printable(identity, id, sizeof(id)));
	} else {
		memcpy(psk, k->key, k->len);
		len = (unsigned int)k->len;
		if (d != NULL)
			log_debug(d->who, "PSK identity '%s'", k->identity);
	}
	return len;
}

/* Client: our identity and its key. */
static unsigned int
psk_client_cb(SSL *ssl, const char *hint, char *identity,
    unsigned int max_identity, unsigned char *psk, unsigned int max)
{
	const struct psk *k = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
	size_t n;

	(void)hint;
	if (k == NULL || (n = strlen(k->identity)) >= max_identity ||
	    k->len > max)
		return 0;
	memcpy(identity, k->identity, n + 1);
	memcpy(psk, k->key, k->len);
	return (unsigned int)k->len;
}

/* Pre-shared keys: a server takes any identity of ${t}, a client sends one. */
static int
ctx_psk(SSL_CTX *ctx, const struct dtls_tls *t, int server, const char *who)
{
	const struct psk *k;

	if (server) {
		SSL_CTX_set_app_data(ctx, (void *)(uintptr_t)t->psk);
		SSL_CTX_set_psk_server_callback(ctx, psk_server_cb);
		/* DHE-PSK needs Diffie-Hellman parameters. */
		if (SSL_CTX_set_dh_auto(ctx, 1) != 1) {
			log_ssl(
			    LOG_LVL_ERROR, who, "cannot enable DH parameters");
			goto err0;
		}
	} else {
		if (t->psk_identity == NULL ||
		    (k = psk_find(t->psk, t->psk_identity)) == NULL) {
			log_err(who, "no pre-shared key for PSK identity '%s'",
			    t->psk_identity != NULL ? t->psk_identity : "");
			goto err0;
		}
		SSL_CTX_set_app_data(ctx, (void *)(uintptr_t)k);
		SSL_CTX_set_psk_client_callback(ctx, psk_client_cb);
	}
	return 0;

err0:
	return -1;
}

/* The CRLs of the PEM file ${path}: revocation checked for the chain. */
static int
ctx_crl(SSL_CTX *ctx, const char *path, const char *who)
{
	X509_STORE *st = SSL_CTX_get_cert_store(ctx);
	X509_CRL *crl;
	BIO *b;
	int n = 0, ok = 1;

	if ((b = BIO_new_file(path, "r")) == NULL)
		goto err0;
	while (
	    ok && (crl = PEM_read_bio_X509_CRL(b, NULL, NULL, NULL)) != NULL) {
		ok = X509_STORE_add_crl(st, crl) == 1;
		X509_CRL_free(crl);
		n++;
	}
	if (!ok || n == 0)
		goto err1;
	ERR_clear_error(); /* the end of the file */
	X509_VERIFY_PARAM_set_flags(SSL_CTX_get0_param(ctx),
	    X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
	BIO_free(b);
	return 0;

err1:
	BIO_free(b);
err0:
	log_ssl(LOG_LVL_ERROR, who, "cannot load the CRL file");
	return -1;
}

/*
 * Trust: the CA file or directory, or the own certificate (the seed's
 * deployment), or none at all with pre-shared keys; revocation, names
 * and depth the peer's certificate is checked for.
 */
static int
ctx_trust(SSL_CTX *ctx, const struct dtls_tls *t, int server, const char *who)
{
	X509_VERIFY_PARAM *vp = SSL_CTX_get0_param(ctx);
	int mode = SSL_VERIFY_PEER;

	if (t->insecure) {
		SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
		return 0;
	}
	if (t->ca != NULL || t->capath != NULL) {
		if (SSL_CTX_load_verify_locations(ctx, t->ca, t->capath) != 1) {
			log_ssl(LOG_LVL_ERROR, who,
			    t->ca != NULL ? "cannot load CA file"
			                  : "cannot use the CA directory");
			goto err0;
		}
	} else if (SSL_CTX_get0_certificate(ctx) != NULL) {
		if (X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx),
		        SSL_CTX_get0_certificate(ctx)) != 1) {
			log_ssl(LOG_LVL_ERROR, who,
			    "cannot use the certificate as trust anchor");
			goto err0;
		}
	}
	/* Else pre-shared keys: no certificate can be trusted. */
	if (t->crl != NULL && ctx_crl(ctx, t->crl, who) != 0)
		goto err0;
	X509_VERIFY_PARAM_set_hostflags(
	    vp, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	if (t->check_host != NULL &&
	    X509_VERIFY_PARAM_set1_host(vp, t->check_host, 0) != 1) {
		log_ssl(LOG_LVL_ERROR, who, "bad check_host name");
		goto err0;
	}
	if (t->check_ip != NULL &&
	    X509_VERIFY_PARAM_set1_ip_asc(vp, t->check_ip) != 1) {
		log_ssl(LOG_LVL_ERROR, who, "bad check_ip address");
		goto err0;
	}
	if (t->verify_depth >= 0)
		SSL_CTX_set_verify_depth(ctx, t->verify_depth);
	if (server)
		mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
	SSL_CTX_set_verify(ctx, mode, verify_cb);
	return 0;

err0:
	return -1;
}

/* Protocol versions: DTLS 1.2 unless told; never DTLS 1.0 (RFC 8996). */
static int
ctx_versions(SSL_CTX *ctx, const struct dtls_tls *t, const char *who)
{
	int min = t->min_version != 0 ? t->min_version : DTLS1_2_VERSION;
	int max = t->max_version != 0 ? t->max_version : DTLS1_2_VERSION;

	if (min == DTLS1_VERSION || max == DTLS1_VERSION ||
	    min == DTLS1_BAD_VER || max == DTLS1_BAD_VER) {
		log_err(who, "DTLS 1.0 is not allowed (RFC 8996)");
		goto err0;
	}
	if (!SSL_CTX_set_min_proto_version(ctx, min) ||
	    !SSL_CTX_set_max_proto_version(ctx, max)) {
		log_ssl(LOG_LVL_ERROR, who, "cannot set the DTLS versions");
		goto err0;
	}
	return 0;

err0:
	return -1;
}

/* SSL_OP flags by their SSL_CONF names ("ServerPreference,..."). */
static int
ctx_options(SSL_CTX *ctx, const char *opts, int server, const char *who)
{
	SSL_CONF_CTX *cc;

	if ((cc = SSL_CONF_CTX_new()) == NULL)
		goto err0;
	SSL_CONF_CTX_set_flags(cc,
	    SSL_CONF_FLAG_FILE | SSL_CONF_FLAG_SHOW_ERRORS |
	        (server ? SSL_CONF_FLAG_SERVER : SSL_CONF_FLAG_CLIENT));
	SSL_CONF_CTX_set_ssl_ctx(cc, ctx);
	if (SSL_CONF_cmd(cc, "Options", opts) != 2 || !SSL_CONF_CTX_finish(cc))
		goto err1;
	SSL_CONF_CTX_free(cc);
	return 0;

err1:
	SSL_CONF_CTX_free(cc);
err0:
	log_ssl(LOG_LVL_ERROR, who, "bad options");
	return -1;
}

/* Session cache and tickets (or neither), their lifetime. */
static int
ctx_sessions(
    SSL_CTX *ctx, const struct dtls_tls *t, int server, const char *who)
{
	static const unsigned char sid_ctx[] = "sctp-dtls";

	if (t->session_timeout > 0)
		SSL_CTX_set_timeout(ctx, t->session_timeout);
	if (t->no_session_cache) {
		SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
		SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
	}
	if (server &&
	    SSL_CTX_set_session_id_context(ctx, sid_ctx, sizeof(sid_ctx) - 1) !=
	        1) {
		log_ssl(LOG_LVL_ERROR, who, "cannot set session id context");
		goto err0;
	}
	return 0;

err0:
	return -1;
}

/*
 * The cipher list: as given, else ECDHE with AEAD; with pre-shared keys,
 * (EC)DHE-PSK with AEAD first, and the certificate suites only if this side
 * has a certificate to show (server) or something to verify one with.
 */
static const char *
ctx_cipher_list(const struct dtls_tls *t, int server)
{
	if (t->ciphers != NULL)
		return t->ciphers;
	if (t->psk == NULL)
		return DEFAULT_CIPHERS;
	if (server ? t->cert != NULL
	           : t->ca != NULL || t->capath != NULL || t->cert != NULL)
		return DEFAULT_PSK_CIPHERS ":" DEFAULT_CIPHERS;
	return DEFAULT_PSK_CIPHERS;
}

/**
 * dtls_ctx_new(t, server, who): an SSL_CTX for DTLS 1.2 over SCTP with the
 * certificate, key, trust and options of ${t}, for a ${server} or a client.
 * The pre-shared keys of ${t} must outlive the context. Errors are logged
 * with the prefix ${who}. Returns NULL on failure.
 */
SSL_CTX *
dtls_ctx_new(const struct dtls_tls *t, int server, const char *who)
{
	SSL_CTX *ctx;

	ctx = SSL_CTX_new(server ? DTLS_server_method() : DTLS_client_method());
	if (ctx == NULL) {
		log_ssl(LOG_LVL_ERROR, who, "SSL_CTX_new failed");
		goto err0;
	}
	if (ctx_versions(ctx, t, who) != 0)
		goto err1;
	if (t->options != NULL &&
	    ctx_options(ctx, t->options, server, who) != 0)
		goto err1;
	if (ctx_sessions(ctx, t, server, who) != 0)
		goto err1;
	/* Renegotiation would interleave handshakes with data on streams. */
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_QUERY_MTU);
	/* Idle associations keep no record buffers. */
	SSL_CTX_set_mode(ctx,
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
	if (SSL_CTX_set_cipher_list(ctx, ctx_cipher_list(t, server)) != 1) {
		log_ssl(LOG_LVL_ERROR, who, "bad cipher list");
		goto err1;
	}
	if (t->groups != NULL &&
	    SSL_CTX_set1_groups_list(ctx, t->groups) != 1) {
		log_ssl(LOG_LVL_ERROR, who, "bad groups list");
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
	if (t->cert == NULL && t->psk == NULL && server) {
		log_err(who, "a server needs a certificate and key");
		goto err1;
	}
	if (t->cert == NULL && t->ca == NULL && t->capath == NULL &&
	    t->psk == NULL && !t->insecure) {
		log_err(who,
		    "no certificate and no CA file to verify the "
		    "peer with");
		goto err1;
	}
	if (ctx_trust(ctx, t, server, who) != 0)
		goto err1;
	if (t->psk != NULL && ctx_psk(ctx, t, server, who) != 0)
		goto err1;
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
	rec_asm_free(&d->rx);
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

/* OpenSSL's record buffers back in place after dtls_release(). */
static int
buffers(struct dtls *d)
{
	if (d->released) {
		if (SSL_alloc_buffers(d->ssl) != 1) {
			fail(d, "out of memory", 0);
			return -1;
		}
		d->released = 0;
	}
	return 0;
}

/**
 * dtls_release(d): give back OpenSSL's record buffers of the quiet
 * association ${d}; they are allocated again before its next operation.
 */
void
dtls_release(struct dtls *d)
{
	if (!d->released && SSL_is_init_finished(d->ssl) &&
	    SSL_free_buffers(d->ssl) == 1)
		d->released = 1;
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
	if (buffers(d) != 0)
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
	if (buffers(d) != 0)
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
	if (buffers(d) != 0)
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
	if (buffers(d) != 0)
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
