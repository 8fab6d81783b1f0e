/*
 * listen.c: the listening sockets of a configuration, bound once and
 * shared by the workers (see listen.h). What makes a second daemon on the
 * same endpoints fail at start: a socket without SO_REUSEPORT must bind
 * before the workers' group is made, and each endpoint is claimed by an
 * abstract AF_UNIX name (unique in the network namespace, released when
 * the last process holding it ends), so that two daemons starting at the
 * same moment cannot both pass.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "listen.h"
#include "log.h"
#include "net.h"
#include "path.h"
#include "sctp.h"

#define KEYLEN 300

/* One accept endpoint and its socket(s). */
struct lent {
	char key[KEYLEN]; /* endpoint_text() */
	int n; /* sockets: one per worker */
	int lock; /* the claim on the endpoint's name, or -1 */
	int fresh; /* not yet given to lset_each_new()'s callback */
	struct lent *next;
	int fds[];
};

struct lset {
	int slots;
	struct lent *ents;
};

/** lset_new(slots): an empty set for ${slots} workers; NULL if no memory. */
struct lset *
lset_new(int slots)
{
	struct lset *ls;

	if ((ls = calloc(1, sizeof(*ls))) == NULL)
		return NULL;
	ls->slots = slots;
	return ls;
}

static void
lent_free(struct lent *e)
{
	int i;

	for (i = 0; i < e->n; i++)
		if (e->fds[i] != -1)
			close(e->fds[i]);
	if (e->lock != -1)
		close(e->lock);
	free(e);
}

/** lset_free(ls): close every socket of ${ls}, free it; NULL is a no-op. */
void
lset_free(struct lset *ls)
{
	struct lent *e;

	if (ls == NULL)
		return;
	while ((e = ls->ents) != NULL) {
		ls->ents = e->next;
		lent_free(e);
	}
	free(ls);
}

static struct lent *
find(const struct lset *ls, const char *key)
{
	struct lent *e;

	for (e = ls->ents; e != NULL; e = e->next)
		if (strcmp(e->key, key) == 0)
			return e;
	return NULL;
}

/* A new entry for ${key}, every socket -1, at the head of ${ls}. */
static struct lent *
add(struct lset *ls, const char *key)
{
	int n = ls->slots, i;
	struct lent *e;

	if ((e = calloc(1, sizeof(*e) + sizeof(int) * (size_t)n)) == NULL) {
		log_err(NULL, "out of memory");
		return NULL;
	}
	snprintf(e->key, sizeof(e->key), "%s", key);
	e->n = n;
	e->lock = -1;
	for (i = 0; i < n; i++)
		e->fds[i] = -1;
	e->next = ls->ents;
	ls->ents = e;
	return e;
}

/*
 * A socket of ${kind} on ${ai}, bound, and listening if a stream; -1 if
 * not (logged, naming the likely cause of an address in use). With
 * ${multi}, an SCTP socket bound to every address of the list ${ai}
 * (multi-homing, path.c).
 */
static int
bind_ai(const char *name, const struct sctp_sockopts *so, enum ep_kind kind,
    const struct addrinfo *ai, int reuseport, int multi)
{
	int type = kind == EP_UDP ? SOCK_DGRAM : SOCK_STREAM, one = 1, zero = 0;
	char addr[NET_ADDRSTRLEN];
	int fd;

	if (multi)
		return path_listen(ai, so, reuseport, name);
	if (kind == EP_DTLS_SCTP || kind == EP_SCTP)
		fd = sctp_sock_new(ai->ai_family, so, name);
	else if ((fd = socket(ai->ai_family,
	              type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) == -1)
		log_err(name, "socket: %s", strerror(errno));
	if (fd == -1)
		return -1;
	/* Restarts over TIME_WAIT; never for UDP, where SO_REUSEADDR would
	 * let a second daemon bind the same port. */
	if (type == SOCK_STREAM)
		(void)setsockopt(
		    fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (reuseport &&
	    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0)
		log_warn(name, "SO_REUSEPORT: %s", strerror(errno));
	if (ai->ai_family == AF_INET6)
		(void)setsockopt(
		    fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
	    (type == SOCK_STREAM && listen(fd, SOMAXCONN) != 0)) {
		log_err(name, "cannot listen on %s://%s: %s%s",
		    endpoint_scheme(kind),
		    net_addr_str(
		        ai->ai_addr, ai->ai_addrlen, addr, sizeof(addr)),
		    strerror(errno),
		    errno == EADDRINUSE ? " (another process, perhaps another "
		                          "sctp-dtls, listens there)"
		                        : "");
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * ${n} sockets on ${ai} (bind_ai()) in ${fds}: one alone; for n > 1 (one
 * per worker) a group sharing the port with SO_REUSEPORT, made only once
 * a socket without it could bind (so no other process holds the port).
 */
static int
bind_group(const char *name, const struct sctp_sockopts *so, enum ep_kind kind,
    const struct addrinfo *ai, int multi, int n, int *fds)
{
	int i;

	if ((fds[0] = bind_ai(name, so, kind, ai, 0, multi)) == -1)
		return -1;
	if (n == 1)
		return 0;
	close(fds[0]);
	for (i = 0; i < n; i++) {
		if ((fds[i] = bind_ai(name, so, kind, ai, 1, multi)) == -1) {
			while (i-- > 0)
				close(fds[i]);
			return -1;
		}
	}
	return 0;
}

/*
 * The SCTP accept endpoint ${ep} of ${sc} with hosts: one socket (or
 * group) bound to every address of every host (multi-homing).
 */
static int
bind_multi(
    const struct svc_conf *sc, const struct sctp_sockopts *so, int n, int *fds)
{
	char text[KEYLEN];
	struct addrinfo *res;
	int rc;

	if (path_resolve(&sc->accept, NULL, 1, &res) != 0)
		return -1;
	rc = bind_group(sc->name, so, sc->accept.kind, res, 1, n, fds);
	freeaddrinfo(res);
	if (rc == 0)
		log_info(sc->name, "listening on %s",
		    endpoint_text(&sc->accept, text, sizeof(text)));
	return rc;
}

/*
 * Bind the accept endpoint of ${sc} into ${fds}[0] (listening, if a
 * stream); for ${n} > 1 workers, ${n} sockets sharing the port
 * (SO_REUSEPORT, one per worker), made once a socket without it could
 * bind (no other process holds the port). 0, or -1 (logged; an address in
 * use says so).
 */
static int
bind_endpoint(const struct svc_conf *sc, int n, int *fds)
{
	const struct endpoint *ep = &sc->accept;
	int sctp = ep->kind == EP_DTLS_SCTP || ep->kind == EP_SCTP, pass;
	struct sctp_sockopts so, pso;
	struct addrinfo *res, *ai;
	char addr[NET_ADDRSTRLEN];
	int rc = -1;

	lset_sockopts(sc, &so, &pso);
	if (sctp && ep->host[0] != '\0')
		return bind_multi(sc, ep->kind == EP_SCTP ? &pso : &so, n, fds);
	if (net_resolve(ep->host[0] ? ep->host : NULL, ep->port,
	        ep->kind == EP_UDP ? SOCK_DGRAM : SOCK_STREAM,
	        sctp ? IPPROTO_SCTP : 0, 1, &res) != 0)
		return -1;
	/* A wildcard listens on IPv6 and IPv4 at once where it can. */
	for (pass = 0; pass < 2 && rc != 0; pass++) {
		for (ai = res; ai != NULL && rc != 0; ai = ai->ai_next) {
			if (pass == 0 &&
			    (ep->host[0] || ai->ai_family != AF_INET6))
				continue;
			rc = bind_group(sc->name,
			    ep->kind == EP_SCTP ? &pso : &so, ep->kind, ai, 0,
			    n, fds);
			if (rc == 0)
				net_addr_str(ai->ai_addr, ai->ai_addrlen, addr,
				    sizeof(addr));
		}
	}
	freeaddrinfo(res);
	if (rc == 0)
		log_info(sc->name, "listening on %s://%s",
		    endpoint_scheme(ep->kind), addr);
	return rc;
}

/**
 * lset_sockopts(sc, so, pso): the SCTP socket options of ${sc}'s
 * DTLS/SCTP ends in ${so} and of its plaintext SCTP ends in ${pso} (a
 * listening socket passes them on to the associations it accepts); their
 * tuning points into ${sc}.
 */
void
lset_sockopts(const struct svc_conf *sc, struct sctp_sockopts *so,
    struct sctp_sockopts *pso)
{
	memset(so, 0, sizeof(*so));
	memset(pso, 0, sizeof(*pso));
	so->dtls = 1;
	so->nodelay = sc->nodelay;
	so->ostreams = sctp_ostreams_for(sc->stream);
	if (sc->streams > so->ostreams)
		so->ostreams = sc->streams;
	so->instreams = sc->streams > SCTP_INSTREAMS ? sc->streams : 0;
	so->hmac_sha1 = sc->sctp_hmac_sha1;
	so->tune = &sc->sctp;
	pso->nodelay = sc->nodelay;
	pso->ostreams = sc->streams;
	pso->instreams = sc->streams;
	pso->tune = &sc->sctp;
}

/*
 * Claim the endpoint ${key} of the service ${name} for this daemon: the
 * socket holding the claim, or -1 if another daemon has it (logged).
 */
static int
claim(const char *name, const char *key)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	socklen_t len;
	int fd, n;

	n = snprintf(sa.sun_path + 1, sizeof(sa.sun_path) - 1,
	    "sctp-dtls listens on %s", key);
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
	    (n < (int)sizeof(sa.sun_path) - 1 ? n
	                                      : (int)sizeof(sa.sun_path) - 2));
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) == -1) {
		log_err(name, "socket: %s", strerror(errno));
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sa, len) != 0) {
		log_err(name, "cannot listen on %s: %s", key,
		    errno == EADDRINUSE ? "another sctp-dtls listens there"
		                        : strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Unlink and free the entry ${e} of ${ls}. */
static void
drop(struct lset *ls, struct lent *e)
{
	struct lent **pp;

	for (pp = &ls->ents; *pp != e; pp = &(*pp)->next)
		;
	*pp = e->next;
	lent_free(e);
}

/**
 * lset_bind_svc(ls, sc): bind the accept endpoint of ${sc} unless ${ls}
 * has it. 0, or -1 (logged, naming the service).
 */
int
lset_bind_svc(struct lset *ls, const struct svc_conf *sc)
{
	char key[KEYLEN];
	struct lent *e;
	int i;

	endpoint_text(&sc->accept, key, sizeof(key));
	if (find(ls, key) != NULL)
		return 0;
	if ((e = add(ls, key)) == NULL)
		return -1;
	if ((e->lock = claim(sc->name, key)) == -1 ||
	    bind_endpoint(sc, e->n, e->fds) != 0) {
		for (i = 0; i < e->n; i++)
			e->fds[i] = -1; /* closed by bind_endpoint() */
		drop(ls, e);
		return -1;
	}
	e->fresh = 1;
	return 0;
}

/**
 * lset_bind(ls, cfg): bind the accept endpoint of every service of ${cfg}
 * that ${ls} lacks. 0, or -1 if one could not be bound (logged, naming
 * the service; the others are bound).
 */
int
lset_bind(struct lset *ls, const struct config *cfg)
{
	const struct svc_conf *sc;
	int rc = 0;

	for (sc = cfg->svcs; sc != NULL; sc = sc->next)
		if (lset_bind_svc(ls, sc) != 0)
			rc = -1;
	return rc;
}

/**
 * lset_take(ls, sc, slot): a new descriptor (close-on-exec) for the
 * socket that worker ${slot} accepts ${sc}'s connections on, or -1 if the
 * set has none.
 */
int
lset_take(const struct lset *ls, const struct svc_conf *sc, int slot)
{
	char key[KEYLEN];
	struct lent *e;
	int fd;

	if (ls == NULL ||
	    (e = find(ls, endpoint_text(&sc->accept, key, sizeof(key)))) ==
	        NULL)
		return -1;
	fd = e->fds[e->n > 1 ? slot : 0];
	return fd == -1 ? -1 : fcntl(fd, F_DUPFD_CLOEXEC, 0);
}

/**
 * lset_put(ls, key, slot, fd): worker ${slot} received the socket ${fd}
 * (now owned) for the endpoint ${key}. 0, or -1 (${fd} closed).
 */
int
lset_put(struct lset *ls, const char *key, int slot, int fd)
{
	struct lent *e = find(ls, key);
	int i;

	if (e == NULL && (e = add(ls, key)) == NULL) {
		close(fd);
		return -1;
	}
	i = e->n > 1 ? slot : 0;
	if (e->fds[i] != -1)
		close(e->fds[i]);
	e->fds[i] = fd;
	return 0;
}

/**
 * lset_each_new(ls, fn, arg): call ${fn} for each endpoint bound since the
 * last call, with its ${n} sockets (one per worker).
 */
void
lset_each_new(struct lset *ls, lset_fn *fn, void *arg)
{
	struct lent *e;

	for (e = ls->ents; e != NULL; e = e->next) {
		if (e->fresh)
			fn(arg, e->key, e->fds, e->n);
		e->fresh = 0;
	}
}

/** lset_prune(ls, cfg): close the sockets no service of ${cfg} uses. */
void
lset_prune(struct lset *ls, const struct config *cfg)
{
	const struct svc_conf *sc;
	struct lent *e, *next;
	char key[KEYLEN];

	for (e = ls->ents; e != NULL; e = next) {
		next = e->next;
		for (sc = cfg->svcs; sc != NULL; sc = sc->next)
			if (strcmp(endpoint_text(&sc->accept, key, sizeof(key)),
			        e->key) == 0)
				break;
		if (sc == NULL)
			drop(ls, e);
	}
}
