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

struct resolver {
	struct ev_loop *loop;
	char host[256];
	char port[32];
	int socktype, proto;
	char who[NET_ADDRSTRLEN + 80];
	struct addrinfo *fixed; /* a numeric host's (getaddrinfo) */
	struct addrinfo *answer; /* a name's last answer, or NULL */
	ev_tstamp expires; /* ... used until then */
	char err[128]; /* why the last lookup failed, or "" */
	ares_channel ch; /* NULL for a numeric host */
	struct stat conf; /* RESOLV_CONF when the channel was made */
	struct rsock *socks;
	ev_timer tmo; /* c-ares's next timeout */
	ev_timer report; /* answers the requests in ready */
	struct resolve_req *waiting; /* for the query in flight */
	struct resolve_req *ready; /* to be answered */
	int busy; /* a query is in flight */
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

/* Log what a successful lookup changed. */
static void
log_answer(struct resolver *r, const struct addrinfo *fresh, int ttl)
{
	char a[NET_ADDRSTRLEN];

	net_addr_str(fresh->ai_addr, fresh->ai_addrlen, a, sizeof(a));
	if (r->err[0] != '\0')
		log_notice(r->who, "%s resolves again: %s first, TTL %ds",
		    r->host, a, ttl);
	else if (r->answer != NULL && !same_addrs(r->answer, fresh))
		log_info(r->who, "%s has new addresses: %s first, TTL %ds",
		    r->host, a, ttl);
	else
		log_debug(r->who, "%s: %s first, TTL %ds", r->host, a, ttl);
}

/* The lookup failed with ${status}: stale addresses, or none. */
static void
failed(struct resolver *r, int status)
{
	const char *why = ares_strerror(status);
	int away = status == ARES_ETIMEOUT || status == ARES_ESERVFAIL ||
	    status == ARES_ECONNREFUSED;

	if (away && r->answer != NULL) {
		log_warn(r->who,
		    "%s: the name servers do not answer (%s): its last "
		    "addresses are used for %.0fs more",
		    r->host, why, RESOLVE_STALE);
		r->expires = ev_now(r->loop) + RESOLVE_STALE;
		return;
	}
	if (strcmp(r->err, why) != 0)
		log_warn(r->who,
		    "%s does not resolve: %s; the service runs on and looks "
		    "it up again for each connection",
		    r->host, why);
	else
		log_debug(r->who, "%s does not resolve: %s", r->host, why);
	snprintf(r->err, sizeof(r->err), "%s", why);
	free_addrs(r->answer);
	r->answer = NULL;
}

static void
on_answer(void *arg, int status, int timeouts, struct ares_addrinfo *res)
{
	struct resolver *r = arg;
	struct addrinfo *fresh = NULL;
	int ttl = 0;

	(void)timeouts;
	if (status == ARES_EDESTRUCTION)
		return; /* resolve_free(): r is going */
	r->busy = 0;
	if (status == ARES_SUCCESS &&
	    (res == NULL || (fresh = copy_addrs(r, res, &ttl)) == NULL))
		status = res == NULL || res->nodes == NULL ? ARES_ENODATA
		                                           : ARES_ENOMEM;
	ares_freeaddrinfo(res);
	if (status != ARES_SUCCESS) {
		failed(r, status);
	} else {
		log_answer(r, fresh, ttl);
		free_addrs(r->answer);
		r->answer = fresh;
		r->expires = ev_now(r->loop) + ttl;
		r->err[0] = '\0';
	}
	answer_waiting(r);
}

/* Ask c-ares for the addresses of ${r}'s name. */
static void
query(struct resolver *r)
{
	struct ares_addrinfo_hints h;

	if (r->busy)
		return;
	if (r->ch != NULL)
		channel_fresh(r);
	if (r->ch == NULL && channel_new(r) != 0) {
		snprintf(r->err, sizeof(r->err), "c-ares is not available");
		answer_waiting(r);
		return;
	}
	memset(&h, 0, sizeof(h));
	h.ai_family = AF_UNSPEC;
	h.ai_socktype = r->socktype;
	h.ai_protocol = r->proto;
	r->busy = 1;
	ares_getaddrinfo(r->ch, r->host, r->port, &h, on_answer, r);
	arm(r);
}

static void
on_report(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct resolver *r = w->data;
	struct resolve_req *q;
	const struct addrinfo *addrs = r->fixed != NULL ? r->fixed : r->answer;

	(void)loop;
	(void)revents;
	while ((q = r->ready) != NULL) {
		r->ready = q->next;
		q->done(q->arg, addrs, addrs != NULL ? NULL : r->err);
		free(q);
	}
}

/* ${host} as a numeric address into r->fixed: 0, 1 if a name, or -1. */
static int
numeric(struct resolver *r, const char *host)
{
	struct addrinfo hints;
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = r->socktype;
	hints.ai_protocol = r->proto;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	rc = getaddrinfo(host, r->port, &hints, &r->fixed);
	if (rc == 0)
		return 0;
	r->fixed = NULL;
	if (rc == EAI_NONAME && strchr(host, ':') == NULL)
		return 1;
	log_err(r->who, "bad address %s port %s: %s", host, r->port,
	    gai_strerror(rc));
	return -1;
}

/**
 * resolve_new(loop, host, port, socktype, proto, who): the addresses of
 * ${host} (an IPv4 or IPv6 address, "%scope" allowed, or a DNS name) and
 * the numeric ${port}, for sockets of ${socktype} and ${proto}. A name is
 * looked up at once, so that one that does not resolve is reported (a
 * warning with ${who}: the service runs on and tries again for each
 * connection). NULL if out of memory or ${host} is a bad address (logged).
 */
struct resolver *
resolve_new(struct ev_loop *loop, const char *host, const char *port,
    int socktype, int proto, const char *who)
{
	struct resolver *r;
	int rc;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		log_err(who, "out of memory");
		return NULL;
	}
	r->loop = loop;
	r->socktype = socktype;
	r->proto = proto;
	snprintf(r->host, sizeof(r->host), "%s", host);
	snprintf(r->port, sizeof(r->port), "%s", port);
	snprintf(r->who, sizeof(r->who), "%s", who != NULL ? who : "-");
	ev_init(&r->tmo, on_tmo);
	r->tmo.data = r;
	ev_init(&r->report, on_report);
	r->report.data = r;
	if ((rc = numeric(r, host)) < 0 ||
	    (rc > 0 && ares_library_init(ARES_LIB_INIT_ALL) != ARES_SUCCESS)) {
		free(r);
		return NULL;
	}
	if (rc > 0)
		query(r);
	return r;
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
	if (r->fixed != NULL ||
	    (r->answer != NULL && ev_now(r->loop) < r->expires))
		answer_waiting(r);
	else
		query(r);
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
 * resolve_check(loop, host, port, socktype, proto, who): look ${host} up
 * as a connection would, running ${loop} until the answer came: 0 if it
 * has addresses, -1 if not (a warning logged with ${who}).
 */
int
resolve_check(struct ev_loop *loop, const char *host, const char *port,
    int socktype, int proto, const char *who)
{
	struct resolver *r;
	struct resolve_req *q;
	int st = 1;

	if ((r = resolve_new(loop, host, port, socktype, proto, who)) == NULL)
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

	if (r == NULL)
		return;
	if (r->ch != NULL)
		ares_destroy(r->ch); /* closes its sockets (on_sock_state) */
	while ((s = r->socks) != NULL) {
		r->socks = s->next;
		ev_io_stop(r->loop, &s->io);
		free(s);
	}
	if (r->fixed != NULL)
		freeaddrinfo(r->fixed);
	else
		ares_library_cleanup();
	while ((q = r->waiting) != NULL || (q = r->ready) != NULL) {
		if (!unlink_req(&r->waiting, q))
			(void)unlink_req(&r->ready, q);
		free(q);
	}
	ev_timer_stop(r->loop, &r->tmo);
	ev_timer_stop(r->loop, &r->report);
	free_addrs(r->answer);
	free(r);
}
