/*
 * conn.c: the life of one connection: its near end (accepted) and far end
 * (made once the near one is open), the relay between them, the timers
 * (connect, handshake, idle, close), and the one teardown (conn.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls.h"
#include "conn.h"
#include "end_dtls.h"
#include "end_udp.h"
#include "log.h"
#include "relay.h"
#include "transcript.h"

#define QUIET 2.0 /* seconds without traffic before buffers go back */

/* What the connection's one timer is counting. */
enum timing { T_NONE, T_CONNECT, T_HANDSHAKE, T_IDLE, T_CLOSE };

struct conn {
	const struct conn_conf *cf;
	struct conn_owner owner;
	struct end *near, *far;
	struct end *sec; /* the DTLS/SCTP one of them */
	struct relay *relay; /* once both are open */
	ev_io io[2]; /* watching near, far */
	ev_timer timer; /* as c->timing says */
	ev_timer quiet; /* gives buffers back when nothing moves */
	ev_timer rekey; /* the next renegotiation, or one's timeout */
	ev_timer soon; /* the relay used its budget: again after a poll */
	enum timing timing;
	enum reason reason; /* why it ends, once known */
	unsigned closing : 1; /* a graceful close runs */
	unsigned secure : 1; /* the DTLS handshake completed */
	SSL_CTX *reask; /* reloaded during the handshake: rekey once done */
	unsigned long long moved; /* bytes both ways, when last looked */
	ev_tstamp started;
	char who[NET_ADDRSTRLEN + 80];
};

static void run(struct conn *c);

/* The renegotiations of the association, once its handshake is done. */
static struct rekey *
rekeying(const struct conn *c)
{
	return c->secure ? dtls_rekey(end_dtls_engine(c->sec)) : NULL;
}

/*
 * Wake for the next renegotiation due, or the running one's timeout; one
 * due that could not start (${retry}) is tried again a second later.
 */
static void
rekey_timer(struct conn *c, int retry)
{
	struct rekey *k = rekeying(c);
	double w = k != NULL ? rekey_wait(k) : -1;

	ev_timer_stop(c->cf->loop, &c->rekey);
	if (w < 0)
		return;
	ev_timer_set(&c->rekey, w == 0 && retry ? 1.0 : w, 0);
	ev_timer_start(c->cf->loop, &c->rekey);
}

/* Count ${t} now (restarting it if it was counting something else). */
static void
arm(struct conn *c, enum timing t)
{
	const struct conn_conf *cf = c->cf;
	double after = t == T_CONNECT ? cf->connect_timeout
	    : t == T_HANDSHAKE        ? cf->handshake_timeout
	    : t == T_IDLE             ? cf->idle_timeout
	    : t == T_CLOSE            ? cf->close_timeout
	                              : 0;

	if (t == c->timing)
		return;
	c->timing = t;
	ev_timer_stop(c->cf->loop, &c->timer);
	/* Also with 0: ev_timer_again() must not restart an old interval. */
	ev_timer_set(&c->timer, after, after);
	if (after > 0)
		ev_timer_start(c->cf->loop, &c->timer);
}

/* Watch one end's socket for what it waits for now. */
static void
watch_end(struct conn *c, int i, struct end *e)
{
	ev_io *w = &c->io[i];
	int fd = e != NULL ? end_fd(e) : -1, rd = 0, wr = 0, ev = 0, cur;

	if (fd != -1) {
		if (c->relay != NULL)
			relay_wants(c->relay, i, &rd, &wr);
		ev = end_events(e, rd, wr);
	}
	cur = ev_is_active(w) ? (w->events & (EV_READ | EV_WRITE)) : 0;
	if (cur == ev && (ev == 0 || w->fd == fd))
		return;
	ev_io_stop(c->cf->loop, w);
	if (ev != 0) {
		ev_io_set(w, fd, ev);
		ev_io_start(c->cf->loop, w);
	}
}

static void
watch(struct conn *c)
{
	watch_end(c, 0, c->near);
	watch_end(c, 1, c->far);
}

/*
 * The handshake completed: say so, once; with the association's address
 * lists if either side has several (single-homed, the log prefix and the
 * summary line give the addresses).
 */
static void
secured(struct conn *c)
{
	struct dtls *d = end_dtls_engine(c->sec);
	int multi = end_multihomed(c->sec);

	if (c->secure)
		return;
	c->secure = 1;
	dtls_log_handshake(
	    d, multi ? c->sec->laddrs : NULL, multi ? c->sec->paddrs : NULL);
	if (c->cf->transcript)
		transcript_accepted(c->near->addr, d);
	if (c->reask != NULL && rekeying(c) != NULL) {
		rekey_ask(rekeying(c), c->reask);
		rekey_timer(c, 0);
	}
	SSL_CTX_free(c->reask);
	c->reask = NULL;
	c->owner.report(c->owner.arg, c, CONN_SECURE);
}

/*
 * The backend is not there: the association is closed cleanly (what the
 * peer sends is discarded, close_notify goes out), not aborted.
 */
static int
backend_failed(struct conn *c, const char *why)
{
	struct end *none;

	if (c->cf->backend_abort) {
		log_warn(c->who, "backend %s: %s; aborting the association",
		    c->cf->backend, why);
		conn_close(c, R_BACKEND_UNREACHABLE);
		return -1;
	}
	log_warn(c->who, "backend %s: %s; closing the association",
	    c->cf->backend, why);
	if ((none = end_null_new(c->who)) == NULL) {
		conn_close(c, R_NOMEM);
		return -1;
	}
	end_close(c->far, 1);
	c->far = none;
	c->reason = R_BACKEND_UNAVAILABLE;
	c->closing = 1;
	arm(c, T_CLOSE);
	return 0;
}

static void
on_wake(void *arg)
{
	run(arg);
}

/* Make the far end. 0, or -1 if ${c} is gone. */
static int
make_far(struct conn *c)
{
	struct end_owner o = {on_wake, c};

	if ((c->far = c->owner.far(c->owner.arg, c, &o)) != NULL) {
		if (c->cf->dtls_near)
			c->sec = c->sec != NULL ? c->sec : c->near;
		else
			c->sec = c->far;
		return 0;
	}
	if (!c->cf->dtls_near) {
		conn_close(c, R_NOMEM);
		return -1;
	}
	if ((c->far = end_null_new(c->who)) == NULL) {
		conn_close(c, R_NOMEM);
		return -1;
	}
	return backend_failed(c, "no address could be connected to") == 0 ? 0
	                                                                  : -1;
}

/*
 * Open ${e} as far as it goes now: 1 open, 0 wait, -1 if ${c} is gone.
 * A plaintext backend that cannot be reached becomes the null end.
 */
static int
open_end(struct conn *c, struct end *e)
{
	char why[32];
	int r = end_open(e);

	if (r > 0) {
		if (e == c->sec)
			secured(c);
		return 1;
	}
	if (r == 0) {
		arm(c, e->phase == END_CONNECTING ? T_CONNECT : T_HANDSHAKE);
		return 0;
	}
	if (e == c->sec) {
		conn_close(c, e->why);
		return -1;
	}
	snprintf(
	    why, sizeof(why), "%s", e->err != 0 ? strerror(e->err) : "failed");
	return backend_failed(c, why) == 0 ? 1 : -1;
}

/* Relaying: timers by the state it is in. 0, or -1 if ${c} is gone. */
static int
relay(struct conn *c)
{
	struct relay_stats st;
	enum reason why = R_NONE;
	unsigned long long moved;
	int r;

	if (c->relay == NULL &&
	    (c->relay = relay_new(c->near, c->far, c->who)) == NULL) {
		conn_close(c, R_NOMEM);
		return -1;
	}
	if ((r = relay_run(c->relay, &why)) == RELAY_MORE) {
		/* Again once the loop has polled: others have their turn. */
		if (!ev_is_active(&c->soon))
			ev_timer_start(c->cf->loop, &c->soon);
		r = 0;
	}
	if (r != 0) {
		conn_close(c,
		    r < 0                     ? why
		        : c->reason != R_NONE ? c->reason
		                              : R_CLOSED);
		return -1;
	}
	/* Half-closed: what is left must move within close_timeout. */
	if (relay_ended(c->relay, RELAY_AB) || relay_ended(c->relay, RELAY_BA))
		c->closing = 1;
	arm(c, c->closing ? T_CLOSE : T_IDLE);
	relay_stats(c->relay, &st);
	moved = st.bytes[0] + st.bytes[1];
	if (moved != c->moved) {
		c->moved = moved;
		if (c->timing == T_IDLE)
			ev_timer_again(c->cf->loop, &c->timer);
		ev_timer_again(c->cf->loop, &c->quiet);
	}
	return 0;
}

/* Move ${c} on as far as it can go now, then wait. */
static void
run(struct conn *c)
{
	int r;

	if ((r = open_end(c, c->near)) < 0)
		return;
	if (r > 0 && c->far == NULL && make_far(c) != 0)
		return;
	if (r > 0 && (r = open_end(c, c->far)) < 0)
		return;
	if (r > 0 && relay(c) != 0)
		return;
	if (rekeying(c) != NULL && rekey_dirty(rekeying(c)))
		rekey_timer(c, 0);
	watch(c);
}

static void
on_soon(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	run(w->data);
}

static void
on_io(struct ev_loop *loop, ev_io *w, int revents)
{
	struct conn *c = w->data;
	struct end *e = w == &c->io[0] ? c->near : c->far;

	(void)loop;
	if ((revents & EV_READ) && e != NULL)
		end_readable(e);
	run(c);
}

/* Stop taking input from the plaintext side and close gracefully. */
static void
begin_close(struct conn *c, enum reason why)
{
	if (c->reason == R_NONE)
		c->reason = why;
	c->closing = 1;
	if (c->relay != NULL)
		relay_stop(c->relay, c->sec == c->far ? RELAY_AB : RELAY_BA);
	arm(c, T_CLOSE);
	run(c);
}

static void
on_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct conn *c = w->data;
	struct end *e =
	    c->far != NULL && c->far->phase != END_OPEN ? c->far : c->near;
	char why[200];

	(void)loop;
	(void)revents;
	switch (c->timing) {
	case T_CONNECT:
		if (e != c->sec) {
			if (backend_failed(c, "connect timed out") == 0)
				run(c);
			return;
		}
		log_warn(c->who, "connect to %s timed out", e->addr);
		conn_close(c, R_PEER_UNREACHABLE);
		return;
	case T_HANDSHAKE:
		log_warn(c->who, "DTLS handshake timed out%s",
		    dtls_stall_reason(
		        end_dtls_engine(c->sec), why, sizeof(why)));
		conn_close(c, R_HANDSHAKE_TIMEOUT);
		return;
	case T_IDLE:
		begin_close(c, R_IDLE_TIMEOUT);
		return;
	default:
		log_warn(c->who, "graceful close timed out");
		conn_close(c, R_CLOSE_TIMEOUT);
		return;
	}
}

static void
on_rekey(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct conn *c = w->data;

	(void)loop;
	(void)revents;
	if (dtls_rekey_tick(end_dtls_engine(c->sec)) != 0) {
		conn_close(c,
		    rekey_fault(rekeying(c)) == REKEY_FAILED ? R_REKEY_FAILED
		                                             : R_REKEY_REFUSED);
		return;
	}
	rekey_timer(c, 1);
	run(c);
}

static void
on_quiet(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct conn *c = w->data;

	(void)revents;
	ev_timer_stop(loop, w);
	if (c->relay != NULL)
		relay_release(c->relay);
	end_release(c->near);
	if (c->far != NULL)
		end_release(c->far);
}

/**
 * conn_new(cf, owner, service, near): a connection of ${service} (its name,
 * for logs) for the accepted end ${near} (now owned); conn_start() sets it
 * going. ${cf} must outlive it. NULL on failure (logged; ${near} aborted).
 */
struct conn *
conn_new(const struct conn_conf *cf, const struct conn_owner *owner,
    const char *service, struct end *near)
{
	struct conn *c;
	int i;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		log_err(service, "%s: out of memory", near->addr);
		end_close(near, 1);
		return NULL;
	}
	c->cf = cf;
	c->owner = *owner;
	c->near = near;
	c->sec = cf->dtls_near ? near : NULL;
	c->started = ev_now(cf->loop);
	snprintf(c->who, sizeof(c->who), "%s: %s", service, near->addr);
	for (i = 0; i < 2; i++) {
		ev_init(&c->io[i], on_io);
		c->io[i].data = c;
	}
	ev_init(&c->timer, on_timer);
	c->timer.data = c;
	ev_init(&c->rekey, on_rekey);
	c->rekey.data = c;
	ev_init(&c->quiet, on_quiet);
	c->quiet.repeat = QUIET;
	c->quiet.data = c;
	ev_timer_init(&c->soon, on_soon, 0., 0.);
	c->soon.data = c;
	return c;
}

/**
 * conn_start(c): set ${c} going: its near end opens, then its far end is
 * made. It may end (and report CONN_CLOSED) before this returns.
 */
void
conn_start(struct conn *c)
{
	run(c);
}

/** conn_stats(c, st): what ${c} moved so far, into ${st}. */
void
conn_stats(const struct conn *c, struct conn_stats *st)
{
	struct dtls *d = c->sec != NULL ? end_dtls_engine(c->sec) : NULL;
	int up = c->sec == c->far ? RELAY_AB : RELAY_BA;
	struct relay_stats rs;
	struct dtls_stats ds;

	memset(st, 0, sizeof(*st));
	if (c->relay != NULL) {
		relay_stats(c->relay, &rs);
		st->up = rs.bytes[up];
		st->down = rs.bytes[!up];
		st->units_up = rs.units[up];
		st->units_down = rs.units[!up];
	}
	st->dropped = c->near->dropped + (c->far != NULL ? c->far->dropped : 0);
	st->paths = c->near->paths + (c->far != NULL ? c->far->paths : 0);
	if (d != NULL) {
		dtls_stats(d, &ds);
		st->discarded = ds.stale + ds.discarded;
		st->keys = ds.keys;
		memcpy(st->rekeys, ds.rekeys_by, sizeof(st->rekeys));
		st->verify_failed = ds.verify_failed;
		st->alert = ds.alert;
		st->resumed = c->secure && dtls_resumed(d);
	}
	st->secure = c->secure;
	st->seconds = ev_now(c->cf->loop) - c->started;
}

/*
 * The address ${e} (the end this side connected) has on this host: what
 * the other end of the tunnel logs as its client (a multi-homed SCTP
 * association's list). "-" if none.
 */
static const char *
local_addr(struct end *e, char *buf, size_t size)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int fd = e != NULL ? end_fd(e) : -1;

	if (e != NULL && e->laddrs != NULL && strchr(e->laddrs, ',') != NULL)
		return e->laddrs;
	if (fd == -1 || getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		return "-";
	return net_addr_str((struct sockaddr *)&ss, len, buf, size);
}

/**
 * conn_close(c, reason): the one teardown: stop every watcher, abort the
 * ends (SCTP ABORT, TCP RST) or close them gracefully as ${reason} says
 * (reason.c), log the summary line, report CONN_CLOSED, free ${c}.
 */
void
conn_close(struct conn *c, enum reason reason)
{
	struct dtls *d = c->sec != NULL ? end_dtls_engine(c->sec) : NULL;
	int abort = reason_aborts(reason), level = reason_level(reason);
	struct conn_stats st;
	char subject[512] = "-", local[NET_ADDRSTRLEN];

	c->reason = reason;
	ev_io_stop(c->cf->loop, &c->io[0]);
	ev_io_stop(c->cf->loop, &c->io[1]);
	ev_timer_stop(c->cf->loop, &c->timer);
	ev_timer_stop(c->cf->loop, &c->quiet);
	ev_timer_stop(c->cf->loop, &c->rekey);
	ev_timer_stop(c->cf->loop, &c->soon);
	conn_stats(c, &st);
	/* The association's addresses now (a failover moves the primary). */
	end_addrs_refresh(c->near);
	end_addrs_refresh(c->far);
	if (d != NULL && log_enabled(level))
		dtls_peer_name(d, subject, sizeof(subject));
	log_msg(level, c->who,
	    "closed (%s): client %s, server %s, local %s, peer %s, %llu bytes "
	    "up, %llu bytes down, %llu messages up, %llu messages down, %lu "
	    "datagrams dropped, %lu records discarded, %lu path changes, "
	    "%.3fs",
	    reason_text(reason), end_peer(c->near),
	    c->far != NULL && c->far->addr[0] ? end_peer(c->far) : "-",
	    local_addr(c->far, local, sizeof(local)), subject, st.up, st.down,
	    st.units_up, st.units_down, st.dropped, st.discarded, st.paths,
	    st.seconds);
	if (c->cf->transcript)
		transcript_server_closed(reason_text(reason));
	c->owner.report(c->owner.arg, c, CONN_CLOSED);
	relay_free(c->relay);
	end_close(c->near, abort);
	end_close(c->far, abort);
	SSL_CTX_free(c->reask);
	free(c);
}

/**
 * conn_push(c, buf, len): a datagram of ${len} bytes at ${buf} for the
 * UDP flow ${c}: queued on its near end and relayed. 0, or -1 if dropped
 * (counted by the end).
 */
int
conn_push(struct conn *c, const uint8_t *buf, size_t len)
{
	if (end_udp_push(c->near, buf, len) != 0)
		return -1;
	if (c->relay != NULL)
		run(c);
	return 0;
}

/**
 * conn_near(c): the near end of ${c} (the one its client opened), for its
 * owner to read (UDP flows: the client's address; dropping counts).
 */
struct end *
conn_near(struct conn *c)
{
	return c->near;
}

/** conn_reason(c): why ${c} ends (R_NONE while it does not). */
enum reason
conn_reason(const struct conn *c)
{
	return c->reason;
}

/**
 * conn_session(c): the session of ${c}'s completed handshake if it can be
 * resumed (a reference for the caller), or NULL.
 */
SSL_SESSION *
conn_session(const struct conn *c)
{
	struct dtls *d = c->sec != NULL ? end_dtls_engine(c->sec) : NULL;

	return d != NULL && c->secure ? dtls_session_get(d) : NULL;
}

/**
 * conn_offered(c): the session ${c} offered to resume (compare only), or
 * NULL.
 */
const SSL_SESSION *
conn_offered(const struct conn *c)
{
	return c->sec != NULL ? end_dtls_offered(c->sec) : NULL;
}

/**
 * conn_rekey(c, ctx): ${c}'s association renegotiates soon, presenting and
 * verifying the certificates of ${ctx} (a reloaded service's); one whose
 * handshake (with the old certificates) has not completed yet, once it has.
 */
void
conn_rekey(struct conn *c, SSL_CTX *ctx)
{
	struct rekey *k = rekeying(c);

	if (k == NULL) {
		/* No handshake completed yet (or none at all): it runs with
		 * the old context, so the new one waits for its end. */
		if (ctx != NULL && SSL_CTX_up_ref(ctx) == 1) {
			SSL_CTX_free(c->reask);
			c->reask = ctx;
		}
		return;
	}
	rekey_ask(k, ctx);
	rekey_timer(c, 0);
}

/** conn_who(c): the log prefix of ${c} ("service: client"). */
const char *
conn_who(const struct conn *c)
{
	return c->who;
}

/**
 * conn_state(c): what ${c} is doing, for a listing: "connecting",
 * "handshake", "relaying", "closing" or "opening".
 */
const char *
conn_state(const struct conn *c)
{
	if (c->closing || c->timing == T_CLOSE)
		return "closing";
	switch (c->timing) {
	case T_CONNECT:
		return "connecting";
	case T_HANDSHAKE:
		return "handshake";
	case T_IDLE:
		return "relaying";
	default:
		return c->relay != NULL ? "relaying" : "opening";
	}
}

/**
 * conn_describe(c, cipher, subject, size): ${c}'s cipher suite and peer
 * certificate subject (each "-" if none yet) into the two buffers of
 * ${size} bytes; returns the SCTP-AUTH key in use, or -1.
 */
int
conn_describe(const struct conn *c, char *cipher, char *subject, size_t size)
{
	struct dtls *d = c->sec != NULL ? end_dtls_engine(c->sec) : NULL;

	snprintf(cipher, size, "-");
	snprintf(subject, size, "-");
	if (d == NULL || !c->secure)
		return -1;
	snprintf(cipher, size, "%s", dtls_cipher(d));
	(void)dtls_peer_name(d, subject, size);
	return dtls_key_active(d);
}

/**
 * conn_paths(c, out, max): the SCTP paths of ${c}'s DTLS/SCTP association
 * (path_states()), at most ${max}; how many (0 if none yet).
 */
int
conn_paths(const struct conn *c, struct path_info *out, int max)
{
	int n = c->sec != NULL ? path_states(end_fd(c->sec), out, max) : -1;

	return n < 0 ? 0 : n;
}
