/*
 * tls.c: the TLS side of DTLS over SCTP: an SSL_CTX for DTLS 1.2 with its
 * policy (versions, ciphers, groups, options, trust, revocation, names,
 * pre-shared keys, sessions) and the callbacks that say why a peer was
 * refused.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
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
 * tls_ctx_ticket_keys(ctx, secret, len, name): give the server context
 * ${ctx} session ticket keys (RFC 5077: key name, HMAC and AES keys, 80
 * bytes) derived with HMAC-SHA-512 from the ${len} bytes at ${secret} and
 * the service ${name}: every process with the same secret issues and
 * accepts the same tickets, and no other service's. 0, or -1 (logged).
 */
int
tls_ctx_ticket_keys(
    SSL_CTX *ctx, const unsigned char *secret, size_t len, const char *name)
{
	unsigned char keys[2 * 64];
	char label[128];
	size_t n = 0, got;
	int i, rc = -1;

	for (i = 0; i < 2; i++) {
		snprintf(label, sizeof(label), "sctp-dtls ticket keys %d: %s",
		    i, name);
		if (EVP_Q_mac(NULL, "HMAC", NULL, "SHA512", NULL, secret, len,
		        (const unsigned char *)label, strlen(label), keys + n,
		        sizeof(keys) - n, &got) == NULL)
			goto err0;
		n += got;
	}
	if (SSL_CTX_set_tlsext_ticket_keys(ctx, keys, 80) != 1)
		goto err0;
	rc = 0;
err0:
	if (rc != 0)
		log_ssl(LOG_LVL_ERROR, name, "cannot set session ticket keys");
	OPENSSL_cleanse(keys, sizeof(keys));
	return rc;
}

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
	    tls_name_str(
	        X509_get_subject_name(X509_STORE_CTX_get_current_cert(xs)),
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

/* Where problems with the TLS material and settings are told. */
struct check {
	const char *who;
	tls_report_fn *report;
	void *arg;
	int bad;
};

static void problem(struct check *ck, const char *key, const char *value,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * A problem with ${key} (given ${value}, for a bad setting; NULL for a
 * file): told to the caller's report function, or logged.
 */
static void
problem(
    struct check *ck, const char *key, const char *value, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ERR_clear_error();
	ck->bad = 1;
	if (ck->report != NULL)
		ck->report(ck->arg, key, value, msg);
	else if (value != NULL)
		log_err(
		    ck->who, "bad value '%s' for '%s': %s", value, key, msg);
	else
		log_err(ck->who, "%s", msg);
}

/* A passphrase callback that has none: encrypted keys are refused. */
static int
no_passphrase(char *buf, int size, int rwflag, void *asked)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	if (asked != NULL)
		*(int *)asked = 1;
	return 0;
}

/* The ${key} file ${path} opened for reading, or NULL (told). */
static BIO *
pem_open(struct check *ck, const char *key, const char *path)
{
	struct stat st;
	BIO *b;

	errno = 0;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		errno = EISDIR;
	else if (access(path, R_OK) == 0 &&
	    (b = BIO_new_file(path, "r")) != NULL)
		return b;
	problem(ck, key, NULL, "cannot read %s file '%s': %s", key, path,
	    strerror(errno != 0 ? errno : EIO));
	return NULL;
}

/* The certificate chain of ${path}: 1 loaded, 0 not (told). */
static int
load_chain(struct check *ck, SSL_CTX *ctx, const char *path)
{
	X509 *x;
	BIO *b;
	int ok = 0;

	if ((b = pem_open(ck, "cert", path)) == NULL)
		return 0;
	if ((x = PEM_read_bio_X509_AUX(b, NULL, no_passphrase, NULL)) == NULL)
		problem(ck, "cert", NULL,
		    "cert file '%s' holds no PEM certificate", path);
	else if (SSL_CTX_use_certificate(ctx, x) != 1)
		problem(ck, "cert", NULL, "cannot use the certificate of '%s'",
		    path);
	else
		ok = 1;
	X509_free(x);
	while (ok &&
	    (x = PEM_read_bio_X509(b, NULL, no_passphrase, NULL)) != NULL) {
		if (SSL_CTX_add0_chain_cert(ctx, x) != 1) {
			X509_free(x);
			problem(ck, "cert", NULL,
			    "cannot use the chain of '%s'", path);
			ok = 0;
		}
	}
	ERR_clear_error(); /* the end of the file */
	BIO_free(b);
	return ok;
}

/* The private key of ${path}, or NULL (told). */
static EVP_PKEY *
load_key(struct check *ck, const char *path)
{
	EVP_PKEY *pk;
	BIO *b;
	int asked = 0;

	if ((b = pem_open(ck, "key", path)) == NULL)
		return NULL;
	if ((pk = PEM_read_bio_PrivateKey(b, NULL, no_passphrase, &asked)) ==
	    NULL)
		problem(ck, "key", NULL,
		    asked ? "key file '%s' is encrypted: a key without a "
		            "passphrase is needed"
		          : "key file '%s' holds no PEM private key",
		    path);
	BIO_free(b);
	return pk;
}

/* Trust anchors from the PEM file ${path} (told if none). */
static void
load_ca(struct check *ck, SSL_CTX *ctx, const char *path)
{
	X509_STORE *st = SSL_CTX_get_cert_store(ctx);
	X509 *x;
	BIO *b;
	int n = 0;

	if ((b = pem_open(ck, "ca", path)) == NULL)
		return;
	while (
	    (x = PEM_read_bio_X509_AUX(b, NULL, no_passphrase, NULL)) != NULL) {
		if (X509_STORE_add_cert(st, x) == 1)
			n++;
		X509_free(x);
	}
	ERR_clear_error();
	if (n == 0)
		problem(ck, "ca", NULL, "ca file '%s' holds no PEM certificate",
		    path);
	BIO_free(b);
}

/* Trust anchors in the hashed directory ${path} (openssl rehash). */
static void
load_capath(struct check *ck, SSL_CTX *ctx, const char *path)
{
	struct stat st;

	errno = 0;
	if (stat(path, &st) == 0 && !S_ISDIR(st.st_mode))
		errno = ENOTDIR;
	else if (stat(path, &st) == 0 && access(path, R_OK | X_OK) == 0 &&
	    SSL_CTX_load_verify_locations(ctx, NULL, path) == 1)
		return;
	problem(ck, "capath", NULL, "cannot read capath directory '%s': %s",
	    path, strerror(errno != 0 ? errno : EIO));
}

/* The CRLs of the PEM file ${path}: revocation checked for the chain. */
static void
load_crl(struct check *ck, SSL_CTX *ctx, const char *path)
{
	X509_STORE *st = SSL_CTX_get_cert_store(ctx);
	X509_CRL *crl;
	BIO *b;
	int n = 0;

	if ((b = pem_open(ck, "crl", path)) == NULL)
		return;
	while ((crl = PEM_read_bio_X509_CRL(b, NULL, no_passphrase, NULL)) !=
	    NULL) {
		if (X509_STORE_add_crl(st, crl) == 1)
			n++;
		X509_CRL_free(crl);
	}
	ERR_clear_error();
	BIO_free(b);
	if (n == 0) {
		problem(
		    ck, "crl", NULL, "crl file '%s' holds no PEM CRL", path);
		return;
	}
	X509_VERIFY_PARAM_set_flags(SSL_CTX_get0_param(ctx),
	    X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
}

/* The certificate, key, and whether they belong together. */
static void
credentials(struct check *ck, SSL_CTX *ctx, const struct tls_conf *t)
{
	int cert = t->cert != NULL && load_chain(ck, ctx, t->cert);
	EVP_PKEY *pk = t->key != NULL ? load_key(ck, t->key) : NULL;

	if (pk == NULL)
		return;
	if (cert &&
	    X509_check_private_key(SSL_CTX_get0_certificate(ctx), pk) != 1)
		problem(ck, "key", NULL,
		    "key file '%s' does not match cert file '%s'", t->key,
		    t->cert);
	else if (SSL_CTX_use_PrivateKey(ctx, pk) != 1)
		problem(ck, "key", NULL, "cannot use the key of '%s'", t->key);
	EVP_PKEY_free(pk);
}

/* Pre-shared keys: a server takes any identity of ${t}, a client sends one. */
static void
ctx_psk(struct check *ck, SSL_CTX *ctx, const struct tls_conf *t, int server)
{
	const struct psk *k;

	if (server) {
		SSL_CTX_set_app_data(ctx, (void *)(uintptr_t)t->psk);
		SSL_CTX_set_psk_server_callback(ctx, psk_server_cb);
		/* DHE-PSK needs Diffie-Hellman parameters. */
		if (SSL_CTX_set_dh_auto(ctx, 1) != 1)
			problem(ck, "psk_secrets", NULL,
			    "cannot enable DH parameters");
		return;
	}
	if (t->psk_identity == NULL ||
	    (k = psk_find(t->psk, t->psk_identity)) == NULL) {
		problem(ck, "psk_identity", NULL,
		    "no pre-shared key for PSK identity '%s'",
		    t->psk_identity != NULL ? t->psk_identity : "");
		return;
	}
	SSL_CTX_set_app_data(ctx, (void *)(uintptr_t)k);
	SSL_CTX_set_psk_client_callback(ctx, psk_client_cb);
}

/*
 * Trust: the CA file or directory, or the own certificate (the seed's
 * deployment), or none at all with pre-shared keys; revocation, names
 * and depth the peer's certificate is checked for.
 */
static void
ctx_trust(struct check *ck, SSL_CTX *ctx, const struct tls_conf *t, int server)
{
	X509_VERIFY_PARAM *vp = SSL_CTX_get0_param(ctx);
	int mode = SSL_VERIFY_PEER;

	if (t->ca != NULL)
		load_ca(ck, ctx, t->ca);
	if (t->capath != NULL)
		load_capath(ck, ctx, t->capath);
	if (t->crl != NULL)
		load_crl(ck, ctx, t->crl);
	if (t->insecure) {
		SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
		return;
	}
	if (t->ca == NULL && t->capath == NULL &&
	    SSL_CTX_get0_certificate(ctx) != NULL &&
	    X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx),
	        SSL_CTX_get0_certificate(ctx)) != 1)
		problem(ck, "cert", NULL,
		    "cannot use the certificate as trust anchor");
	/* Else pre-shared keys: no certificate can be trusted. */
	X509_VERIFY_PARAM_set_hostflags(
	    vp, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	if (t->check_host != NULL &&
	    X509_VERIFY_PARAM_set1_host(vp, t->check_host, 0) != 1)
		problem(ck, "check_host", t->check_host, "expected a DNS name");
	if (t->check_ip != NULL &&
	    X509_VERIFY_PARAM_set1_ip_asc(vp, t->check_ip) != 1)
		problem(ck, "check_ip", t->check_ip,
		    "expected an IPv4 or IPv6 address");
	if (t->verify_depth >= 0)
		SSL_CTX_set_verify_depth(ctx, t->verify_depth);
	if (server)
		mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
	SSL_CTX_set_verify(ctx, mode, verify_cb);
}

/* Protocol versions: DTLS 1.2 unless told; never DTLS 1.0 (RFC 8996). */
static void
ctx_versions(struct check *ck, SSL_CTX *ctx, const struct tls_conf *t)
{
	int min = t->min_version != 0 ? t->min_version : DTLS1_2_VERSION;
	int max = t->max_version != 0 ? t->max_version : DTLS1_2_VERSION;

	if (min == DTLS1_VERSION || max == DTLS1_VERSION ||
	    min == DTLS1_BAD_VER || max == DTLS1_BAD_VER)
		problem(ck, "min_version", NULL,
		    "DTLS 1.0 is not allowed (RFC 8996)");
	else if (!SSL_CTX_set_min_proto_version(ctx, min) ||
	    !SSL_CTX_set_max_proto_version(ctx, max))
		problem(
		    ck, "min_version", NULL, "cannot set the DTLS versions");
}

/* SSL_OP flags by their SSL_CONF names ("ServerPreference,..."). */
static void
ctx_options(struct check *ck, SSL_CTX *ctx, const char *opts, int server)
{
	SSL_CONF_CTX *cc;
	int ok = 0;

	if ((cc = SSL_CONF_CTX_new()) != NULL) {
		SSL_CONF_CTX_set_flags(cc,
		    SSL_CONF_FLAG_FILE |
		        (server ? SSL_CONF_FLAG_SERVER : SSL_CONF_FLAG_CLIENT));
		SSL_CONF_CTX_set_ssl_ctx(cc, ctx);
		ok = SSL_CONF_cmd(cc, "Options", opts) == 2 &&
		    SSL_CONF_CTX_finish(cc);
		SSL_CONF_CTX_free(cc);
	}
	if (!ok)
		problem(ck, "options", opts,
		    "expected option names OpenSSL knows for a DTLS %s (such "
		    "as %s), separated by ','",
		    server ? "server" : "client",
		    server ? "ServerPreference" : "-SessionTicket");
}

/* Session cache and tickets (or neither), their lifetime. */
static void
ctx_sessions(
    struct check *ck, SSL_CTX *ctx, const struct tls_conf *t, int server)
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
	        1)
		problem(ck, "session_cache", NULL,
		    "cannot set the session id context");
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

/* Versions, options, sessions, ciphers and groups. */
static void
ctx_policy(struct check *ck, SSL_CTX *ctx, const struct tls_conf *t, int server)
{
	ctx_versions(ck, ctx, t);
	if (t->options != NULL)
		ctx_options(ck, ctx, t->options, server);
	ctx_sessions(ck, ctx, t, server);
	/*
	 * Rekeying is renegotiation (RFC 6083 4.8), secure only (RFC 5746):
	 * a server accepts the client's too; the rate is rekey.c's to limit.
	 */
	if (SSL_CTX_get_options(ctx) & SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION)
		problem(ck, "options", t->options,
		    "renegotiation without RFC 5746 (secure renegotiation) is "
		    "refused");
	SSL_CTX_clear_options(ctx, SSL_OP_LEGACY_SERVER_CONNECT);
	SSL_CTX_set_options(ctx,
	    (server ? SSL_OP_ALLOW_CLIENT_RENEGOTIATION : 0) |
	        SSL_OP_NO_QUERY_MTU);
	/* Idle associations keep no record buffers. */
	SSL_CTX_set_mode(ctx,
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
	if (SSL_CTX_set_cipher_list(ctx, ctx_cipher_list(t, server)) != 1)
		problem(ck, "ciphers", ctx_cipher_list(t, server),
		    "OpenSSL knows none of these DTLS 1.2 ciphers");
	if (t->groups != NULL && SSL_CTX_set1_groups_list(ctx, t->groups) != 1)
		problem(ck, "groups", t->groups,
		    "OpenSSL does not know all of these groups (names such as "
		    "P-256, P-384, X25519, separated by ':')");
}

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
SSL_CTX *
tls_ctx_new(const struct tls_conf *t, int server, const char *who,
    tls_report_fn *report, void *arg)
{
	struct check ck = {who, report, arg, 0};
	SSL_CTX *ctx;

	ctx = SSL_CTX_new(server ? DTLS_server_method() : DTLS_client_method());
	if (ctx == NULL) {
		log_ssl(LOG_LVL_ERROR, who, "SSL_CTX_new failed");
		return NULL;
	}
	ctx_policy(&ck, ctx, t, server);
	credentials(&ck, ctx, t);
	ctx_trust(&ck, ctx, t, server);
	if (t->psk != NULL)
		ctx_psk(&ck, ctx, t, server);
	if (ck.bad) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/**
 * tls_ctx_use_psk(ctx, t, server): make the context ${ctx} (from
 * tls_ctx_new()) take its pre-shared keys from t->psk now (a copy that
 * outlives the one it was built with). 0, or -1 (logged).
 */
int
tls_ctx_use_psk(SSL_CTX *ctx, const struct tls_conf *t, int server)
{
	struct check ck = {"tls", NULL, NULL, 0};

	ctx_psk(&ck, ctx, t, server);
	return ck.bad ? -1 : 0;
}

/**
 * tls_stall_reason(ssl, buf, size): what the handshake of ${ssl} that
 * stopped waits for, as far as it can be told (a wrong pre-shared key:
 * DTLS drops a Finished that does not verify, without an alert; an
 * SCTP-AUTH key derived otherwise), as ": ..." into ${buf}, or ""; returns
 * ${buf}.
 */
char *
tls_stall_reason(const SSL *ssl, char *buf, size_t size)
{
	const SSL_CIPHER *ci = SSL_get_current_cipher(ssl);
	OSSL_HANDSHAKE_STATE st = SSL_get_state(ssl);
	char id[64];

	buf[0] = '\0';
	if ((ci == NULL || SSL_CIPHER_get_auth_nid(ci) != NID_auth_psk) &&
	    (st == TLS_ST_CR_CHANGE || st == TLS_ST_SR_CHANGE))
		snprintf(buf, size,
		    ": the peer's ChangeCipherSpec came, not its Finished, "
		    "which it sent under the new SCTP-AUTH key: it derives "
		    "another key (sctp_label_bug set on one side only?)");
	if (ci == NULL || SSL_CIPHER_get_auth_nid(ci) != NID_auth_psk)
		return buf;
	log_safe(SSL_get_psk_identity(ssl), id, sizeof(id));
	if (SSL_get_state(ssl) == TLS_ST_SR_CHANGE)
		snprintf(buf, size,
		    ": the client's Finished did not verify: wrong "
		    "pre-shared key for PSK identity '%s'",
		    id);
	else if (SSL_get_state(ssl) == TLS_ST_CW_FINISHED)
		snprintf(buf, size,
		    ": no answer to our Finished: the server may have "
		    "another pre-shared key for PSK identity '%s'",
		    id);
	return buf;
}

/** tls_session_expired(s): non-zero once ${s} is past its lifetime. */
int
tls_session_expired(const SSL_SESSION *s)
{
	return (time_t)SSL_SESSION_get_time(s) + SSL_SESSION_get_timeout(s) <=
	    time(NULL);
}

/** tls_session_hold(s): take a reference to ${s}; NULL is a no-op. */
void
tls_session_hold(SSL_SESSION *s)
{
	if (s != NULL)
		SSL_SESSION_up_ref(s);
}

/** tls_session_free(s): drop a reference to ${s}; NULL is a no-op. */
void
tls_session_free(SSL_SESSION *s)
{
	SSL_SESSION_free(s);
}
