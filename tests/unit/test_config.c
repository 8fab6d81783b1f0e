/* test_config.c: the configuration file parser (src/config.c). */
#include <errno.h>
#include <ftw.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "config.h"
#include "log.h"

/* The group's state: a directory with certificates and keys. */
struct fx {
	char dir[64];
	char conf[128]; /* the file each test writes and loads */
};

/* A valid DTLS/SCTP-in service body (4 lines), for tests about others. */
#define SVC_ECHO                                                               \
	"accept = dtls+sctp://*:1\n"                                           \
	"connect = echo\n"                                                     \
	"cert = $D/cert.pem\n"                                                 \
	"key = $D/key.pem\n"
/* The same on another port: services must not listen where others do. */
#define SVC_ECHO2                                                              \
	"accept = dtls+sctp://*:2\n"                                           \
	"connect = echo\n"                                                     \
	"cert = $D/cert.pem\n"                                                 \
	"key = $D/key.pem\n"

/* ${t} with "$D" replaced by the fixture directory, "$F" by the file. */
static char *
subst(const struct fx *f, const char *t)
{
	const char *p;
	char *out = NULL;
	size_t size;
	FILE *m;

	if ((m = open_memstream(&out, &size)) == NULL)
		goto err0;
	for (p = t; *p != '\0'; p++) {
		if (p[0] == '$' && p[1] == 'D') {
			fputs(f->dir, m);
			p++;
		} else if (p[0] == '$' && p[1] == 'F') {
			fputs(f->conf, m);
			p++;
		} else {
			fputc(*p, m);
		}
	}
	if (fclose(m) != 0)
		goto err0;
	return out;

err0:
	free(out);
	return NULL;
}

/* Write ${len} bytes of ${data} to ${path}. */
static int
write_file(const char *path, const char *data, size_t len)
{
	FILE *w;

	if ((w = fopen(path, "w")) == NULL)
		goto err0;
	if (fwrite(data, 1, len, w) != len) {
		fclose(w);
		goto err0;
	}
	if (fclose(w) != 0)
		goto err0;
	return 0;

err0:
	return -1;
}

/* Write ${len} bytes of ${text} (after subst()) and load it. */
static struct config *
load_n(const struct fx *f, const char *text, size_t len, char **errs)
{
	struct config *c;
	size_t size;
	FILE *m;

	assert_int_equal(write_file(f->conf, text, len), 0);
	m = open_memstream(errs, &size);
	assert_non_null(m);
	c = config_load(f->conf, m);
	assert_int_equal(fclose(m), 0);
	return c;
}

/* The configuration ${text}, which must load without a word. */
static struct config *
load_ok(const struct fx *f, const char *text)
{
	struct config *c;
	char *s, *errs;

	s = subst(f, text);
	assert_non_null(s);
	c = load_n(f, s, strlen(s), &errs);
	assert_string_equal(errs, "");
	assert_non_null(c);
	free(errs);
	free(s);
	return c;
}

/* The configuration ${text} must fail with exactly ${expected}. */
static void
load_fail(const struct fx *f, const char *text, const char *expected)
{
	struct config *c;
	char *s, *e, *errs;

	s = subst(f, text);
	e = subst(f, expected);
	assert_non_null(s);
	assert_non_null(e);
	c = load_n(f, s, strlen(s), &errs);
	assert_string_equal(errs, e);
	assert_null(c);
	free(errs);
	free(e);
	free(s);
}

/* The service named ${name} of ${c}. */
static struct svc_conf *
svc(const struct config *c, const char *name)
{
	struct svc_conf *s;

	for (s = c->svcs; s != NULL && strcmp(s->name, name) != 0; s = s->next)
		;
	assert_non_null(s);
	return s;
}

/* A self-signed certificate for ${pk}. */
static X509 *
make_cert(EVP_PKEY *pk, const char *cn)
{
	X509_NAME *n;
	X509 *x;

	if ((x = X509_new()) == NULL)
		goto err0;
	if (!X509_set_version(x, 2) ||
	    !ASN1_INTEGER_set(X509_get_serialNumber(x), 1) ||
	    X509_gmtime_adj(X509_getm_notBefore(x), 0) == NULL ||
	    X509_gmtime_adj(X509_getm_notAfter(x), 86400) == NULL ||
	    !X509_set_pubkey(x, pk))
		goto err1;
	n = X509_get_subject_name(x);
	if (!X509_NAME_add_entry_by_txt(
	        n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0) ||
	    !X509_set_issuer_name(x, n) || X509_sign(x, pk, EVP_sha256()) == 0)
		goto err1;
	return x;

err1:
	X509_free(x);
err0:
	return NULL;
}

/* An empty CRL of the issuer ${x}, signed with ${pk}. */
static X509_CRL *
make_crl(EVP_PKEY *pk, X509 *x)
{
	ASN1_TIME *t = NULL;
	X509_CRL *crl;

	if ((crl = X509_CRL_new()) == NULL)
		goto err0;
	if (!X509_CRL_set_version(crl, 1) ||
	    !X509_CRL_set_issuer_name(crl, X509_get_subject_name(x)) ||
	    (t = X509_gmtime_adj(NULL, 0)) == NULL ||
	    !X509_CRL_set1_lastUpdate(crl, t) ||
	    X509_gmtime_adj(t, 86400) == NULL ||
	    !X509_CRL_set1_nextUpdate(crl, t) ||
	    X509_CRL_sign(crl, pk, EVP_sha256()) == 0)
		goto err1;
	ASN1_TIME_free(t);
	return crl;

err1:
	ASN1_TIME_free(t);
	X509_CRL_free(crl);
err0:
	return NULL;
}

/* Write the CRL ${crl} to the file ${name} in ${f}'s directory. */
static int
write_crl(const struct fx *f, const char *name, X509_CRL *crl)
{
	char path[256];
	FILE *w;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	if ((w = fopen(path, "w")) == NULL)
		goto err0;
	ok = PEM_write_X509_CRL(w, crl);
	if (fclose(w) != 0 || !ok)
		goto err0;
	return 0;

err0:
	return -1;
}

/* Write the PEM file ${name} in ${f}'s directory: key, then cert. */
static int
write_pem(const struct fx *f, const char *name, EVP_PKEY *pk, X509 *x,
    const char *pass)
{
	char path[256];
	FILE *w;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	if ((w = fopen(path, "w")) == NULL)
		goto err0;
	ok = 1;
	if (pk != NULL)
		ok = PEM_write_PrivateKey(w, pk,
		    pass != NULL ? EVP_aes_128_cbc() : NULL,
		    (unsigned char *)pass, pass != NULL ? (int)strlen(pass) : 0,
		    NULL, NULL);
	if (ok && x != NULL)
		ok = PEM_write_X509(w, x);
	if (fclose(w) != 0 || !ok)
		goto err0;
	return 0;

err0:
	return -1;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Remove the directory ${dir} and all in it. */
static int
rmtree(const char *dir)
{
	if (nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS) != 0)
		goto err0;
	return 0;

err0:
	return -1;
}

/*
 * The directory: cert.pem and key.pem (a pair), other.key (another key),
 * enc.key (key.pem's key, encrypted), both.pem (key and cert in one),
 * junk.txt (no PEM), dir (a directory), noread.pem (mode 0), crl.pem
 * (an empty CRL of cert.pem's issuer).
 */
static int
setup(void **state)
{
	EVP_PKEY *pk = NULL, *pk2 = NULL;
	X509_CRL *crl = NULL;
	X509 *x = NULL;
	struct fx *f;
	char path[256];

	if ((f = calloc(1, sizeof(*f))) == NULL)
		goto err0;
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_config.XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		goto err1;
	snprintf(f->conf, sizeof(f->conf), "%s/test.conf", f->dir);
	if ((pk = EVP_EC_gen("P-256")) == NULL ||
	    (pk2 = EVP_EC_gen("P-256")) == NULL ||
	    (x = make_cert(pk, "test")) == NULL)
		goto err2;
	if (write_pem(f, "cert.pem", NULL, x, NULL) != 0 ||
	    write_pem(f, "key.pem", pk, NULL, NULL) != 0 ||
	    write_pem(f, "other.key", pk2, NULL, NULL) != 0 ||
	    write_pem(f, "enc.key", pk, NULL, "secret") != 0 ||
	    write_pem(f, "both.pem", pk, x, NULL) != 0 ||
	    write_pem(f, "noread.pem", NULL, x, NULL) != 0)
		goto err2;
	if ((crl = make_crl(pk, x)) == NULL ||
	    write_crl(f, "crl.pem", crl) != 0)
		goto err2;
	snprintf(path, sizeof(path), "%s/noread.pem", f->dir);
	if (chmod(path, 0) != 0)
		goto err2;
	snprintf(path, sizeof(path), "%s/junk.txt", f->dir);
	if (write_file(path, "not PEM\n", 8) != 0)
		goto err2;
	snprintf(path, sizeof(path), "%s/dir", f->dir);
	if (mkdir(path, 0700) != 0)
		goto err2;
	X509_CRL_free(crl);
	X509_free(x);
	EVP_PKEY_free(pk2);
	EVP_PKEY_free(pk);
	*state = f;
	return 0;

err2:
	X509_CRL_free(crl);
	X509_free(x);
	EVP_PKEY_free(pk2);
	EVP_PKEY_free(pk);
	rmtree(f->dir);
err1:
	free(f);
err0:
	return -1;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	int rc;

	rc = rmtree(f->dir);
	free(f);
	return rc == 0 ? 0 : -1;
}

/* The rekey keys: defaults, values, bytes with suffixes, bad ones. */
static void
test_rekey(void **state)
{
	static const char *const bad_bytes[] = {
	    "1X", "G", "2000000T", "-1", "1.5G", "k"};
	char text[256], want[512];
	struct config *c;
	struct svc_conf *s;
	size_t i;

	c = load_ok(*state,
	    "[d]\n" SVC_ECHO "[v]\n"
	    "accept = dtls+sctp://*:2\n"
	    "connect = echo\n"
	    "cert = $D/cert.pem\n"
	    "key = $D/key.pem\n"
	    "rekey = no\n"
	    "rekey_interval = 0.5\n"
	    "rekey_bytes = 512k\n"
	    "rekey_min_interval = 0\n"
	    "rekey_on_reload = no\n"
	    "sctp_label_bug = yes\n"
	    "[t]\n"
	    "accept = dtls+sctp://*:3\n"
	    "connect = echo\n"
	    "cert = $D/cert.pem\n"
	    "key = $D/key.pem\n"
	    "rekey_bytes = 1T\n"
	    "[z]\n"
	    "accept = dtls+sctp://*:4\n"
	    "connect = echo\n"
	    "cert = $D/cert.pem\n"
	    "key = $D/key.pem\n"
	    "rekey_bytes = 0\n");
	s = svc(c, "d");
	assert_int_equal(s->rekey, 1);
	assert_true(s->rekey_interval == 3600);
	assert_true(s->rekey_bytes == 64ULL << 30);
	assert_true(s->rekey_min_interval == 10);
	assert_int_equal(s->rekey_on_reload, 1);
	assert_int_equal(s->sctp_label_bug, 0);
	s = svc(c, "v");
	assert_int_equal(s->rekey, 0);
	assert_true(s->rekey_interval == 0.5);
	assert_true(s->rekey_bytes == 512 * 1024);
	assert_true(s->rekey_min_interval == 0);
	assert_int_equal(s->rekey_on_reload, 0);
	assert_int_equal(s->sctp_label_bug, 1);
	assert_true(svc(c, "t")->rekey_bytes == 1ULL << 40);
	assert_true(svc(c, "z")->rekey_bytes == 0);
	config_free(c);
	for (i = 0; i < sizeof(bad_bytes) / sizeof(bad_bytes[0]); i++) {
		snprintf(text, sizeof(text),
		    "[a]\n" SVC_ECHO "rekey_bytes = %s\n", bad_bytes[i]);
		snprintf(want, sizeof(want),
		    "$F:6: bad value '%s' for 'rekey_bytes' in [a]: expected a "
		    "number of bytes (suffix K, M, G or T), 0 for no limit\n",
		    bad_bytes[i]);
		load_fail(*state, text, want);
	}
	load_fail(*state,
	    "[a]\n" SVC_ECHO "rekey_interval = 0\n"
	    "rekey = sometimes\n",
	    "$F:6: bad value '0' for 'rekey_interval' in [a]: expected a "
	    "number of seconds greater than 0, at most 31536000\n"
	    "$F:7: bad value 'sometimes' for 'rekey' in [a]: expected yes, "
	    "no, true, false, 1 or 0\n");
	load_fail(*state, "[a]\n" SVC_ECHO "rekey_interval = 5\n",
	    "$F:6: [a]: rekey_interval (5s) is shorter than rekey_min_interval "
	    "(10s), the limit a peer like this one enforces\n");
	load_fail(*state,
	    "[a]\n" SVC_ECHO "options = UnsafeLegacyRenegotiation\n",
	    "$F:6: bad value 'UnsafeLegacyRenegotiation' for 'options' in [a]: "
	    "renegotiation without RFC 5746 (secure renegotiation) is "
	    "refused\n");
}

/* The example of the issue, with the credentials it needs. */
static void
test_example(void **state)
{
	struct config *c;
	struct svc_conf *s;

	c = load_ok(*state,
	    "; global\n"
	    "log = stderr\n"
	    "log_level = info\n"
	    "pid = /run/sctp-dtls.pid\n"
	    "foreground = yes\n"
	    "\n"
	    "[diameter-out]          ; plaintext in, DTLS/SCTP out\n"
	    "accept  = tcp://127.0.0.1:3868\n"
	    "connect = dtls+sctp://peer.example.net:5658\n"
	    "cert = $D/cert.pem\n"
	    "key  = $D/key.pem\n"
	    "ca   = $D/cert.pem\n"
	    "\n"
	    "[diameter-in]           ; DTLS/SCTP in, plaintext out\n"
	    "accept  = dtls+sctp://[::]:5658\n"
	    "connect = tcp://10.0.0.5:3868\n"
	    "cert = $D/cert.pem\n"
	    "key  = $D/key.pem\n"
	    "\n"
	    "[selftest]\n"
	    "accept  = dtls+sctp://0.0.0.0:8080\n"
	    "connect = echo          ; the built-in echo target\n"
	    "cert = $D/both.pem\n"
	    "key  = $D/both.pem\n");
	assert_string_equal(c->file, ((struct fx *)*state)->conf);
	assert_string_equal(c->log, "stderr");
	assert_int_equal(c->log_level, LOG_LVL_INFO);
	assert_string_equal(c->pid, "/run/sctp-dtls.pid");
	assert_int_equal(c->foreground, 1);
	assert_int_equal(c->nsvcs, 3);

	s = c->svcs;
	assert_string_equal(s->name, "diameter-out");
	assert_int_equal(s->line, 7);
	assert_int_equal(s->accept.kind, EP_TCP);
	assert_string_equal(s->accept.host, "127.0.0.1");
	assert_string_equal(s->accept.port, "3868");
	assert_int_equal(s->accept.line, 8);
	assert_int_equal(s->connect.kind, EP_DTLS_SCTP);
	assert_string_equal(s->connect.host, "peer.example.net");
	assert_string_equal(s->connect.port, "5658");
	assert_int_equal(s->connect.line, 9);
	assert_non_null(strstr(s->cert, "/cert.pem"));
	assert_non_null(strstr(s->key, "/key.pem"));
	assert_non_null(strstr(s->ca, "/cert.pem"));

	s = s->next;
	assert_string_equal(s->name, "diameter-in");
	assert_int_equal(s->accept.kind, EP_DTLS_SCTP);
	assert_string_equal(s->accept.host, "");
	assert_string_equal(s->accept.port, "5658");
	assert_int_equal(s->connect.kind, EP_TCP);
	assert_string_equal(s->connect.host, "10.0.0.5");
	assert_null(s->ca);

	s = s->next;
	assert_string_equal(s->name, "selftest");
	assert_int_equal(s->line, 20);
	assert_int_equal(s->accept.kind, EP_DTLS_SCTP);
	assert_string_equal(s->accept.host, "0.0.0.0"); /* IPv4 only */
	assert_string_equal(s->accept.port, "8080");
	assert_int_equal(s->connect.kind, EP_ECHO);
	assert_int_equal(s->connect.line, 22);
	assert_null(s->next);
	config_free(c);
}

/* The example as written: its DTLS/SCTP servers have no cert. */
static void
test_example_verbatim(void **state)
{
	load_fail(*state,
	    "; global\n"
	    "log = stderr\n"
	    "log_level = info\n"
	    "pid = /run/sctp-dtls.pid\n"
	    "foreground = yes\n"
	    "\n"
	    "[diameter-out]          ; plaintext in, DTLS/SCTP out\n"
	    "accept  = tcp://127.0.0.1:3868\n"
	    "connect = dtls+sctp://peer.example.net:5658\n"
	    "cert = $D/cert.pem\n"
	    "key  = $D/key.pem\n"
	    "ca   = $D/cert.pem\n"
	    "\n"
	    "[diameter-in]           ; DTLS/SCTP in, plaintext out\n"
	    "accept  = dtls+sctp://[::]:5658\n"
	    "connect = tcp://10.0.0.5:3868\n"
	    "\n"
	    "[selftest]\n"
	    "accept  = dtls+sctp://0.0.0.0:8080\n"
	    "connect = echo          ; the built-in echo target\n",
	    "$F:15: [diameter-in]: a dtls+sctp:// accept needs 'cert' and "
	    "'key'\n"
	    "$F:19: [selftest]: a dtls+sctp:// accept needs 'cert' and "
	    "'key'\n");
}

static void
test_defaults(void **state)
{
	struct config *c;
	struct svc_conf *s;

	c = load_ok(*state,
	    "[s]\n" SVC_ECHO "[u]\n"
	    "accept = udp://*:53\n"
	    "connect = dtls+sctp://h.example:53\n"
	    "ca = $D/cert.pem\n"
	    "[u0]\n"
	    "accept = dtls+sctp://*:54\n"
	    "connect = udp://127.0.0.1:53\n"
	    "cert = $D/cert.pem\n"
	    "key = $D/key.pem\n"
	    "idle_timeout = 0\n");
	assert_string_equal(c->log, "stderr");
	assert_int_equal(c->log_level, LOG_LVL_INFO);
	assert_null(c->pid);
	assert_int_equal(c->foreground, 1);
	assert_true(c->drain_timeout == 30);
	assert_int_equal(c->nsvcs, 3);

	s = svc(c, "s");
	assert_null(s->ca);
	assert_null(s->ciphers);
	assert_int_equal(s->verify, 1);
	assert_int_equal(s->stream, 0);
	assert_int_equal(s->ppid, 0);
	assert_int_equal(s->nodelay, 1);
	assert_true(s->connect_timeout == 10);
	assert_true(s->handshake_timeout == 30);
	assert_true(s->idle_timeout == 3600);
	assert_true(s->close_timeout == 10);
	assert_int_equal(s->max_conns, 1000);

	s = svc(c, "u");
	assert_true(s->idle_timeout == 60);
	assert_null(s->cert);
	s = svc(c, "u0");
	assert_true(s->idle_timeout == 0);
	config_free(c);
}

/* Every key with a value other than its default. */
static void
test_values(void **state)
{
	struct config *c;
	struct svc_conf *s;

	c = load_ok(*state,
	    "log = /var/log/sctp-dtls.log\n"
	    "log_level = debug\n"
	    "pid = /run/x.pid\n"
	    "foreground = no\n"
	    "drain_timeout = 0\n"
	    "[t]\n"
	    "accept: tcp://[::1]:3868\n"
	    "connect = dtls+sctp://[2001:db8::5]:5658\n"
	    "cert = $D/cert.pem\n"
	    "key = $D/key.pem\n"
	    "ciphers = ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA\n"
	    "verify = none\n"
	    "stream = 65534\n"
	    "ppid = 4294967295\n"
	    "nodelay = false\n"
	    "connect_timeout = 2.5\n"
	    "handshake_timeout = .5\n"
	    "idle_timeout = 31536000\n"
	    "close_timeout = 0.001\n"
	    "max_conns = 0\n"
	    "[u]\n"
	    "accept = udp://0.0.0.0:53\n"
	    "connect = dtls+sctp://host-1.example.:53\n"
	    "verify = peer\n"
	    "cert = $D/both.pem\n"
	    "key = $D/both.pem\n"
	    "nodelay = 0\n"
	    "max_conns = 2147483647\n"
	    "idle_timeout = 5.\n");
	assert_string_equal(c->log, "/var/log/sctp-dtls.log");
	assert_int_equal(c->log_level, LOG_LVL_DEBUG);
	assert_string_equal(c->pid, "/run/x.pid");
	assert_int_equal(c->foreground, 0);
	assert_true(c->drain_timeout == 0);

	s = svc(c, "t");
	assert_int_equal(s->accept.kind, EP_TCP);
	assert_string_equal(s->accept.host, "::1");
	assert_string_equal(s->connect.host, "2001:db8::5");
	assert_string_equal(
	    s->ciphers, "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA");
	assert_int_equal(s->verify, 0);
	assert_int_equal(s->stream, 65534);
	assert_true(s->ppid == 4294967295u);
	assert_int_equal(s->nodelay, 0);
	assert_true(s->connect_timeout == 2.5);
	assert_true(s->handshake_timeout == 0.5);
	assert_true(s->idle_timeout == 31536000);
	assert_true(s->close_timeout == 0.001);
	assert_int_equal(s->max_conns, 0);

	s = svc(c, "u");
	assert_int_equal(s->accept.kind, EP_UDP);
	assert_string_equal(s->accept.host, "0.0.0.0");
	assert_string_equal(s->connect.host, "host-1.example.");
	assert_int_equal(s->verify, 1);
	assert_int_equal(s->nodelay, 0);
	assert_int_equal(s->max_conns, 2147483647);
	assert_true(s->idle_timeout == 5);
	config_free(c);

	c = load_ok(*state,
	    "log = syslog\n"
	    "foreground = true\n"
	    "[a]\n" SVC_ECHO "nodelay = yes\n");
	assert_string_equal(c->log, "syslog");
	assert_int_equal(c->foreground, 1);
	assert_int_equal(c->svcs->nodelay, 1);
	config_free(c);

	c = load_ok(*state,
	    "foreground = 1\n"
	    "log = ./relative.log\n"
	    "[a]\n" SVC_ECHO "nodelay = true\n");
	assert_int_equal(c->foreground, 1);
	assert_string_equal(c->log, "./relative.log");
	config_free(c);
}

static void
test_ppid_names(void **state)
{
	static const struct {
		const char *text;
		uint32_t ppid;
	} t[] = {
	    {"diameter", 46},
	    {"diameter-dtls", 47},
	    {"ngap", 60},
	    {"ngap-dtls", 66},
	    {"0", 0},
	    {"46", 46},
	    {"4294967295", 4294967295u},
	};
	struct config *c;
	char text[256];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(text, sizeof(text), "[a]\n" SVC_ECHO "ppid = %s\n",
		    t[i].text);
		c = load_ok(*state, text);
		assert_true(c->svcs->ppid == t[i].ppid);
		config_free(c);
	}
	load_fail(*state,
	    "[a]\n" SVC_ECHO "ppid = DIAMETER\n"
	    "[b]\n"
	    "accept = dtls+sctp://*:2\n"
	    "connect = echo\n"
	    "cert = $D/cert.pem\n"
	    "key = $D/key.pem\n"
	    "ppid = s1ap\n"
	    "[c]\n"
	    "accept = dtls+sctp://*:3\n"
	    "connect = echo\n"
	    "cert = $D/cert.pem\n"
	    "key = $D/key.pem\n"
	    "ppid = -1\n",
	    "$F:6: bad value 'DIAMETER' for 'ppid' in [a]: expected an integer "
	    "from 0 to 4294967295 or diameter, diameter-dtls, ngap or "
	    "ngap-dtls\n"
	    "$F:12: bad value 's1ap' for 'ppid' in [b]: expected an integer "
	    "from 0 to 4294967295 or diameter, diameter-dtls, ngap or "
	    "ngap-dtls\n"
	    "$F:18: bad value '-1' for 'ppid' in [c]: expected an integer "
	    "from 0 to 4294967295 or diameter, diameter-dtls, ngap or "
	    "ngap-dtls\n");
}

static void
test_endpoint_ok(void **state)
{
	static const struct {
		const char *text;
		enum ep_kind kind;
		const char *host, *port;
	} t[] = {
	    {"tcp://127.0.0.1:3868", EP_TCP, "127.0.0.1", "3868"},
	    {"udp://[::1]:53", EP_UDP, "::1", "53"},
	    {"dtls+sctp://[2001:db8::1]:5658", EP_DTLS_SCTP, "2001:db8::1",
	        "5658"},
	    {"dtls+sctp://peer.example.net:5658", EP_DTLS_SCTP,
	        "peer.example.net", "5658"},
	    {"tcp://localhost:65535", EP_TCP, "localhost", "65535"},
	    {"tcp://my_host-1:1", EP_TCP, "my_host-1", "1"},
	    {"udp://[fe80::1%eth0]:9", EP_UDP, "fe80::1%eth0", "9"},
	    {"tcp://[::ffff:10.0.0.1]:7", EP_TCP, "::ffff:10.0.0.1", "7"},
	    /* The wildcard, every way. */
	    {"tcp://*:80", EP_TCP, "", "80"},
	    {"tcp://:80", EP_TCP, "", "80"},
	    {"udp://0.0.0.0:80", EP_UDP, "0.0.0.0", "80"},
	    {"dtls+sctp://[::]:80", EP_DTLS_SCTP, "", "80"},
	    {"echo", EP_ECHO, "", ""},
	    /* Plaintext SCTP (the gateway). */
	    {"sctp://127.0.0.1:38412", EP_SCTP, "127.0.0.1", "38412"},
	    {"sctp://[::]:3868", EP_SCTP, "", "3868"},
	};
	struct endpoint ep;
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		why = NULL;
		if (endpoint_parse(t[i].text, &ep, &why) != 0)
			fail_msg("%s: %s", t[i].text, why);
		assert_int_equal(ep.kind, t[i].kind);
		assert_string_equal(ep.host, t[i].host);
		assert_string_equal(ep.port, t[i].port);
		assert_int_equal(ep.line, 0);
	}
}

static void
test_endpoint_bad(void **state)
{
	static const char scheme[] =
	    "expected tcp://, udp://, sctp:// or dtls+sctp://HOST:PORT, or echo";
	static const char brackets[] =
	    "IPv6 addresses need brackets: [ADDRESS]:PORT";
	static const char range[] = "port out of range (1 to 65535)";
	static const char number[] = "the port must be a number from 1 to "
	                             "65535";
	static const struct {
		const char *text, *why;
	} t[] = {
	    {"", scheme},
	    {"sctpx://h:1", scheme},
	    {"http://h:1", scheme},
	    {"dtls://h:1", scheme},
	    {"TCP://h:1", scheme},
	    {"tcp:/h:1", scheme},
	    {"h:1", scheme},
	    {"Echo", scheme},
	    {"tcp://h", "missing port"},
	    {"tcp://h:", "missing port"},
	    {"tcp://", "missing port"},
	    {"tcp://[::1]", "missing port"},
	    {"tcp://[::1]:", "missing port"},
	    {"tcp://::1", brackets},
	    {"tcp://::1:80", brackets},
	    {"tcp://2001:db8::1:80", brackets},
	    {"tcp://[::1:80", "missing ']' after the IPv6 address"},
	    {"tcp://[::1]x:80",
	        "expected HOST:PORT, [IPV6-ADDRESS]:PORT or *:PORT"},
	    {"tcp://h:0", range},
	    {"udp://h:65536", range},
	    {"tcp://h:99999999999999999999999", range},
	    {"tcp://h:http", number},
	    {"tcp://h:-1", number},
	    {"tcp://h:1/", number},
	    {"tcp://h: 1", number},
	    {"tcp://[zz::1]:1", "bad IPv6 address"},
	    {"tcp://[1.2.3.4]:1", "bad IPv6 address"},
	    {"tcp://[fe80::1%]:1", "bad IPv6 address"},
	    {"tcp://[]:1", "bad IPv6 address"},
	    {"tcp://1.2.3.256:1", "bad IPv4 address"},
	    {"tcp://1.2.3:1", "bad IPv4 address"},
	    {"tcp://bad host:1", "bad host name"},
	    {"tcp://a..b:1", "bad host name"},
	    {"tcp://.a:1", "bad host name"},
	    {"tcp://h/x:1", "bad host name"},
	    {"tcp://**:1", "bad host name"},
	};
	struct endpoint ep;
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		why = NULL;
		if (endpoint_parse(t[i].text, &ep, &why) == 0)
			fail_msg("'%s' accepted", t[i].text);
		if (why == NULL || strcmp(why, t[i].why) != 0)
			fail_msg("'%s': '%s', expected '%s'", t[i].text,
			    why != NULL ? why : "(null)", t[i].why);
		assert_int_equal(ep.kind, EP_NONE);
	}
}

/* Endpoint errors in a file, and the side rules of endpoints. */
static void
test_endpoint_keys(void **state)
{
	load_fail(*state,
	    "[a]\n"
	    "accept = tcp://[::1]\n"
	    "connect = dtls+sctp://h:70000\n"
	    "[b]\n"
	    "accept = echo\n"
	    "connect = tcp://127.0.0.1:5\n"
	    "[c]\n"
	    "accept = tcp://*:6\n"
	    "connect = dtls+sctp://*:6\n"
	    "[d]\n"
	    "accept = tcp://*:7\n"
	    "connect = dtls+sctp://0.0.0.0:7\n"
	    "[e]\n"
	    "accept = tcp://*:8\n"
	    "connect = ftp://h:8\n",
	    "$F:2: bad value 'tcp://[::1]' for 'accept' in [a]: missing port\n"
	    "$F:3: bad value 'dtls+sctp://h:70000' for 'connect' in [a]: port "
	    "out of range (1 to 65535)\n"
	    "$F:5: bad value 'echo' for 'accept' in [b]: echo is only valid "
	    "for connect\n"
	    "$F:9: bad value 'dtls+sctp://*:6' for 'connect' in [c]: connect "
	    "needs a host: the wildcard is only for accept\n"
	    "$F:12: bad value 'dtls+sctp://0.0.0.0:7' for 'connect' in [d]: "
	    "connect needs a host: the wildcard is only for accept\n"
	    "$F:15: bad value 'ftp://h:8' for 'connect' in [e]: expected "
	    "tcp://, udp://, sctp:// or dtls+sctp://HOST:PORT, or echo\n");
}

static void
test_unknown_key(void **state)
{
	load_fail(*state,
	    "lgo = stderr\n"
	    "[a]\n" SVC_ECHO "acept = tcp://*:1\n"
	    "Accept = tcp://*:1\n"
	    "= nothing\n",
	    "$F:1: unknown key 'lgo' in the global section\n"
	    "$F:7: unknown key 'acept' in [a]\n"
	    "$F:8: unknown key 'Accept' in [a]\n"
	    "$F:9: missing key name before '='\n");
}

static void
test_bad_values(void **state)
{
	load_fail(*state,
	    "log = syslgo\n"
	    "log_level = verbose\n"
	    "foreground = maybe\n"
	    "drain_timeout = -1\n"
	    "pid =\n"
	    "[a]\n" SVC_ECHO "verify = optional\n"
	    "stream = 65535\n"
	    "ppid = 4294967296\n"
	    "nodelay = on\n"
	    "connect_timeout = 0\n"
	    "handshake_timeout = 1e3\n"
	    "idle_timeout = -5\n"
	    "close_timeout = 31536001\n"
	    "max_conns = 2147483648\n"
	    "ciphers = NO-SUCH-CIPHER\n"
	    "ca =\n",
	    "$F:1: bad value 'syslgo' for 'log' in the global section: "
	    "expected stderr, syslog or a file path (with a '/')\n"
	    "$F:2: bad value 'verbose' for 'log_level' in the global section: "
	    "expected error, warning, notice, info or debug\n"
	    "$F:3: bad value 'maybe' for 'foreground' in the global section: "
	    "expected yes, no, true, false, 1 or 0\n"
	    "$F:4: bad value '-1' for 'drain_timeout' in the global section: "
	    "expected a number of seconds from 0 to 31536000\n"
	    "$F:5: bad value '' for 'pid' in the global section: expected a "
	    "file path\n"
	    "$F:11: bad value 'optional' for 'verify' in [a]: expected peer or "
	    "none\n"
	    "$F:12: bad value '65535' for 'stream' in [a]: expected an integer "
	    "from 0 to 65534\n"
	    "$F:13: bad value '4294967296' for 'ppid' in [a]: expected an "
	    "integer from 0 to 4294967295 or diameter, diameter-dtls, ngap or "
	    "ngap-dtls\n"
	    "$F:14: bad value 'on' for 'nodelay' in [a]: expected yes, no, "
	    "true, false, 1 or 0\n"
	    "$F:15: bad value '0' for 'connect_timeout' in [a]: expected a "
	    "number of seconds greater than 0, at most 31536000\n"
	    "$F:16: bad value '1e3' for 'handshake_timeout' in [a]: expected a "
	    "number of seconds greater than 0, at most 31536000\n"
	    "$F:17: bad value '-5' for 'idle_timeout' in [a]: expected a "
	    "number of seconds from 0 (none) to 31536000\n"
	    "$F:18: bad value '31536001' for 'close_timeout' in [a]: expected "
	    "a number of seconds greater than 0, at most 31536000\n"
	    "$F:19: bad value '2147483648' for 'max_conns' in [a]: expected an "
	    "integer from 0 (unlimited) to 2147483647\n"
	    "$F:20: bad value 'NO-SUCH-CIPHER' for 'ciphers' in [a]: OpenSSL "
	    "knows none of these DTLS 1.2 ciphers\n"
	    "$F:21: bad value '' for 'ca' in [a]: expected a file name\n");
}

/* Numbers: only plain decimal digits (and one '.' for seconds). */
static void
test_numbers(void **state)
{
	static const char *const bad_seconds[] = {".", "1.2.3", "inf", "nan",
	    "0x10", "+1", "1sec", "1 s", "ms", "1m", "1,5", "0.0", "0ms",
	    "1 000", "00"};
	static const char *const bad_ints[] = {
	    "1.0", "+1", "0x1", "1e2", "one", "1 0", "-0"};
	char text[256], want[512];
	size_t i;

	for (i = 0; i < sizeof(bad_seconds) / sizeof(bad_seconds[0]); i++) {
		snprintf(text, sizeof(text),
		    "[a]\n" SVC_ECHO "close_timeout = %s\n", bad_seconds[i]);
		snprintf(want, sizeof(want),
		    "$F:6: bad value '%s' for 'close_timeout' in [a]: "
		    "expected a number of seconds greater than 0, at most "
		    "31536000\n",
		    bad_seconds[i]);
		load_fail(*state, text, want);
	}
	for (i = 0; i < sizeof(bad_ints) / sizeof(bad_ints[0]); i++) {
		snprintf(text, sizeof(text), "[a]\n" SVC_ECHO "stream = %s\n",
		    bad_ints[i]);
		snprintf(want, sizeof(want),
		    "$F:6: bad value '%s' for 'stream' in [a]: expected an "
		    "integer from 0 to 65534\n",
		    bad_ints[i]);
		load_fail(*state, text, want);
	}
}

static void
test_duplicates(void **state)
{
	load_fail(*state,
	    "log = stderr\n"
	    "log = syslog\n"
	    "[a]\n" SVC_ECHO "connect = echo\n"
	    "cert = $D/other.pem\n"
	    "[b]\n" SVC_ECHO2 "[a]\n" SVC_ECHO,
	    "$F:2: duplicate key 'log' in the global section (first at line "
	    "1)\n"
	    "$F:8: duplicate key 'connect' in [a] (first at line 5)\n"
	    "$F:9: duplicate key 'cert' in [a] (first at line 6)\n"
	    "$F:15: duplicate section [a] (first at line 3)\n");
}

static void
test_scope(void **state)
{
	load_fail(*state,
	    "cert = $D/cert.pem\n"
	    "accept = tcp://*:1\n"
	    "[a]\n" SVC_ECHO "log = stderr\n"
	    "foreground = no\n",
	    "$F:1: 'cert' is a service option: it must be inside a [section]\n"
	    "$F:2: 'accept' is a service option: it must be inside a "
	    "[section]\n"
	    "$F:8: 'log' is a global option: it must come before the first "
	    "[section]\n"
	    "$F:9: 'foreground' is a global option: it must come before the "
	    "first [section]\n");
}

static void
test_missing_sides(void **state)
{
	load_fail(*state,
	    "[none]\n"
	    "[noaccept]\n"
	    "connect = echo\n"
	    "[noconnect]\n"
	    "accept = tcp://*:1\n"
	    "[badaccept]\n"
	    "accept = tcp://h\n"
	    "connect = echo\n",
	    "$F:1: [none] has neither 'accept' nor 'connect'\n"
	    "$F:2: [noaccept] has no 'accept'\n"
	    "$F:4: [noconnect] has no 'connect'\n"
	    "$F:7: bad value 'tcp://h' for 'accept' in [badaccept]: missing "
	    "port\n");
}

static void
test_combinations(void **state)
{
	load_fail(*state,
	    "[tcpudp]\n"
	    "accept = tcp://*:1\n"
	    "connect = udp://127.0.0.1:1\n"
	    "[udptcp]\n"
	    "accept = udp://*:1\n"
	    "connect = tcp://127.0.0.1:1\n"
	    "[tcptcp]\n"
	    "accept = tcp://*:2\n"
	    "connect = tcp://127.0.0.1:2\n"
	    "[udpudp]\n"
	    "accept = udp://*:2\n"
	    "connect = udp://127.0.0.1:2\n"
	    "[dtlsdtls]\n"
	    "accept = dtls+sctp://*:3\n"
	    "connect = dtls+sctp://127.0.0.1:3\n"
	    "cert = $D/cert.pem\n"
	    "key = $D/key.pem\n"
	    "[tcpecho]\n"
	    "accept = tcp://*:4\n"
	    "connect = echo\n"
	    "[udpecho]\n"
	    "connect = echo\n"
	    "accept = udp://*:4\n",
	    "$F:3: [tcpudp]: tcp:// on one side and udp:// on the other is "
	    "impossible: one side must be dtls+sctp://\n"
	    "$F:6: [udptcp]: tcp:// on one side and udp:// on the other is "
	    "impossible: one side must be dtls+sctp://\n"
	    "$F:9: [tcptcp]: both sides are plaintext: one side must be "
	    "dtls+sctp://\n"
	    "$F:12: [udpudp]: both sides are plaintext: one side must be "
	    "dtls+sctp://\n"
	    "$F:15: [dtlsdtls]: dtls+sctp:// on both sides is not supported\n"
	    "$F:20: [tcpecho]: 'connect = echo' needs a dtls+sctp:// accept\n"
	    "$F:22: [udpecho]: 'connect = echo' needs a dtls+sctp:// accept\n");
}

static void
test_credentials(void **state)
{
	load_fail(*state,
	    "[nocreds]\n"
	    "accept = dtls+sctp://*:1\n"
	    "connect = echo\n"
	    "[nokey]\n"
	    "accept = dtls+sctp://*:2\n"
	    "connect = echo\n"
	    "cert = $D/cert.pem\n"
	    "[nocert]\n"
	    "accept = dtls+sctp://*:3\n"
	    "connect = echo\n"
	    "key = $D/key.pem\n"
	    "[client-nokey]\n"
	    "accept = tcp://*:4\n"
	    "connect = dtls+sctp://h:4\n"
	    "cert = $D/cert.pem\n"
	    "[client-nocert]\n"
	    "accept = tcp://*:5\n"
	    "connect = dtls+sctp://h:5\n"
	    "ca = $D/cert.pem\n"
	    "key = $D/key.pem\n"
	    "[client-notrust]\n"
	    "accept = udp://*:6\n"
	    "connect = dtls+sctp://h:6\n"
	    "verify = peer\n",
	    "$F:2: [nocreds]: a dtls+sctp:// accept needs 'cert' and 'key'\n"
	    "$F:5: [nokey]: a dtls+sctp:// accept needs 'key'\n"
	    "$F:9: [nocert]: a dtls+sctp:// accept needs 'cert'\n"
	    "$F:15: [client-nokey]: 'cert' without 'key'\n"
	    "$F:20: [client-nocert]: 'key' without 'cert'\n"
	    "$F:23: [client-notrust]: a dtls+sctp:// connect needs 'ca' (or "
	    "'cert') to verify the server with, or 'verify = none'\n");
}

/* What a DTLS/SCTP client may verify the server with. */
static void
test_client_trust(void **state)
{
	struct config *c;

	c = load_ok(*state,
	    "[ca]\n"
	    "accept = tcp://*:1\n"
	    "connect = dtls+sctp://h:1\n"
	    "ca = $D/cert.pem\n"
	    "[own]\n"
	    "accept = tcp://*:2\n"
	    "connect = dtls+sctp://h:2\n"
	    "cert = $D/cert.pem\n"
	    "key = $D/key.pem\n"
	    "[none]\n"
	    "accept = udp://*:3\n"
	    "connect = dtls+sctp://h:3\n"
	    "verify = none\n"
	    "[server-none]\n" SVC_ECHO "verify = none\n");
	assert_int_equal(c->nsvcs, 4);
	assert_int_equal(svc(c, "none")->verify, 0);
	config_free(c);
}

static void
test_files(void **state)
{
	load_fail(*state,
	    "[a]\n"
	    "accept = dtls+sctp://*:1\n"
	    "connect = echo\n"
	    "cert = $D/missing.pem\n"
	    "key = $D/dir\n"
	    "ca = $D/missing-ca.pem\n"
	    "[b]\n"
	    "accept = tcp://*:2\n"
	    "connect = dtls+sctp://h:2\n"
	    "ca = relative/missing.pem\n",
	    "$F:4: cannot read cert file '$D/missing.pem': No such file or "
	    "directory\n"
	    "$F:5: cannot read key file '$D/dir': Is a directory\n"
	    "$F:6: cannot read ca file '$D/missing-ca.pem': No such file or "
	    "directory\n"
	    "$F:10: cannot read ca file 'relative/missing.pem': No such file "
	    "or directory\n");
}

static void
test_unreadable(void **state)
{
	if (geteuid() == 0)
		skip(); /* root reads mode 0 files */
	load_fail(*state,
	    "[a]\n"
	    "accept = dtls+sctp://*:1\n"
	    "connect = echo\n"
	    "cert = $D/noread.pem\n"
	    "key = $D/key.pem\n",
	    "$F:4: cannot read cert file '$D/noread.pem': Permission "
	    "denied\n");
}

static void
test_pem(void **state)
{
	load_fail(*state,
	    "[a]\n"
	    "accept = dtls+sctp://*:1\n"
	    "connect = echo\n"
	    "cert = $D/junk.txt\n"
	    "key = $D/cert.pem\n"
	    "ca = $D/key.pem\n"
	    "[b]\n"
	    "accept = dtls+sctp://*:2\n"
	    "connect = echo\n"
	    "cert = $D/cert.pem\n"
	    "key = $D/enc.key\n"
	    "[c]\n"
	    "accept = dtls+sctp://*:3\n"
	    "connect = echo\n"
	    "cert = $D/key.pem\n"
	    "key = $D/junk.txt\n",
	    "$F:4: cert file '$D/junk.txt' holds no PEM certificate\n"
	    "$F:5: key file '$D/cert.pem' holds no PEM private key\n"
	    "$F:6: ca file '$D/key.pem' holds no PEM certificate\n"
	    "$F:11: key file '$D/enc.key' is encrypted: a key without a "
	    "passphrase is needed\n"
	    "$F:15: cert file '$D/key.pem' holds no PEM certificate\n"
	    "$F:16: key file '$D/junk.txt' holds no PEM private key\n");
}

static void
test_key_mismatch(void **state)
{
	load_fail(*state,
	    "[a]\n"
	    "accept = dtls+sctp://*:1\n"
	    "connect = echo\n"
	    "key = $D/other.key\n"
	    "cert = $D/cert.pem\n"
	    "[b]\n"
	    "accept = tcp://*:2\n"
	    "connect = dtls+sctp://h:2\n"
	    "cert = $D/both.pem\n"
	    "key = $D/other.key\n",
	    "$F:4: key file '$D/other.key' does not match cert file "
	    "'$D/cert.pem'\n"
	    "$F:10: key file '$D/other.key' does not match cert file "
	    "'$D/both.pem'\n");
}

static void
test_no_services(void **state)
{
	load_fail(*state, "",
	    "$F:1: no services: add a [section] with accept and connect\n");
	load_fail(*state, "log = stderr\nlog_level = debug\n",
	    "$F:2: no services: add a [section] with accept and connect\n");
	load_fail(*state, "; only\n\n# comments\n",
	    "$F:3: no services: add a [section] with accept and connect\n");
}

/* Every syntax error is reported, not only the first inih returns. */
static void
test_syntax(void **state)
{
	char text[1024], long_value[200];

	memset(long_value, 'a', sizeof(long_value) - 1);
	long_value[sizeof(long_value) - 1] = '\0';
	snprintf(text, sizeof(text),
	    "log = stderr\n"
	    "this is not a key\n"
	    "[a\n"
	    "accept = tcp://*:1\n"
	    "[b] trailing\n" SVC_ECHO "another bad line\n"
	    "[]\n"
	    "[c ; comment]\n"
	    "pid = /%s\n"
	    "[d]\n" SVC_ECHO2,
	    long_value);
	load_fail(*state, text,
	    "$F:2: expected 'key = value', '[section]' or a comment\n"
	    "$F:3: section header without ']'\n"
	    "$F:5: unexpected text after ']' (comments start with ';' or "
	    "'#')\n"
	    "$F:10: expected 'key = value', '[section]' or a comment\n"
	    "$F:11: empty section name\n"
	    "$F:12: section header without ']'\n"
	    "$F:13: 'pid' is a global option: it must come before the "
	    "first [section]\n");
}

/* Lines up to 198 characters (inih's limit, less "\n\0") are fine. */
static void
test_long_lines(void **state)
{
	static const char cs[] = "ECDHE+AESGCM:ECDHE+CHACHA20:";
	size_t big = 70000, n;
	char *text, *name, *want;
	struct config *c;

	/* Lines of 4 KiB and more: a cipher list, a path, a comment. */
	text = malloc(big + 200);
	name = malloc(big);
	want = malloc(big);
	assert_non_null(text);
	assert_non_null(name);
	assert_non_null(want);
	memset(name, 'p', 4500);
	name[4500] = '\0';
	for (want[0] = '\0', n = 0; n + sizeof(cs) < 5000; n += sizeof(cs) - 1)
		strcat(want, cs);
	want[n - 1] = '\0'; /* the last ':' */
	snprintf(text, big + 200,
	    "pid = /%s\n; %s\n[a]\n" SVC_ECHO
	    "ciphers =   %s   ; the usual ones\n",
	    name, name, want);
	c = load_ok(*state, text);
	assert_int_equal(strlen(c->pid), 4501);
	assert_string_equal(svc(c, "a")->ciphers, want);
	config_free(c);

	/* Up to 65536 characters, white space at the ends not counted. */
	memset(name, 'p', big - 1);
	name[65536 - 7] = '\0'; /* "pid = /" and the rest */
	snprintf(text, big + 200, "  pid = /%s  \n[a]\n" SVC_ECHO, name);
	c = load_ok(*state, text);
	assert_int_equal(strlen(c->pid), 65536 - 6);
	config_free(c);
	name[65536 - 7] = 'p';
	name[65537 - 7] = '\0';
	snprintf(text, big + 200, "pid = /%s\n[a]\n" SVC_ECHO, name);
	load_fail(*state, text, "$F:1: line longer than 65536 characters\n");

	/* Section names stay short, however long the line. */
	memset(name, 'n', big);
	name[64] = '\0';
	snprintf(text, big + 200, "[%s]\n" SVC_ECHO, name);
	load_fail(
	    *state, text, "$F:1: section name longer than 63 characters\n");
	name[64] = 'n';
	name[300] = '\0';
	snprintf(text, big + 200, "[%s]\n" SVC_ECHO, name);
	load_fail(
	    *state, text, "$F:1: section name longer than 63 characters\n");
	/* A long line that is not "key = value" is refused as before. */
	snprintf(text, big + 200, "[a]\n" SVC_ECHO "%s\n", name);
	load_fail(*state, text,
	    "$F:6: expected 'key = value', '[section]' or a comment\n");
	free(want);
	free(name);
	free(text);
}

static void
test_nul(void **state)
{
	static const char text[] = "[a]\n"
	                           "accept = tcp://*:1\n"
	                           "connect = echo\0junk\n";
	struct config *c;
	char *errs, *want;

	c = load_n(*state, text, sizeof(text) - 1, &errs);
	assert_null(c);
	want = subst(*state,
	    "$F:1: [a] has no 'connect'\n"
	    "$F:3: NUL character in line\n");
	assert_non_null(want);
	assert_string_equal(errs, want);
	free(want);
	free(errs);
}

static void
test_comments(void **state)
{
	struct config *c;

	c = load_ok(*state,
	    "; comment\n"
	    "# comment\n"
	    "   ; indented comment\n"
	    "pid = /run/a;b ; inline comment\n"
	    "[a] ; comment\n"
	    "accept = dtls+sctp://*:1 ; comment\n"
	    "connect = echo\t; tab, then comment\n"
	    "cert = $D/cert.pem\n"
	    "key = $D/key.pem\n"
	    "[b]# comment\n" SVC_ECHO2);
	assert_string_equal(c->pid, "/run/a;b");
	assert_int_equal(svc(c, "a")->connect.kind, EP_ECHO);
	config_free(c);

	/* '#' starts a comment only at the start of a line. */
	load_fail(*state,
	    "[a]\n"
	    "accept = dtls+sctp://*:1\n"
	    "connect = echo # the echo\n",
	    "$F:2: [a]: a dtls+sctp:// accept needs 'cert' and 'key'\n"
	    "$F:3: bad value 'echo # the echo' for 'connect' in [a]: expected "
	    "tcp://, udp://, sctp:// or dtls+sctp://HOST:PORT, or echo\n");
}

/* Indented lines are ordinary lines, not continuations of values. */
static void
test_indent(void **state)
{
	struct config *c;

	c = load_ok(*state,
	    "  log_level = debug\n"
	    "[a]\n"
	    "    accept = dtls+sctp://*:1\n"
	    "\tconnect = echo\n"
	    "  cert = $D/cert.pem\n"
	    "  key = $D/key.pem\n"
	    "  [b]\n"
	    "\taccept = tcp://*:2\n"
	    "\tconnect = dtls+sctp://h:2\n"
	    "\tca = $D/cert.pem\n");
	assert_int_equal(c->log_level, LOG_LVL_DEBUG);
	assert_int_equal(svc(c, "a")->connect.kind, EP_ECHO);
	assert_int_equal(svc(c, "b")->line, 7);
	config_free(c);
}

static void
test_crlf_bom(void **state)
{
	struct config *c;

	c = load_ok(*state,
	    "\xef\xbb\xbf[a]\r\n"
	    "accept = dtls+sctp://*:1\r\n"
	    "connect = echo\r\n"
	    "cert = $D/cert.pem\r\n"
	    "key = $D/key.pem\r\n");
	assert_string_equal(c->svcs->name, "a");
	assert_int_equal(c->svcs->connect.kind, EP_ECHO);
	assert_non_null(strstr(c->svcs->key, "/key.pem"));
	assert_null(strchr(c->svcs->key, '\r'));
	config_free(c);
}

static void
test_open_fail(void **state)
{
	const struct fx *f = *state;
	char path[256], want[512], *errs;
	size_t size;
	FILE *m;

	snprintf(path, sizeof(path), "%s/nonexistent.conf", f->dir);
	snprintf(want, sizeof(want), "%s: No such file or directory\n", path);
	m = open_memstream(&errs, &size);
	assert_non_null(m);
	assert_null(config_load(path, m));
	fclose(m);
	assert_string_equal(errs, want);
	free(errs);

	snprintf(path, sizeof(path), "%s/dir", f->dir);
	snprintf(want, sizeof(want), "%s: Is a directory\n", path);
	m = open_memstream(&errs, &size);
	assert_non_null(m);
	assert_null(config_load(path, m));
	fclose(m);
	assert_string_equal(errs, want);
	free(errs);

	config_free(NULL);
}

/* A PSK service pair body: 16 and 32 byte keys, a comment, a blank line. */
#define PSK_GOOD                                                               \
	"# keys\n"                                                             \
	"\n"                                                                   \
	"alice:000102030405060708090a0b0c0d0e0f\n"                             \
	"  bob : 000102030405060708090A0B0C0D0E0F"                             \
	"101112131415161718191a1b1c1d1e1f  \n"

/* Write ${text} to the file ${name} of the fixture directory. */
static void
put(const struct fx *f, const char *name, const char *text)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	assert_int_equal(write_file(path, text, strlen(text)), 0);
}

/* The TLS options when not given. */
static void
test_tls_defaults(void **state)
{
	struct config *c;
	struct svc_conf *s;

	c = load_ok(*state, "[s]\n" SVC_ECHO);
	s = c->svcs;
	assert_null(s->capath);
	assert_null(s->crl);
	assert_null(s->check_host);
	assert_null(s->check_ip);
	assert_int_equal(s->verify_depth, -1);
	assert_null(s->groups);
	assert_int_equal(s->min_version, 0);
	assert_int_equal(s->max_version, 0);
	assert_null(s->options);
	assert_null(s->psk_secrets);
	assert_null(s->psk);
	assert_null(s->psk_identity);
	assert_int_equal(s->session_cache, 1);
	assert_int_equal(s->session_timeout, 300);
	assert_int_equal(s->sctp_hmac_sha1, 0);
	config_free(c);
}

/* Every TLS option with a value other than its default. */
static void
test_tls_values(void **state)
{
	const struct psk *k;
	struct config *c;
	struct svc_conf *s;

	put(*state, "keys.psk", PSK_GOOD);
	c = load_ok(*state,
	    "[in]\n" SVC_ECHO "ca = $D/cert.pem\n"
	    "capath = $D/dir\n"
	    "crl = $D/crl.pem\n"
	    "check_host = client.example\n"
	    "check_ip = 2001:db8::7\n"
	    "verify_depth = 0\n"
	    "groups = P-256:X25519\n"
	    "min_version = DTLSv1.2\n"
	    "max_version = dtls1.2\n"
	    "options = ServerPreference,PrioritizeChaCha\n"
	    "psk_secrets = $D/keys.psk\n"
	    "session_cache = no\n"
	    "session_timeout = 31536000\n"
	    "sctp_hmac = sha1\n"
	    "[out]\n"
	    "accept = tcp://*:2\n"
	    "connect = dtls+sctp://h:2\n"
	    "psk_secrets = $D/keys.psk\n"
	    "psk_identity = bob\n"
	    "check_ip = 192.0.2.1\n"
	    "verify_depth = 100\n"
	    "options = -SessionTicket\n"
	    "min_version = dtlsv1.2\n"
	    "sctp_hmac = sha256\n");
	s = svc(c, "in");
	assert_non_null(strstr(s->capath, "/dir"));
	assert_non_null(strstr(s->crl, "/crl.pem"));
	assert_string_equal(s->check_host, "client.example");
	assert_string_equal(s->check_ip, "2001:db8::7");
	assert_int_equal(s->verify_depth, 0);
	assert_string_equal(s->groups, "P-256:X25519");
	assert_int_equal(s->min_version, DTLS1_2_VERSION);
	assert_int_equal(s->max_version, DTLS1_2_VERSION);
	assert_string_equal(s->options, "ServerPreference,PrioritizeChaCha");
	assert_int_equal(s->session_cache, 0);
	assert_int_equal(s->session_timeout, 31536000);
	assert_int_equal(s->sctp_hmac_sha1, 1);
	assert_non_null(s->psk);
	assert_string_equal(s->psk->identity, "alice");
	assert_int_equal(s->psk->len, 16);
	assert_int_equal(s->psk->line, 3);
	assert_int_equal(s->psk->key[15], 0x0f);
	k = psk_find(s->psk, "bob");
	assert_non_null(k);
	assert_int_equal(k->len, 32);
	assert_int_equal(k->line, 4);
	assert_int_equal(k->key[10], 0x0a);
	assert_int_equal(k->key[31], 0x1f);
	assert_null(k->next);
	assert_null(psk_find(s->psk, "carol"));

	s = svc(c, "out");
	assert_string_equal(s->psk_identity, "bob");
	assert_string_equal(s->check_ip, "192.0.2.1");
	assert_int_equal(s->verify_depth, 100);
	assert_string_equal(s->options, "-SessionTicket");
	assert_int_equal(s->min_version, DTLS1_2_VERSION);
	assert_int_equal(s->sctp_hmac_sha1, 0);
	assert_null(s->ca);
	assert_null(s->cert);
	config_free(c);
}

static void
test_tls_bad_values(void **state)
{
	load_fail(*state,
	    "[a]\n" SVC_ECHO "capath =\n"
	    "crl =\n"
	    "check_host = bad name\n"
	    "check_ip = 192.0.2.256\n"
	    "verify_depth = 101\n"
	    "groups = P-256:P-999\n"
	    "min_version = DTLSv1\n"
	    "max_version = TLSv1.2\n"
	    "options =\n"
	    "psk_secrets =\n"
	    "session_cache = maybe\n"
	    "session_timeout = 1.5\n"
	    "sctp_hmac = md5\n"
	    "ciphers = PSK-NOPE\n",
	    "$F:6: bad value '' for 'capath' in [a]: expected a directory\n"
	    "$F:7: bad value '' for 'crl' in [a]: expected a file name\n"
	    "$F:8: bad value 'bad name' for 'check_host' in [a]: expected a "
	    "DNS name\n"
	    "$F:9: bad value '192.0.2.256' for 'check_ip' in [a]: expected an "
	    "IPv4 or IPv6 address\n"
	    "$F:10: bad value '101' for 'verify_depth' in [a]: expected an "
	    "integer from 0 to 100\n"
	    "$F:11: bad value 'P-256:P-999' for 'groups' in [a]: OpenSSL does "
	    "not know all of these groups (names such as P-256, P-384, "
	    "X25519, separated by ':')\n"
	    "$F:12: bad value 'DTLSv1' for 'min_version' in [a]: DTLS 1.0 is "
	    "not allowed (RFC 8996 deprecates it); expected DTLSv1.2\n"
	    "$F:13: bad value 'TLSv1.2' for 'max_version' in [a]: expected "
	    "DTLSv1.2 (or dtls1.2)\n"
	    "$F:14: bad value '' for 'options' in [a]: expected OpenSSL option "
	    "names\n"
	    "$F:15: bad value '' for 'psk_secrets' in [a]: expected a file "
	    "name\n"
	    "$F:16: bad value 'maybe' for 'session_cache' in [a]: expected "
	    "yes, no, true, false, 1 or 0\n"
	    "$F:17: bad value '1.5' for 'session_timeout' in [a]: expected a "
	    "whole number of seconds from 1 to 31536000\n"
	    "$F:18: bad value 'md5' for 'sctp_hmac' in [a]: expected sha256 or "
	    "sha1\n"
	    "$F:19: bad value 'PSK-NOPE' for 'ciphers' in [a]: OpenSSL knows "
	    "none of these DTLS 1.2 ciphers\n");
	load_fail(*state,
	    "[a]\n" SVC_ECHO "min_version = dtls1.0\n"
	    "max_version = DTLSv1.0\n"
	    "session_timeout = 0\n"
	    "verify_depth = -1\n",
	    "$F:6: bad value 'dtls1.0' for 'min_version' in [a]: DTLS 1.0 is "
	    "not allowed (RFC 8996 deprecates it); expected DTLSv1.2\n"
	    "$F:7: bad value 'DTLSv1.0' for 'max_version' in [a]: DTLS 1.0 is "
	    "not allowed (RFC 8996 deprecates it); expected DTLSv1.2\n"
	    "$F:8: bad value '0' for 'session_timeout' in [a]: expected a "
	    "whole number of seconds from 1 to 31536000\n"
	    "$F:9: bad value '-1' for 'verify_depth' in [a]: expected an "
	    "integer from 0 to 100\n");
}

/* Options are checked for the side they are for. */
static void
test_tls_options(void **state)
{
	load_fail(*state,
	    "[in]\n" SVC_ECHO "options = NoSuchOption\n"
	    "[out]\n"
	    "accept = tcp://*:2\n"
	    "connect = dtls+sctp://h:2\n"
	    "ca = $D/cert.pem\n"
	    "options = ServerPreference\n",
	    "$F:6: bad value 'NoSuchOption' for 'options' in [in]: expected "
	    "option names OpenSSL knows for a DTLS server (such as "
	    "ServerPreference), separated by ','\n"
	    "$F:11: bad value 'ServerPreference' for 'options' in [out]: "
	    "expected option names OpenSSL knows for a DTLS client (such as "
	    "-SessionTicket), separated by ','\n");
}

/* The files and directories the TLS options name. */
static void
test_tls_files(void **state)
{
	load_fail(*state,
	    "[a]\n" SVC_ECHO "capath = $D/cert.pem\n"
	    "crl = $D/cert.pem\n"
	    "psk_secrets = $D/missing.psk\n"
	    "[b]\n"
	    "accept = dtls+sctp://*:2\n"
	    "connect = echo\n"
	    "psk_secrets = $D/dir\n"
	    "capath = $D/missing\n"
	    "crl = $D/missing.pem\n",
	    "$F:6: cannot read capath directory '$D/cert.pem': Not a "
	    "directory\n"
	    "$F:7: crl file '$D/cert.pem' holds no PEM CRL\n"
	    "$F:8: cannot read psk_secrets file '$D/missing.psk': No such "
	    "file or directory\n"
	    "$F:12: cannot read psk_secrets file '$D/dir': Is a directory\n"
	    "$F:13: cannot read capath directory '$D/missing': No such file "
	    "or directory\n"
	    "$F:14: cannot read crl file '$D/missing.pem': No such file or "
	    "directory\n");
}

/* Problems in a psk_secrets file: its own FILE:LINE, after ours. */
static void
test_psk_file(void **state)
{
	char id[200], text[1024];

	memset(id, 'i', 129);
	id[129] = '\0';
	snprintf(text, sizeof(text),
	    "# comment\n"
	    "alice:000102030405060708090a0b0c0d0e0f\n"
	    "short:000102030405060708090a0b0c0d0e\n"
	    "odd:000102030405060708090a0b0c0d0e0f1\n"
	    "nothex:000102030405060708090a0b0c0d0e0g\n"
	    "no colon here\n"
	    ":000102030405060708090a0b0c0d0e0f\n"
	    "alice:101112131415161718191a1b1c1d1e1f\n"
	    "%s:000102030405060708090a0b0c0d0e0f\n"
	    "ctl\001:000102030405060708090a0b0c0d0e0f\n"
	    "empty:\n",
	    id);
	put(*state, "bad.psk", text);
	put(*state, "empty.psk", "# nothing\n\n");
	load_fail(*state,
	    "[a]\n"
	    "accept = dtls+sctp://*:1\n"
	    "connect = echo\n"
	    "\n"
	    "psk_secrets = $D/bad.psk\n"
	    "[b]\n"
	    "accept = dtls+sctp://*:2\n"
	    "connect = echo\n"
	    "\n"
	    "psk_secrets = $D/empty.psk\n",
	    "$F:5: $D/bad.psk:3: the key is shorter than 16 bytes (32 hex "
	    "digits)\n"
	    "$F:5: $D/bad.psk:4: the key has an odd number of hex digits\n"
	    "$F:5: $D/bad.psk:5: the key is not hexadecimal\n"
	    "$F:5: $D/bad.psk:6: expected IDENTITY:HEXKEY or a '#' comment\n"
	    "$F:5: $D/bad.psk:7: empty identity before ':'\n"
	    "$F:5: $D/bad.psk:8: duplicate identity 'alice' (first at line "
	    "2)\n"
	    "$F:5: $D/bad.psk:9: identity longer than 128 bytes\n"
	    "$F:5: $D/bad.psk:10: control character in the identity\n"
	    "$F:5: $D/bad.psk:11: the key is shorter than 16 bytes (32 hex "
	    "digits)\n"
	    "$F:10: $D/empty.psk:2: no IDENTITY:HEXKEY line in the file\n");
}

/* With pre-shared keys: no certificates needed; the client's identity. */
static void
test_psk_credentials(void **state)
{
	struct config *c;

	put(*state, "keys.psk", PSK_GOOD);
	c = load_ok(*state,
	    "[server]\n"
	    "accept = dtls+sctp://*:1\n"
	    "connect = echo\n"
	    "psk_secrets = $D/keys.psk\n"
	    "[client]\n"
	    "accept = udp://*:2\n"
	    "connect = dtls+sctp://h:2\n"
	    "psk_secrets = $D/keys.psk\n"
	    "psk_identity = alice\n"
	    "[both]\n" SVC_ECHO2 "psk_secrets = $D/keys.psk\n");
	assert_int_equal(c->nsvcs, 3);
	assert_null(svc(c, "server")->cert);
	assert_int_equal(svc(c, "client")->verify, 1);
	config_free(c);

	load_fail(*state,
	    "[noid]\n"
	    "accept = tcp://*:1\n"
	    "connect = dtls+sctp://h:1\n"
	    "psk_secrets = $D/keys.psk\n"
	    "[unknown]\n"
	    "accept = tcp://*:2\n"
	    "connect = dtls+sctp://h:2\n"
	    "psk_secrets = $D/keys.psk\n"
	    "psk_identity = carol\n"
	    "[nofile]\n"
	    "accept = tcp://*:3\n"
	    "connect = dtls+sctp://h:3\n"
	    "ca = $D/cert.pem\n"
	    "psk_identity = alice\n"
	    "[server]\n" SVC_ECHO "psk_secrets = $D/keys.psk\n"
	    "psk_identity = alice\n"
	    "[server-nokey]\n"
	    "accept = dtls+sctp://*:5\n"
	    "connect = echo\n"
	    "psk_secrets = $D/keys.psk\n"
	    "cert = $D/cert.pem\n",
	    "$F:4: [noid]: a dtls+sctp:// connect with 'psk_secrets' needs "
	    "'psk_identity'\n"
	    "$F:9: [unknown]: psk_identity 'carol' is not in "
	    "'$D/keys.psk'\n"
	    "$F:14: [nofile]: 'psk_identity' needs 'psk_secrets'\n"
	    "$F:21: [server]: 'psk_identity' is for a dtls+sctp:// connect: a "
	    "server takes the identity its client sends\n"
	    "$F:26: [server-nokey]: 'cert' without 'key'\n");
}

/* Problems of every kind at once, in line order. */
static void
test_multiple_errors(void **state)
{
	load_fail(*state,
	    "log_level = loud\n"
	    "[a]\n"
	    "accept = dtls+sctp://*:1\n"
	    "bogus\n"
	    "stream = x\n"
	    "[a]\n"
	    "connect = dtls+sctp://h:1\n"
	    "ca = $D/nope.pem\n"
	    "cert = $D/cert.pem\n"
	    "cert = $D/cert.pem\n"
	    "key = $D/other.key\n"
	    "pid = /x\n"
	    "[b\n"
	    "foo = 1\n",
	    "$F:1: bad value 'loud' for 'log_level' in the global section: "
	    "expected error, warning, notice, info or debug\n"
	    "$F:2: [a] has no 'connect'\n"
	    "$F:3: [a]: a dtls+sctp:// accept needs 'cert' and 'key'\n"
	    "$F:4: expected 'key = value', '[section]' or a comment\n"
	    "$F:5: bad value 'x' for 'stream' in [a]: expected an integer from "
	    "0 to 65534\n"
	    "$F:6: duplicate section [a] (first at line 2)\n"
	    "$F:6: [a] has no 'accept'\n"
	    "$F:8: cannot read ca file '$D/nope.pem': No such file or "
	    "directory\n"
	    "$F:10: duplicate key 'cert' in [a] (first at line 9)\n"
	    "$F:11: key file '$D/other.key' does not match cert file "
	    "'$D/cert.pem'\n"
	    "$F:12: 'pid' is a global option: it must come before the first "
	    "[section]\n"
	    "$F:13: section header without ']'\n"
	    "$F:14: unknown key 'foo' in [b]\n");
}

/* The SCTP gateway: sctp:// on the plaintext side, streams, ppid_map. */
static void
test_sctp_gateway(void **state)
{
	struct config *c;
	struct svc_conf *s;

	c = load_ok(*state,
	    "[n2-gnb]\n"
	    "accept = sctp://127.0.0.1:38412\n"
	    "connect = dtls+sctp://amf.example:38412\n"
	    "ca = $D/cert.pem\n"
	    "ppid_map = ngap\n"
	    "[n2-amf]\n"
	    "accept = dtls+sctp://10.0.0.2:38412\n"
	    "connect = sctp://10.0.0.1:38412\n"
	    "cert = $D/cert.pem\n"
	    "key = $D/key.pem\n"
	    "streams = 64\n"
	    "ppid_map = ngap, 3:300\n");
	s = svc(c, "n2-gnb");
	assert_int_equal(s->accept.kind, EP_SCTP);
	assert_int_equal(s->streams, 16);
	assert_int_equal(s->ppid_map.n, 1);
	assert_int_equal(s->ppid_map.pair[0].plain, 60);
	assert_int_equal(s->ppid_map.pair[0].dtls, 66);
	s = svc(c, "n2-amf");
	assert_int_equal(s->connect.kind, EP_SCTP);
	assert_int_equal(s->streams, 64);
	assert_int_equal(s->ppid_map.n, 2);
	config_free(c);

	load_fail(*state,
	    "[a]\n"
	    "accept = tcp://*:1\n"
	    "connect = dtls+sctp://h:1\n"
	    "ca = $D/cert.pem\n"
	    "ppid_map = ngap\n"
	    "[b]\n"
	    "accept = sctp://*:2\n"
	    "connect = tcp://h:2\n"
	    "[c]\n"
	    "accept = sctp://*:3\n"
	    "connect = echo\n"
	    "[d]\n"
	    "accept = sctp://*:4\n"
	    "connect = dtls+sctp://h:4\n"
	    "ca = $D/cert.pem\n"
	    "streams = 0\n"
	    "ppid_map = 60:66:1\n"
	    "[e]\n"
	    "accept = sctp://*:5\n"
	    "connect = dtls+sctp://h:5\n"
	    "ca = $D/cert.pem\n"
	    "streams = 65536\n"
	    "ppid_map = ngap, 60:99\n",
	    "$F:5: [a]: 'ppid_map' is for a service with an sctp:// side "
	    "(tcp:// and udp:// data go with 'ppid')\n"
	    "$F:8: [b]: both sides are plaintext: one side must be "
	    "dtls+sctp://\n"
	    "$F:11: [c]: 'connect = echo' needs a dtls+sctp:// accept\n"
	    "$F:16: bad value '0' for 'streams' in [d]: expected a number of "
	    "streams from 1 to 65535\n"
	    "$F:17: bad value '60:66:1' for 'ppid_map' in [d]: expected "
	    "PLAIN:DTLS pairs of PPIDs or ngap, xnap, f1ap, e1ap, diameter, "
	    "separated by ','\n"
	    "$F:22: bad value '65536' for 'streams' in [e]: expected a number "
	    "of streams from 1 to 65535\n"
	    "$F:23: bad value 'ngap, 60:99' for 'ppid_map' in [e]: a PPID is "
	    "in two pairs (on either side): translated both ways, it would be "
	    "ambiguous\n");
}

/*
 * Keys the sides of a service would ignore are refused: 'stream' and
 * 'ppid' with an sctp:// side (each message keeps its own), 'streams'
 * with a tcp:// or udp:// one; ppid_map with a PPID on both sides.
 */
static void
test_side_keys(void **state)
{
	struct config *c;

	c = load_ok(*state,
	    "[ok]\n"
	    "accept = sctp://*:9\n"
	    "connect = dtls+sctp://h:1\n"
	    "ca = $D/cert.pem\n"
	    "streams = 32\n"
	    "ppid_map = NGAP , 3 : 300,Diameter\n"
	    "[echo]\n" SVC_ECHO "streams = 32\n"
	    "stream = 3\n"
	    "ppid = 47\n");
	assert_int_equal(svc(c, "ok")->ppid_map.n, 3);
	config_free(c);
	load_fail(*state,
	    "[a]\n"
	    "accept = sctp://*:1\n"
	    "connect = dtls+sctp://h:1\n"
	    "ca = $D/cert.pem\n"
	    "stream = 3\n"
	    "ppid = 60\n"
	    "[b]\n"
	    "accept = dtls+sctp://*:2\n"
	    "connect = sctp://h:2\n"
	    "cert = $D/cert.pem\n"
	    "key = $D/key.pem\n"
	    "ppid = ngap\n"
	    "[c]\n"
	    "accept = tcp://*:3\n"
	    "connect = dtls+sctp://h:3\n"
	    "ca = $D/cert.pem\n"
	    "streams = 32\n"
	    "[d]\n"
	    "accept = dtls+sctp://*:4\n"
	    "connect = udp://h:4\n"
	    "cert = $D/cert.pem\n"
	    "key = $D/key.pem\n"
	    "streams = 32\n"
	    "[e]\n"
	    "accept = sctp://*:5\n"
	    "connect = dtls+sctp://h:5\n"
	    "ca = $D/cert.pem\n"
	    "ppid_map = 60:66,61:60\n",
	    "$F:5: [a]: 'stream' is for tcp:// and udp:// services: an "
	    "sctp:// side keeps each message's own stream\n"
	    "$F:6: [a]: 'ppid' is for tcp:// and udp:// services: an sctp:// "
	    "side keeps each message's own PPID (translate it with "
	    "'ppid_map')\n"
	    "$F:12: [b]: 'ppid' is for tcp:// and udp:// services: an sctp:// "
	    "side keeps each message's own PPID (translate it with "
	    "'ppid_map')\n"
	    "$F:17: [c]: 'streams' is for a service with an sctp:// side "
	    "(tcp:// and udp:// data go on 'stream')\n"
	    "$F:23: [d]: 'streams' is for a service with an sctp:// side "
	    "(tcp:// and udp:// data go on 'stream')\n"
	    "$F:28: bad value '60:66,61:60' for 'ppid_map' in [e]: a PPID is "
	    "in two pairs (on either side): translated both ways, it would be "
	    "ambiguous\n");
}

/* -t prints the warnings a start logs: a key others can read, no verify. */
static void
test_warnings(void **state)
{
	const struct fx *f = *state;
	char key[160], *s, *e, *out;
	size_t size;
	FILE *m;

	snprintf(key, sizeof(key), "%s/key.pem", f->dir);
	assert_int_equal(chmod(key, 0644), 0);
	s = subst(f,
	    "[a]\n"
	    "accept = dtls+sctp://*:1\n"
	    "connect = echo\n"
	    "cert = $D/cert.pem\n"
	    "key = $D/key.pem\n"
	    "verify = none\n");
	e = subst(f,
	    "$F:5: warning: [a]: private key $D/key.pem is readable by others "
	    "(mode 644): chmod o-rw it\n"
	    "$F:6: warning: [a]: verify = none: DTLS peers are not verified; "
	    "anyone can impersonate them\n");
	assert_int_equal(write_file(f->conf, s, strlen(s)), 0);
	assert_non_null(m = open_memstream(&out, &size));
	assert_int_equal(config_test(f->conf, m), 0);
	assert_int_equal(fclose(m), 0);
	assert_string_equal(out, e);
	free(out);
	/* config_load() (start, reload) keeps quiet: svctls_ctx() logs them. */
	config_free(load_ok(f, s));
	assert_int_equal(chmod(key, 0600), 0);
	free(e);
	free(s);
}

/* Services listening where another one does (issue 12, item 2). */
static void
test_overlaps(void **state)
{
	load_fail(*state,
	    "[a]\naccept = tcp://127.0.0.1:7000\n"
	    "connect = dtls+sctp://127.0.0.1:5658\nverify = none\n"
	    "[b]\naccept = tcp://127.0.0.1:7000\n"
	    "connect = dtls+sctp://127.0.0.1:5659\nverify = none\n"
	    "[c]\naccept = tcp://*:7000\n"
	    "connect = dtls+sctp://127.0.0.1:5659\nverify = none\n"
	    "[d]\naccept = sctp://[::1]:5000\n"
	    "connect = dtls+sctp://127.0.0.1:5659\nverify = none\n"
	    "[e]\n" SVC_ECHO "[f]\n"
	    "accept = dtls+sctp://[0:0::1]:5000\n"
	    "connect = echo\ncert = $D/cert.pem\nkey = $D/key.pem\n",
	    "$F:6: [b]: accept = tcp://127.0.0.1:7000 overlaps accept = "
	    "tcp://127.0.0.1:7000 of [a] (line 2): the kernel would split "
	    "connections between them\n"
	    "$F:10: [c]: accept = tcp://*:7000 overlaps accept = "
	    "tcp://127.0.0.1:7000 of [a] (line 2): the kernel would split "
	    "connections between them\n"
	    "$F:23: [f]: accept = dtls+sctp://[0:0::1]:5000 overlaps accept = "
	    "sctp://[::1]:5000 of [d] (line 14): the kernel would split "
	    "connections between them\n");
}

/*
 * The same for every kind: duplicates of udp:// and dtls+sctp://, and a
 * multi-homed SCTP address list that shares one address with another
 * service's list (or single address); lists that share none are fine.
 */
static void
test_overlaps_kinds(void **state)
{
	struct config *c;

	load_fail(*state,
	    "[a]\naccept = udp://127.0.0.1:7000\n"
	    "connect = dtls+sctp://127.0.0.1:5658\nverify = none\n"
	    "[b]\naccept = udp://127.0.0.1:7000\n"
	    "connect = dtls+sctp://127.0.0.1:5659\nverify = none\n"
	    "[c]\naccept = dtls+sctp://127.0.0.1:5000\n"
	    "connect = echo\ncert = $D/cert.pem\nkey = $D/key.pem\n"
	    "[d]\naccept = dtls+sctp://127.0.0.1:5000\n"
	    "connect = echo\ncert = $D/cert.pem\nkey = $D/key.pem\n"
	    "[e]\naccept = sctp://10.0.0.1,10.0.1.1:3868\n"
	    "connect = dtls+sctp://127.0.0.1:5659\nverify = none\n"
	    "[f]\naccept = sctp://10.0.2.1,[::1],10.0.1.1:3868\n"
	    "connect = dtls+sctp://127.0.0.1:5659\nverify = none\n"
	    "[g]\naccept = dtls+sctp://10.0.0.1:3868\n"
	    "connect = echo\ncert = $D/cert.pem\nkey = $D/key.pem\n",
	    "$F:6: [b]: accept = udp://127.0.0.1:7000 overlaps accept = "
	    "udp://127.0.0.1:7000 of [a] (line 2): the kernel would split "
	    "connections between them\n"
	    "$F:15: [d]: accept = dtls+sctp://127.0.0.1:5000 overlaps accept = "
	    "dtls+sctp://127.0.0.1:5000 of [c] (line 10): the kernel would "
	    "split connections between them\n"
	    "$F:24: [f]: accept = sctp://10.0.2.1,[::1],10.0.1.1:3868 overlaps "
	    "accept = sctp://10.0.0.1,10.0.1.1:3868 of [e] (line 20): the "
	    "kernel would split connections between them\n"
	    "$F:28: [g]: accept = dtls+sctp://10.0.0.1:3868 overlaps accept = "
	    "sctp://10.0.0.1,10.0.1.1:3868 of [e] (line 20): the kernel would "
	    "split connections between them\n");
	c = load_ok(*state,
	    "[e]\naccept = sctp://10.0.0.1,10.0.1.1:3868\n"
	    "connect = dtls+sctp://127.0.0.1:5659\nverify = none\n"
	    "[f]\naccept = sctp://10.0.2.1,[::1]:3868\n"
	    "connect = dtls+sctp://127.0.0.1:5659\nverify = none\n"
	    "[g]\naccept = sctp://10.0.0.1,10.0.1.1:3869\n"
	    "connect = dtls+sctp://127.0.0.1:5659\nverify = none\n");
	config_free(c);
}

/* Endpoints that share nothing may sit side by side. */
static void
test_no_overlaps(void **state)
{
	struct config *c = load_ok(*state,
	    "[a]\naccept = tcp://127.0.0.1:7000\n"
	    "connect = dtls+sctp://127.0.0.1:5658\nverify = none\n"
	    "[b]\naccept = udp://127.0.0.1:7000\n"
	    "connect = dtls+sctp://127.0.0.1:5659\nverify = none\n"
	    "[c]\naccept = tcp://127.0.0.2:7000\n"
	    "connect = dtls+sctp://127.0.0.1:5659\nverify = none\n"
	    "[d]\naccept = tcp://127.0.0.1:7001\n"
	    "connect = dtls+sctp://127.0.0.1:5659\nverify = none\n"
	    "[e]\naccept = tcp://[::1]:7000\n"
	    "connect = dtls+sctp://127.0.0.1:5659\nverify = none\n"
	    "[f]\naccept = dtls+sctp://127.0.0.1:7000\n"
	    "connect = echo\ncert = $D/cert.pem\nkey = $D/key.pem\n");

	config_free(c);
}

/* foreground = no would lose every message with log = stderr (item 5). */
static void
test_detach_log(void **state)
{
	struct config *c;

	load_fail(*state, "foreground = no\n[a]\n" SVC_ECHO,
	    "$F:1: 'foreground = no' with 'log = stderr': once detached, "
	    "messages would go nowhere; set 'log' to syslog or a file\n");
	c = load_ok(*state, "foreground = no\nlog = syslog\n[a]\n" SVC_ECHO);
	config_free(c);
}

/* Multi-homed SCTP endpoints: several hosts, the port once. */
static void
test_multihome_endpoints(void **state)
{
	static const char *const ok[][4] = {
	    {"dtls+sctp://10.0.0.1,10.0.1.1:5658", "10.0.0.1", "10.0.1.1", ""},
	    {"sctp://[2001:db8::1],10.0.0.1:3868", "2001:db8::1", "10.0.0.1",
	        ""},
	    {"sctp://a.example,10.0.0.1,[::1]:1", "a.example", "10.0.0.1",
	        "::1"},
	};
	static const char *const bad[][2] = {
	    {"tcp://10.0.0.1,10.0.1.1:1",
	        "several addresses are for sctp:// and dtls+sctp:// only (SCTP "
	        "multi-homing)"},
	    {"sctp://10.0.0.1:1,10.0.1.1:1",
	        "the port is written once, after the last address"},
	    {"sctp://2001:db8::1,10.0.0.1:1",
	        "IPv6 addresses need brackets in a list: [ADDRESS]"},
	    {"sctp://*,10.0.0.1:1",
	        "the wildcard cannot be part of an address list"},
	    {"sctp://10.0.0.1,*:1",
	        "the wildcard cannot be part of an address list"},
	    {"sctp://,10.0.0.1:1", "empty address in the list"},
	    {"sctp://10.0.0.1,10.0.0.300:1", "bad IPv4 address"},
	    {"sctp://a,b,c,d,e,f,g,h,i:1", "more than 8 addresses"},
	};
	struct endpoint ep;
	const char *why;
	char text[300];
	size_t i;
	int k;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		if (endpoint_parse(ok[i][0], &ep, &why) != 0)
			fail_msg("%s: %s", ok[i][0], why);
		for (k = 0; k < 3 && ok[i][k + 1][0] != '\0'; k++)
			assert_string_equal(
			    endpoint_host_at(&ep, k), ok[i][k + 1]);
		assert_int_equal(endpoint_nhosts(&ep), k);
		assert_string_equal(
		    endpoint_text(&ep, text, sizeof(text)), ok[i][0]);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		if (endpoint_parse(bad[i][0], &ep, &why) == 0)
			fail_msg("'%s' accepted", bad[i][0]);
		if (why == NULL || strcmp(why, bad[i][1]) != 0)
			fail_msg("'%s': '%s', expected '%s'", bad[i][0],
			    why != NULL ? why : "(null)", bad[i][1]);
	}
}

/* The SCTP tuning keys: units, defaults (the kernel's: 0), values. */
static void
test_sctp_tuning(void **state)
{
	struct config *c;
	struct svc_conf *s;

	c = load_ok(*state,
	    "[a]\n" SVC_ECHO "[b]\n"
	    "accept = tcp://127.0.0.1:1\n"
	    "connect = dtls+sctp://10.0.0.1,[2001:db8::1]:2\n"
	    "ca = $D/cert.pem\n"
	    "local = 10.0.0.2, 2001:db8::2\n"
	    "primary = 10.0.0.1\n"
	    "primary_return = no\n"
	    "rto_initial = 0.5s\n"
	    "rto_min = 200ms\n"
	    "rto_max = 1s\n"
	    "max_init_retransmits = 4\n"
	    "init_timeout = 800\n"
	    "association_max_retransmits = 6\n"
	    "path_max_retransmits = 2\n"
	    "heartbeat_interval = 1.5s\n"
	    "sack_delay = 100ms\n"
	    "sack_frequency = 1\n"
	    "sndbuf = 262144\n"
	    "rcvbuf = 131072\n");
	s = svc(c, "a");
	assert_int_equal(s->sctp.rto_initial, 0);
	assert_int_equal(s->sctp.rto_max, 0);
	assert_int_equal(s->sctp.heartbeat, 1);
	assert_int_equal(s->sctp.primary_return, 1);
	assert_int_equal(s->sctp.primary_len, 0);
	assert_string_equal(s->local.host, "");
	s = svc(c, "b");
	assert_int_equal(endpoint_nhosts(&s->local), 2);
	assert_string_equal(endpoint_host_at(&s->local, 1), "2001:db8::2");
	assert_int_equal(s->sctp.primary_len, sizeof(struct sockaddr_in));
	assert_int_equal(s->sctp.primary_return, 0);
	assert_int_equal(s->sctp.rto_initial, 500);
	assert_int_equal(s->sctp.rto_min, 200);
	assert_int_equal(s->sctp.rto_max, 1000);
	assert_int_equal(s->sctp.max_init_retransmits, 4);
	assert_int_equal(s->sctp.init_timeout, 800);
	assert_int_equal(s->sctp.assoc_max_retransmits, 6);
	assert_int_equal(s->sctp.path_max_retransmits, 2);
	assert_int_equal(s->sctp.heartbeat_interval, 1500);
	assert_int_equal(s->sctp.sack_delay, 100);
	assert_int_equal(s->sctp.sack_frequency, 1);
	assert_int_equal(s->sctp.sndbuf, 262144);
	assert_int_equal(s->sctp.rcvbuf, 131072);
	config_free(c);
	/* Seconds keys take the units too. */
	c = load_ok(*state, "[a]\n" SVC_ECHO "close_timeout = 1500ms\n");
	assert_true(svc(c, "a")->close_timeout == 1.5);
	config_free(c);
}

/* Bad SCTP tuning values, and keys that contradict each other. */
static void
test_sctp_tuning_bad(void **state)
{
	load_fail(*state,
	    "[a]\n" SVC_ECHO "rto_initial = 0\n"
	    "rto_min = 1.5ms\n"
	    "rto_max = 2h\n"
	    "init_timeout = 70s\n"
	    "sack_delay = 501\n"
	    "path_max_retransmits = 0\n"
	    "sack_frequency = -1\n"
	    "sndbuf = 1024\n"
	    "primary = peer.example\n"
	    "local = 10.0.0.1:5\n"
	    "heartbeat = maybe\n"
	    "association_max_retransmits = 65536\n",
	    "$F:6: bad value '0' for 'rto_initial' in [a]: expected a time "
	    "from 1 ms to 24 h (500ms, 2s; a bare number is milliseconds)\n"
	    "$F:7: bad value '1.5ms' for 'rto_min' in [a]: expected a time "
	    "from 1 ms to 24 h (500ms, 2s; a bare number is milliseconds)\n"
	    "$F:8: bad value '2h' for 'rto_max' in [a]: expected a time "
	    "from 1 ms to 24 h (500ms, 2s; a bare number is milliseconds)\n"
	    "$F:9: bad value '70s' for 'init_timeout' in [a]: expected a "
	    "time from 1 ms to 65535 ms (500ms, 2s; a bare number is "
	    "milliseconds)\n"
	    "$F:10: bad value '501' for 'sack_delay' in [a]: expected a time "
	    "from 1 to 500 ms (500ms, 2s; a bare number is milliseconds)\n"
	    "$F:11: bad value '0' for 'path_max_retransmits' in [a]: "
	    "expected a number from 1 to 65535\n"
	    "$F:12: bad value '-1' for 'sack_frequency' in [a]: expected a "
	    "number of packets from 1 to 65535\n"
	    "$F:13: bad value '1024' for 'sndbuf' in [a]: expected a number "
	    "of bytes from 4096 to 1073741824\n"
	    "$F:14: bad value 'peer.example' for 'primary' in [a]: expected "
	    "an IPv4 or IPv6 address\n"
	    "$F:15: bad value '10.0.0.1:5' for 'local' in [a]: the port is "
	    "written once, after the last address\n"
	    "$F:15: [a]: 'local' is for an sctp:// or dtls+sctp:// connect\n"
	    "$F:16: bad value 'maybe' for 'heartbeat' in [a]: expected yes, "
	    "no, true, false, 1 or 0\n"
	    "$F:17: bad value '65536' for 'association_max_retransmits' in "
	    "[a]: expected a number from 1 to 65535\n");
	load_fail(*state,
	    "[a]\n" SVC_ECHO "rto_min = 2s\n"
	    "rto_max = 1s\n"
	    "rto_initial = 3s\n"
	    "heartbeat = no\n"
	    "heartbeat_interval = 1s\n"
	    "local = 10.0.0.1\n",
	    "$F:6: [a]: rto_min (2000 ms) exceeds rto_max (1000 ms)\n"
	    "$F:8: [a]: rto_initial (3000 ms) is outside rto_min..rto_max\n"
	    "$F:10: [a]: 'heartbeat_interval' with 'heartbeat = no'\n"
	    "$F:11: [a]: 'local' is for an sctp:// or dtls+sctp:// connect\n");
}

/* primary = ADDR against the connect addresses (path_primary_check()). */
static void
test_primary(void **state)
{
	struct endpoint ep;
	const char *why;
	struct config *c;

	assert_int_equal(
	    endpoint_parse("sctp://10.0.0.1,[2001:db8::1]:1", &ep, &why), 0);
	assert_int_equal(endpoint_has_ip(&ep, "10.0.0.1"), 1);
	assert_int_equal(endpoint_has_ip(&ep, "::ffff:10.0.0.1"), 1);
	assert_int_equal(endpoint_has_ip(&ep, "2001:db8:0::1"), 1);
	assert_int_equal(endpoint_has_ip(&ep, "10.0.0.2"), 0);
	assert_int_equal(endpoint_has_ip(&ep, "peer.example"), -1);
	assert_int_equal(
	    endpoint_parse("sctp://peer.example,10.0.0.1:1", &ep, &why), 0);
	assert_int_equal(endpoint_has_ip(&ep, "10.0.0.1"), 1);
	assert_int_equal(endpoint_has_ip(&ep, "10.0.0.2"), -1);
	/* One of the addresses, or a name that may resolve to it; without
	 * an SCTP connect, an address of the peers that connect here. */
	c = load_ok(*state,
	    "[a]\n"
	    "accept = tcp://127.0.0.1:1\n"
	    "connect = dtls+sctp://10.0.0.1,[2001:db8::1]:2\n"
	    "ca = $D/cert.pem\n"
	    "primary = [2001:db8::1]\n"
	    "[b]\n"
	    "accept = sctp://127.0.0.1:3\n"
	    "connect = dtls+sctp://peer.example,10.0.0.1:4\n"
	    "ca = $D/cert.pem\n"
	    "primary = 10.9.9.9\n"
	    "[c]\n"
	    "accept = dtls+sctp://*:5\n"
	    "connect = sctp://10.0.0.1:6\n"
	    "cert = $D/cert.pem\n"
	    "key = $D/key.pem\n"
	    "primary = ::ffff:10.0.0.1\n"
	    "[d]\n" SVC_ECHO2 "primary = 10.0.0.1\n");
	config_free(c);
	load_fail(*state,
	    "[a]\n"
	    "accept = tcp://127.0.0.1:1\n"
	    "connect = dtls+sctp://10.0.0.1,[2001:db8::1]:2\n"
	    "ca = $D/cert.pem\n"
	    "primary = 10.0.0.2\n"
	    "[c]\n"
	    "accept = dtls+sctp://*:3\n"
	    "connect = sctp://10.0.0.1:4\n"
	    "cert = $D/cert.pem\n"
	    "key = $D/key.pem\n"
	    "primary = 2001:db8::1\n",
	    "$F:5: [a]: primary = 10.0.0.2 is not one of the addresses of "
	    "connect = dtls+sctp://10.0.0.1,[2001:db8::1]:2\n"
	    "$F:11: [c]: primary = 2001:db8::1 is not one of the addresses of "
	    "connect = sctp://10.0.0.1:4\n");
}

/* An address listed twice in accept, connect or local: refused. */
static void
test_dup_addresses(void **state)
{
	struct endpoint ep;
	const char *why;

	assert_int_equal(
	    endpoint_parse("sctp://10.0.0.1,[2001:db8::1]:1", &ep, &why), 0);
	assert_int_equal(endpoint_dup_host(&ep), -1);
	assert_int_equal(endpoint_parse("sctp://10.0.0.1,10.0.0.2,"
	                                "[::ffff:10.0.0.2]:1",
	                     &ep, &why),
	    0);
	assert_int_equal(endpoint_dup_host(&ep), 2);
	assert_int_equal(
	    endpoint_parse("sctp://Peer.example,peer.EXAMPLE:1", &ep, &why), 0);
	assert_int_equal(endpoint_dup_host(&ep), 1);
	load_fail(*state,
	    "[a]\n"
	    "accept = dtls+sctp://127.0.0.1,127.0.0.1:5658\n"
	    "connect = echo\n"
	    "cert = $D/cert.pem\n"
	    "key = $D/key.pem\n"
	    "[b]\n"
	    "accept = tcp://127.0.0.1:1\n"
	    "connect = dtls+sctp://10.0.0.1,[2001:db8::1],[2001:db8:0::1]:2\n"
	    "ca = $D/cert.pem\n"
	    "local = 10.0.0.9,10.0.0.9\n",
	    "$F:2: [a]: 'accept' lists the address 127.0.0.1 twice (each "
	    "address of a multi-homed endpoint once)\n"
	    "$F:8: [b]: 'connect' lists the address 2001:db8:0::1 twice (each "
	    "address of a multi-homed endpoint once)\n"
	    "$F:10: [b]: 'local' lists the address 10.0.0.9 twice (each "
	    "address of a multi-homed endpoint once)\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sctp_gateway),
	    cmocka_unit_test(test_example),
	    cmocka_unit_test(test_example_verbatim),
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_values),
	    cmocka_unit_test(test_ppid_names),
	    cmocka_unit_test(test_endpoint_ok),
	    cmocka_unit_test(test_endpoint_bad),
	    cmocka_unit_test(test_endpoint_keys),
	    cmocka_unit_test(test_multihome_endpoints),
	    cmocka_unit_test(test_sctp_tuning),
	    cmocka_unit_test(test_sctp_tuning_bad),
	    cmocka_unit_test(test_primary),
	    cmocka_unit_test(test_dup_addresses),
	    cmocka_unit_test(test_unknown_key),
	    cmocka_unit_test(test_bad_values),
	    cmocka_unit_test(test_numbers),
	    cmocka_unit_test(test_rekey),
	    cmocka_unit_test(test_duplicates),
	    cmocka_unit_test(test_scope),
	    cmocka_unit_test(test_missing_sides),
	    cmocka_unit_test(test_combinations),
	    cmocka_unit_test(test_credentials),
	    cmocka_unit_test(test_client_trust),
	    cmocka_unit_test(test_files),
	    cmocka_unit_test(test_unreadable),
	    cmocka_unit_test(test_pem),
	    cmocka_unit_test(test_key_mismatch),
	    cmocka_unit_test(test_no_services),
	    cmocka_unit_test(test_syntax),
	    cmocka_unit_test(test_long_lines),
	    cmocka_unit_test(test_nul),
	    cmocka_unit_test(test_comments),
	    cmocka_unit_test(test_indent),
	    cmocka_unit_test(test_crlf_bom),
	    cmocka_unit_test(test_open_fail),
	    cmocka_unit_test(test_multiple_errors),
	    cmocka_unit_test(test_tls_defaults),
	    cmocka_unit_test(test_tls_values),
	    cmocka_unit_test(test_tls_bad_values),
	    cmocka_unit_test(test_tls_options),
	    cmocka_unit_test(test_tls_files),
	    cmocka_unit_test(test_psk_file),
	    cmocka_unit_test(test_psk_credentials),
	    cmocka_unit_test(test_side_keys),
	    cmocka_unit_test(test_warnings),
	    cmocka_unit_test(test_overlaps),
	    cmocka_unit_test(test_overlaps_kinds),
	    cmocka_unit_test(test_no_overlaps),
	    cmocka_unit_test(test_detach_log),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
