/*
 * end_dtls.c: the DTLS/SCTP association as an end of a connection (end.h):
 * connecting, the handshake, records in and out, close_notify.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tls.h"
#include "dial.h"
#include "end_dtls.h"
#include "log.h"
#include "path.h"

struct dtls_end {
	struct end e;
	struct end_dtls_conf c;
	struct dial *dial; /* while connecting */
	struct dtls *d;
	int fd;
	unsigned outstreams; /* negotiated, once up */
	enum reason gone; /* the association was lost or restarted */
	unsigned server : 1;
	unsigned offered : 1; /* a session was offered */
};

/*
 * Can the association carry our application data's stream? A peer may
 * grant fewer outbound streams than we asked for: fail now, saying so,
 * rather than with a bare EINVAL once data moves.
 */
static int
streams_ok(struct dtls_end *t)
{
	unsigned in, out, want = t->c.dp.app.stream;

	if (sctp_streams(t->fd, &in, &out) != 0) {
		log_err(t->e.who, "SCTP_STATUS: %s", strerror(errno));
		return 0;
	}
	log_debug(t->e.who, "streams: %u inbound, %u outbound", in, out);
	t->outstreams = out;
	if (want < out)
		return 1;
	log_err(t->e.who,
	    "the association has %u outbound streams (what the peer "
	    "accepts): stream = %u needs %u",
	    out, want, want + 1);
	return 0;
}

/*
 * The engine failed: ${why}, unless a renegotiation ended it, the
 * association was lost or restarted, or the peer aborted it.
 */
static int
io_failed(struct end *e, enum reason why)
{
	struct dtls_end *t = (struct dtls_end *)e;
	struct rekey *k = t->d != NULL ? dtls_rekey(t->d) : NULL;
	int f = k != NULL ? rekey_fault(k) : 0;

	if (f != 0)
		return end_fail(
		    e, f == REKEY_FAILED ? R_REKEY_FAILED : R_REKEY_REFUSED);
	if (t->gone != R_NONE)
		return end_fail(e, t->gone);
	return end_fail(
	    e, t->d != NULL && dtls_aborted(t->d) ? R_PEER_ABORTED : why);
}

/*
 * The DTLS/SCTP peer aborted the association as it accepted it, before
 * answering our ClientHello: it refused us (max_conns, max_handshakes?).
 */
static void
turned_away(struct dtls_end *t)
{
	log_warn(t->e.who,
	    "DTLS/SCTP peer %s aborted the association as it accepted it (is "
	    "it at its max_conns or max_handshakes?)",
	    t->e.addr);
	t->gone = R_PEER_TURNED_AWAY;
}

/*
 * The peer aborted the association during the DTLS handshake, after
 * answering us: most often its handshake_timeout ran out first, so say
 * what the handshake was waiting for, as the timeout would have.
 */
static void
aborted_in_handshake(struct dtls_end *t)
{
	char why[256];

	log_warn(t->e.who,
	    "association aborted by the peer during the DTLS handshake%s",
	    dtls_stall_reason(t->d, why, sizeof(why)));
	t->gone = R_HANDSHAKE_FAILED;
}

/*
 * An SCTP notification (dtls_params.event): a path change, counted; the
 * association lost (the peer aborted it or stopped answering) or
 * restarted by the peer: logged here, the engine stops (dtls.c).
 */
static void
on_event(void *arg, const struct sctp_notif *n)
{
	struct dtls_end *t = arg;
	int err = 0;
	socklen_t len = sizeof(err);

	if (path_event(t->fd, n, t->c.so->tune, t->e.who)) {
		t->e.paths++;
		end_addrs_refresh(&t->e); /* the primary may have moved */
	} else if (n->assoc_state == SCTP_RESTART && t->gone == R_NONE) {
		log_notice(t->e.who,
		    "the peer restarted the association: its DTLS state is "
		    "gone; closing");
		t->gone = R_PEER_RESTARTED;
	} else if (n->assoc_state == SCTP_COMM_LOST && t->gone == R_NONE) {
		/* Why: ECONNRESET (an ABORT) or ETIMEDOUT (silence). */
		if (!n->peer_abort &&
		    (getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 ||
		        err != ECONNRESET)) {
			log_notice(t->e.who,
			    "association lost: the peer stopped answering on "
			    "every path");
			t->gone = R_PEER_LOST;
		} else if (t->d != NULL && dtls_unanswered(t->d)) {
			turned_away(t);
		} else if (t->d != NULL && t->e.phase == END_HANDSHAKING) {
			aborted_in_handshake(t);
		} else {
			log_notice(t->e.who, "association aborted by the peer");
			t->gone = R_PEER_ABORTED;
		}
	}
}

/* The association on t->fd is up: the engine on it. 0, or END_ERR. */
static int
engine(struct dtls_end *t, enum reason refused)
{
	path_up(t->fd, t->c.so->tune, !t->server, t->e.who);
	end_set_addrs(&t->e, path_list(t->fd, 1), path_list(t->fd, 0));
	if (sctp_sock_up(t->fd, t->c.so->tune, t->e.who) != 0 ||
	    !streams_ok(t) ||
	    (t->d = dtls_new(t->c.ctx, t->fd, t->server, &t->c.dp, t->e.who)) ==
	        NULL)
		return end_fail(&t->e, refused);
	dtls_batch(t->d, 1); /* records leave at dtls_fl() */
	if (!t->server && t->c.offer != NULL &&
	    dtls_session_offer(t->d, t->c.offer) == 0) {
		t->offered = 1;
		log_debug(t->e.who, "offering the last session for resumption");
	}
	t->e.phase = END_HANDSHAKING;
	return 0;
}

static int
dtls_open(struct end *e)
{
	struct dtls_end *t = (struct dtls_end *)e;
	int r;

	if (e->why != R_NONE)
		return END_ERR;
	if (e->phase == END_CONNECTING)
		return 0;
	if (t->d == NULL && engine(t, R_REFUSED) != 0)
		return END_ERR;
	r = dtls_handshake(t->d);
	if (r == 1) {
		e->phase = END_OPEN;
		return 1;
	}
	return r == DTLS_AGAIN ? 0 : io_failed(e, R_HANDSHAKE_FAILED);
}

static ssize_t
dtls_rd(struct end *e, uint8_t *buf, size_t cap, struct unit_meta *m)
{
	ssize_t n = dtls_read(((struct dtls_end *)e)->d, buf, cap, m);

	if (n >= 0)
		return n;
	if (n == DTLS_EOF)
		return END_EOF;
	return n == DTLS_AGAIN ? END_AGAIN : io_failed(e, R_DTLS_READ);
}

static ssize_t
dtls_wr(
    struct end *e, const uint8_t *buf, size_t len, const struct unit_meta *m)
{
	struct dtls_end *t = (struct dtls_end *)e;
	ssize_t n;

	if (len == 0) {
		/* Stock OpenSSL cannot send an empty record. */
		e->dropped++;
		log_debug(e->who,
		    "an empty datagram cannot be carried in a "
		    "DTLS record: dropped");
		return END_DROPPED;
	}
	if (m->set && m->stream >= t->outstreams) {
		log_warn(e->who,
		    "a message on stream %u, but the DTLS/SCTP association has "
		    "%u outbound streams; aborting",
		    m->stream, t->outstreams);
		return end_fail(e, R_NO_STREAM);
	}
	n = dtls_write(t->d, buf, len, m->set ? m : NULL);
	if (n >= 0)
		return n;
	return n == DTLS_AGAIN ? END_AGAIN : io_failed(e, R_DTLS_WRITE);
}

static int
dtls_fin(struct end *e)
{
	int r = dtls_shutdown(((struct dtls_end *)e)->d);

	if (r == 1)
		return 1;
	return r == DTLS_AGAIN ? END_AGAIN : io_failed(e, R_CLOSE_NOTIFY);
}

static int
dtls_fl(struct end *e)
{
	struct dtls_end *t = (struct dtls_end *)e;
	int r = t->d != NULL ? dtls_flush(t->d) : 1;

	if (r == 1)
		return 1;
	return r == DTLS_AGAIN ? END_AGAIN : io_failed(e, R_DTLS_WRITE);
}

static int
dtls_events(const struct end *e, int rd, int wr)
{
	const struct dtls_end *t = (const struct dtls_end *)e;
	int out = t->d != NULL && dtls_want_write(t->d), ev, held;

	if (e->phase == END_CONNECTING)
		return 0; /* dial.c watches the attempts */
	if (e->phase == END_HANDSHAKING)
		return EV_READ | (out ? EV_WRITE : 0);
	ev = rd ? EV_READ : 0;
	/*
	 * A write waits for room, or for sender-dry or a renegotiation (read
	 * events), unless for the record read meanwhile to be taken.
	 */
	held = dtls_rekey(t->d) != NULL && rekey_holding(dtls_rekey(t->d));
	if (wr)
		ev |= out ? EV_WRITE : held ? 0 : EV_READ;
	return ev | (out ? EV_WRITE : 0);
}

static int
dtls_fd(const struct end *e)
{
	return ((const struct dtls_end *)e)->fd;
}

static void
dtls_rel(struct end *e)
{
	struct dtls_end *t = (struct dtls_end *)e;

	if (t->d != NULL)
		dtls_release(t->d);
}

static void
dtls_rdbl(struct end *e)
{
	struct dtls_end *t = (struct dtls_end *)e;

	if (t->d != NULL)
		dtls_readable(t->d);
}

static void
dtls_close(struct end *e, int abort)
{
	struct dtls_end *t = (struct dtls_end *)e;

	dial_free(t->dial);
	dtls_free(t->d);
	if (t->fd != -1) {
		if (abort)
			end_abort_fd(t->fd);
		else
			close(t->fd);
	}
	tls_session_free(t->c.offer);
	free(t);
}

static const struct end_ops dtls_ops = {
    .kind = "DTLS/SCTP",
    .open = dtls_open,
    .read = dtls_rd,
    .write = dtls_wr,
    .finish = dtls_fin,
    .events = dtls_events,
    .fd = dtls_fd,
    .release = dtls_rel,
    .close = dtls_close,
    .readable = dtls_rdbl,
    .flush = dtls_fl,
};

static struct dtls_end *
dtls_end_new(const struct end_dtls_conf *c, int server, const char *who,
    const struct end_owner *owner)
{
	struct dtls_end *t;

	if ((t = calloc(1, sizeof(*t))) == NULL) {
		log_err(who, "out of memory");
		return NULL;
	}
	end_init(&t->e, &dtls_ops, who, owner);
	t->c = *c;
	t->c.dp.event = on_event;
	t->c.dp.event_arg = t;
	tls_session_hold(t->c.offer);
	t->server = server;
	t->fd = -1;
	return t;
}

/**
 * end_dtls_accepted(fd, c, who, addr, owner): the server end of the
 * accepted association ${fd} (now owned) with the peer ${addr} (as accept()
 * gave it); its handshake starts when it is first opened. NULL if out of
 * memory (logged; the association aborted).
 */
struct end *
end_dtls_accepted(int fd, const struct end_dtls_conf *c, const char *who,
    const char *addr, const struct end_owner *owner)
{
	struct dtls_end *t;

	if ((t = dtls_end_new(c, 1, who, owner)) == NULL) {
		end_abort_fd(fd);
		return NULL;
	}
	t->fd = fd;
	snprintf(t->e.addr, sizeof(t->e.addr), "%s", addr);
	t->e.phase = END_HANDSHAKING;
	return &t->e;
}

static void
on_dialed(void *arg, int fd, const char *addr, int err)
{
	struct dtls_end *t = arg;

	dial_free(t->dial);
	t->dial = NULL;
	t->e.err = err;
	if (fd == -1 && err == ECONNRESET) {
		/* Up, then an ABORT: refused (max_conns, max_handshakes?). */
		turned_away(t);
		end_fail(&t->e, t->gone);
	} else if (fd == -1) {
		if (err != ENXIO) /* no address: dial.c said why */
			log_warn(t->e.who, "DTLS/SCTP peer %s: %s", t->e.addr,
			    strerror(err));
		end_fail(&t->e, R_PEER_UNREACHABLE);
	} else {
		t->fd = fd;
		snprintf(t->e.addr, sizeof(t->e.addr), "%s", addr);
		(void)engine(t, R_PEER_REFUSED);
	}
	t->e.owner.wake(t->e.owner.arg);
}

/**
 * end_dtls_connect(c, who, owner): the client end of an association to
 * the addresses of c->dst (which must outlive it; resolve.h), connecting
 * now. NULL if
 * out of memory (logged).
 */
struct end *
end_dtls_connect(const struct end_dtls_conf *c, const char *who,
    const struct end_owner *owner)
{
	struct dial_conf dc = {c->loop, 1, c->so, 0, NULL, 0};
	struct dtls_end *t;

	if ((t = dtls_end_new(c, 0, who, owner)) == NULL)
		return NULL;
	t->e.phase = END_CONNECTING;
	dc.trying = t->e.addr;
	if ((t->dial = dial_name(&dc, c->dst, who, on_dialed, t)) == NULL) {
		dtls_close(&t->e, 0);
		return NULL;
	}
	return &t->e;
}

/**
 * end_dtls_engine(e): the RFC 6083 engine of the DTLS end ${e} (for the
 * cipher, the peer's name, sessions, counters), or NULL before the
 * association exists.
 */
struct dtls *
end_dtls_engine(const struct end *e)
{
	return ((const struct dtls_end *)e)->d;
}

/**
 * end_dtls_offered(e): the session ${e} offered to resume (compare only),
 * or NULL.
 */
const SSL_SESSION *
end_dtls_offered(const struct end *e)
{
	const struct dtls_end *t = (const struct dtls_end *)e;

	return t->offered ? t->c.offer : NULL;
}
