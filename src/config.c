/*
 * config.c: the configuration file: INI read by inih, each key set through
 * the keyword table (keys.c), each service checked as a whole, its TLS
 * material read once by building its context (tls.c). Every problem is
 * reported as FILE:LINE, all of them, in line order.
 */
#include <ctype.h>
#include <limits.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>
#include <openssl/ssl.h>

#include "cfgmsg.h"
#include "config.h"
#include "hostcheck.h"
#include "keys.h"
#include "log.h"
#include "svccheck.h"
#include "tls.h"

/* Where the keys go: l->cur is an index into l->sects or one of these. */
#define CUR_GLOBAL (-1) /* before the first [section] */
#define CUR_LOST (-2) /* a section we had no memory for */

/*
 * The longest line read (bytes, white space at either end not counted).
 * inih's own line buffer may be much shorter (Debian builds it with 200
 * bytes): a longer "key = value" reaches inih as "key =" and the value is
 * taken from the line as read (long_value()).
 */
#define CONFIG_MAX_LINE 65536

/* Defaults that depend on a service's sides. */
#define DEF_IDLE_TIMEOUT_UDP 60.0

/* A [section] as read. */
struct sect {
	struct svc_conf *svc;
	int bad; /* unusable header: keys checked, service not */
	int *line; /* where each key was given (key_index); 0: not given */
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
	char *longval; /* the value of a line too long for inih, or NULL */
	struct sect *sects;
	size_t nsects;
	long cur; /* the section keys go to, or CUR_* */
	int *gline; /* where each global key was given */
	struct cfgmsg *msgs; /* the problems found */
};

static void errf(struct loader *l, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Note a problem at ${line}; all of them are printed at the end. */
static void
errf(struct loader *l, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfgmsg_vadd(l->msgs, line, 0, fmt, ap);
	va_end(ap);
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

/* The line ${t}'s key ${name} was given at, or 0. */
static int
line_of(const struct sect *t, const char *name)
{
	const struct key *k = key_find(name);

	return k != NULL ? t->line[key_index(k)] : 0;
}

/* Start the section ${name} (${len} bytes) at the current line. */
static void
sect_new(struct loader *l, const char *name, size_t len, int bad)
{
	struct svc_conf *s;
	struct sect *t = NULL;
	int *lines;

	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (lines = calloc((size_t)key_count(), sizeof(int))) == NULL ||
	    (t = realloc(l->sects, (l->nsects + 1) * sizeof(*t))) == NULL) {
		if (s != NULL && t == NULL && lines != NULL)
			free(lines);
		free(s);
		cfgmsg_lost(l->msgs);
		l->cur = CUR_LOST;
		return;
	}
	if (len >= sizeof(s->name))
		len = sizeof(s->name) - 1;
	memcpy(s->name, name, len);
	s->name[len] = '\0';
	s->line = l->line;
	key_defaults(s, 0);
	*l->tail = s;
	l->tail = &s->next;
	l->c->nsvcs++;
	l->sects = t;
	memset(&t[l->nsects], 0, sizeof(*t));
	t[l->nsects].svc = s;
	t[l->nsects].bad = bad;
	t[l->nsects].line = lines;
	l->cur = (long)l->nsects++;
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
 * ${s} (${len} bytes) is longer than inih's buffer of ${num}: what inih gets
 * in ${str} instead. A "key = value" line goes as "key =", its value kept
 * in l->longval for the handler; a section header (which section_begin()
 * read whole) as a short one; a comment as an empty line. Anything else
 * is cut: without '=' or ':' it is an error either way.
 */
static void
shorten(struct loader *l, const char *s, size_t len, char *str, int num)
{
	size_t k = strcspn(s, "=:;"), max = (size_t)num - 2;

	str[0] = '\0';
	if (s[0] == ';' || s[0] == '#')
		return;
	if (s[0] == '[') {
		snprintf(str, (size_t)num, "[-]");
		return;
	}
	/* inih's key ends at the first '=' or ':' (';' starts a comment). */
	if (k < len && s[k] != ';' && k + 1 <= max &&
	    (l->longval = strndup(s + k + 1, len - k - 1)) != NULL) {
		memcpy(str, s, k + 1);
		str[k + 1] = '\0';
		return;
	}
	if (k < len && s[k] != ';' && k + 1 <= max)
		cfgmsg_lost(l->msgs);
	memcpy(str, s, max);
	str[max] = '\0';
}

/*
 * The value ${v} of a line too long for inih, made what inih makes of a
 * value (in place): white space stripped at either end, an inline comment
 * (';' after white space) cut off.
 */
static const char *
long_value(char *v)
{
	char *p, *e;

	while (isspace((unsigned char)*v))
		v++;
	for (p = v; *p != '\0'; p++)
		if (*p == ';' && p > v && isspace((unsigned char)p[-1]))
			break;
	*p = '\0';
	for (e = p; e > v && isspace((unsigned char)e[-1]); e--)
		;
	*e = '\0';
	return v;
}

/*
 * The line of ${n} bytes just read into l->buf without white space (and
 * byte order mark) at either end, terminated; its length in *${len}.
 */
static char *
trim(struct loader *l, size_t n, size_t *len)
{
	char *s = l->buf, *e = l->buf + n;

	if (l->line == 1 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	*e = '\0';
	*len = (size_t)(e - s);
	return s;
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
	char *s;

	check_pending(l);
	free(l->longval);
	l->longval = NULL;
	if (l->eof || num < 8)
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
	s = trim(l, (size_t)n, &len);
	if (memchr(s, '\0', len) != NULL) {
		errf(l, l->line, "NUL character in line");
		s[0] = '\0';
		len = 0;
	} else if (len > CONFIG_MAX_LINE) {
		errf(l, l->line, "line longer than %d characters",
		    CONFIG_MAX_LINE);
		s[0] = '\0';
		len = 0;
	}
	if (len > (size_t)num - 2) {
		shorten(l, s, len, str, num);
	} else {
		memcpy(str, s, len);
		str[len] = '\0';
	}
	if (s[0] == '[') {
		section_begin(l, s);
	} else if (s[0] != '\0' && s[0] != ';' && s[0] != '#') {
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
	const struct key *k = key_find(name);
	const char *why = "";
	char w[80];

	(void)section; /* ours is whole, inih's cut at 49 characters */
	l->handled = 1;
	if (l->longval != NULL)
		value = long_value(l->longval);
	if (l->cur == CUR_LOST) {
		/* No memory for the section: already counted. */
	} else if (name[0] == '\0') {
		errf(l, l->line, "missing key name before '='");
	} else if (k == NULL) {
		errf(l, l->line, "unknown key '%s' in %s", name,
		    where(l, w, sizeof(w)));
	} else if (key_global(k) && t != NULL) {
		errf(l, l->line,
		    "'%s' is a global option: it must come before the first "
		    "[section]",
		    name);
	} else if (!key_global(k) && t == NULL) {
		errf(l, l->line,
		    "'%s' is a service option: it must be inside a [section]",
		    name);
	} else if (lines[key_index(k)] != 0) {
		errf(l, l->line, "duplicate key '%s' in %s (first at line %d)",
		    name, where(l, w, sizeof(w)), lines[key_index(k)]);
	} else {
		lines[key_index(k)] = l->line;
		if (key_set(k, t != NULL ? (void *)t->svc : (void *)l->c, value,
		        l->line, &why) != 0)
			errf(l, l->line, "bad value '%s' for '%s' in %s: %s",
			    value, name, where(l, w, sizeof(w)), why);
	}
	return 1;
}

/* ${path}, the ${what} file given at ${line}, opened; else noted. */
static FILE *
file_open(struct loader *l, int line, const char *what, const char *path)
{
	struct stat st;
	FILE *f = NULL;

	errno = 0;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		errno = EISDIR;
	else if (access(path, R_OK) == 0)
		f = fopen(path, "r");
	if (f == NULL)
		errf(l, line, "cannot read %s file '%s': %s", what, path,
		    strerror(errno != 0 ? errno : EIO));
	return f;
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
	int line = line_of(t, "psk_secrets");
	char *out = NULL, *p, *nl;
	size_t outlen = 0;
	FILE *f, *m;

	if ((f = file_open(l, line, "psk_secrets", s->psk_secrets)) == NULL)
		goto err0;
	if ((m = open_memstream(&out, &outlen)) == NULL) {
		cfgmsg_lost(l->msgs);
		goto err1;
	}
	s->psk = psk_read(f, s->psk_secrets, m);
	if (fclose(m) != 0)
		cfgmsg_lost(l->msgs);
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

/* A problem tls.c found with a key of the section being built. */
struct tls_problem {
	struct loader *l;
	const struct sect *t;
};

static void
on_tls_problem(void *arg, const char *key, const char *value, const char *msg)
{
	struct tls_problem *p = arg;
	int line = key != NULL ? line_of(p->t, key) : 0;

	if (line == 0)
		line = p->t->svc->line;
	if (value != NULL)
		errf(p->l, line, "bad value '%s' for '%s' in [%s]: %s", value,
		    key, p->t->svc->name, msg);
	else
		errf(p->l, line, "%s", msg);
}

/*
 * The TLS context of ${t}, built now: this reads and checks the TLS
 * material once, for -t and start alike (tls_ctx_new()). A client whose
 * pre-shared key identity is missing was told so (svccheck.c).
 */
static void
build_tls(struct loader *l, const struct sect *t)
{
	struct svc_conf *s = t->svc;
	struct tls_problem p = {l, t};
	int server = s->accept.kind == EP_DTLS_SCTP;
	struct tls_conf tc;

	config_tls(s, &tc);
	if (server ||
	    (s->psk_identity != NULL &&
	        psk_find(s->psk, s->psk_identity) != NULL))
		tc.psk = s->psk;
	s->ctx = tls_ctx_new(&tc, server, s->name, on_tls_problem, &p);
}

/* A warning hostcheck_warnings() gives, noted at its key's line. */
static void
on_warning(void *arg, const char *key, const char *text)
{
	struct tls_problem *p = arg;
	char *copy;
	int line = line_of(p->t, key);

	if (asprintf(&copy, "[%s]: %s", p->t->svc->name, text) < 0)
		copy = NULL;
	cfgmsg_add(p->l->msgs, line != 0 ? line : p->t->svc->line, 1, copy);
}

/*
 * What a service needs beyond its keys, once all of them are known: its
 * keys checked together (svccheck.c), its TLS context built, what it asks
 * of this host (hostcheck.c).
 */
static void
check_service(struct loader *l, const struct sect *t)
{
	struct tls_problem p = {l, t};
	struct svc_conf *s = t->svc;

	if ((s->accept.kind == EP_UDP || s->connect.kind == EP_UDP) &&
	    line_of(t, "idle_timeout") == 0)
		s->idle_timeout = DEF_IDLE_TIMEOUT_UDP;
	if (s->psk_secrets != NULL)
		load_psk(l, t);
	svccheck_service(s, t->line, on_tls_problem, &p);
	build_tls(l, t);
	hostcheck_service(l->c, s, on_tls_problem, &p);
	hostcheck_warnings(s, on_warning, &p);
}

/* Services listening where another one does: the kernel would split
 * the connections between them. */
static void
check_overlaps(struct loader *l)
{
	char ta[300], tb[300];
	size_t i, j;
	const struct svc_conf *a, *b;

	for (j = 1; j < l->nsects; j++) {
		b = l->sects[j].svc;
		for (i = 0; i < j && !l->sects[j].bad; i++) {
			a = l->sects[i].svc;
			/* A duplicate section was reported as such. */
			if (l->sects[i].bad || strcmp(a->name, b->name) == 0 ||
			    !endpoint_overlap(&a->accept, &b->accept))
				continue;
			errf(l, b->accept.line,
			    "[%s]: accept = %s overlaps accept = %s of [%s] "
			    "(line %d): the kernel would split connections "
			    "between them",
			    b->name, endpoint_text(&b->accept, tb, sizeof(tb)),
			    endpoint_text(&a->accept, ta, sizeof(ta)), a->name,
			    a->accept.line);
			break;
		}
	}
}

/* Global options that do not go together. */
static void
check_globals(struct loader *l)
{
	const struct key *k = key_find("foreground");

	if (!l->c->foreground && strcmp(l->c->log, "stderr") == 0)
		errf(l, l->gline[key_index(k)],
		    "'foreground = no' with 'log = stderr': once detached, "
		    "messages would go nowhere; set 'log' to syslog or a file");
}

/**
 * config_tls(sc, t): the TLS settings of the service ${sc} in ${t}, as
 * tls_ctx_new() takes them (t->psk, the keys, is the caller's to set).
 */
void
config_tls(const struct svc_conf *sc, struct tls_conf *t)
{
	memset(t, 0, sizeof(*t));
	t->cert = sc->cert;
	t->key = sc->key;
	t->ca = sc->ca;
	t->capath = sc->capath;
	t->crl = sc->crl;
	t->check_host = sc->check_host;
	t->check_ip = sc->check_ip;
	t->verify_depth = sc->verify_depth;
	t->ciphers = sc->ciphers;
	t->groups = sc->groups;
	t->min_version = sc->min_version;
	t->max_version = sc->max_version;
	t->options = sc->options;
	t->psk_identity = sc->psk_identity;
	t->no_session_cache = !sc->session_cache;
	t->session_timeout = sc->session_timeout;
	t->insecure = !sc->verify;
}

/**
 * config_service_defaults(sc, name): ${sc} zeroed, named ${name}, every
 * key at its default (for a service made from command-line flags).
 */
void
config_service_defaults(struct svc_conf *sc, const char *name)
{
	memset(sc, 0, sizeof(*sc));
	snprintf(sc->name, sizeof(sc->name), "%s", name);
	key_defaults(sc, 0);
}

/* A configuration with the global defaults, for the file ${path}. */
static struct config *
config_new(const char *path)
{
	struct config *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		goto err0;
	if ((c->file = strdup(path)) == NULL)
		goto err1;
	key_defaults(c, 1);
	if (c->log == NULL)
		goto err1;
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
	for (i = 0; i < l->nsects; i++)
		free(l->sects[i].line);
	cfgmsg_free(l->msgs);
	free(l->sects);
	free(l->gline);
	free(l->buf);
	free(l->longval);
}

/* A problem hostcheck.c found with the global key ${key}. */
static void
on_global_problem(
    void *arg, const char *key, const char *value, const char *msg)
{
	struct loader *l = arg;
	const struct key *k = key_find(key);
	int line = k != NULL ? l->gline[key_index(k)] : 0;

	(void)value;
	errf(l, line > 0 ? line : 1, "%s", msg);
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
		if (rc > 0 && !cfgmsg_has(l->msgs, base + rc))
			errf(l, base + rc, "syntax error");
		else if (rc < 0)
			cfgmsg_lost(l->msgs);
	} while (rc > 0 && !l->eof);
}

/* config_load(), printing warnings to ${err} too if ${warnings}. */
static struct config *
load(const char *path, FILE *err, int warnings)
{
	struct loader l;
	struct config *c;
	struct stat st;
	size_t i, n;

	memset(&l, 0, sizeof(l));
	l.path = path;
	l.cur = CUR_GLOBAL;
	if ((c = config_new(path)) == NULL ||
	    (l.msgs = cfgmsg_new(path, warnings)) == NULL ||
	    (l.gline = calloc((size_t)key_count(), sizeof(int))) == NULL) {
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
	hostcheck_globals(c, on_global_problem, &l);
	for (i = 0; i < l.nsects; i++)
		if (!l.sects[i].bad)
			check_service(&l, &l.sects[i]);
	check_overlaps(&l);
	check_globals(&l);
	if (l.nsects == 0 && cfgmsg_nomem(l.msgs) == 0 && !l.rderr)
		errf(&l, l.line > 0 ? l.line : 1,
		    "no services: add a [section] with accept and connect");
	n = cfgmsg_flush(l.msgs, err);
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

/**
 * config_load(path, err): parse the INI file ${path}. Every problem is
 * printed to ${err} as "FILE:LINE: what is wrong" (all of them, not just
 * the first) and NULL returned; otherwise the configuration.
 */
struct config *
config_load(const char *path, FILE *err)
{
	return load(path, err, 0);
}

/**
 * config_test(path, out): -t: check the INI file ${path} as config_load()
 * does, printing to ${out} every error and every warning
 * ("FILE:LINE: warning: ..."; see hostcheck_warnings()). 0 if the file can be
 * used, -1 if not.
 */
int
config_test(const char *path, FILE *out)
{
	struct config *c = load(path, out, 1);

	config_free(c);
	return c != NULL ? 0 : -1;
}

/**
 * config_service_free(s): free what the service configuration ${s} holds
 * (not ${s} itself); a no-op for NULL.
 */
void
config_service_free(struct svc_conf *s)
{
	if (s == NULL)
		return;
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
	SSL_CTX_free(s->ctx);
	memset(s, 0, sizeof(*s));
}

/** config_free(c): free ${c}; a no-op for NULL. */
void
config_free(struct config *c)
{
	struct svc_conf *s, *next;

	for (s = c != NULL ? c->svcs : NULL; s != NULL; s = next) {
		next = s->next;
		config_service_free(s);
		free(s);
	}
	if (c != NULL) {
		free(c->file);
		free(c->log);
		free(c->pid);
		free(c->status);
		free(c->setuid);
		free(c->setgid);
		free(c->chroot);
	}
	free(c);
}
