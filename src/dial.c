/*
 * dial.c: connecting to the addresses of a name, Happy Eyeballs style
 * (RFC 8305): the name looked up (resolve.c), then one attempt at a time,
 * the next after a refusal at once or after DIAL_DELAY, the first to
 * connect winning.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dial.h"
#include "log.h"
#include "net.h"
#include "path.h"
#include "resolve.h"

/* One connection attempt. */
struct attempt {
	struct dial *d;
	ev_io io;
	int fd; /* -1 when over */
	struct sockaddr_storage sa; /* the address */
	struct addrinfo ai; /* ... as path_connect() takes it */
	char addr[NET_ADDRSTRLEN];
};

struct dial {
	struct dial_conf c;
	struct resolve_req *lookup; /* while the name is looked up */
	struct attempt *at; /* one per address, families interleaved */
	const struct addrinfo **order; /* at[i].ai, for path_connect() */
	size_t n, next; /* addresses; the next to try */
	int live; /* attempts in flight */
	int err; /* the last error */
	int fd; /* the winner, once known */
	ev_timer delay; /* starts the next attempt */
	ev_timer report; /* calls done outside of dial_start() */
	dial_fn *done;
	void *arg;
	char who[NET_ADDRSTRLEN + 80];
	char won[NET_ADDRSTRLEN];
};

static void start_next(struct dial *d);

/* Attempt ${a} for the address ${ai}. */
static void
attempt_init(struct attempt *a, struct dial *d, const struct addrinfo *ai)
{
	a->d = d;
	a->fd = -1;
	a->ai.ai_family = ai->ai_family;
	a->ai.ai_socktype = ai->ai_socktype;
	a->ai.ai_protocol = ai->ai_protocol;
	a->ai.ai_addrlen = ai->ai_addrlen <= sizeof(a->sa) ? ai->ai_addrlen : 0;
	a->ai.ai_addr = (struct sockaddr *)&a->sa;
	memcpy(&a->sa, ai->ai_addr, a->ai.ai_addrlen);
	net_addr_str(ai->ai_addr, ai->ai_addrlen, a->addr, sizeof(a->addr));
}

/*
 * The addresses (copied) in the order RFC 8305 4 asks: families
 * alternating.
 */
static int
interleave(struct dial *d, const struct addrinfo *addrs)
{
	const struct addrinfo *ai;
	size_t n = 0, i, k, seen;
	int first = addrs != NULL ? addrs->ai_family : AF_INET6, f;

	for (ai = addrs; ai != NULL; ai = ai->ai_next)
		n++;
	if ((d->at = calloc(n + 1, sizeof(*d->at))) == NULL ||
	    (d->order = calloc(n + 1, sizeof(*d->order))) == NULL)
		return -1;
	/* The k-th of the first address's family, then of the other... */
	for (i = 0, k = 0; i < n; k++) {
		for (f = 0; f < 2; f++) {
			seen = 0;
			for (ai = addrs; ai != NULL; ai = ai->ai_next) {
				if ((ai->ai_family == first) != (f == 0))
					continue;
				if (seen++ == k) {
					d->order[i] = &d->at[i].ai;
					attempt_init(&d->at[i++], d, ai);
					break;
				}
			}
		}
	}
	d->n = n;
	return 0;
}

/* Close attempt ${a} if it is in flight. */
static void
give_up(struct attempt *a)
{
	if (a->fd == -1)
		return;
	ev_io_stop(a->d->c.loop, &a->io);
	close(a->fd);
	a->fd = -1;
	a->d->live--;
}

/* Done: every attempt over; tell the caller (from the event loop). */
static void
finish(struct dial *d)
{
	size_t i;

	ev_timer_stop(d->c.loop, &d->delay);
	for (i = 0; i < d->n; i++)
		if (d->at[i].fd != d->fd)
			give_up(&d->at[i]);
	ev_timer_set(&d->report, 0, 0);
	ev_timer_start(d->c.loop, &d->report);
}

static void
on_report(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct dial *d = w->data;

	(void)loop;
	(void)revents;
	d->done(d->arg, d->fd, d->won, d->err);
}

static void
on_attempt(struct ev_loop *loop, ev_io *w, int revents)
{
	struct attempt *a = w->data;
	struct dial *d = a->d;
	int err = 0;
	socklen_t len = sizeof(err);

	(void)loop;
	(void)revents;
	if (getsockopt(a->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
		err = errno;
	if (err == EINPROGRESS)
		return;
	if (err != 0) {
		/* The caller logs the outcome once; each attempt's is detail. */
		log_info(d->who, "connect to %s: %s", a->addr, strerror(err));
		d->err = err;
		give_up(a);
		ev_timer_stop(d->c.loop, &d->delay);
		start_next(d); /* a refusal moves on at once */
		return;
	}
	/* The first to connect wins; the others are closed. */
	ev_io_stop(d->c.loop, &a->io);
	d->fd = a->fd;
	a->fd = -1;
	d->live--;
	snprintf(d->won, sizeof(d->won), "%s", a->addr);
	finish(d);
}

static void
on_delay(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	start_next(w->data);
}

/* A socket for ${a} connecting without blocking, or -1 with errno. */
static int
attempt_socket(struct dial *d, const struct attempt *a)
{
	int fd, family = a->sa.ss_family;

	/* SCTP: every address offered, the attempt's first (multi-homing). */
	if (d->c.sctp)
		return path_connect(d->c.so, d->order, d->n, &a->ai, d->who);
	fd = socket(family,
	    (d->c.udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK |
	        SOCK_CLOEXEC,
	    0);
	if (fd == -1)
		return -1;
	if (connect(fd, a->ai.ai_addr, a->ai.ai_addrlen) != 0 &&
	    errno != EINPROGRESS) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* Start the next attempt (keeping those in flight), or end. */
static void
start_next(struct dial *d)
{
	struct attempt *a;

	while (d->next < d->n) {
		a = &d->at[d->next++];
		if ((a->fd = attempt_socket(d, a)) == -1) {
			d->err = errno;
			log_info(d->who, "connect to %s: %s", a->addr,
			    strerror(errno));
			continue;
		}
		if (d->live > 0)
			log_info(d->who, "trying %s as well", a->addr);
		if (d->c.trying != NULL)
			snprintf(d->c.trying, NET_ADDRSTRLEN, "%s", a->addr);
		d->live++;
		ev_io_init(&a->io, on_attempt, a->fd, EV_WRITE);
		a->io.data = a;
		ev_io_start(d->c.loop, &a->io);
		if (d->next < d->n) {
			ev_timer_set(&d->delay,
			    d->c.delay > 0 ? d->c.delay : DIAL_DELAY, 0);
			ev_timer_start(d->c.loop, &d->delay);
		}
		return;
	}
	if (d->live == 0)
		finish(d); /* every address failed */
}

/* A dial not yet started, or NULL (logged). */
static struct dial *
dial_new(const struct dial_conf *c, const char *who, dial_fn *done, void *arg)
{
	struct dial *d;

	if ((d = calloc(1, sizeof(*d))) == NULL) {
		log_err(who, "out of memory");
		return NULL;
	}
	d->c = *c;
	d->fd = -1;
	d->err = EHOSTUNREACH;
	d->done = done;
	d->arg = arg;
	snprintf(d->who, sizeof(d->who), "%s", who);
	ev_init(&d->delay, on_delay);
	d->delay.data = d;
	ev_init(&d->report, on_report);
	d->report.data = d;
	return d;
}

/**
 * dial_start(c, addrs, who, done, arg): start connecting to the addresses
 * ${addrs} (copied); ${done} is called once, never from within
 * dial_start(). Each failed attempt is logged with ${who} at info level:
 * the caller logs the outcome. NULL if out of memory (logged).
 */
struct dial *
dial_start(const struct dial_conf *c, const struct addrinfo *addrs,
    const char *who, dial_fn *done, void *arg)
{
	struct dial *d;

	if ((d = dial_new(c, who, done, arg)) == NULL)
		return NULL;
	if (interleave(d, addrs) != 0) {
		log_err(who, "out of memory");
		dial_free(d);
		return NULL;
	}
	start_next(d);
	return d;
}

/* The name's addresses came: connect to them. */
static void
on_resolved(void *arg, const struct addrinfo *addrs, const char *err)
{
	struct dial *d = arg;

	d->lookup = NULL;
	if (addrs == NULL) {
		log_warn(d->who, "no address to connect to: %s", err);
		d->err = ENXIO;
		finish(d);
		return;
	}
	if (interleave(d, addrs) != 0) {
		log_err(d->who, "out of memory");
		d->err = ENOMEM;
		finish(d);
		return;
	}
	start_next(d);
}

/**
 * dial_name(c, r, who, done, arg): as dial_start(), to the addresses the
 * resolver ${r} gives now (resolve.h: a host name is looked up without
 * blocking). A name without addresses ends with ${err} ENXIO.
 */
struct dial *
dial_name(const struct dial_conf *c, struct resolver *r, const char *who,
    dial_fn *done, void *arg)
{
	struct dial *d;

	if ((d = dial_new(c, who, done, arg)) == NULL)
		return NULL;
	if ((d->lookup = resolve_lookup(r, on_resolved, d)) == NULL) {
		dial_free(d);
		return NULL;
	}
	return d;
}

/**
 * dial_free(d): stop ${d}, closing the sockets of attempts in flight; a
 * no-op for NULL.
 */
void
dial_free(struct dial *d)
{
	size_t i;

	if (d == NULL)
		return;
	resolve_cancel(d->lookup);
	for (i = 0; i < d->n; i++)
		give_up(&d->at[i]);
	ev_timer_stop(d->c.loop, &d->delay);
	ev_timer_stop(d->c.loop, &d->report);
	free(d->order);
	free(d->at);
	free(d);
}
