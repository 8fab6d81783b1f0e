/*
 * end_sctp.c: a plaintext SCTP association as an end of a connection
 * (end.h): messages with their stream, PPID and unordered flag.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dial.h"
#include "end_sctp.h"
#include "log.h"
#include "mmsg.h"
#include "path.h"

struct sctp_end {
	struct end e;
	struct end_sctp_conf c;
	struct dial *dial; /* while connecting */
	int fd;
	unsigned outstreams; /* negotiated, once up; 0 if not known */
	uint8_t *rx; /* the message being received (RX_CAP) */
	size_t rxlen;
	struct mmsg_in *in; /* received, not yet handed out (while busy) */
	struct mmsg_out *out; /* written, not yet sent (until flushed) */
	size_t oversize; /* bytes of a message too large, being skipped */
	int notif_rest; /* the rest of a long notification is to be skipped */
};

/* Room for one message too large by a byte, or for a notification. */
#define NOTIF_ROOM 512
#define RX_CAP (END_SCTP_MAX + 1 + NOTIF_ROOM)

/* A socket error: log it once, with the reason it gives. */
static int
failed(struct sctp_end *t, const char *op)
{
	if (errno == ECONNRESET) {
		log_info(t->e.who, "%s: association aborted by the peer", op);
		return end_fail(&t->e, R_PLAIN_RESET);
	}
	if (errno == ETIMEDOUT) {
		log_notice(t->e.who,
		    "%s: association lost (the peer stopped answering)", op);
		return end_fail(&t->e, R_PLAIN_LOST);
	}
	log_err(t->e.who, "%s: %s", op, strerror(errno));
	return end_fail(&t->e, R_PLAIN_FAILED);
}

/*
 * The association is up (${dialed}: we connected it): how many streams it
 * may send on. An association the peer shut down before it was accepted
 * has none left to tell: 0, and a send says what became of it (nor
 * address lists: the end's address stands).
 */
static void
up(struct sctp_end *t, int dialed)
{
	unsigned in = 0;

	path_up(t->fd, t->c.so->tune, dialed, t->e.who);
	end_set_addrs(&t->e, path_list(t->fd, 1), path_list(t->fd, 0));
	if (sctp_streams(t->fd, &in, &t->outstreams) != 0)
		t->outstreams = 0;
	if (t->outstreams == 0)
		log_debug(t->e.who,
		    "SCTP association: streams not known "
		    "(shut down already?)");
	else
		log_debug(t->e.who,
		    "SCTP association: %u inbound, %u outbound streams", in,
		    t->outstreams);
}

static int
sctp_open(struct end *e)
{
	return e->why != R_NONE ? END_ERR : e->phase == END_OPEN;
}

/* The rest of a message too large, read and thrown away, then refused. */
static int
too_large(struct sctp_end *t, size_t n, int eor, const struct unit_meta *m)
{
	t->oversize += n;
	if (!eor)
		return END_AGAIN;
	log_warn(t->e.who,
	    "SCTP message of %zu bytes on stream %u: larger than one DTLS "
	    "record can carry (%d bytes, RFC 6083); aborting",
	    t->oversize, m->stream, END_SCTP_MAX);
	return end_fail(&t->e, R_TOO_LARGE);
}

/*
 * The PPID of the message just read, as it travels over DTLS (ppid_map),
 * into m->ppid. -1 (refused, logged) if it is a pair's DTLS PPID: the far
 * end would deliver it as that pair's plaintext PPID.
 */
static int
ppid_out(struct sctp_end *t, struct unit_meta *m)
{
	uint32_t p;

	if (ppidmap_to_dtls(t->c.map, m->ppid, &p) == 0) {
		m->ppid = p;
		return 0;
	}
	log_warn(t->e.who,
	    "SCTP message with PPID %u on stream %u: ppid_map pairs %u:%u, "
	    "so the far end would deliver it with PPID %u; refused, aborting",
	    m->ppid, m->stream, p, m->ppid, p);
	return end_fail(&t->e, R_PPID_RESERVED);
}

/*
 * The peer shut the association down (SCTP has no half-close: a message
 * cannot be delivered after that): the message of ${len} bytes with ${m}
 * and the ${n} - 1 queued behind it are refused, logged and counted (the
 * reason, and as dropped). END_ERR.
 */
static int
undeliverable(
    struct sctp_end *t, size_t len, const struct unit_meta *m, unsigned n)
{
	log_warn(t->e.who,
	    "the SCTP peer shut the association down (SCTP has no "
	    "half-close): a message of %zu bytes on stream %u cannot be "
	    "delivered (%u message(s) in all); aborting the other side",
	    len, m->stream, n);
	return end_fail(&t->e, R_UNDELIVERABLE);
}

/*
 * A notification of ${n} bytes at ${p}: END_EOF once the association has
 * been shut down (the only sign of it after a SHUTDOWN of ours), an error
 * if it was lost or the peer restarted it, else END_AGAIN (nothing to act
 * on; a path change logged and counted).
 */
static int
notified(struct sctp_end *t, const uint8_t *p, size_t n, int eor)
{
	struct sctp_notif sn;
	int rest = t->notif_rest, err = 0;
	socklen_t len = sizeof(err);

	t->notif_rest = !eor;
	if (rest || sctp_notif_parse(p, n, &sn) == -1)
		return END_AGAIN;
	if (path_event(t->fd, &sn, t->c.so->tune, t->e.who)) {
		t->e.paths++;
		end_addrs_refresh(&t->e); /* the primary may have moved */
	}
	if (sn.type != SCTP_ASSOC_CHANGE)
		return END_AGAIN;
	if (sn.assoc_state == SCTP_SHUTDOWN_COMP)
		return END_EOF;
	if (sn.assoc_state == SCTP_RESTART) {
		log_notice(t->e.who,
		    "the SCTP peer restarted the association (its state is "
		    "gone); aborting");
		return end_fail(&t->e, R_PEER_RESTARTED);
	}
	if (sn.assoc_state != SCTP_COMM_LOST)
		return END_AGAIN;
	/* Why: ECONNRESET (an ABORT), ETIMEDOUT (the peer went silent). */
	if (getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 ||
	    err == 0)
		err = ETIMEDOUT;
	errno = err;
	return failed(t, "SCTP receive");
}

/*
 * The next message, piece or notification (mmsg_in_read(): several small
 * messages per recvmmsg, a large one read whole into t->rx): 1, END_AGAIN
 * or END_ERR. A batch that did not fill every slot emptied the socket: no
 * read until it is readable again.
 */
static int
next_slot(struct sctp_end *t, struct mmsg_got *g)
{
	if (mmsg_in_drained(t->in)) {
		t->e.empty = 1;
		return END_AGAIN;
	}
	if (mmsg_in_read(
	        t->in, t->fd, t->rx + t->rxlen, RX_CAP - t->rxlen, g) == 1)
		return 1;
	t->e.empty = errno == EAGAIN;
	return errno == EAGAIN || errno == EINTR ? END_AGAIN
	                                         : failed(t, "SCTP receive");
}

/*
 * Put the slot ${g} to the message being received: 1 once it is whole,
 * END_AGAIN for more, END_EOF, END_ERR.
 */
static int
piece(struct sctp_end *t, const struct mmsg_got *g)
{
	int eor = (g->flags & MSG_EOR) != 0, r;

	if (g->flags & MSG_NOTIFICATION)
		return notified(t, g->p, g->len, eor);
	if (g->len == 0 && !eor)
		return END_EOF; /* the association ended */
	if (t->oversize > 0 || t->rxlen + g->len > END_SCTP_MAX) {
		r = too_large(t, t->rxlen + g->len, eor, &g->m);
		t->rxlen = 0;
		return r;
	}
	memmove(t->rx + t->rxlen, g->p, g->len); /* may be there already */
	t->rxlen += g->len;
	return eor ? 1 : END_AGAIN;
}

static ssize_t
sctp_rd(struct end *e, uint8_t *buf, size_t cap, struct unit_meta *m)
{
	struct sctp_end *t = (struct sctp_end *)e;
	struct mmsg_got g;
	ssize_t n;
	int r;

	if ((t->rx == NULL && (t->rx = malloc(RX_CAP)) == NULL) ||
	    (t->in == NULL && (t->in = mmsg_in_new()) == NULL)) {
		log_err(e->who, "out of memory");
		return end_fail(e, R_NOMEM);
	}
	do {
		if ((r = next_slot(t, &g)) != 1)
			return r;
		*m = g.m;
	} while ((r = piece(t, &g)) == END_AGAIN);
	if (r != 1)
		return r;
	n = (ssize_t)t->rxlen;
	memcpy(buf, t->rx, t->rxlen <= cap ? t->rxlen : cap);
	t->rxlen = 0;
	return ppid_out(t, m) == 0 ? n : END_ERR;
}

/*
 * Send what t->out holds (mmsg_out_send): 1 once all went, 0 while the
 * socket is full, END_ERR (logged; what could not be sent is counted as
 * dropped).
 */
static int
out_send(struct sctp_end *t)
{
	size_t len;
	struct unit_meta m;
	unsigned left;
	int r;

	if (t->out == NULL || (r = mmsg_out_send(t->out, t->fd)) == 1)
		return 1;
	if (r == 0)
		return 0;
	left = mmsg_out_count(t->out);
	mmsg_out_first(t->out, &len, &m);
	t->e.dropped += left;
	mmsg_out_clear(t->out);
	/* EPIPE, not ECONNRESET: no ABORT, a SHUTDOWN (sctp_error()). */
	if (errno == EPIPE)
		return undeliverable(t, len, &m, left);
	return failed(t, "SCTP send");
}

/* A large message, alone (MMSG_SMALL), nothing queued before it. */
static ssize_t
send_alone(struct sctp_end *t, const uint8_t *buf, size_t len,
    const struct unit_meta *m)
{
	if (sctp_msg_send(t->fd, buf, len, m, 0) >= 0)
		return (ssize_t)len;
	if (errno == EAGAIN || errno == ENOMEM || errno == EINTR)
		return END_AGAIN;
	/* EPIPE, not ECONNRESET: no ABORT, a SHUTDOWN (sctp_error()). */
	if (errno == EPIPE)
		return undeliverable(t, len, m, 1);
	return failed(t, "SCTP send");
}

static ssize_t
sctp_wr(
    struct end *e, const uint8_t *buf, size_t len, const struct unit_meta *m)
{
	struct sctp_end *t = (struct sctp_end *)e;
	struct unit_meta out = *m;
	int r;

	if (t->outstreams > 0 && m->stream >= t->outstreams) {
		log_warn(e->who,
		    "a message on stream %u, but this association has %u "
		    "outbound streams; aborting",
		    m->stream, t->outstreams);
		return end_fail(e, R_NO_STREAM);
	}
	if (ppidmap_to_plain(t->c.map, m->ppid, &out.ppid) != 0) {
		log_warn(e->who,
		    "a message with PPID %u on stream %u over DTLS/SCTP: "
		    "ppid_map pairs %u:%u, so PPID %u in the clear stands "
		    "for %u over DTLS/SCTP; refused, aborting",
		    m->ppid, m->stream, m->ppid, out.ppid, m->ppid, out.ppid);
		return end_fail(e, R_PPID_RESERVED);
	}
	/* Kept, to leave with the others of this run (sctp_flush). */
	if (t->out == NULL && (t->out = mmsg_out_new()) == NULL) {
		log_err(e->who, "out of memory");
		return end_fail(e, R_NOMEM);
	}
	if (len <= MMSG_SMALL && mmsg_out_add(t->out, buf, len, &out, 0) == 0)
		return (ssize_t)len;
	if ((r = out_send(t)) != 1)
		return r == 0 ? END_AGAIN : END_ERR;
	if (len <= MMSG_SMALL)
		return sctp_wr(e, buf, len, m); /* the queue is empty now */
	return send_alone(t, buf, len, &out);
}

static int
sctp_flush(struct end *e)
{
	int r = out_send((struct sctp_end *)e);

	return r == 1 ? 1 : r == 0 ? END_AGAIN : END_ERR;
}

static int
sctp_fin(struct end *e)
{
	int r = sctp_flush(e);

	if (r != 1)
		return r;
	(void)shutdown(((struct sctp_end *)e)->fd, SHUT_WR); /* SHUTDOWN */
	return 1;
}

static int
sctp_fd(const struct end *e)
{
	return ((const struct sctp_end *)e)->fd;
}

static void
sctp_rel(struct end *e)
{
	struct sctp_end *t = (struct sctp_end *)e;

	if (t->rxlen == 0 && (t->in == NULL || mmsg_in_left(t->in) == 0)) {
		free(t->rx);
		t->rx = NULL;
		mmsg_in_free(t->in);
		t->in = NULL;
	}
	if (t->out != NULL && mmsg_out_count(t->out) == 0) {
		mmsg_out_free(t->out);
		t->out = NULL;
	}
}

static void
sctp_close(struct end *e, int abort)
{
	struct sctp_end *t = (struct sctp_end *)e;

	dial_free(t->dial);
	if (t->fd != -1) {
		if (abort)
			end_abort_fd(t->fd);
		else
			close(t->fd);
	}
	free(t->rx);
	mmsg_in_free(t->in);
	mmsg_out_free(t->out);
	free(t);
}

static const struct end_ops sctp_ops = {
    .kind = "SCTP",
    .open = sctp_open,
    .read = sctp_rd,
    .write = sctp_wr,
    .finish = sctp_fin,
    .events = end_socket_events,
    .fd = sctp_fd,
    .release = sctp_rel,
    .close = sctp_close,
    .flush = sctp_flush,
};

static struct sctp_end *
sctp_end_new(const struct end_sctp_conf *c, const char *who,
    const struct end_owner *owner)
{
	struct sctp_end *t;

	if ((t = calloc(1, sizeof(*t))) == NULL) {
		log_err(who, "out of memory");
		return NULL;
	}
	end_init(&t->e, &sctp_ops, who, owner);
	t->c = *c;
	t->fd = -1;
	return t;
}

/**
 * end_sctp_accepted(fd, c, who, addr): the end of the accepted association
 * ${fd} (now owned) with the peer ${addr} (as accept() gave it). NULL if
 * out of memory (logged; ${fd} aborted).
 */
struct end *
end_sctp_accepted(
    int fd, const struct end_sctp_conf *c, const char *who, const char *addr)
{
	struct sctp_end *t;

	if ((t = sctp_end_new(c, who, NULL)) == NULL) {
		end_abort_fd(fd);
		return NULL;
	}
	t->fd = fd;
	snprintf(t->e.addr, sizeof(t->e.addr), "%s", addr);
	up(t, 0);
	return &t->e;
}

static void
on_dialed(void *arg, int fd, const char *addr, int err)
{
	struct sctp_end *t = arg;

	dial_free(t->dial);
	t->dial = NULL;
	t->e.err = err;
	if (fd == -1) {
		end_fail(&t->e, R_BACKEND_UNREACHABLE);
	} else {
		t->fd = fd;
		snprintf(t->e.addr, sizeof(t->e.addr), "%s", addr);
		t->e.phase = END_OPEN;
		up(t, 1);
	}
	t->e.owner.wake(t->e.owner.arg);
}

/**
 * end_sctp_connect(c, who, owner): an end connecting to the addresses of
 * c->dst (which must outlive it; resolve.h), reporting progress to
 * ${owner}. NULL if out of memory (logged).
 */
struct end *
end_sctp_connect(const struct end_sctp_conf *c, const char *who,
    const struct end_owner *owner)
{
	struct dial_conf dc = {c->loop, 1, c->so, 0, NULL, 0};
	struct sctp_end *t;

	if ((t = sctp_end_new(c, who, owner)) == NULL)
		return NULL;
	t->e.phase = END_CONNECTING;
	dc.trying = t->e.addr;
	if ((t->dial = dial_name(&dc, c->dst, who, on_dialed, t)) == NULL) {
		free(t);
		return NULL;
	}
	return &t->e;
}
