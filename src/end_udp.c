/* end_udp.c: UDP flows and UDP backends as ends of a connection (end.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dial.h"
#include "end_udp.h"
#include "log.h"

/* Datagrams held per flow before its association is up. */
#define FLOW_QUEUE_MAX 64

/* A datagram waiting to be read. */
struct dgram {
	struct dgram *next;
	size_t len;
	uint8_t data[];
};

struct udp_end {
	struct end e;
	struct dial *dial; /* a backend, while its address is looked up */
	int fd;
	int shared; /* the listener's socket: a flow */
	struct sockaddr_storage peer; /* a flow's client */
	socklen_t peerlen;
	struct dgram *q, **qtail; /* a flow's datagrams not yet read */
	int qlen;
	unsigned eof : 1; /* nothing more comes (the flow ended) */
	unsigned blocked : 1; /* a send hit EAGAIN */
};

/**
 * end_udp_drop(e, len, why): count a datagram of ${len} bytes of ${e}
 * dropped for ${why} (logged at info level: the first, then each time the
 * count doubles).
 */
void
end_udp_drop(struct end *e, size_t len, const char *why)
{
	e->dropped++;
	/* The first, then each time the count doubles: a flood cannot
	 * flood the log. */
	if ((e->dropped & (e->dropped - 1)) == 0)
		log_info(e->who,
		    "UDP datagram of %zu bytes dropped: %s (%lu so far)", len,
		    why, e->dropped);
}

static int
udp_open(struct end *e)
{
	return e->why != R_NONE ? END_ERR : e->phase == END_OPEN;
}

/* A flow: the next datagram the listener pushed. */
static ssize_t
flow_read(struct udp_end *u, uint8_t *buf, size_t cap)
{
	struct dgram *g = u->q;
	size_t n;

	if (g == NULL)
		return u->eof ? END_EOF : END_AGAIN;
	if ((u->q = g->next) == NULL)
		u->qtail = &u->q;
	u->qlen--;
	n = g->len <= cap ? g->len : cap;
	memcpy(buf, g->data, n);
	free(g);
	return (ssize_t)n;
}

static ssize_t
udp_read(struct end *e, uint8_t *buf, size_t cap, struct unit_meta *m)
{
	struct udp_end *u = (struct udp_end *)e;
	ssize_t n;

	(void)m;
	if (u->shared)
		return flow_read(u, buf, cap);
	if (u->eof)
		return END_EOF;
	for (;;) {
		/* An empty datagram is data too, never the end of input. */
		if ((n = recv(u->fd, buf, cap, MSG_TRUNC)) >= 0) {
			if ((size_t)n <= cap)
				return n;
			end_udp_drop(
			    e, (size_t)n, "larger than one DTLS record");
			continue;
		}
		if (errno == EAGAIN || errno == EINTR)
			return END_AGAIN;
		if (errno == ECONNREFUSED) {
			log_debug(e->who, "UDP backend unreachable");
			continue;
		}
		log_err(e->who, "UDP receive: %s", strerror(errno));
		return end_fail(e, R_PLAIN_FAILED);
	}
}

static ssize_t
udp_write(
    struct end *e, const uint8_t *buf, size_t len, const struct unit_meta *m)
{
	struct udp_end *u = (struct udp_end *)e;
	ssize_t n;

	(void)m;
	u->blocked = 0;
	if (u->shared)
		n = sendto(u->fd, buf, len, MSG_NOSIGNAL,
		    (struct sockaddr *)&u->peer, u->peerlen);
	else
		n = send(u->fd, buf, len, MSG_NOSIGNAL);
	if (n >= 0)
		return (ssize_t)len;
	if (errno == EINTR || (errno == EAGAIN && !u->shared)) {
		u->blocked = 1;
		return END_AGAIN;
	}
	/* Datagram semantics: one that cannot go is dropped, counted. */
	end_udp_drop(e, len, strerror(errno));
	return END_DROPPED;
}

static int
udp_finish(struct end *e)
{
	((struct udp_end *)e)->eof = 1; /* the flow ends: nothing more comes */
	return 1;
}

static int
udp_events(const struct end *e, int rd, int wr)
{
	const struct udp_end *u = (const struct udp_end *)e;

	if (u->shared || e->phase != END_OPEN)
		return 0; /* the listener's datagrams are pushed; dial.c */
	return (rd && !u->eof ? EV_READ : 0) | (wr ? EV_WRITE : 0);
}

static int
udp_fd(const struct end *e)
{
	const struct udp_end *u = (const struct udp_end *)e;

	return u->shared ? -1 : u->fd;
}

static void
udp_close(struct end *e, int abort)
{
	struct udp_end *u = (struct udp_end *)e;
	struct dgram *g;

	(void)abort;
	dial_free(u->dial);
	while ((g = u->q) != NULL) {
		u->q = g->next;
		free(g);
	}
	if (!u->shared && u->fd != -1)
		close(u->fd);
	free(u);
}

static const struct end_ops udp_ops = {
    .kind = "UDP",
    .open = udp_open,
    .read = udp_read,
    .write = udp_write,
    .finish = udp_finish,
    .events = udp_events,
    .fd = udp_fd,
    .close = udp_close,
};

static struct udp_end *
udp_new(int fd, int shared, const char *who, const struct end_owner *owner)
{
	struct udp_end *u;

	if ((u = calloc(1, sizeof(*u))) == NULL) {
		log_err(who, "out of memory");
		return NULL;
	}
	end_init(&u->e, &udp_ops, who, owner);
	u->fd = fd;
	u->shared = shared;
	u->qtail = &u->q;
	return u;
}

/**
 * end_udp_flow(fd, sa, salen, who): the end of the flow from the client
 * ${sa} on the UDP listener ${fd} (not owned). NULL if out of memory
 * (logged).
 */
struct end *
end_udp_flow(
    int fd, const struct sockaddr *sa, socklen_t salen, const char *who)
{
	struct udp_end *u;

	if (salen > sizeof(u->peer) || (u = udp_new(fd, 1, who, NULL)) == NULL)
		return NULL;
	memcpy(&u->peer, sa, salen);
	u->peerlen = salen;
	net_addr_str(sa, salen, u->e.addr, sizeof(u->e.addr));
	return &u->e;
}

/**
 * end_udp_push(e, buf, len): the datagram of ${len} bytes at ${buf}
 * arrived for the flow ${e}. 0, or -1 if it was dropped (the flow's queue
 * is full or closed, or out of memory): counted.
 */
int
end_udp_push(struct end *e, const uint8_t *buf, size_t len)
{
	struct udp_end *u = (struct udp_end *)e;
	struct dgram *g;

	if (u->eof || u->qlen >= FLOW_QUEUE_MAX ||
	    (g = malloc(sizeof(*g) + len)) == NULL) {
		end_udp_drop(e, len,
		    u->eof                          ? "the flow is closing"
		        : u->qlen >= FLOW_QUEUE_MAX ? "the flow's queue is full"
		                                    : "out of memory");
		return -1;
	}
	g->next = NULL;
	g->len = len;
	memcpy(g->data, buf, len);
	*u->qtail = g;
	u->qtail = &g->next;
	u->qlen++;
	return 0;
}

static void
on_dialed(void *arg, int fd, const char *addr, int err)
{
	struct udp_end *u = arg;

	dial_free(u->dial);
	u->dial = NULL;
	u->e.err = err;
	if (fd == -1) {
		end_fail(&u->e, R_BACKEND_UNAVAILABLE);
	} else {
		u->fd = fd;
		snprintf(u->e.addr, sizeof(u->e.addr), "%s", addr);
		u->e.phase = END_OPEN;
	}
	u->e.owner.wake(u->e.owner.arg);
}

/**
 * end_udp_connect(loop, dst, who, owner): a backend end sending to and
 * receiving from the first of the addresses of ${dst} (which must outlive
 * it; resolve.h) it can connect a socket to, reporting progress to
 * ${owner}. NULL if out of memory (logged).
 */
struct end *
end_udp_connect(struct ev_loop *loop, struct resolver *dst, const char *who,
    const struct end_owner *owner)
{
	struct dial_conf dc = {loop, 0, NULL, 0, NULL, 1};
	struct udp_end *u;

	if ((u = udp_new(-1, 0, who, owner)) == NULL)
		return NULL;
	u->e.phase = END_CONNECTING;
	dc.trying = u->e.addr;
	if ((u->dial = dial_name(&dc, dst, who, on_dialed, u)) == NULL) {
		free(u);
		return NULL;
	}
	return &u->e;
}
