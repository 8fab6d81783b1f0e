/*
 * relay.c: moving bytes between the plaintext end (TCP, UDP, the echo
 * target) and the DTLS/SCTP end of a connection. Every buffer holds one
 * record at most: a side is read only when what it gave last is gone.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dtls.h"
#include "log.h"
#include "relay.h"

#define AGAIN (-2)

/* The memory of ${b}, (re)allocated once the connection is busy again. */
static int
buf_get(struct conn *c, struct buf *b)
{
	if (b->data == NULL && (b->data = malloc(CONN_BUF)) == NULL) {
		log_err(c->who, "out of memory");
		c->why = "out of memory";
		return -1;
	}
	return 0;
}

/* A plaintext socket failed: log it once, name it as the reason. */
static ssize_t
plain_error(struct conn *c, const char *op)
{
	if (errno == ECONNRESET || errno == EPIPE) {
		log_info(c->who, "%s: connection reset", op);
		c->why = "plaintext side reset";
	} else {
		log_err(c->who, "%s: %s", op, strerror(errno));
		c->why = "plaintext side failed";
	}
	return -1;
}

/* UDP: a datagram that cannot be carried is dropped and counted. */
static void
drop(struct conn *c, const char *why, size_t len)
{
	c->dropped++;
	c->svc->st.dropped++;
	log_debug(c->who, "UDP datagram of %zu bytes dropped: %s", len, why);
}

static ssize_t
plain_read(struct conn *c, uint8_t *buf, size_t cap)
{
	struct plain_end *p = &c->plain;
	struct dgram *g;
	ssize_t n;

	switch (p->kind) {
	case EP_TCP:
		n = recv(p->fd, buf, cap, 0);
		if (n >= 0)
			return n;
		if (errno == EAGAIN || errno == EINTR)
			return AGAIN;
		return plain_error(c, "TCP receive");
	case EP_UDP:
		if (p->shared) {
			if ((g = p->q) == NULL)
				return AGAIN;
			p->q = g->next;
			if (p->q == NULL)
				p->qtail = &p->q;
			p->qlen--;
			memcpy(buf, g->data, g->len);
			n = (ssize_t)g->len;
			free(g);
			return n;
		}
		for (;;) {
			n = recv(p->fd, buf, cap, MSG_TRUNC);
			if (n > (ssize_t)cap) {
				drop(c, "larger than one DTLS record",
				    (size_t)n);
				continue;
			}
			if (n > 0)
				return n;
			if (n == 0)
				continue; /* an empty datagram carries nothing */
			if (errno == EAGAIN || errno == EINTR)
				return AGAIN;
			if (errno == ECONNREFUSED) {
				log_debug(c->who, "UDP backend unreachable");
				continue;
			}
			return plain_error(c, "UDP receive");
		}
	default: /* echo: data arrives through plain_write */
		return AGAIN;
	}
}

static ssize_t
plain_write(struct conn *c, const uint8_t *buf, size_t len)
{
	struct plain_end *p = &c->plain;
	ssize_t n;

	p->wblocked = 0;
	switch (p->kind) {
	case EP_TCP:
		n = send(p->fd, buf, len, MSG_NOSIGNAL);
		break;
	case EP_UDP:
		if (p->shared)
			n = sendto(p->fd, buf, len, MSG_NOSIGNAL,
			    (struct sockaddr *)&p->peer, p->peerlen);
		else
			n = send(p->fd, buf, len, MSG_NOSIGNAL);
		if (n < 0 && errno != EINTR && (p->shared || errno != EAGAIN)) {
			/* Datagram semantics: a lost one is counted. */
			drop(c, strerror(errno), len);
			return (ssize_t)len;
		}
		break;
	case EP_NONE: /* no backend: discarded while closing */
		return (ssize_t)len;
	default: /* echo: what comes in goes back out */
		if (p->buf.len > 0 || buf_get(c, &p->buf) != 0)
			return p->buf.len > 0 ? AGAIN : -1;
		memcpy(p->buf.data, buf, len);
		p->buf.off = 0;
		p->buf.len = len;
		return (ssize_t)len;
	}
	if (n >= 0)
		return n;
	if (errno == EAGAIN || errno == EINTR) {
		p->wblocked = 1;
		return AGAIN;
	}
	return plain_error(c, p->kind == EP_TCP ? "TCP send" : "UDP send");
}

/* The DTLS side ended: pass it on (FIN; the end of a flow). */
static void
plain_finish(struct conn *c)
{
	struct plain_end *p = &c->plain;

	if (p->kind == EP_TCP)
		(void)shutdown(p->fd, SHUT_WR);
	else
		p->eof = 1; /* UDP and echo: nothing more will come */
	p->fin = 1;
}

/* Plaintext -> DTLS: one record per read; close_notify after the end. */
static int
move_up(struct conn *c)
{
	struct plain_end *p = &c->plain;
	struct sec_end *s = &c->sec;
	int moved = 0;
	ssize_t n;

	if (p->buf.len == 0 && !p->eof) {
		if (buf_get(c, &p->buf) != 0)
			return -1;
		n = plain_read(c, p->buf.data, CONN_BUF);
		if (n == -1)
			return -1;
		if (n == 0) {
			p->eof = 1;
			moved = 1;
		} else if (n > 0) {
			p->buf.off = 0;
			p->buf.len = (size_t)n;
			moved = 1;
		}
	}
	if (p->buf.len == 0 && dtls_want_write(s->d) &&
	    dtls_flush(s->d) == DTLS_ERR) {
		c->why = "DTLS write failed";
		return -1;
	}
	if (p->buf.len > 0) {
		n = dtls_write(s->d, p->buf.data, p->buf.len, NULL);
		if (n == DTLS_ERR) {
			c->why = "DTLS write failed";
			return -1;
		}
		if (n > 0) {
			c->up += (size_t)n;
			p->buf.len = 0;
			moved = 1;
		}
	}
	if (p->eof && p->buf.len == 0 && !s->notified) {
		n = dtls_shutdown(s->d);
		if (n == DTLS_ERR) {
			c->why = "close_notify failed";
			return -1;
		}
		if (n == 1) {
			s->notified = 1;
			moved = 1;
		}
	}
	return moved;
}

/* DTLS -> plaintext; FIN after the peer's close_notify. */
static int
move_down(struct conn *c)
{
	struct plain_end *p = &c->plain;
	struct sec_end *s = &c->sec;
	int moved = 0;
	ssize_t n;

	if (s->buf.len == 0 && !s->eof) {
		if (buf_get(c, &s->buf) != 0)
			return -1;
		n = dtls_read(s->d, s->buf.data, CONN_BUF, NULL);
		if (n == DTLS_ERR) {
			c->why = "DTLS read failed";
			return -1;
		}
		if (n == DTLS_EOF) {
			s->eof = 1;
			moved = 1;
		} else if (n > 0) {
			s->buf.off = 0;
			s->buf.len = (size_t)n;
			moved = 1;
		}
	}
	if (s->buf.len > 0) {
		n = plain_write(
		    c, s->buf.data + s->buf.off, s->buf.len - s->buf.off);
		if (n == -1)
			return -1;
		if (n > 0) {
			c->down += (size_t)n;
			s->buf.off += (size_t)n;
			if (s->buf.off == s->buf.len)
				s->buf.off = s->buf.len = 0;
			moved = 1;
		}
	}
	if (s->eof && s->buf.len == 0 && !p->fin) {
		plain_finish(c);
		moved = 1;
	}
	return moved;
}

/**
 * relay_run(c): move bytes both ways between ${c}'s plaintext and DTLS
 * ends until nothing more can move now, passing each end-of-input on as
 * close_notify or FIN. Returns 0 to wait, 1 when both directions have
 * ended cleanly, -1 on failure (c->why set, already logged).
 */
int
relay_run(struct conn *c)
{
	int up, down = 0;

	do {
		if ((up = move_up(c)) < 0 || (down = move_down(c)) < 0)
			return -1;
	} while (up || down);
	if (c->sec.notified && c->sec.eof && c->plain.fin && c->plain.eof &&
	    c->plain.buf.len == 0 && c->sec.buf.len == 0)
		return 1;
	return 0;
}

/** relay_sec_events(c): the libev events ${c}'s DTLS/SCTP end waits for. */
int
relay_sec_events(struct conn *c)
{
	struct sec_end *s = &c->sec;
	struct plain_end *p = &c->plain;
	int ev = 0;

	if (s->connecting)
		return EV_WRITE;
	if (s->handshaking)
		ev |= EV_READ;
	else if (s->open && p->open) {
		/* Room for a record, or waiting for sender-dry to close. */
		if ((s->buf.len == 0 && !s->eof) ||
		    (p->eof && p->buf.len == 0 && !s->notified))
			ev |= EV_READ;
	}
	if (s->d != NULL && dtls_want_write(s->d))
		ev |= EV_WRITE;
	return ev;
}

/** relay_plain_events(c): the libev events ${c}'s plaintext end waits for. */
int
relay_plain_events(const struct conn *c)
{
	const struct plain_end *p = &c->plain;
	int ev = 0;

	if (p->fd == -1 || p->shared)
		return 0;
	if (p->connecting)
		return EV_WRITE;
	if (!p->open || !c->sec.open)
		return 0;
	if (p->buf.len == 0 && !p->eof)
		ev |= EV_READ;
	if (p->wblocked)
		ev |= EV_WRITE;
	return ev;
}

/**
 * relay_release(c): give back the buffers of the quiet connection ${c}:
 * its own when empty, and OpenSSL's record buffers. They come back when
 * data moves again.
 */
void
relay_release(struct conn *c)
{
	if (c->plain.buf.len == 0) {
		free(c->plain.buf.data);
		c->plain.buf.data = NULL;
	}
	if (c->sec.buf.len == 0) {
		free(c->sec.buf.data);
		c->sec.buf.data = NULL;
	}
	if (c->sec.d != NULL)
		dtls_release(c->sec.d);
}

/** relay_queue_free(p): free the datagrams queued on ${p}. */
void
relay_queue_free(struct plain_end *p)
{
	struct dgram *g;

	while ((g = p->q) != NULL) {
		p->q = g->next;
		free(g);
	}
	p->qtail = &p->q;
	p->qlen = 0;
}
