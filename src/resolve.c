/*
 * resolve.c: the addresses of a connect endpoint (resolve.h): numeric ones
 * fixed, host names looked up with c-ares on the event loop, answers kept
 * for their TTL, lookups coalesced, stale answers used while the name
 * servers are away.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ares.h>

#include "endpoint.h"
#include "log.h"
#include "net.h"
#include "resolve.h"

#define RESOLV_CONF "/etc/resolv.conf"

/* A socket c-ares uses, watched for it. */
struct rsock {
	ev_io io;
	struct resolver *r;
	struct rsock *next;
};

/* A connection waiting for the addresses. */
struct resolve_req {
	struct resolver *r;
	resolve_fn *done;
	void *arg;
	struct resolve_req *next;
};

/* One host of the endpoint (several for a multi-homed SCTP peer). */
struct rname {
	struct resolver *r;
	char host[256];
	struct addrinfo *fixed; /* a numeric host's (getaddrinfo) */
	struct addrinfo *answer; /* a name's last answer, or NULL */
	ev_tstamp expires; /* ... used until then */
	char err[128]; /* why the last lookup failed, or "" */
	int busy; /* a query is in flight */
};

struct resolver {
	struct ev_loop *loop;
	struct rname names[EP_HOSTS];
	int n;
	char port[32];
	int socktype, proto;
	char who[NET_ADDRSTRLEN + 80];
	int ares; /* ares_library_init() done: a name among the hosts */
	ares_channel ch; /* made at the first query */
	struct stat conf; /* RESOLV_CONF when the channel was made */
	struct rsock *socks;
	ev_timer tmo; /* c-ares's next timeout */
	ev_timer report; /* answers the requests in ready */
	struct resolve_req *waiting; /* for the query in flight */
	struct resolve_req *ready; /* to be answered */
};

static void
free_addrs(struct addrinfo *ai)
{
	struct addrinfo *next;

	for (; ai != NULL; ai = next) {
		next = ai->ai_next;
		free(ai);
	}
}

/* The answer ${res} as an addrinfo list of our own, or NULL. */
static struct addrinfo *
copy_addrs(const struct resolver *r, const struct ares_addrinfo *res, int *ttl)
{
	const struct ares_addrinfo_node *n;
	struct addrinfo *head = NULL, **tail = &head, *ai;

	*ttl = (int)RESOLVE_MAX_TTL;
	for (n = res->nodes; n != NULL; n = n->ai_next) {
		if ((ai = calloc(1, sizeof(*ai) + n->ai_addrlen)) == NULL) {
			free_addrs(head);
			return NULL;
		}
		ai->ai_family = n->ai_family;
		ai->ai_socktype = r->socktype;
		ai->ai_protocol = r->proto;
		ai->ai_addrlen = n->ai_addrlen;
		ai->ai_addr = (struct sockaddr *)(ai + 1);
		memcpy(ai->ai_addr, n->ai_addr, n->ai_addrlen);
		*tail = ai;
		tail = &ai->ai_next;
		if (n->ai_ttl < *ttl)
			*ttl = n->ai_ttl > 0 ? n->ai_ttl : 0;
	}
	return head;
}

/* Non-zero if the lists ${a} and ${b} hold the same addresses. */
static int
same_addrs(const struct addrinfo *a, const struct addrinfo *b)
{
	for (; a != NULL && b != NULL; a = a->ai_next, b = b->ai_next)
		if (a->ai_addrlen != b->ai_addrlen ||
		    memcmp(a->ai_addr, b->ai_addr, a->ai_addrlen) != 0)
			return 0;
	return a == NULL && b == NULL;
}

/* When c-ares wants to be called again: its next timeout. */
static void
arm(struct resolver *r)
{
	struct timeval tv, *t;

	ev_timer_stop(r->loop, &r->tmo);
	if (r->ch == NULL || (t = ares_timeout(r->ch, NULL, &tv)) == NULL)
		return;
	ev_timer_set(&r->tmo, (double)t->tv_sec + t->tv_usec / 1e6, 0);
	ev_timer_start(r->loop, &r->tmo);
}

static void
on_sock(struct ev_loop *loop, ev_io *w, int revents)
{
	struct rsock *s = w->data;
	struct resolver *r = s->r;
	int fd = w->fd;

	(void)loop;
	ares_process_fd(r->ch, (revents & EV_READ) ? fd : ARES_SOCKET_BAD,
	    (revents & EV_WRITE) ? fd : ARES_SOCKET_BAD);
	arm(r);
}

static void
on_tmo(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct resolver *r = w->data;

	(void)loop;
	(void)revents;
	ares_process_fd(r->ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	arm(r);
}

/* c-ares opens, changes or closes a socket: watch it accordingly. */
static void
on_sock_state(void *data, ares_socket_t fd, int readable, int writable)
{
	struct resolver *r = data;
	struct rsock **pp, *s;
	int ev = (readable ? EV_READ : 0) | (writable ? EV_WRITE : 0);

	for (pp = &r->socks; (s = *pp) != NULL && s->io.fd != fd;)
		pp = &s->next;
	if (s != NULL)
		ev_io_stop(r->loop, &s->io);
	if (ev == 0) {
		if (s != NULL) {
			*pp = s->next;
			free(s);
		}
		return;
	}
	if (s == NULL) {
		if ((s = calloc(1, sizeof(*s))) == NULL) {
			log_err(r->who, "out of memory (name lookup)");
			return;
		}
		s->r = r;
		s->io.data = s;
		s->next = r->socks;
		r->socks = s;
		ev_init(&s->io, on_sock);
	}
	ev_io_set(&s->io, fd, ev);
	ev_io_start(r->loop, &s->io);
}

/* A c-ares channel for ${r}, its sockets on ${r}'s loop. 0 or -1. */
static int
channel_new(struct resolver *r)
{
	struct ares_options o;
	int rc;

	memset(&o, 0, sizeof(o));
	o.sock_state_cb = on_sock_state;
	o.sock_state_cb_data = r;
	o.timeout = RESOLVE_TIMEOUT_MS;
	o.tries = RESOLVE_TRIES;
	if (stat(RESOLV_CONF, &r->conf) != 0)
		memset(&r->conf, 0, sizeof(r->conf));
	rc = ares_init_options(&r->ch, &o,
	    ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);
	if (rc != ARES_SUCCESS) {
		log_err(r->who, "name lookups (c-ares): %s", ares_strerror(rc));
		r->ch = NULL;
		return -1;
	}
	return 0;
}

/* A changed /etc/resolv.conf is read again (between queries). */
static void
channel_fresh(struct resolver *r)
{
	struct stat st;

	if (stat(RESOLV_CONF, &st) != 0 ||
	    (st.st_ino == r->conf.st_ino && st.st_size == r->conf.st_size &&
	        st.st_mtim.tv_sec == r->conf.st_mtim.tv_sec &&
	        st.st_mtim.tv_nsec == r->conf.st_mtim.tv_nsec))
		return;
	log_info(r->who, "%s changed: read again", RESOLV_CONF);
	ares_destroy(r->ch);
	r->ch = NULL;
	(void)channel_new(r);
}

/* Answer the requests waiting, from the loop. */
static void
answer_waiting(struct resolver *r)
{
	struct resolve_req *q;

	while ((q = r->waiting) != NULL) {
		r->waiting = q->next;
		q->next = r->ready;
		r->ready = q;
	}
	if (r->ready != NULL && !ev_is_active(&r->report)) {
		ev_timer_set(&r->report, 0, 0);
		ev_timer_start(r->loop, &r->report);
	}
}

/* Non-zero while a query of ${r} is in flight. */
static int
any_busy(const struct resolver *r)
{
	int i;

	for (i = 0; i < r->n; i++)
		if (r->names[i].busy)
			return 1;
	return 0;
}

/* Log what a successful lookup of ${nm} changed. */
static void
log_answer(struct rname *nm, const struct addrinfo *fresh, int ttl)
{
	struct resolver *r = nm->r;
	char a[NET_ADDRSTRLEN];

	net_addr_str(fresh->ai_addr, fresh->ai_addrlen, a, sizeof(a));
	if (nm->err[0] != '\0')
		log_notice(r->who, "%s resolves again: %s first, TTL %ds",
		    nm->host, a, ttl);
	else if (nm->answer != NULL && !same_addrs(nm->answer, fresh))
		log_info(r->who, "%s has new addresses: %s first, TTL %ds",
		    nm->host, a, ttl);
	else
		log_debug(r->who, "%s: %s first, TTL %ds", nm->host, a, ttl);
}

/* The lookup of ${nm} failed with ${status}: stale addresses, or none. */
static void
failed(struct rname *nm, int status)
{
	struct resolver *r = nm->r;
	const char *why = ares_strerror(status);
	int away = status == ARES_ETIMEOUT || status == ARES_ESERVFAIL ||
	    status == ARES_ECONNREFUSED;

	if (away && nm->answer != NULL) {
		log_warn(r->who,
		    "%s: the name servers do not answer (%s): its last "
		    "addresses are used for %.0fs more",
		    nm->host, why, RESOLVE_STALE);
		nm->expires = ev_now(r->loop) + RESOLVE_STALE;
		return;
	}
	if (strcmp(nm->err, why) != 0)
		log_warn(r->who,
		    "%s does not resolve: %s; the service runs on and looks "
		    "it up again for each connection",
		    nm->host, why);
	else
		log_debug(r->who, "%s does not resolve: %s", nm->host, why);
	snprintf(nm->err, sizeof(nm->err), "%s", why);
	free_addrs(nm->answer);
	nm->answer = NULL;
}

static void
on_answer(void *arg, int status, int timeouts, struct ares_addrinfo *res)
{
	struct rname *nm = arg;
	struct resolver *r = nm->r;
	struct addrinfo *fresh = NULL;
	int ttl = 0;

	(void)timeouts;
	if (status == ARES_EDESTRUCTION)
		return; /* resolve_free(): r is going */
	nm->busy = 0;
	if (status == ARES_SUCCESS &&
	    (res == NULL || (fresh = copy_addrs(r, res, &ttl)) == NULL))
		status = res == NULL || res->nodes == NULL ? ARES_ENODATA
		                                           : ARES_ENOMEM;
	ares_freeaddrinfo(res);
	if (status != ARES_SUCCESS) {
		failed(nm, status);
	} else {
		log_answer(nm, fresh, ttl);
		free_addrs(nm->answer);
		nm->answer = fresh;
		nm->expires = ev_now(r->loop) + ttl;
		nm->err[0] = '\0';
	}
	if (!any_busy(r))
		answer_waiting(r);
}

/* Ask c-ares for the addresses of ${nm} (the caller answers). */
static void
query(struct rname *nm)
{
	struct resolver *r = nm->r;
	struct ares_addrinfo_hints h;

	if (nm->busy)
		return;
	if (r->ch == NULL && channel_new(r) != 0) {
		snprintf(nm->err, sizeof(nm->err), "c-ares is not available");
		return;
	}
	memset(&h, 0, sizeof(h));
	h.ai_family = AF_UNSPEC;
	h.ai_socktype = r->socktype;
	h.ai_protocol = r->proto;
	nm->busy = 1;
	ares_getaddrinfo(r->ch, nm->host, r->port, &h, on_answer, nm);
	arm(r);
}

/* Non-zero if ${nm} must be looked up (again). */
static int
stale(const struct rname *nm)
{
	return nm->fixed == NULL &&
	    (nm->answer == NULL || ev_now(nm->r->loop) >= nm->expires);
}

/* Look up the names of ${r} whose answers are too old. */
static void
refresh(struct resolver *r)
{
	int i;

	if (r->ch != NULL && !any_busy(r))
		channel_fresh(r); /* never under a query in flight */
	for (i = 0; i < r->n; i++)
		if (stale(&r->names[i]))
			query(&r->names[i]);
}

/*
 * The addresses of all hosts of ${r}, in the order written (a copy, or
 * NULL with *${err} saying why the first host has none).
 */
static struct addrinfo *
joined(struct resolver *r, const char **err)
{
	struct addrinfo *head = NULL, **tail = &head, *ai;
	const struct addrinfo *src;
	int i;

	*err = "no address";
	for (i = r->n - 1; i >= 0; i--)
		if (r->names[i].err[0] != '\0')
			*err = r->names[i].err;
	for (i = 0; i < r->n; i++) {
		src = r->names[i].fixed != NULL ? r->names[i].fixed
		                                : r->names[i].answer;
		for (; src != NULL; src = src->ai_next) {
			if ((ai = calloc(1, sizeof(*ai) + src->ai_addrlen)) ==
			    NULL) {
				*err = "out of memory";
				free_addrs(head);
				return NULL;
			}
			*ai = *src;
			ai->ai_canonname = NULL;
			ai->ai_next = NULL;
			ai->ai_addr = (struct sockaddr *)(ai + 1);
			memcpy(ai->ai_addr, src->ai_addr, src->ai_addrlen);
			*tail = ai;
			tail = &ai->ai_next;
		}
	}
	return head;
}

static void
on_report(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct resolver *r = w->data;
	struct resolve_req *q;
	const char *err;
	struct addrinfo *addrs = joined(r, &err);

	(void)loop;
	(void)revents;
	while ((q = r->ready) != NULL) {
		r->ready = q->next;
		q->done(q->arg, addrs, addrs != NULL ? NULL : err);
		free(q);
	}
	free_addrs(addrs);
}

/* ${nm}'s host as a numeric address into nm->fixed: 0, 1 if a name, or -1. */
static int
numeric(struct rname *nm)
{
	struct resolver *r = nm->r;
	const char *host = nm->host;
	struct addrinfo hints;
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = r->socktype;
	hints.ai_protocol = r->proto;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	rc = getaddrinfo(host, r->port, &hints, &nm->fixed);
	if (rc == 0)
		return 0;
	nm->fixed = NULL;
	if (rc == EAI_NONAME && strchr(host, ':') == NULL)
		return 1;
	log_err(r->who, "bad address %s port %s: %s", host, r->port,
	    gai_strerror(rc));
	return -1;
}

/**
 * resolve_new(loop, ep, socktype, proto, who): the addresses of the hosts
 * of ${ep} (each an IPv4 or IPv6 address, "%scope" allowed, or a DNS
 * name; several for a multi-homed SCTP peer, in the order written) and
 * its numeric port, for sockets of ${socktype} and ${proto}. Names are
 * looked up at once, so that one that does not resolve is reported (a
 * warning with ${who}: the service runs on and tries again for each
 * connection). NULL if out of memory or a host is a bad address (logged).
 */
struct resolver *
resolve_new(struct ev_loop *loop, const struct endpoint *ep, int socktype,
    int proto, const char *who)
{
	struct resolver *r;
	int i, rc;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		log_err(who, "out of memory");
		return NULL;
	}
	r->loop = loop;
	r->socktype = socktype;
	r->proto = proto;
	snprintf(r->port, sizeof(r->port), "%s", ep->port);
	snprintf(r->who, sizeof(r->who), "%s", who != NULL ? who : "-");
	ev_init(&r->tmo, on_tmo);
	r->tmo.data = r;
	ev_init(&r->report, on_report);
	r->report.data = r;
	for (i = 0; i < endpoint_nhosts(ep) && i < EP_HOSTS; i++, r->n++) {
		r->names[i].r = r;
		snprintf(r->names[i].host, sizeof(r->names[i].host), "%s",
		    endpoint_host_at(ep, i));
		if ((rc = numeric(&r->names[i])) < 0)
			goto err;
		if (rc > 0 && !r->ares) {
			if (ares_library_init(ARES_LIB_INIT_ALL) !=
			    ARES_SUCCESS) {
				log_err(r->who, "c-ares cannot start");
				goto err;
			}
			r->ares = 1;
		}
	}
	refresh(r);
	return r;

err:
	resolve_free(r);
	return NULL;
}

/**
 * resolve_lookup(r, done, arg): the addresses of ${r} for a connection:
 * ${done} is called once, from the event loop (never from within
 * resolve_lookup()), unless resolve_cancel() came first. NULL if out of
 * memory (logged).
 */
struct resolve_req *
resolve_lookup(struct resolver *r, resolve_fn *done, void *arg)
{
	struct resolve_req *q;

	if ((q = calloc(1, sizeof(*q))) == NULL) {
		log_err(r->who, "out of memory");
		return NULL;
	}
	q->r = r;
	q->done = done;
	q->arg = arg;
	q->next = r->waiting;
	r->waiting = q;
	refresh(r);
	if (!any_busy(r))
		answer_waiting(r);
	return q;
}

/* Take ${q} off the list at ${pp}; 1 if it was there. */
static int
unlink_req(struct resolve_req **pp, struct resolve_req *q)
{
	for (; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == q) {
			*pp = q->next;
			return 1;
		}
	}
	return 0;
}

/** resolve_cancel(q): ${q}'s answer is no longer wanted; NULL is a no-op. */
void
resolve_cancel(struct resolve_req *q)
{
	if (q == NULL)
		return;
	if (!unlink_req(&q->r->waiting, q))
		(void)unlink_req(&q->r->ready, q);
	free(q);
}

static void
on_checked(void *arg, const struct addrinfo *addrs, const char *err)
{
	int *st = arg;

	(void)err;
	*st = addrs != NULL ? 0 : -1;
}

/**
 * resolve_check(loop, ep, socktype, proto, who): look the hosts of ${ep}
 * up as a connection would, running ${loop} until the answer came: 0 if
 * they have addresses, -1 if not (a warning logged with ${who}).
 */
int
resolve_check(struct ev_loop *loop, const struct endpoint *ep, int socktype,
    int proto, const char *who)
{
	struct resolver *r;
	struct resolve_req *q;
	int st = 1;

	if ((r = resolve_new(loop, ep, socktype, proto, who)) == NULL)
		return -1;
	if ((q = resolve_lookup(r, on_checked, &st)) == NULL)
		st = -1;
	while (st > 0)
		ev_run(loop, EVRUN_ONCE);
	resolve_free(r);
	return st;
}

/**
 * resolve_free(r): free ${r}; the requests still waiting are dropped
 * without a call. A no-op for NULL.
 */
void
resolve_free(struct resolver *r)
{
	struct resolve_req *q;
	struct rsock *s;
	int i;

	if (r == NULL)
		return;
	if (r->ch != NULL)
		ares_destroy(r->ch); /* closes its sockets (on_sock_state) */
	while ((s = r->socks) != NULL) {
		r->socks = s->next;
		ev_io_stop(r->loop, &s->io);
		free(s);
	}
	for (i = 0; i < r->n; i++) {
		if (r->names[i].fixed != NULL)
			freeaddrinfo(r->names[i].fixed);
		free_addrs(r->names[i].answer);
	}
	if (r->ares)
		ares_library_cleanup();
	while ((q = r->waiting) != NULL || (q = r->ready) != NULL) {
		if (!unlink_req(&r->waiting, q))
			(void)unlink_req(&r->ready, q);
		free(q);
	}
	ev_timer_stop(r->loop, &r->tmo);
	ev_timer_stop(r->loop, &r->report);
	free(r);
}
