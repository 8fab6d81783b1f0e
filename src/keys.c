/*
 * keys.c: the configuration keys as one table: name, scope, where the
 * value goes, bounds, default, setter and the echo modes' flag (keys.h).
 * Adding an ordinary key is one row here and its entry in
 * sctp-dtls.conf(5).
 */
#include <arpa/inet.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "config.h"
#include "keys.h"
#include "cpus.h"
#include "log.h"

/* Longest timeout accepted, in seconds: a year. */
#define MAX_SECONDS 31536000

struct key {
	const char *name;
	int global; /* before the first [section], and only there */
	int (*set)(const struct key *k, void *obj, const char *v, int line,
	    const char **why);
	size_t off; /* of the field in struct config or struct svc_conf */
	int size; /* of an integer field: sizeof(int), (uint16_t), (long) */
	long min, max; /* bounds of a number */
	const char *def; /* the default, as it would be written; NULL: none */
	const char *flag; /* the echo modes' long option that sets it */
	const char *expect; /* what a bad value is told */
};

/* The field of ${k} in ${obj}. */
#define FIELD(obj, k) ((void *)((char *)(obj) + (k)->off))

/* The unsigned decimal ${s} (digits only) up to ${max} into *${v}. */
static int
parse_uint(const char *s, unsigned long max, unsigned long *v)
{
	unsigned long n = 0, d;
	const char *p;

	if (*s == '\0')
		return -1;
	for (p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		d = (unsigned long)(*p - '0');
		if (n > max / 10 || (n == max / 10 && d > max % 10))
			return -1;
		n = n * 10 + d;
	}
	*v = n;
	return 0;
}

/*
 * A decimal number ("10", "2.5", ".5") with an optional unit, "ms" or
 * "s", into *${v} in seconds (${ms} 0) or milliseconds (${ms} 1); a bare
 * number is in that unit. Read by hand: strtod() would take "inf", hex
 * and the locale's decimal point.
 */
static int
parse_time(const char *s, int ms, double *v)
{
	unsigned long long mant = 0;
	double div = 1, scale = 1;
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
			break;
		}
	}
	if (strcmp(p, "ms") == 0)
		scale = ms ? 1 : 0.001;
	else if (strcmp(p, "s") == 0)
		scale = ms ? 1000 : 1;
	else if (*p != '\0')
		return -1;
	if (digits == 0)
		return -1;
	*v = (double)mant / div * scale;
	return 0;
}

/* Seconds, at most MAX_SECONDS and, unless ${zero}, more than 0. */
static int
parse_seconds(const char *s, int zero, double *v)
{
	double n;

	if (parse_time(s, 0, &n) != 0 || n > MAX_SECONDS || (n == 0 && !zero))
		return -1;
	*v = n;
	return 0;
}

/* A string, not empty: replaces the field's copy. */
static int
s_str(const struct key *k, void *obj, const char *v, int line, const char **why)
{
	char **dst = FIELD(obj, k), *p;

	(void)line;
	if (v[0] == '\0') {
		*why = k->expect;
		return -1;
	}
	if ((p = strdup(v)) == NULL) {
		*why = "out of memory";
		return -1;
	}
	free(*dst);
	*dst = p;
	return 0;
}

/* yes/no/true/false/1/0. */
static int
s_bool(
    const struct key *k, void *obj, const char *v, int line, const char **why)
{
	int *dst = FIELD(obj, k);

	(void)line;
	if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 ||
	    strcmp(v, "1") == 0) {
		*dst = 1;
	} else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 ||
	    strcmp(v, "0") == 0) {
		*dst = 0;
	} else {
		*why = "expected yes, no, true, false, 1 or 0";
		return -1;
	}
	return 0;
}

/* Store ${n} in the integer field of ${k} (int, uint16_t or long). */
static void
store_int(const struct key *k, void *obj, long n)
{
	if (k->size == sizeof(uint16_t))
		*(uint16_t *)FIELD(obj, k) = (uint16_t)n;
	else if (k->size == sizeof(long))
		*(long *)FIELD(obj, k) = n;
	else
		*(int *)FIELD(obj, k) = (int)n;
}

/* A whole number from k->min to k->max. */
static int
s_uint(
    const struct key *k, void *obj, const char *v, int line, const char **why)
{
	unsigned long n;

	(void)line;
	if (parse_uint(v, (unsigned long)k->max, &n) != 0 ||
	    n < (unsigned long)k->min) {
		*why = k->expect;
		return -1;
	}
	store_int(k, obj, (long)n);
	return 0;
}

/* Seconds; k->min 0 allows 0 (none). */
static int
s_seconds(
    const struct key *k, void *obj, const char *v, int line, const char **why)
{
	(void)line;
	if (parse_seconds(v, k->min == 0, FIELD(obj, k)) != 0) {
		*why = k->expect;
		return -1;
	}
	return 0;
}

/*
 * Bytes: a whole number, optionally with K, M, G or T (binary: KiB...),
 * at most 2^60; k->min 0 allows 0 (none).
 */
static int
s_bytes(
    const struct key *k, void *obj, const char *v, int line, const char **why)
{
	static const char units[] = "KMGT";
	char num[32];
	const char *u;
	unsigned long n;
	size_t len = strlen(v);
	int shift = 0;

	(void)line;
	if (len > 0 && (v[len - 1] & ~0x20) != 0 &&
	    (u = strchr(units, v[len - 1] & ~0x20)) != NULL) {
		shift = 10 * (int)(u - units + 1);
		len--;
	}
	if (len == 0 || len >= sizeof(num))
		goto bad;
	memcpy(num, v, len);
	num[len] = '\0';
	if (parse_uint(num, (1UL << (60 - shift)), &n) != 0 ||
	    (n == 0 && k->min != 0))
		goto bad;
	*(unsigned long long *)FIELD(obj, k) = (unsigned long long)n << shift;
	return 0;
bad:
	*why = k->expect;
	return -1;
}

/* Milliseconds, whole, from k->min to k->max ("500ms", "2s", "1.5s"). */
static int
s_msec(
    const struct key *k, void *obj, const char *v, int line, const char **why)
{
	double n;

	(void)line;
	if (parse_time(v, 1, &n) != 0 || n != (double)(long)n ||
	    n < (double)k->min || n > (double)k->max) {
		*why = k->expect;
		return -1;
	}
	store_int(k, obj, (long)n);
	return 0;
}

/* local: the source addresses of SCTP connects. */
static int
s_local(
    const struct key *k, void *obj, const char *v, int line, const char **why)
{
	struct endpoint ep;

	if (endpoint_parse_hosts(v, &ep, why) != 0)
		return -1;
	ep.line = line;
	*(struct endpoint *)FIELD(obj, k) = ep;
	return 0;
}

/* primary: an IPv4 or IPv6 address (of the peer). */
static int
s_primary(
    const struct key *k, void *obj, const char *v, int line, const char **why)
{
	struct sctp_tuning *t = FIELD(obj, k);
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&t->primary;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&t->primary;
	char b[INET6_ADDRSTRLEN + 2];
	size_t n = strlen(v);

	(void)line;
	if (v[0] == '[' && n > 2 && n < sizeof(b) && v[n - 1] == ']') {
		memcpy(b, v + 1, n - 2);
		b[n - 2] = '\0';
		v = b;
	}
	memset(&t->primary, 0, sizeof(t->primary));
	if (inet_pton(AF_INET, v, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		t->primary_len = sizeof(*s4);
	} else if (inet_pton(AF_INET6, v, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		t->primary_len = sizeof(*s6);
	} else {
		t->primary_len = 0;
		*why = k->expect;
		return -1;
	}
	return 0;
}

/* accept: an endpoint to listen on. */
static int
s_accept(
    const struct key *k, void *obj, const char *v, int line, const char **why)
{
	struct endpoint ep, *dst = FIELD(obj, k);

	if (endpoint_parse(v, &ep, why) != 0)
		return -1;
	if (ep.kind == EP_ECHO) {
		*why = "echo is only valid for connect";
		return -1;
	}
	*dst = ep;
	dst->line = line;
	return 0;
}

/* connect: an endpoint to reach, or the echo target. */
static int
s_connect(
    const struct key *k, void *obj, const char *v, int line, const char **why)
{
	struct endpoint ep, *dst = FIELD(obj, k);

	if (endpoint_parse(v, &ep, why) != 0)
		return -1;
	if (ep.kind != EP_ECHO &&
	    (ep.host[0] == '\0' || strcmp(ep.host, "0.0.0.0") == 0)) {
		*why = "connect needs a host: the wildcard is only for accept";
		return -1;
	}
	*dst = ep;
	dst->line = line;
	return 0;
}

/* log: stderr, syslog or a file path (a name without '/' is a typo). */
static int
s_log(const struct key *k, void *obj, const char *v, int line, const char **why)
{
	if (strcmp(v, "stderr") != 0 && strcmp(v, "syslog") != 0 &&
	    strchr(v, '/') == NULL) {
		*why = k->expect;
		return -1;
	}
	return s_str(k, obj, v, line, why);
}

/*
 * status: "unix:/absolute/path" (shorter than sun_path) or "HOST:PORT"
 * (an IPv6 address in brackets, a port from 1 to 65535).
 */
static int
s_status(
    const struct key *k, void *obj, const char *v, int line, const char **why)
{
	const char *colon = strrchr(v, ':');
	unsigned long port;

	if (strncmp(v, "unix:", 5) == 0) {
		if (v[5] != '/' || strlen(v + 5) >= 108)
			goto bad;
		return s_str(k, obj, v, line, why);
	}
	if (colon == NULL || colon == v ||
	    parse_uint(colon + 1, 65535, &port) != 0 || port == 0)
		goto bad;
	if ((v[0] == '[') != (colon[-1] == ']') ||
	    (v[0] != '[' && memchr(v, ':', (size_t)(colon - v)) != NULL))
		goto bad;
	return s_str(k, obj, v, line, why);
bad:
	*why = k->expect;
	return -1;
}

static int
s_log_level(
    const struct key *k, void *obj, const char *v, int line, const char **why)
{
	int n;

	(void)line;
	if ((n = log_level_parse(v)) < 0) {
		*why = k->expect;
		return -1;
	}
	*(int *)FIELD(obj, k) = n;
	return 0;
}

/* Non-zero if ${s} is a plain decimal user or group id. */
static int
numeric_id(const char *s)
{
	unsigned long n;

	return parse_uint(s, 4294967294UL, &n) == 0;
}

static int
s_user(
    const struct key *k, void *obj, const char *v, int line, const char **why)
{
	if (getpwnam(v) == NULL && !numeric_id(v)) {
		*why = "no such user";
		return -1;
	}
	return s_str(k, obj, v, line, why);
}

static int
s_group(
    const struct key *k, void *obj, const char *v, int line, const char **why)
{
	if (getgrnam(v) == NULL && !numeric_id(v)) {
		*why = "no such group";
		return -1;
	}
	return s_str(k, obj, v, line, why);
}

static int
s_chroot(
    const struct key *k, void *obj, const char *v, int line, const char **why)
{
	struct stat st;

	if (v[0] != '/' || stat(v, &st) != 0 || !S_ISDIR(st.st_mode)) {
		*why = k->expect;
		return -1;
	}
	return s_str(k, obj, v, line, why);
}

/* workers: a number, or "auto": the CPUs this process can use. */
static int
s_workers(
    const struct key *k, void *obj, const char *v, int line, const char **why)
{
	int n;

	if (strcmp(v, "auto") != 0)
		return s_uint(k, obj, v, line, why);
	n = cpus_usable();
	store_int(k, obj, n > k->max ? k->max : n);
	return 0;
}

static int
s_check_host(
    const struct key *k, void *obj, const char *v, int line, const char **why)
{
	if (endpoint_hostname_ok(v) != 0) {
		*why = k->expect;
		return -1;
	}
	return s_str(k, obj, v, line, why);
}

static int
s_check_ip(
    const struct key *k, void *obj, const char *v, int line, const char **why)
{
	struct in6_addr a6;
	struct in_addr a4;

	if (inet_pton(AF_INET, v, &a4) != 1 &&
	    inet_pton(AF_INET6, v, &a6) != 1) {
		*why = k->expect;
		return -1;
	}
	return s_str(k, obj, v, line, why);
}

/* min_version, max_version: DTLS 1.2; DTLS 1.0 refused (RFC 8996). */
static int
s_version(
    const struct key *k, void *obj, const char *v, int line, const char **why)
{
	static const char *const v10[] = {
	    "DTLSv1", "DTLSv1.0", "dtls1", "dtls1.0"};
	size_t i;

	(void)line;
	if (strcasecmp(v, "DTLSv1.2") == 0 || strcasecmp(v, "dtls1.2") == 0) {
		*(int *)FIELD(obj, k) = DTLS1_2_VERSION;
		return 0;
	}
	*why = "expected DTLSv1.2 (or dtls1.2)";
	for (i = 0; i < sizeof(v10) / sizeof(v10[0]); i++)
		if (strcasecmp(v, v10[i]) == 0)
			*why = "DTLS 1.0 is not allowed (RFC 8996 deprecates "
			       "it); expected DTLSv1.2";
	return -1;
}

static int
s_psk_identity(
    const struct key *k, void *obj, const char *v, int line, const char **why)
{
	if (strlen(v) > PSK_IDENTITY_MAX) {
		*why = "expected an identity of 1 to 128 bytes";
		return -1;
	}
	return s_str(k, obj, v, line, why);
}

/* sctp_hmac: sha256 (then SHA-1, which RFC 4895 requires) or sha1. */
static int
s_hmac(
    const struct key *k, void *obj, const char *v, int line, const char **why)
{
	(void)line;
	if (strcmp(v, "sha256") != 0 && strcmp(v, "sha1") != 0) {
		*why = k->expect;
		return -1;
	}
	*(int *)FIELD(obj, k) = strcmp(v, "sha1") == 0;
	return 0;
}

/* verify: peer or none. */
static int
s_verify(
    const struct key *k, void *obj, const char *v, int line, const char **why)
{
	(void)line;
	if (strcmp(v, "peer") != 0 && strcmp(v, "none") != 0) {
		*why = k->expect;
		return -1;
	}
	*(int *)FIELD(obj, k) = strcmp(v, "peer") == 0;
	return 0;
}

/* ppid_map: pairs of PPIDs in the clear and over DTLS (ppidmap.c). */
static int
s_ppid_map(
    const struct key *k, void *obj, const char *v, int line, const char **why)
{
	(void)line;
	return ppidmap_parse(v, FIELD(obj, k), why);
}

/* ppid: a number or a registered name (IANA). */
static int
s_ppid(
    const struct key *k, void *obj, const char *v, int line, const char **why)
{
	static const struct {
		const char *name;
		uint32_t ppid;
	} ppids[] = {
	    {"diameter", 46},
	    {"diameter-dtls", 47},
	    {"ngap", 60},
	    {"ngap-dtls", 66},
	};
	unsigned long n;
	size_t i;

	(void)line;
	for (i = 0; i < sizeof(ppids) / sizeof(ppids[0]); i++) {
		if (strcmp(v, ppids[i].name) == 0) {
			*(uint32_t *)FIELD(obj, k) = ppids[i].ppid;
			return 0;
		}
	}
	if (parse_uint(v, UINT32_MAX, &n) != 0) {
		*why = k->expect;
		return -1;
	}
	*(uint32_t *)FIELD(obj, k) = (uint32_t)n;
	return 0;
}

#define G(f) offsetof(struct config, f)
#define S(f) offsetof(struct svc_conf, f)
#define INT(s, f) S(f), sizeof(((struct svc_conf *)0)->f)
#define GINT(f) G(f), sizeof(((struct config *)0)->f)
#define NONE 0, 0, 0
#define TIME_MS " (500ms, 2s; a bare number is milliseconds)"

static const struct key keys[] = {
    /* Global options. */
    {"log", 1, s_log, G(log), NONE, "stderr", NULL,
        "expected stderr, syslog or a file path (with a '/')"},
    {"log_level", 1, s_log_level, G(log_level), NONE, "info", NULL,
        "expected error, warning, notice, info or debug"},
    {"pid", 1, s_str, G(pid), NONE, NULL, NULL, "expected a file path"},
    {"foreground", 1, s_bool, G(foreground), NONE, "yes", NULL, NULL},
    {"drain_timeout", 1, s_seconds, G(drain_timeout), 0, 0, 0, "30", NULL,
        "expected a number of seconds from 0 to 31536000"},
    {"setuid", 1, s_user, G(setuid), NONE, NULL, NULL, "expected a user name"},
    {"setgid", 1, s_group, G(setgid), NONE, NULL, NULL,
        "expected a group name"},
    {"chroot", 1, s_chroot, G(chroot), NONE, NULL, NULL,
        "expected the absolute path of a directory"},
    {"workers", 1, s_workers, GINT(workers), 1, 256, "auto", NULL,
        "expected a number of processes from 1 to 256, or auto"},
    {"status", 1, s_status, G(status), NONE, NULL, NULL,
        "expected HOST:PORT ([IPv6]:PORT) or unix:/absolute/path"},
    {"cert_watch", 1, s_bool, G(cert_watch), NONE, "yes", NULL, NULL},
    {"reload_check", 1, s_seconds, G(reload_check), 0, 0, 0, "60", NULL,
        "expected a number of seconds from 0 to 31536000"},
    /* Per service: the two sides. */
    {"accept", 0, s_accept, S(accept), NONE, NULL, NULL, NULL},
    {"connect", 0, s_connect, S(connect), NONE, NULL, NULL, NULL},
    /* TLS. */
    {"cert", 0, s_str, S(cert), NONE, NULL, "--cert", "expected a file name"},
    {"key", 0, s_str, S(key), NONE, NULL, "--key", "expected a file name"},
    {"ca", 0, s_str, S(ca), NONE, NULL, "--ca", "expected a file name"},
    {"capath", 0, s_str, S(capath), NONE, NULL, "--capath",
        "expected a directory"},
    {"crl", 0, s_str, S(crl), NONE, NULL, "--crl", "expected a file name"},
    {"check_host", 0, s_check_host, S(check_host), NONE, NULL, "--check-host",
        "expected a DNS name"},
    {"check_ip", 0, s_check_ip, S(check_ip), NONE, NULL, "--check-ip",
        "expected an IPv4 or IPv6 address"},
    {"verify_depth", 0, s_uint, INT(s, verify_depth), 0, 100, NULL, NULL,
        "expected an integer from 0 to 100"},
    {"ciphers", 0, s_str, S(ciphers), NONE, NULL, "--ciphers",
        "expected an OpenSSL cipher list"},
    {"groups", 0, s_str, S(groups), NONE, NULL, "--groups",
        "expected a list of groups"},
    {"min_version", 0, s_version, S(min_version), NONE, NULL, NULL, NULL},
    {"max_version", 0, s_version, S(max_version), NONE, NULL, NULL, NULL},
    {"options", 0, s_str, S(options), NONE, NULL, NULL,
        "expected OpenSSL option names"},
    {"psk_secrets", 0, s_str, S(psk_secrets), NONE, NULL, "--psk-secrets",
        "expected a file name"},
    {"psk_identity", 0, s_psk_identity, S(psk_identity), NONE, NULL,
        "--psk-identity", "expected an identity"},
    {"session_cache", 0, s_bool, S(session_cache), NONE, "yes", NULL, NULL},
    {"session_timeout", 0, s_uint, INT(s, session_timeout), 1, MAX_SECONDS,
        "300", NULL, "expected a whole number of seconds from 1 to 31536000"},
    {"sctp_hmac", 0, s_hmac, S(sctp_hmac_sha1), NONE, "sha256", NULL,
        "expected sha256 or sha1"},
    {"verify", 0, s_verify, S(verify), NONE, "peer", NULL,
        "expected peer or none"},
    /* SCTP. */
    {"stream", 0, s_uint, INT(s, stream), 0, 65534, "0", "--stream",
        "expected an integer from 0 to 65534"},
    {"ppid", 0, s_ppid, S(ppid), NONE, "0", "--ppid",
        "expected an integer from 0 to 4294967295 or diameter, "
        "diameter-dtls, ngap or ngap-dtls"},
    {"streams", 0, s_uint, INT(s, streams), 1, 65535, "16", NULL,
        "expected a number of streams from 1 to 65535"},
    {"ppid_map", 0, s_ppid_map, S(ppid_map), NONE, NULL, NULL, NULL},
    {"nodelay", 0, s_bool, S(nodelay), NONE, "yes", NULL, NULL},
    /* SCTP paths and tuning; not set: the kernel's value. */
    {"local", 0, s_local, S(local), NONE, NULL, NULL, NULL},
    {"primary", 0, s_primary, S(sctp), NONE, NULL, NULL,
        "expected an IPv4 or IPv6 address"},
    {"primary_return", 0, s_bool, S(sctp.primary_return), NONE, "yes", NULL,
        NULL},
    {"rto_initial", 0, s_msec, INT(s, sctp.rto_initial), 1, 86400000, NULL,
        NULL, "expected a time from 1 ms to 24 h" TIME_MS},
    {"rto_min", 0, s_msec, INT(s, sctp.rto_min), 1, 86400000, NULL, NULL,
        "expected a time from 1 ms to 24 h" TIME_MS},
    {"rto_max", 0, s_msec, INT(s, sctp.rto_max), 1, 86400000, NULL, NULL,
        "expected a time from 1 ms to 24 h" TIME_MS},
    {"max_init_retransmits", 0, s_uint, INT(s, sctp.max_init_retransmits), 1,
        65535, NULL, NULL, "expected a number from 1 to 65535"},
    {"init_timeout", 0, s_msec, INT(s, sctp.init_timeout), 1, 65535, NULL, NULL,
        "expected a time from 1 ms to 65535 ms" TIME_MS},
    {"association_max_retransmits", 0, s_uint,
        INT(s, sctp.assoc_max_retransmits), 1, 65535, NULL, NULL,
        "expected a number from 1 to 65535"},
    {"path_max_retransmits", 0, s_uint, INT(s, sctp.path_max_retransmits), 1,
        65535, NULL, NULL, "expected a number from 1 to 65535"},
    {"heartbeat", 0, s_bool, S(sctp.heartbeat), NONE, "yes", NULL, NULL},
    {"heartbeat_interval", 0, s_msec, INT(s, sctp.heartbeat_interval), 1,
        86400000, NULL, NULL, "expected a time from 1 ms to 24 h" TIME_MS},
    {"sack_delay", 0, s_msec, INT(s, sctp.sack_delay), 1, 500, NULL, NULL,
        "expected a time from 1 to 500 ms" TIME_MS},
    {"sack_frequency", 0, s_uint, INT(s, sctp.sack_frequency), 1, 65535, NULL,
        NULL, "expected a number of packets from 1 to 65535"},
    {"sndbuf", 0, s_uint, INT(s, sctp.sndbuf), 4096, 1073741824, NULL, NULL,
        "expected a number of bytes from 4096 to 1073741824"},
    {"rcvbuf", 0, s_uint, INT(s, sctp.rcvbuf), 4096, 1073741824, NULL, NULL,
        "expected a number of bytes from 4096 to 1073741824"},
    /* Timeouts and limits (idle_timeout: 60 s for UDP unless given). */
    {"connect_timeout", 0, s_seconds, S(connect_timeout), 0, 1, 0, "10", NULL,
        "expected a number of seconds greater than 0, at most 31536000"},
    {"handshake_timeout", 0, s_seconds, S(handshake_timeout), 0, 1, 0, "30",
        NULL, "expected a number of seconds greater than 0, at most 31536000"},
    {"idle_timeout", 0, s_seconds, S(idle_timeout), 0, 0, 0, "3600", NULL,
        "expected a number of seconds from 0 (none) to 31536000"},
    {"close_timeout", 0, s_seconds, S(close_timeout), 0, 1, 0, "10", NULL,
        "expected a number of seconds greater than 0, at most 31536000"},
    {"max_conns", 0, s_uint, INT(s, max_conns), 0, INT_MAX, "1000", NULL,
        "expected an integer from 0 (unlimited) to 2147483647"},
    {"max_handshakes", 0, s_uint, INT(s, max_handshakes), 1, INT_MAX, "100",
        NULL, "expected an integer from 1 to 2147483647"},
    /* Rekeying by renegotiation (RFC 6083 4.8). */
    {"rekey", 0, s_bool, S(rekey), NONE, "yes", NULL, NULL},
    {"rekey_interval", 0, s_seconds, S(rekey_interval), 0, 1, 0, "3600", NULL,
        "expected a number of seconds greater than 0, at most 31536000"},
    {"rekey_bytes", 0, s_bytes, S(rekey_bytes), 0, 0, 0, "64G", NULL,
        "expected a number of bytes (suffix K, M, G or T), 0 for no limit"},
    {"rekey_min_interval", 0, s_seconds, S(rekey_min_interval), 0, 0, 0, "10",
        NULL, "expected a number of seconds from 0 (no limit) to 31536000"},
    {"rekey_on_reload", 0, s_bool, S(rekey_on_reload), NONE, "yes", NULL, NULL},
    {"sctp_label_bug", 0, s_bool, S(sctp_label_bug), NONE, "no", NULL, NULL},
};

#define NKEYS (int)(sizeof(keys) / sizeof(keys[0]))

/** key_find(name): the key called ${name}, or NULL. */
const struct key *
key_find(const char *name)
{
	int i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(name, keys[i].name) == 0)
			return &keys[i];
	return NULL;
}

/** key_by_flag(flag): the key the echo modes' ${flag} sets, or NULL. */
const struct key *
key_by_flag(const char *flag)
{
	int i;

	for (i = 0; i < NKEYS; i++)
		if (keys[i].flag != NULL && strcmp(flag, keys[i].flag) == 0)
			return &keys[i];
	return NULL;
}

/** key_count(void): how many keys there are (for per-key arrays). */
int
key_count(void)
{
	return NKEYS;
}

/** key_index(k): the position of ${k} in the table, 0..key_count()-1. */
int
key_index(const struct key *k)
{
	return (int)(k - keys);
}

/** key_name(k): the name of ${k} as written in the file. */
const char *
key_name(const struct key *k)
{
	return k->name;
}

/** key_global(k): non-zero if ${k} is a global option (else a service's). */
int
key_global(const struct key *k)
{
	return k->global;
}

/** key_flag(k): the echo modes' command-line flag for ${k}, or NULL. */
const char *
key_flag(const struct key *k)
{
	return k->flag;
}

/**
 * key_set(k, obj, v, line, why): check the value ${v} of ${k} and store it
 * in ${obj} (a struct config for a global key, a struct svc_conf for a
 * service's), given at ${line}. 0, or -1 with *${why} saying what is
 * expected (nothing stored).
 */
int
key_set(
    const struct key *k, void *obj, const char *v, int line, const char **why)
{
	return k->set(k, obj, v, line, why);
}

/**
 * key_defaults(obj, global): every global (${global}) or service key of
 * ${obj} at its default.
 */
void
key_defaults(void *obj, int global)
{
	const char *why;
	int i;

	for (i = 0; i < NKEYS; i++)
		if (keys[i].global == global && keys[i].def != NULL)
			(void)keys[i].set(&keys[i], obj, keys[i].def, 0, &why);
	if (!global) /* OpenSSL's own depth: not a value one can write */
		((struct svc_conf *)obj)->verify_depth = -1;
}
