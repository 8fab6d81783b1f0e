/* config.c: the configuration file: INI read by inih, checked as a whole. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <ini.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "config.h"
#include "log.h"
#include "net.h"

/* Longest timeout accepted, in seconds: a year. */
#define MAX_SECONDS 31536000

/* What config.h promises when a key is not given. */
#define DEF_DRAIN_TIMEOUT 30.0
#define DEF_CONNECT_TIMEOUT 10.0
#define DEF_HANDSHAKE_TIMEOUT 30.0
#define DEF_IDLE_TIMEOUT 3600.0
#define DEF_IDLE_TIMEOUT_UDP 60.0
#define DEF_CLOSE_TIMEOUT 10.0
#define DEF_MAX_CONNS 1000
#define DEF_MAX_HANDSHAKES 100
#define DEF_SESSION_TIMEOUT 300
#define MAX_VERIFY_DEPTH 100

/* Where the keys go: l->cur is an index into l->sects or one of these. */
#define CUR_GLOBAL (-1) /* before the first [section] */
#define CUR_LOST (-2) /* a section we had no memory for */

/* Every key, global or per service. */
enum key {
	K_LOG,
	K_LOG_LEVEL,
	K_PID,
	K_FOREGROUND,
	K_DRAIN_TIMEOUT,
	K_SETUID,
	K_SETGID,
	K_CHROOT,
	K_WORKERS,
	K_ACCEPT,
	K_CONNECT,
	K_CERT,
	K_KEY,
	K_CA,
	K_CAPATH,
	K_CRL,
	K_CHECK_HOST,
	K_CHECK_IP,
	K_VERIFY_DEPTH,
	K_CIPHERS,
	K_GROUPS,
	K_MIN_VERSION,
	K_MAX_VERSION,
	K_OPTIONS,
	K_PSK_SECRETS,
	K_PSK_IDENTITY,
	K_SESSION_CACHE,
	K_SESSION_TIMEOUT,
	K_SCTP_HMAC,
	K_VERIFY,
	K_STREAM,
	K_PPID,
	K_NODELAY,
	K_CONNECT_TIMEOUT,
	K_HANDSHAKE_TIMEOUT,
	K_IDLE_TIMEOUT,
	K_CLOSE_TIMEOUT,
	K_MAX_CONNS,
	K_MAX_HANDSHAKES,
	NKEYS
};

static const struct {
	const char *name;
	int global; /* valid before the first [section], and only there */
} keys[NKEYS] = {
    [K_LOG] = {"log", 1},
    [K_LOG_LEVEL] = {"log_level", 1},
    [K_PID] = {"pid", 1},
    [K_FOREGROUND] = {"foreground", 1},
    [K_DRAIN_TIMEOUT] = {"drain_timeout", 1},
    [K_SETUID] = {"setuid", 1},
    [K_SETGID] = {"setgid", 1},
    [K_CHROOT] = {"chroot", 1},
    [K_WORKERS] = {"workers", 1},
    [K_ACCEPT] = {"accept", 0},
    [K_CONNECT] = {"connect", 0},
    [K_CERT] = {"cert", 0},
    [K_KEY] = {"key", 0},
    [K_CA] = {"ca", 0},
    [K_CAPATH] = {"capath", 0},
    [K_CRL] = {"crl", 0},
    [K_CHECK_HOST] = {"check_host", 0},
    [K_CHECK_IP] = {"check_ip", 0},
    [K_VERIFY_DEPTH] = {"verify_depth", 0},
    [K_CIPHERS] = {"ciphers", 0},
    [K_GROUPS] = {"groups", 0},
    [K_MIN_VERSION] = {"min_version", 0},
    [K_MAX_VERSION] = {"max_version", 0},
    [K_OPTIONS] = {"options", 0},
    [K_PSK_SECRETS] = {"psk_secrets", 0},
    [K_PSK_IDENTITY] = {"psk_identity", 0},
    [K_SESSION_CACHE] = {"session_cache", 0},
    [K_SESSION_TIMEOUT] = {"session_timeout", 0},
    [K_SCTP_HMAC] = {"sctp_hmac", 0},
    [K_VERIFY] = {"verify", 0},
    [K_STREAM] = {"stream", 0},
    [K_PPID] = {"ppid", 0},
    [K_NODELAY] = {"nodelay", 0},
    [K_CONNECT_TIMEOUT] = {"connect_timeout", 0},
    [K_HANDSHAKE_TIMEOUT] = {"handshake_timeout", 0},
    [K_IDLE_TIMEOUT] = {"idle_timeout", 0},
    [K_CLOSE_TIMEOUT] = {"close_timeout", 0},
    [K_MAX_CONNS] = {"max_conns", 0},
    [K_MAX_HANDSHAKES] = {"max_handshakes", 0},
};

/* SCTP payload protocol identifiers known by name (IANA). */
static const struct {
	const char *name;
	uint32_t ppid;
} ppids[] = {
    {"diameter", 46},
    {"diameter-dtls", 47},
    {"ngap", 60},
    {"ngap-dtls", 66},
};

static const struct {
	const char *scheme;
	enum ep_kind kind;
} schemes[] = {
    {"tcp://", EP_TCP},
    {"udp://", EP_UDP},
    {"dtls+sctp://", EP_DTLS_SCTP},
};

/* A [section] as read. */
struct sect {
	struct svc_conf *svc;
	int bad; /* unusable header: keys checked, service not */
	int line[NKEYS]; /* where each key was given; 0: not given */
};

/* One problem found, printed when the whole file has been read. */
struct msg {
	int line;
	size_t seq; /* keeps messages of one line in the order found */
	char *text;
};

/* Everything config_load() keeps while reading. */
struct loader {
	const char *path;
	FILE *f;
	struct config *c;
	struct svc_conf **tail; /* where the next service goes */
	char *buf; /* the line read */
	size_t bufsize;
	int line; /* of the last line handed to inih */
	int eof;
	int rderr; /* reading failed */
	int pending; /* that line should reach the handler */
	int handled; /* ... and it did */
	struct sect *sects;
	size_t nsects;
	long cur; /* the section keys go to, or CUR_* */
	int gline[NKEYS]; /* where each global key was given */
	struct msg *msgs;
	size_t nmsgs;
	int nomem; /* messages lost for want of memory */
};

static void errf(struct loader *l, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Note a problem at ${line}; all of them are printed at the end. */
static void
errf(struct loader *l, int line, const char *fmt, ...)
{
	struct msg *m = NULL;
	char *text;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	if (text != NULL)
		m = realloc(l->msgs, (l->nmsgs + 1) * sizeof(*m));
	if (m == NULL) {
		free(text);
		l->nomem++;
	} else {
		l->msgs = m;
		m[l->nmsgs].line = line;
		m[l->nmsgs].seq = l->nmsgs;
		m[l->nmsgs].text = text;
		l->nmsgs++;
	}
}

static int
msg_cmp(const void *a, const void *b)
{
	const struct msg *x = a, *y = b;

	return x->line != y->line ? (x->line > y->line) - (x->line < y->line)
	                          : (x->seq > y->seq) - (x->seq < y->seq);
}

/* Print the messages to ${err} in line order; returns how many. */
static size_t
flush(struct loader *l, FILE *err)
{
	size_t i;

	if (l->nmsgs > 0)
		qsort(l->msgs, l->nmsgs, sizeof(*l->msgs), msg_cmp);
	for (i = 0; i < l->nmsgs; i++)
		fprintf(err, "%s:%d: %s\n", l->path, l->msgs[i].line,
		    l->msgs[i].text);
	if (l->nomem > 0)
		fprintf(err, "%s: out of memory (%d messages lost)\n", l->path,
		    l->nomem);
	return l->nmsgs + (size_t)l->nomem;
}

/* Non-zero if a message was noted for ${line}. */
static int
has_msg(const struct loader *l, int line)
{
	size_t i;
	int found = 0;

	for (i = 0; i < l->nmsgs && !found; i++)
		found = l->msgs[i].line == line;
	return found;
}

/* "[name]" or "the global section" for messages, into ${buf}. */
static const char *
where(const struct loader *l, char *buf, size_t size)
{
	if (l->cur >= 0)
		snprintf(buf, size, "[%s]", l->sects[l->cur].svc->name);
	else
		snprintf(buf, size, "the global section");
	return buf;
}

/* The index of the key ${name}, or -1. */
static int
key_find(const char *name)
{
	int k, found = -1;

	for (k = 0; k < NKEYS && found < 0; k++)
		if (strcmp(name, keys[k].name) == 0)
			found = k;
	return found;
}

/* The unsigned decimal ${s} (digits only) up to ${max} into *${v}. */
static int
parse_uint(const char *s, unsigned long max, unsigned long *v)
{
	unsigned long n = 0, d;
	const char *p;

	if (*s == '\0')
		goto err0;
	for (p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			goto err0;
		d = (unsigned long)(*p - '0');
		if (n > max / 10 || (n == max / 10 && d > max % 10))
			goto err0;
		n = n * 10 + d;
	}
	*v = n;
	return 0;

err0:
	return -1;
}

/*
 * Seconds as a decimal number ("10", "2.5", ".5"), at most MAX_SECONDS and,
 * unless ${zero}, more than 0. Read by hand: strtod() would take "inf",
 * hex and the locale's decimal point.
 */
static int
parse_seconds(const char *s, int zero, double *v)
{
	unsigned long long mant = 0;
	double div = 1, n;
	int digits = 0, dot = 0;
	const char *p;

	for (p = s; *p != '\0'; p++) {
		if (*p == '.' && !dot) {
			dot = 1;
		} else if (*p >= '0' && *p <= '9' && digits < 18) {
			mant = mant * 10 + (unsigned long long)(*p - '0');
			digits++;
			if (dot)
				div *= 10;
		} else {
			goto err0;
		}
	}
	n = (double)mant / div;
	if (digits == 0 || n > MAX_SECONDS || (n == 0 && !zero))
		goto err0;
	*v = n;
	return 0;

err0:
	return -1;
}

/* yes/no/true/false/1/0 into *${v}. */
static int
parse_bool(const char *s, int *v)
{
	if (strcmp(s, "yes") == 0 || strcmp(s, "true") == 0 ||
	    strcmp(s, "1") == 0)
		*v = 1;
	else if (strcmp(s, "no") == 0 || strcmp(s, "false") == 0 ||
	    strcmp(s, "0") == 0)
		*v = 0;
	else
		goto err0;
	return 0;

err0:
	return -1;
}

/* Replace *${dst} by a copy of the non-empty ${s}; else ${expect}. */
static int
set_str(char **dst, const char *s, const char *expect, const char **why)
{
	char *p;

	if (s[0] == '\0') {
		*why = expect;
		goto err0;
	}
	if ((p = strdup(s)) == NULL) {
		*why = "out of memory";
		goto err0;
	}
	free(*dst);
	*dst = p;
	return 0;

err0:
	return -1;
}

/* Non-zero if OpenSSL knows a DTLS cipher of the list ${s}. */
static int
ciphers_known(const char *s)
{
	SSL_CTX *ctx;
	int known = 1; /* if we cannot tell, dtls_ctx_new() will */

	if ((ctx = SSL_CTX_new(DTLS_method())) != NULL) {
		known = SSL_CTX_set_cipher_list(ctx, s) == 1;
		SSL_CTX_free(ctx);
	}
	ERR_clear_error();
	return known;
}

/* Non-zero if OpenSSL knows every group of the list ${s}. */
static int
groups_known(const char *s)
{
	SSL_CTX *ctx;
	int known = 1; /* if we cannot tell, dtls_ctx_new() will */

	if ((ctx = SSL_CTX_new(DTLS_method())) != NULL) {
		known = SSL_CTX_set1_groups_list(ctx, s) == 1;
		SSL_CTX_free(ctx);
	}
	ERR_clear_error();
	return known;
}

/*
 * Non-zero if SSL_CONF_cmd() takes ${v} as "Options" for a DTLS ${server}
 * or client (some flags are for one side only).
 */
static int
options_known(const char *v, int server)
{
	SSL_CONF_CTX *cc;
	SSL_CTX *ctx;
	int known = 1; /* if we cannot tell, dtls_ctx_new() will */

	if ((ctx = SSL_CTX_new(DTLS_method())) == NULL)
		goto done;
	if ((cc = SSL_CONF_CTX_new()) != NULL) {
		SSL_CONF_CTX_set_flags(cc,
		    SSL_CONF_FLAG_FILE |
		        (server ? SSL_CONF_FLAG_SERVER : SSL_CONF_FLAG_CLIENT));
		SSL_CONF_CTX_set_ssl_ctx(cc, ctx);
		known = SSL_CONF_cmd(cc, "Options", v) == 2;
		SSL_CONF_CTX_free(cc);
	}
	SSL_CTX_free(ctx);
done:
	ERR_clear_error();
	return known;
}

/* The protocol version named ${v} into *${ver}; DTLS 1.0 is refused. */
static int
parse_version(const char *v, int *ver, const char **why)
{
	static const char *const v12[] = {"DTLSv1.2", "dtls1.2"};
	static const char *const v10[] = {
	    "DTLSv1", "DTLSv1.0", "dtls1", "dtls1.0"};
	size_t i;
	int found = 0;

	for (i = 0; i < sizeof(v12) / sizeof(v12[0]) && !found; i++)
		found = strcasecmp(v, v12[i]) == 0;
	if (!found) {
		*why = "expected DTLSv1.2 (or dtls1.2)";
		for (i = 0; i < sizeof(v10) / sizeof(v10[0]); i++)
			if (strcasecmp(v, v10[i]) == 0)
				*why = "DTLS 1.0 is not allowed (RFC 8996 "
				       "deprecates it); expected DTLSv1.2";
		goto err0;
	}
	*ver = DTLS1_2_VERSION;
	return 0;

err0:
	return -1;
}

/* An IPv6 address, with an optional "%zone". */
static int
ipv6_ok(const char *s)
{
	struct in6_addr a;
	char addr[INET6_ADDRSTRLEN];
	const char *zone;
	size_t n;

	zone = strchr(s, '%');
	n = zone != NULL ? (size_t)(zone - s) : strlen(s);
	if (n >= sizeof(addr))
		goto err0;
	memcpy(addr, s, n);
	addr[n] = '\0';
	if (inet_pton(AF_INET6, addr, &a) != 1)
		goto err0;
	if (zone != NULL &&
	    (zone[1] == '\0' ||
	        strspn(zone + 1,
	            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	            "0123456789._-") != strlen(zone + 1)))
		goto err0;
	return 0;

err0:
	return -1;
}

/* A DNS name: dot-separated labels of letters, digits, '-' and '_'. */
static int
hostname_ok(const char *s)
{
	size_t n = strlen(s), label = 0;
	const char *p;

	if (n == 0 || n > 253 || s[0] == '.')
		goto err0;
	for (p = s; *p != '\0'; p++) {
		if (*p == '.') {
			if (label == 0)
				goto err0;
			label = 0;
		} else if (isalnum((unsigned char)*p) || *p == '-' ||
		    *p == '_') {
			if (++label > 63)
				goto err0;
		} else {
			goto err0;
		}
	}
	return 0;

err0:
	return -1;
}

/* The host ${hp} as net_split_hostport() left it, into ${ep}->host. */
static int
endpoint_host(const char *hp, struct endpoint *ep, const char **why)
{
	struct in_addr a4;
	size_t n = strlen(hp);

	if (hp[0] == '[') {
		/* net_split_hostport() made sure it ends with ']'. */
		if (n - 2 >= sizeof(ep->host)) {
			*why = "bad IPv6 address";
			goto err0;
		}
		memcpy(ep->host, hp + 1, n - 2);
		ep->host[n - 2] = '\0';
		if (strcmp(ep->host, "::") == 0) {
			ep->host[0] = '\0';
		} else if (ipv6_ok(ep->host) != 0) {
			*why = "bad IPv6 address";
			goto err0;
		}
	} else if (n == 0 || strcmp(hp, "*") == 0 ||
	    strcmp(hp, "0.0.0.0") == 0) {
		ep->host[0] = '\0';
	} else if (strspn(hp, "0123456789.") == n) {
		if (inet_pton(AF_INET, hp, &a4) != 1) {
			*why = "bad IPv4 address";
			goto err0;
		}
		strcpy(ep->host, hp);
	} else if (hostname_ok(hp) != 0) {
		*why = "bad host name";
		goto err0;
	} else {
		strcpy(ep->host, hp);
	}
	return 0;

err0:
	return -1;
}

/* "HOST:PORT" (after the scheme) ${s} into ${ep}. */
static int
endpoint_addr(const char *s, struct endpoint *ep, const char **why)
{
	char hp[sizeof(ep->host) + 2];
	unsigned long port;
	size_t n = strlen(s);

	if (n > 0 && s[n - 1] == ':') {
		*why = "missing port";
		goto err0;
	}
	if (s[0] == '[' && strchr(s, ']') == NULL) {
		*why = "missing ']' after the IPv6 address";
		goto err0;
	}
	if (net_split_hostport(s, hp, sizeof(hp), ep->port, sizeof(ep->port)) !=
	    0) {
		*why = "expected HOST:PORT, [IPV6-ADDRESS]:PORT or *:PORT";
		goto err0;
	}
	if (ep->port[0] == '\0') {
		if (hp[0] != '[' && strchr(hp, ':') != NULL)
			*why = "IPv6 addresses need brackets: [ADDRESS]:PORT";
		else
			*why = "missing port";
		goto err0;
	}
	if (strspn(ep->port, "0123456789") != strlen(ep->port)) {
		*why = "the port must be a number from 1 to 65535";
		goto err0;
	}
	if (parse_uint(ep->port, 65535, &port) != 0 || port == 0) {
		*why = "port out of range (1 to 65535)";
		goto err0;
	}
	if (endpoint_host(hp, ep, why) != 0)
		goto err0;
	return 0;

err0:
	return -1;
}

/**
 * config_endpoint(s, ep, why): parse the endpoint text ${s} into ${ep}.
 * 0, or -1 with *${why} saying what is wrong.
 */
int
config_endpoint(const char *s, struct endpoint *ep, const char **why)
{
	size_t i, n = 0;

	memset(ep, 0, sizeof(*ep));
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		n = strlen(schemes[i].scheme);
		if (strncmp(s, schemes[i].scheme, n) == 0) {
			ep->kind = schemes[i].kind;
			break;
		}
	}
	if (strcmp(s, "echo") == 0) {
		ep->kind = EP_ECHO;
	} else if (ep->kind == EP_NONE) {
		*why = "expected tcp://, udp:// or dtls+sctp://HOST:PORT, "
		       "or echo";
		goto err0;
	} else if (endpoint_addr(s + n, ep, why) != 0) {
		goto err0;
	}
	return 0;

err0:
	memset(ep, 0, sizeof(*ep));
	return -1;
}

/* Non-zero if ${s} is a plain decimal user or group id. */
static int
numeric_id(const char *s)
{
	unsigned long n;

	return parse_uint(s, 4294967294UL, &n) == 0;
}

/* The global key ${k} set to ${v}; -1 with *${why} if ${v} is bad. */
static int
set_global(struct config *c, int k, const char *v, const char **why)
{
	struct stat st;
	unsigned long u;
	int n;

	switch (k) {
	case K_LOG:
		/* A file name without '/' is more likely a typo. */
		if (strcmp(v, "stderr") != 0 && strcmp(v, "syslog") != 0 &&
		    strchr(v, '/') == NULL) {
			*why = "expected stderr, syslog or a file path "
			       "(with a '/')";
			goto err0;
		}
		if (set_str(&c->log, v, "", why) != 0)
			goto err0;
		break;
	case K_LOG_LEVEL:
		if ((n = log_level_parse(v)) < 0) {
			*why = "expected error, warning, notice, info or debug";
			goto err0;
		}
		c->log_level = n;
		break;
	case K_PID:
		if (set_str(&c->pid, v, "expected a file path", why) != 0)
			goto err0;
		break;
	case K_FOREGROUND:
		if (parse_bool(v, &c->foreground) != 0) {
			*why = "expected yes, no, true, false, 1 or 0";
			goto err0;
		}
		break;
	case K_DRAIN_TIMEOUT:
		if (parse_seconds(v, 1, &c->drain_timeout) != 0) {
			*why = "expected a number of seconds from 0 to "
			       "31536000";
			goto err0;
		}
		break;
	case K_SETUID:
		if (getpwnam(v) == NULL && !numeric_id(v)) {
			*why = "no such user";
			goto err0;
		}
		if (set_str(&c->setuid, v, "expected a user name", why) != 0)
			goto err0;
		break;
	case K_SETGID:
		if (getgrnam(v) == NULL && !numeric_id(v)) {
			*why = "no such group";
			goto err0;
		}
		if (set_str(&c->setgid, v, "expected a group name", why) != 0)
			goto err0;
		break;
	case K_WORKERS:
		if (parse_uint(v, 256, &u) != 0 || u == 0) {
			*why = "expected a number of processes from 1 to 256";
			goto err0;
		}
		c->workers = (int)u;
		break;
	case K_CHROOT:
		if (v[0] != '/' || stat(v, &st) != 0 || !S_ISDIR(st.st_mode)) {
			*why = "expected the absolute path of a directory";
			goto err0;
		}
		if (set_str(&c->chroot, v, "", why) != 0)
			goto err0;
		break;
	}
	return 0;

err0:
	return -1;
}

/* The PPID ${v}: a number or one of ppids[]. */
static int
parse_ppid(const char *v, uint32_t *ppid)
{
	unsigned long n;
	size_t i;
	int found = 0;

	for (i = 0; i < sizeof(ppids) / sizeof(ppids[0]) && !found; i++) {
		if (strcmp(v, ppids[i].name) == 0) {
			*ppid = ppids[i].ppid;
			found = 1;
		}
	}
	if (!found) {
		if (parse_uint(v, UINT32_MAX, &n) != 0)
			goto err0;
		*ppid = (uint32_t)n;
	}
	return 0;

err0:
	return -1;
}

/* A timeout key of ${s}; ${zero}: 0 allowed (meaning none). */
static int
set_timeout(double *t, const char *v, int zero, const char **why)
{
	if (parse_seconds(v, zero, t) != 0) {
		*why = zero ? "expected a number of seconds from 0 (none) to "
		              "31536000"
		            : "expected a number of seconds greater than 0, "
		              "at most 31536000";
		goto err0;
	}
	return 0;

err0:
	return -1;
}

/* The service key ${k} of ${s} (at ${line}) set to ${v}; or -1, *${why}. */
static int
set_service(
    struct svc_conf *s, int k, const char *v, int line, const char **why)
{
	struct endpoint ep;
	struct in6_addr a6;
	struct in_addr a4;
	unsigned long n;

	switch (k) {
	case K_ACCEPT:
		if (config_endpoint(v, &ep, why) != 0)
			goto err0;
		if (ep.kind == EP_ECHO) {
			*why = "echo is only valid for connect";
			goto err0;
		}
		s->accept = ep;
		s->accept.line = line;
		break;
	case K_CONNECT:
		if (config_endpoint(v, &ep, why) != 0)
			goto err0;
		if (ep.kind != EP_ECHO && ep.host[0] == '\0') {
			*why = "connect needs a host: the wildcard is only for "
			       "accept";
			goto err0;
		}
		s->connect = ep;
		s->connect.line = line;
		break;
	case K_CERT:
		if (set_str(&s->cert, v, "expected a file name", why) != 0)
			goto err0;
		break;
	case K_KEY:
		if (set_str(&s->key, v, "expected a file name", why) != 0)
			goto err0;
		break;
	case K_CA:
		if (set_str(&s->ca, v, "expected a file name", why) != 0)
			goto err0;
		break;
	case K_CAPATH:
		if (set_str(&s->capath, v, "expected a directory", why) != 0)
			goto err0;
		break;
	case K_CRL:
		if (set_str(&s->crl, v, "expected a file name", why) != 0)
			goto err0;
		break;
	case K_CHECK_HOST:
		if (hostname_ok(v) != 0) {
			*why = "expected a DNS name";
			goto err0;
		}
		if (set_str(&s->check_host, v, "", why) != 0)
			goto err0;
		break;
	case K_CHECK_IP:
		if (inet_pton(AF_INET, v, &a4) != 1 &&
		    inet_pton(AF_INET6, v, &a6) != 1) {
			*why = "expected an IPv4 or IPv6 address";
			goto err0;
		}
		if (set_str(&s->check_ip, v, "", why) != 0)
			goto err0;
		break;
	case K_VERIFY_DEPTH:
		if (parse_uint(v, MAX_VERIFY_DEPTH, &n) != 0) {
			*why = "expected an integer from 0 to 100";
			goto err0;
		}
		s->verify_depth = (int)n;
		break;
	case K_GROUPS:
		if (v[0] != '\0' && !groups_known(v)) {
			*why = "OpenSSL does not know all of these groups "
			       "(names such as P-256, P-384, X25519, "
			       "separated by ':')";
			goto err0;
		}
		if (set_str(&s->groups, v, "expected a list of groups", why) !=
		    0)
			goto err0;
		break;
	case K_MIN_VERSION:
		if (parse_version(v, &s->min_version, why) != 0)
			goto err0;
		break;
	case K_MAX_VERSION:
		if (parse_version(v, &s->max_version, why) != 0)
			goto err0;
		break;
	case K_OPTIONS:
		/* Checked with the side it is for, in check_tls(). */
		if (set_str(&s->options, v, "expected OpenSSL option names",
		        why) != 0)
			goto err0;
		break;
	case K_PSK_SECRETS:
		if (set_str(&s->psk_secrets, v, "expected a file name", why) !=
		    0)
			goto err0;
		break;
	case K_PSK_IDENTITY:
		if (strlen(v) > PSK_IDENTITY_MAX) {
			*why = "expected an identity of 1 to 128 bytes";
			goto err0;
		}
		if (set_str(&s->psk_identity, v, "expected an identity", why) !=
		    0)
			goto err0;
		break;
	case K_SESSION_CACHE:
		if (parse_bool(v, &s->session_cache) != 0) {
			*why = "expected yes, no, true, false, 1 or 0";
			goto err0;
		}
		break;
	case K_SESSION_TIMEOUT:
		if (parse_uint(v, MAX_SECONDS, &n) != 0 || n == 0) {
			*why = "expected a whole number of seconds from 1 to "
			       "31536000";
			goto err0;
		}
		s->session_timeout = (long)n;
		break;
	case K_SCTP_HMAC:
		if (strcmp(v, "sha256") == 0) {
			s->sctp_hmac_sha1 = 0;
		} else if (strcmp(v, "sha1") == 0) {
			s->sctp_hmac_sha1 = 1;
		} else {
			*why = "expected sha256 or sha1";
			goto err0;
		}
		break;
	case K_CIPHERS:
		if (v[0] != '\0' && !ciphers_known(v)) {
			*why = "OpenSSL knows none of these DTLS 1.2 ciphers";
			goto err0;
		}
		if (set_str(&s->ciphers, v, "expected an OpenSSL cipher list",
		        why) != 0)
			goto err0;
		break;
	case K_VERIFY:
		if (strcmp(v, "peer") == 0) {
			s->verify = 1;
		} else if (strcmp(v, "none") == 0) {
			s->verify = 0;
		} else {
			*why = "expected peer or none";
			goto err0;
		}
		break;
	case K_STREAM:
		if (parse_uint(v, 65534, &n) != 0) {
			*why = "expected an integer from 0 to 65534";
			goto err0;
		}
		s->stream = (uint16_t)n;
		break;
	case K_PPID:
		if (parse_ppid(v, &s->ppid) != 0) {
			*why = "expected an integer from 0 to 4294967295 or "
			       "diameter, diameter-dtls, ngap or ngap-dtls";
			goto err0;
		}
		break;
	case K_NODELAY:
		if (parse_bool(v, &s->nodelay) != 0) {
			*why = "expected yes, no, true, false, 1 or 0";
			goto err0;
		}
		break;
	case K_CONNECT_TIMEOUT:
		if (set_timeout(&s->connect_timeout, v, 0, why) != 0)
			goto err0;
		break;
	case K_HANDSHAKE_TIMEOUT:
		if (set_timeout(&s->handshake_timeout, v, 0, why) != 0)
			goto err0;
		break;
	case K_IDLE_TIMEOUT:
		if (set_timeout(&s->idle_timeout, v, 1, why) != 0)
			goto err0;
		break;
	case K_CLOSE_TIMEOUT:
		if (set_timeout(&s->close_timeout, v, 0, why) != 0)
			goto err0;
		break;
	case K_MAX_CONNS:
		if (parse_uint(v, INT_MAX, &n) != 0) {
			*why = "expected an integer from 0 (unlimited) to "
			       "2147483647";
			goto err0;
		}
		s->max_conns = (int)n;
		break;
	case K_MAX_HANDSHAKES:
		if (parse_uint(v, INT_MAX, &n) != 0 || n == 0) {
			*why = "expected an integer from 1 to 2147483647";
			goto err0;
		}
		s->max_handshakes = (int)n;
		break;
	}
	return 0;

err0:
	return -1;
}

/* Start the section ${name} (${len} bytes) at the current line. */
static void
sect_new(struct loader *l, const char *name, size_t len, int bad)
{
	struct svc_conf *s;
	struct sect *t;

	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (t = realloc(l->sects, (l->nsects + 1) * sizeof(*t))) == NULL) {
		free(s);
		l->nomem++;
		l->cur = CUR_LOST;
	} else {
		if (len >= sizeof(s->name))
			len = sizeof(s->name) - 1;
		memcpy(s->name, name, len);
		s->name[len] = '\0';
		s->line = l->line;
		s->verify = 1;
		s->nodelay = 1;
		s->connect_timeout = DEF_CONNECT_TIMEOUT;
		s->handshake_timeout = DEF_HANDSHAKE_TIMEOUT;
		s->idle_timeout = DEF_IDLE_TIMEOUT;
		s->close_timeout = DEF_CLOSE_TIMEOUT;
		s->max_conns = DEF_MAX_CONNS;
		s->max_handshakes = DEF_MAX_HANDSHAKES;
		s->verify_depth = -1;
		s->session_cache = 1;
		s->session_timeout = DEF_SESSION_TIMEOUT;
		*l->tail = s;
		l->tail = &s->next;
		l->c->nsvcs++;
		l->sects = t;
		memset(&t[l->nsects], 0, sizeof(*t));
		t[l->nsects].svc = s;
		t[l->nsects].bad = bad;
		l->cur = (long)l->nsects++;
	}
}

/*
 * The "[name]" line ${s} (white space stripped): inih takes note of it too,
 * but tells the handler neither where a section starts nor of one without
 * keys, and cuts names at 49 characters.
 */
static void
section_begin(struct loader *l, const char *s)
{
	const char *p, *name, *end;
	int was_space = 0, bad = 0;
	size_t i, len;

	/* Where inih ends the name: at ']', or at a ';' after a space. */
	for (p = s + 1; *p != '\0' && *p != ']' && !(was_space && *p == ';');
	     p++)
		was_space = isspace((unsigned char)*p);
	name = s + 1;
	while (isspace((unsigned char)*name))
		name++;
	end = p;
	while (end > name && isspace((unsigned char)end[-1]))
		end--;
	len = end > name ? (size_t)(end - name) : 0;
	if (*p != ']') {
		errf(l, l->line, "section header without ']'");
		bad = 1;
	} else {
		for (p++; isspace((unsigned char)*p); p++)
			;
		if (*p != '\0' && *p != ';' && *p != '#')
			errf(l, l->line,
			    "unexpected text after ']' (comments start "
			    "with ';' or '#')");
		if (len == 0) {
			errf(l, l->line, "empty section name");
			bad = 1;
		} else if (len >= sizeof(l->sects->svc->name)) {
			errf(l, l->line,
			    "section name longer than %zu characters",
			    sizeof(l->sects->svc->name) - 1);
		}
	}
	sect_new(l, name, len, bad);
	for (i = 0; !bad && l->cur >= 0 && i + 1 < l->nsects; i++) {
		if (!l->sects[i].bad &&
		    strcmp(l->sects[i].svc->name, l->sects[l->cur].svc->name) ==
		        0) {
			errf(l, l->line,
			    "duplicate section [%s] (first at line %d)",
			    l->sects[i].svc->name, l->sects[i].svc->line);
			break;
		}
	}
}

/* Did inih refuse the last line, which was neither comment nor section? */
static void
check_pending(struct loader *l)
{
	if (l->pending && !l->handled)
		errf(l, l->line,
		    "expected 'key = value', '[section]' or a comment");
	l->pending = 0;
}

/*
 * inih's source of lines: one line of the file at a time, counted, so that
 * the handler knows its line. Leading white space goes, so that inih never
 * takes an indented line for the continuation of a multi-line value.
 */
static char *
reader(char *str, int num, void *arg)
{
	struct loader *l = arg;
	ssize_t n;
	size_t len;
	char *s, *e;

	check_pending(l);
	if (l->eof)
		goto err0;
	if ((n = getline(&l->buf, &l->bufsize, l->f)) == -1) {
		if (ferror(l->f)) {
			errf(l, l->line + 1, "read error: %s", strerror(errno));
			l->rderr = 1;
		}
		l->eof = 1;
		goto err0;
	}
	l->line++;
	s = l->buf;
	e = s + n;
	if (l->line == 1 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	len = (size_t)(e - s);
	if (memchr(s, '\0', len) != NULL) {
		errf(l, l->line, "NUL character in line");
		len = 0;
	} else if (num < 2 || len > (size_t)num - 2) {
		/* inih would take the rest for another line. */
		errf(l, l->line, "line longer than %d characters", num - 2);
		len = 0;
	}
	memcpy(str, s, len);
	str[len] = '\0';
	if (str[0] == '[') {
		section_begin(l, str);
	} else if (str[0] != '\0' && str[0] != ';' && str[0] != '#') {
		l->pending = 1;
		l->handled = 0;
	}
	return str;

err0:
	return NULL;
}

/*
 * inih's callback for each "key = value" (of the line l->line). Problems
 * are noted, not fatal: it returns 1, inih's "go on", always.
 */
static int
handler(void *arg, const char *section, const char *name, const char *value)
{
	struct loader *l = arg;
	struct sect *t = l->cur >= 0 ? &l->sects[l->cur] : NULL;
	int *lines = t != NULL ? t->line : l->gline;
	const char *why = "";
	char w[80];
	int k = key_find(name);

	(void)section; /* ours is whole, inih's cut at 49 characters */
	l->handled = 1;
	if (l->cur == CUR_LOST) {
		/* No memory for the section: already counted. */
	} else if (name[0] == '\0') {
		errf(l, l->line, "missing key name before '='");
	} else if (k < 0) {
		errf(l, l->line, "unknown key '%s' in %s", name,
		    where(l, w, sizeof(w)));
	} else if (keys[k].global && t != NULL) {
		errf(l, l->line,
		    "'%s' is a global option: it must come before the first "
		    "[section]",
		    name);
	} else if (!keys[k].global && t == NULL) {
		errf(l, l->line,
		    "'%s' is a service option: it must be inside a [section]",
		    name);
	} else if (lines[k] != 0) {
		errf(l, l->line, "duplicate key '%s' in %s (first at line %d)",
		    name, where(l, w, sizeof(w)), lines[k]);
	} else {
		lines[k] = l->line;
		if ((t != NULL ? set_service(t->svc, k, value, l->line, &why)
		               : set_global(l->c, k, value, &why)) != 0)
			errf(l, l->line, "bad value '%s' for '%s' in %s: %s",
			    value, name, where(l, w, sizeof(w)), why);
	}
	return 1;
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

/* ${path}, the ${what} file given at ${line}, opened; else noted. */
static FILE *
pem_open(struct loader *l, int line, const char *what, const char *path)
{
	struct stat st;
	FILE *f;

	if (access(path, R_OK) != 0 || (f = fopen(path, "r")) == NULL) {
		errf(l, line, "cannot read %s file '%s': %s", what, path,
		    strerror(errno));
		goto err0;
	}
	if (fstat(fileno(f), &st) != 0) {
		errf(l, line, "cannot read %s file '%s': %s", what, path,
		    strerror(errno));
		goto err1;
	}
	if (S_ISDIR(st.st_mode)) {
		errf(l, line, "cannot read %s file '%s': %s", what, path,
		    strerror(EISDIR));
		goto err1;
	}
	return f;

err1:
	fclose(f);
err0:
	return NULL;
}

/* The first certificate of the ${what} file ${path} (given at ${line}). */
static X509 *
cert_load(struct loader *l, int line, const char *what, const char *path)
{
	X509 *x;
	FILE *f;

	if ((f = pem_open(l, line, what, path)) == NULL)
		goto err0;
	if ((x = PEM_read_X509(f, NULL, no_passphrase, NULL)) == NULL) {
		errf(l, line, "%s file '%s' holds no PEM certificate", what,
		    path);
		goto err1;
	}
	fclose(f);
	return x;

err1:
	ERR_clear_error();
	fclose(f);
err0:
	return NULL;
}

/* The private key of the file ${path} (given at ${line}). */
static EVP_PKEY *
key_load(struct loader *l, int line, const char *path)
{
	EVP_PKEY *pk;
	FILE *f;
	int asked = 0;

	if ((f = pem_open(l, line, "key", path)) == NULL)
		goto err0;
	if ((pk = PEM_read_PrivateKey(f, NULL, no_passphrase, &asked)) ==
	    NULL) {
		if (asked)
			errf(l, line,
			    "key file '%s' is encrypted: a key without a "
			    "passphrase is needed",
			    path);
		else
			errf(l, line, "key file '%s' holds no PEM private key",
			    path);
		goto err1;
	}
	fclose(f);
	return pk;

err1:
	ERR_clear_error();
	fclose(f);
err0:
	return NULL;
}

/* The PEM files of ${t}: readable, parsed, key matching certificate. */
static void
check_pem(struct loader *l, const struct sect *t)
{
	const struct svc_conf *s = t->svc;
	EVP_PKEY *pk = NULL;
	X509 *cert = NULL, *ca;

	if (s->cert != NULL)
		cert = cert_load(l, t->line[K_CERT], "cert", s->cert);
	if (s->key != NULL)
		pk = key_load(l, t->line[K_KEY], s->key);
	if (s->ca != NULL &&
	    (ca = cert_load(l, t->line[K_CA], "ca", s->ca)) != NULL)
		X509_free(ca);
	if (cert != NULL && pk != NULL && X509_check_private_key(cert, pk) != 1)
		errf(l, t->line[K_KEY],
		    "key file '%s' does not match cert file '%s'", s->key,
		    s->cert);
	ERR_clear_error();
	EVP_PKEY_free(pk);
	X509_free(cert);
}

/* The capath directory of ${t}: there and searchable. */
static void
check_capath(struct loader *l, const struct sect *t)
{
	const char *path = t->svc->capath;
	struct stat st;

	if (stat(path, &st) == 0 && !S_ISDIR(st.st_mode))
		errno = ENOTDIR;
	else if (stat(path, &st) == 0 && access(path, R_OK | X_OK) == 0)
		return;
	errf(l, t->line[K_CAPATH], "cannot read capath directory '%s': %s",
	    path, strerror(errno));
}

/* The crl file of ${t}: one PEM CRL or more. */
static void
check_crl(struct loader *l, const struct sect *t)
{
	const char *path = t->svc->crl;
	X509_CRL *crl;
	FILE *f;
	int n = 0;

	if ((f = pem_open(l, t->line[K_CRL], "crl", path)) == NULL)
		goto err0;
	while (
	    (crl = PEM_read_X509_CRL(f, NULL, no_passphrase, NULL)) != NULL) {
		X509_CRL_free(crl);
		n++;
	}
	ERR_clear_error();
	if (n == 0)
		errf(l, t->line[K_CRL], "crl file '%s' holds no PEM CRL", path);
	fclose(f);
err0:
	return;
}

/*
 * The keys of the psk_secrets file of ${t} into its psk. Problems in that
 * file are noted at the psk_secrets line, each naming its own line:
 * "FILE:LINE: PSKFILE:LINE: what is wrong".
 */
static void
load_psk(struct loader *l, const struct sect *t)
{
	struct svc_conf *s = t->svc;
	int line = t->line[K_PSK_SECRETS];
	char *out = NULL, *p, *nl;
	size_t outlen = 0;
	FILE *f, *m;

	if ((f = pem_open(l, line, "psk_secrets", s->psk_secrets)) == NULL)
		goto err0;
	if ((m = open_memstream(&out, &outlen)) == NULL) {
		l->nomem++;
		goto err1;
	}
	s->psk = psk_read(f, s->psk_secrets, m);
	if (fclose(m) != 0)
		l->nomem++;
	for (p = out; p != NULL && *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) != NULL)
			*nl = '\0';
		errf(l, line, "%s", p);
		if (nl == NULL)
			break;
	}
	free(out);
err1:
	fclose(f);
err0:
	return;
}

/* The TLS options of ${t} that depend on each other, a side or a file. */
static void
check_tls(struct loader *l, const struct sect *t)
{
	struct svc_conf *s = t->svc;
	int server = s->accept.kind == EP_DTLS_SCTP;
	int client = s->connect.kind == EP_DTLS_SCTP;

	if (s->capath != NULL)
		check_capath(l, t);
	if (s->crl != NULL)
		check_crl(l, t);
	if (s->psk_secrets != NULL)
		load_psk(l, t);
	if (s->options != NULL && !options_known(s->options, server))
		errf(l, t->line[K_OPTIONS],
		    "bad value '%s' for 'options' in [%s]: expected option "
		    "names OpenSSL knows for a DTLS %s (such as %s), "
		    "separated by ','",
		    s->options, s->name, server ? "server" : "client",
		    server ? "ServerPreference" : "-SessionTicket");
	if (s->psk_identity != NULL) {
		if (!client)
			errf(l, t->line[K_PSK_IDENTITY],
			    "[%s]: 'psk_identity' is for a dtls+sctp:// "
			    "connect: a server takes the identity its client "
			    "sends",
			    s->name);
		else if (s->psk_secrets == NULL)
			errf(l, t->line[K_PSK_IDENTITY],
			    "[%s]: 'psk_identity' needs 'psk_secrets'",
			    s->name);
		else if (s->psk != NULL &&
		    psk_find(s->psk, s->psk_identity) == NULL)
			errf(l, t->line[K_PSK_IDENTITY],
			    "[%s]: psk_identity '%s' is not in '%s'", s->name,
			    s->psk_identity, s->psk_secrets);
	} else if (client && s->psk_secrets != NULL) {
		errf(l, t->line[K_PSK_SECRETS],
		    "[%s]: a dtls+sctp:// connect with 'psk_secrets' needs "
		    "'psk_identity'",
		    s->name);
	}
}

/* Which sides ${t} has and whether they go together. */
static void
check_sides(struct loader *l, const struct sect *t)
{
	const struct svc_conf *s = t->svc;
	enum ep_kind a = s->accept.kind, c = s->connect.kind;
	int line = s->connect.line;

	if (a == EP_NONE || c == EP_NONE) {
		/* Missing (else the bad value was reported). */
	} else if (a == EP_DTLS_SCTP && c == EP_DTLS_SCTP) {
		errf(l, line,
		    "[%s]: dtls+sctp:// on both sides is not supported",
		    s->name);
	} else if (c == EP_ECHO && a != EP_DTLS_SCTP) {
		errf(l, line,
		    "[%s]: 'connect = echo' needs a dtls+sctp:// accept",
		    s->name);
	} else if (a != EP_DTLS_SCTP && c != EP_DTLS_SCTP && a != c) {
		errf(l, line,
		    "[%s]: tcp:// on one side and udp:// on the other is "
		    "impossible: one side must be dtls+sctp://",
		    s->name);
	} else if (a != EP_DTLS_SCTP && c != EP_DTLS_SCTP) {
		errf(l, line,
		    "[%s]: both sides are plaintext: one side must be "
		    "dtls+sctp://",
		    s->name);
	}
}

/* What a service needs beyond its keys, once all of them are known. */
static void
check_service(struct loader *l, const struct sect *t)
{
	struct svc_conf *s = t->svc;
	int acc = t->line[K_ACCEPT] != 0, con = t->line[K_CONNECT] != 0;
	int psk = s->psk_secrets != NULL;

	if (!acc || !con)
		errf(l, s->line, "[%s] has %s", s->name,
		    !acc && !con ? "neither 'accept' nor 'connect'"
		        : !acc   ? "no 'accept'"
		                 : "no 'connect'");
	check_sides(l, t);
	if ((s->accept.kind == EP_UDP || s->connect.kind == EP_UDP) &&
	    t->line[K_IDLE_TIMEOUT] == 0)
		s->idle_timeout = DEF_IDLE_TIMEOUT_UDP;
	if (s->accept.kind == EP_DTLS_SCTP && !psk &&
	    (s->cert == NULL || s->key == NULL))
		errf(l, s->accept.line, "[%s]: a dtls+sctp:// accept needs %s",
		    s->name,
		    s->cert == NULL && s->key == NULL ? "'cert' and 'key'"
		        : s->cert == NULL             ? "'cert'"
		                                      : "'key'");
	else if (s->cert != NULL && s->key == NULL)
		errf(l, t->line[K_CERT], "[%s]: 'cert' without 'key'", s->name);
	else if (s->key != NULL && s->cert == NULL)
		errf(l, t->line[K_KEY], "[%s]: 'key' without 'cert'", s->name);
	if (s->connect.kind == EP_DTLS_SCTP && s->verify && s->ca == NULL &&
	    s->capath == NULL && s->cert == NULL && !psk)
		errf(l, s->connect.line,
		    "[%s]: a dtls+sctp:// connect needs 'ca' (or 'cert') to "
		    "verify the server with, or 'verify = none'",
		    s->name);
	check_tls(l, t);
	check_pem(l, t);
}

/* A configuration with the global defaults, for the file ${path}. */
static struct config *
config_new(const char *path)
{
	struct config *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		goto err0;
	if ((c->file = strdup(path)) == NULL ||
	    (c->log = strdup("stderr")) == NULL)
		goto err1;
	c->log_level = LOG_LVL_INFO;
	c->foreground = 1;
	c->drain_timeout = DEF_DRAIN_TIMEOUT;
	/* One event loop per core. */
	c->workers = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (c->workers < 1)
		c->workers = 1;
	return c;

err1:
	config_free(c);
err0:
	return NULL;
}

/* Free what the loader ${l} holds (not the configuration). */
static void
loader_fini(struct loader *l)
{
	size_t i;

	if (l->f != NULL)
		fclose(l->f);
	l->f = NULL;
	for (i = 0; i < l->nmsgs; i++)
		free(l->msgs[i].text);
	free(l->msgs);
	free(l->sects);
	free(l->buf);
}

/* Read the whole of ${l}'s file, noting every problem. */
static void
parse(struct loader *l)
{
	int rc, base;

	/*
	 * Debian's libinih 55 goes on after a syntax error (its
	 * ini_stop_on_first_error is false) but returns only the first
	 * error's line. The reader notes every line inih refuses, and
	 * should inih stop early all the same, parsing resumes after that
	 * line (inih counts lines from the resumption).
	 */
	do {
		base = l->line;
		rc = ini_parse_stream(reader, l, handler, l);
		check_pending(l);
		if (rc > 0 && !has_msg(l, base + rc))
			errf(l, base + rc, "syntax error");
		else if (rc < 0)
			l->nomem++;
	} while (rc > 0 && !l->eof);
}

/**
 * config_load(path, err): parse the INI file ${path}. Every problem is
 * printed to ${err} as "FILE:LINE: what is wrong" (all of them, not just
 * the first) and NULL returned; otherwise the configuration.
 */
struct config *
config_load(const char *path, FILE *err)
{
	struct loader l;
	struct config *c;
	struct stat st;
	size_t i, n;

	memset(&l, 0, sizeof(l));
	l.path = path;
	l.cur = CUR_GLOBAL;
	if ((c = config_new(path)) == NULL) {
		fprintf(err, "%s: %s\n", path, strerror(ENOMEM));
		goto err1;
	}
	if ((l.f = fopen(path, "r")) == NULL) {
		fprintf(err, "%s: %s\n", path, strerror(errno));
		goto err1;
	}
	if (fstat(fileno(l.f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fprintf(err, "%s: %s\n", path, strerror(EISDIR));
		goto err1;
	}
	l.c = c;
	l.tail = &c->svcs;
	parse(&l);
	for (i = 0; i < l.nsects; i++)
		if (!l.sects[i].bad)
			check_service(&l, &l.sects[i]);
	if (l.nsects == 0 && l.nomem == 0 && !l.rderr)
		errf(&l, l.line > 0 ? l.line : 1,
		    "no services: add a [section] with accept and connect");
	n = flush(&l, err);
	loader_fini(&l);
	if (n > 0)
		goto err0;
	return c;

err1:
	loader_fini(&l);
err0:
	config_free(c);
	return NULL;
}

/** config_free(c): free ${c}; a no-op for NULL. */
void
config_free(struct config *c)
{
	struct svc_conf *s, *next;

	for (s = c != NULL ? c->svcs : NULL; s != NULL; s = next) {
		next = s->next;
		free(s->cert);
		free(s->key);
		free(s->ca);
		free(s->capath);
		free(s->crl);
		free(s->check_host);
		free(s->check_ip);
		free(s->ciphers);
		free(s->groups);
		free(s->options);
		free(s->psk_secrets);
		psk_free(s->psk);
		free(s->psk_identity);
		free(s);
	}
	if (c != NULL) {
		free(c->file);
		free(c->log);
		free(c->pid);
		free(c->setuid);
		free(c->setgid);
		free(c->chroot);
	}
	free(c);
}
