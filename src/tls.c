/*
 * tls.c: the TLS side of DTLS over SCTP: an SSL_CTX for DTLS 1.2 with its
 * policy (versions, ciphers, groups, options, trust, revocation, names,
 * pre-shared keys, sessions) and the callbacks that say why a peer was
 * refused.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "log.h"
#include "net.h"
#include "tls.h"

#define DEFAULT_CIPHERS "ECDHE+AESGCM:ECDHE+CHACHA20"
/* With pre-shared keys: (EC)DHE-PSK with AEAD (OpenSSL has no ECDHE-PSK-GCM). */
#define DEFAULT_PSK_CIPHERS                                                    \
	"ECDHE-PSK-CHACHA20-POLY1305:DHE-PSK-AES256-GCM-SHA384:"               \
	"DHE-PSK-CHACHA20-POLY1305:DHE-PSK-AES128-GCM-SHA256"

/* Where each SSL keeps its struct tls_peer (SSL_get_ex_new_index). */
static int peer_idx = -1;

/**
 * tls_peer_set(ssl, p): the callbacks of ${ssl} log with ${p}, which must
 * outlive it. 0, or -1 (logged).
 */
int
tls_peer_set(SSL *ssl, const struct tls_peer *p)
{
	if (peer_idx < 0 &&
	    (peer_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL)) < 0)
		goto err0;
	if (SSL_set_ex_data(ssl, peer_idx, (void *)(uintptr_t)p) != 1)
		goto err0;
	return 0;

err0:
	log_ssl(LOG_LVL_ERROR, p->who, "SSL_set_ex_data failed");
	return -1;
}

/**
 * tls_name_str(n, buf, size): the distinguished name ${n} on one line
 * (RFC 2253) into ${buf}, or "-" for NULL; returns ${buf}.
 */
char *
tls_name_str(const X509_NAME *n, char *buf, size_t size)
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
	const struct tls_peer *d = NULL;
	const char *name;
	char *ip;
	SSL *ssl;
	int err;

	ssl = X509_STORE_CTX_get_ex_data(
	    xs, SSL_get_ex_data_X509_STORE_CTX_idx());
	if (ssl != NULL)
		d = SSL_get_ex_data(ssl, peer_idx);
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
	    tls_name_str(X509_get_subject_name(X509_STORE_CTX_get_current_cert(xs)),
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
	const struct tls_peer *d = SSL_get_ex_data(ssl, peer_idx);
	char peer[NET_ADDRSTRLEN], id[PSK_IDENTITY_MAX + 1];
	unsigned int len = 0;

	if (identity == NULL)
		identity = "";
	if ((k = psk_find(k, identity)) == NULL || k->len > max) {
		if (d != NULL)
			log_warn(d->who,
			    "peer %s: unknown PSK identity '%s': refused",
			    net_peer_str(d->fd, peer, sizeof(peer)),
			    log_safe(identity, id, sizeof(id)));
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
ctx_psk(SSL_CTX *ctx, const struct tls_conf *t, int server, const char *who)
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
ctx_trust(SSL_CTX *ctx, const struct tls_conf *t, int server, const char *who)
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
ctx_versions(SSL_CTX *ctx, const struct tls_conf *t, const char *who)
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
    SSL_CTX *ctx, const struct tls_conf *t, int server, const char *who)
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
ctx_cipher_list(const struct tls_conf *t, int server)
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
 * tls_ctx_new(t, server, who): an SSL_CTX for DTLS 1.2 with the
 * certificate, key, trust and options of ${t}, for a ${server} or a
 * client. This is where the TLS material is checked: a file that does
 * not load, a key that does not match, a bad cipher list all fail here,
 * logged with the prefix ${who}. The pre-shared keys of ${t} must outlive
 * the context. Returns NULL on failure.
 */
SSL_CTX *
tls_ctx_new(const struct tls_conf *t, int server, const char *who)
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
	return ctx;

err1:
	SSL_CTX_free(ctx);
err0:
	return NULL;
}

