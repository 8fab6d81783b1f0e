/*
 * hostcheck.c: what the configuration asks of this host (hostcheck.h):
 * directories, interfaces, files readable after the privilege drop, SCTP
 * in the kernel, connect names.
 */
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hostcheck.h"
#include "log.h"
#include "resolve.h"
#include "sctp.h"

/* Who the process is once start-up dropped its privileges. */
struct ident {
	uid_t uid;
	gid_t gid;
	int dropping; /* setuid or setgid given */
};

/* Report ${key}'s problem, printf-style. */
static void problem(tls_report_fn *report, void *arg, const char *key,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
problem(tls_report_fn *report, void *arg, const char *key, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	report(arg, key, NULL, msg);
}

/* The user ${s} (name or number): 0 with uid and gid, or -1. */
static int
user_id(const char *s, uid_t *uid, gid_t *gid)
{
	struct passwd *pw;
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if ((pw = getpwnam(s)) != NULL) {
		*uid = pw->pw_uid;
		*gid = pw->pw_gid;
	} else if (*s != '\0' && *end == '\0' && errno == 0) {
		*uid = (uid_t)n;
		*gid = (gid_t)n;
	} else {
		return -1;
	}
	return 0;
}

/* The group ${s} (name or number): 0 with gid, or -1. */
static int
group_id(const char *s, gid_t *gid)
{
	struct group *gr;
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if ((gr = getgrnam(s)) != NULL)
		*gid = gr->gr_gid;
	else if (*s != '\0' && *end == '\0' && errno == 0)
		*gid = (gid_t)n;
	else
		return -1;
	return 0;
}

/* Who ${c} runs as after start-up; -1 if a user or group is unknown. */
static int
ident_of(const struct config *c, struct ident *id)
{
	id->uid = getuid();
	id->gid = getgid();
	id->dropping = c->setuid != NULL || c->setgid != NULL;
	if (c->setuid != NULL && user_id(c->setuid, &id->uid, &id->gid) != 0)
		return -1;
	if (c->setgid != NULL && group_id(c->setgid, &id->gid) != 0)
		return -1;
	return 0;
}

/* The directory ${path}'s file is in must exist. 0, or -1 (reported). */
static int
dir_of(const char *key, const char *path, tls_report_fn *report, void *arg)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	struct stat st;
	size_t n;
	int rc;

	if (slash == NULL)
		return 0; /* the working directory */
	n = slash == path ? 1 : (size_t)(slash - path);
	if (n >= sizeof(dir))
		n = sizeof(dir) - 1;
	memcpy(dir, path, n);
	dir[n] = '\0';
	if ((rc = stat(dir, &st)) == 0 && S_ISDIR(st.st_mode))
		return 0;
	problem(report, arg, key, "%s file '%s': directory '%s': %s", key, path,
	    dir, rc != 0 ? strerror(errno) : "is not a directory");
	return -1;
}

/**
 * hostcheck_globals(c, report, arg): check the global options of ${c}:
 * log and pid (keys.c checks setuid, setgid and chroot).
 */
void
hostcheck_globals(const struct config *c, tls_report_fn *report, void *arg)
{
	if (c->log != NULL && strcmp(c->log, "stderr") != 0 &&
	    strcmp(c->log, "syslog") != 0)
		(void)dir_of("log", c->log, report, arg);
	if (c->pid != NULL)
		(void)dir_of("pid", c->pid, report, arg);
}

/* Can ${id} do ${want} (R_OK, X_OK) with the file of ${st}? */
static int
may(const struct ident *id, const struct stat *st, int want)
{
	mode_t m = st->st_mode;
	int shift = st->st_uid == id->uid ? 6 : st->st_gid == id->gid ? 3 : 0;

	if (id->uid == 0)
		return 1;
	return ((m >> shift) & (unsigned)want) == (unsigned)want;
}

/* "owner:group" of ${st} into ${buf}. */
static const char *
owners(const struct stat *st, char *buf, size_t size)
{
	struct passwd *pw = getpwuid(st->st_uid);
	struct group *gr = getgrgid(st->st_gid);

	if (pw != NULL && gr != NULL)
		snprintf(buf, size, "%s:%s", pw->pw_name, gr->gr_name);
	else
		snprintf(buf, size, "%lu:%lu", (unsigned long)st->st_uid,
		    (unsigned long)st->st_gid);
	return buf;
}

/* The group ${id} runs in, by name if it has one, into ${buf}. */
static const char *
group_name(const struct ident *id, char *buf, size_t size)
{
	struct group *gr = getgrgid(id->gid);

	if (gr != NULL)
		snprintf(buf, size, "%s", gr->gr_name);
	else
		snprintf(buf, size, "%lu", (unsigned long)id->gid);
	return buf;
}

/*
 * Can ${id} read the file (${dir}: list the directory) ${real}, a path
 * without symbolic links, its first ${root} bytes the chroot? 0, or -1
 * with what stops it in ${why}.
 */
static int
readable_as(const struct ident *id, const char *real, size_t root, int dir,
    char *why, size_t size)
{
	char path[PATH_MAX], own[128], grp[64];
	struct stat st;
	char *p;

	snprintf(path, sizeof(path), "%s", real);
	for (p = strchr(path + root + 1, '/'); p != NULL;
	     p = strchr(p + 1, '/')) {
		*p = '\0';
		if (stat(path, &st) == 0 && !may(id, &st, X_OK)) {
			snprintf(why, size,
			    "directory '%s' (%s, mode %04o) cannot be entered",
			    path, owners(&st, own, sizeof(own)),
			    (unsigned)(st.st_mode & 07777));
			return -1;
		}
		*p = '/';
	}
	if (stat(path, &st) != 0) {
		snprintf(why, size, "'%s': %s", path, strerror(errno));
		return -1;
	}
	if (may(id, &st, dir ? R_OK | X_OK : R_OK))
		return 0;
	snprintf(why, size,
	    "it is %s, mode %04o: make it readable by group %s, such as "
	    "chgrp %s '%s' && chmod %s '%s'",
	    owners(&st, own, sizeof(own)), (unsigned)(st.st_mode & 07777),
	    group_name(id, grp, sizeof(grp)), grp, real, dir ? "0750" : "0640",
	    real);
	return -1;
}

/* The file of ${key} = ${path}, read again on SIGHUP: readable then? */
static void
after_drop(const struct config *c, const struct ident *id,
    const struct svc_conf *s, const char *key, const char *path,
    tls_report_fn *report, void *arg)
{
	char full[PATH_MAX], real[PATH_MAX], why[2 * PATH_MAX + 512];
	int dir = strcmp(key, "capath") == 0;
	size_t root = 0;

	if (path == NULL || (!id->dropping && c->chroot == NULL))
		return;
	snprintf(full, sizeof(full), "%s%s", c->chroot != NULL ? c->chroot : "",
	    path);
	if (realpath(full, real) == NULL) {
		if (c->chroot != NULL)
			problem(report, arg, key,
			    "[%s]: %s '%s' is not inside chroot = %s (as "
			    "'%s'), where a reload (SIGHUP) reads it",
			    s->name, key, path, c->chroot, full);
		return; /* otherwise reported when it was read */
	}
	if (c->chroot != NULL && realpath(c->chroot, full) != NULL &&
	    strncmp(real, full, strlen(full)) == 0)
		root = strlen(full); /* what is above the chroot is not seen */
	if (readable_as(id, real, root, dir, why, sizeof(why)) == 0)
		return;
	problem(report, arg, key,
	    "[%s]: %s '%s' will not be readable after the privilege drop "
	    "(uid %lu, gid %lu), when a reload (SIGHUP) reads it again: %s",
	    s->name, key, path, (unsigned long)id->uid, (unsigned long)id->gid,
	    why);
}

/* The scope id of the IPv6 address of ${ep} must name an interface. */
static void
scope_ok(const struct svc_conf *s, const char *key, const struct endpoint *ep,
    tls_report_fn *report, void *arg)
{
	const char *zone = strchr(ep->host, '%');
	char name[IF_NAMESIZE];

	if (zone == NULL || !strchr(ep->host, ':'))
		return;
	zone++;
	if (strspn(zone, "0123456789") == strlen(zone)
	        ? if_indextoname((unsigned)atoi(zone), name) != NULL
	        : if_nametoindex(zone) != 0)
		return;
	problem(report, arg, key,
	    "[%s]: %s: no network interface '%s' for the scope of %s", s->name,
	    key, zone, ep->host);
}

/**
 * hostcheck_service(c, s, report, arg): check the service ${s} of ${c}:
 * the scope ids of its endpoints, and its files (cert, key, ca, capath,
 * crl, psk_secrets) as the user ${c} runs as after start-up.
 */
void
hostcheck_service(const struct config *c, const struct svc_conf *s,
    tls_report_fn *report, void *arg)
{
	struct ident id;

	scope_ok(s, "accept", &s->accept, report, arg);
	scope_ok(s, "connect", &s->connect, report, arg);
	if (ident_of(c, &id) != 0)
		return; /* reported with the global options */
	after_drop(c, &id, s, "cert", s->cert, report, arg);
	after_drop(c, &id, s, "key", s->key, report, arg);
	after_drop(c, &id, s, "ca", s->ca, report, arg);
	after_drop(c, &id, s, "capath", s->capath, report, arg);
	after_drop(c, &id, s, "crl", s->crl, report, arg);
	after_drop(c, &id, s, "psk_secrets", s->psk_secrets, report, arg);
}

/* Non-zero if a side of ${kind} is an SCTP socket. */
static int
sctp_side(enum ep_kind kind)
{
	return kind == EP_DTLS_SCTP || kind == EP_SCTP;
}

/* Can this kernel make the SCTP socket of a side of ${kind}? 0, or -1. */
static int
sctp_ok(const struct svc_conf *sc, enum ep_kind kind, const char *side)
{
	struct sctp_sockopts so;
	char who[100];
	int fd;

	if (!sctp_side(kind))
		return 0;
	memset(&so, 0, sizeof(so));
	so.dtls = kind == EP_DTLS_SCTP;
	snprintf(who, sizeof(who), "%s: %s", sc->name, side);
	if ((fd = sctp_sock_new(AF_INET, &so, who)) == -1 &&
	    errno == EAFNOSUPPORT)
		fd = sctp_sock_new(AF_INET6, &so, who);
	if (fd == -1)
		return -1;
	close(fd);
	return 0;
}

/**
 * hostcheck_sctp(sc): what the service ${sc} needs from this host beyond its
 * file, checked before it starts (and by -t): SCTP (with SCTP-AUTH for
 * DTLS/SCTP) for each side that speaks it. 0, or -1 (logged: what to do).
 */
int
hostcheck_sctp(const struct svc_conf *sc)
{
	if (sctp_ok(sc, sc->accept.kind, "accept") != 0 ||
	    sctp_ok(sc, sc->connect.kind, "connect") != 0)
		return -1;
	return 0;
}

/**
 * hostcheck_names(loop, sc): look up the connect name of ${sc} as a
 * connection would (running ${loop} until the answer comes) and warn if it
 * does not resolve. 0 if it does (or is an address), -1 if not.
 */
int
hostcheck_names(struct ev_loop *loop, const struct svc_conf *sc)
{
	const struct endpoint *dst = &sc->connect;

	if (dst->kind == EP_ECHO || dst->kind == EP_NONE)
		return 0;
	return resolve_check(loop, dst,
	    dst->kind == EP_UDP ? SOCK_DGRAM : SOCK_STREAM,
	    sctp_side(dst->kind) ? IPPROTO_SCTP : 0, sc->name);
}

/* Warn if the secret ${what} file ${path} (key ${key}) is readable. */
static void
secret_mode(const char *key, const char *what, const char *path,
    config_warn_fn *fn, void *arg)
{
	struct stat st;
	char text[PATH_MAX + 100];

	if (path == NULL || stat(path, &st) != 0 ||
	    (st.st_mode & (S_IROTH | S_IWOTH)) == 0)
		return;
	snprintf(text, sizeof(text),
	    "%s %s is readable by others (mode %03o): chmod o-rw it", what,
	    path, (unsigned)(st.st_mode & 0777));
	fn(arg, key, text);
}

/**
 * hostcheck_warnings(sc, fn, arg): call ${fn}(${arg}, key, text) for each
 * setting of the service ${sc} that works but is unsafe: a private key or
 * psk_secrets file others can read, verify = none. config_load() notes
 * them (printed by -t), svctls_ctx() logs them.
 */
void
hostcheck_warnings(const struct svc_conf *sc, config_warn_fn *fn, void *arg)
{
	secret_mode("key", "private key", sc->key, fn, arg);
	secret_mode(
	    "psk_secrets", "psk_secrets file", sc->psk_secrets, fn, arg);
	if (!sc->verify)
		fn(arg, "verify",
		    "verify = none: DTLS peers are not verified; anyone can "
		    "impersonate them");
}
