/*
 * conn.c: the life of one accepted DTLS/SCTP association: handshake, data,
 * graceful close or abort, and the one teardown with its summary line.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conn.h"
#include "log.h"
#include "net.h"

enum conn_state { C_HANDSHAKE, C_OPEN, C_CLOSING };

struct conn {
	struct svc *svc;
	struct conn *next, *prev;
	enum conn_state state;
	/* The DTLS/SCTP end. */
	int fd;
	ev_io io;
	struct dtls *d;
	/* The echo target: one record waiting to go back (bounded). */
	uint8_t buf[16384];
	size_t len;
	/* Timeouts: handshake, idle, close. */
	ev_timer timer;
	ev_tstamp started;
	unsigned long long in, out;
	char who[NET_ADDRSTRLEN + 80];
	char peer[NET_ADDRSTRLEN];
};

static void conn_run(struct conn *c);

static void
timer_set(struct conn *c, double after)
{
	ev_timer_stop(c->svc->loop, &c->timer);
	if (after > 0) {
		ev_timer_set(&c->timer, after, after);
		ev_timer_start(c->svc->loop, &c->timer);
	}
}

/* Watch the socket for what the connection can do next. */
static void
watch(struct conn *c)
{
	int ev = 0;

	if (c->len == 0 || c->state != C_OPEN)
		ev |= EV_READ;
	if (dtls_want_write(c->d))
		ev |= EV_WRITE;
	if ((ev_is_active(&c->io) ? c->io.events & (EV_READ | EV_WRITE) : 0) ==
	    ev)
		return;
	ev_io_stop(c->svc->loop, &c->io);
	ev_io_set(&c->io, c->fd, ev);
	if (ev != 0)
		ev_io_start(c->svc->loop, &c->io);
}

static void
on_io(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	(void)revents;
	conn_run(w->data);
}

static void
on_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct conn *c = w->data;

	(void)loop;
	(void)revents;
	switch (c->state) {
	case C_HANDSHAKE:
		log_warn(c->who, "handshake timed out");
		conn_close(c, "handshake timeout", 1);
		break;
	case C_OPEN:
		conn_close(c, "idle timeout", 0);
		break;
	case C_CLOSING:
		conn_close(c, "close timeout", 1);
		break;
	}
}

static void
handshake_done(struct conn *c)
{
	char subject[512];

	log_info(c->who,
	    "DTLS handshake complete: %s, peer %s, SCTP-AUTH key "
	    "%d active",
	    SSL_get_cipher_name(dtls_ssl(c->d)),
	    dtls_peer_name(c->d, subject, sizeof(subject)),
	    dtls_key_active(c->d));
	if (c->svc->transcript) {
		printf("Accepted connection from %s\n", c->peer);
		dtls_print_peer(c->d, stdout);
	}
	c->state = C_OPEN;
	timer_set(c, c->svc->idle_timeout);
}

/* Echo: read a record, send it back; one record in flight at most. */
static int
run_open(struct conn *c)
{
	ssize_t n;

	for (;;) {
		if (c->len > 0) {
			n = dtls_write(c->d, c->buf, c->len);
			if (n == DTLS_AGAIN)
				return 0;
			if (n < 0)
				return -1;
			c->out += (size_t)n;
			c->len = 0;
		}
		n = dtls_read(c->d, c->buf, sizeof(c->buf));
		if (n == DTLS_AGAIN)
			return 0;
		if (n < 0)
			return -1;
		if (n == 0) {
			c->state = C_CLOSING;
			timer_set(c, c->svc->close_timeout);
			return 0;
		}
		c->in += (size_t)n;
		c->len = (size_t)n;
		if (c->svc->idle_timeout > 0)
			ev_timer_again(c->svc->loop, &c->timer);
	}
}

static void
conn_run(struct conn *c)
{
	int r;

	if (c->state == C_HANDSHAKE) {
		r = dtls_handshake(c->d);
		if (r == DTLS_ERR) {
			conn_close(c, "handshake failed", 1);
			return;
		}
		if (r == 1)
			handshake_done(c);
	}
	if (c->state == C_OPEN && run_open(c) != 0) {
		conn_close(c, "DTLS error", 1);
		return;
	}
	if (c->state == C_CLOSING) {
		r = dtls_shutdown(c->d);
		if (r == DTLS_ERR) {
			conn_close(c, "close failed", 1);
			return;
		}
		if (r == 1) {
			conn_close(c,
			    dtls_peer_closed(c->d) ? "closed by peer"
			                           : "closed",
			    0);
			return;
		}
	}
	watch(c);
}

/**
 * conn_start(svc, fd): take the accepted DTLS/SCTP association ${fd} into
 * a connection of ${svc} and start its handshake. On failure the
 * association is aborted and -1 returned (logged).
 */
int
conn_start(struct svc *svc, int fd)
{
	struct linger abort_linger = {1, 0};
	struct conn *c;
	char who[sizeof(c->who)];
	char peer[NET_ADDRSTRLEN];

	net_peer_str(fd, peer, sizeof(peer));
	snprintf(who, sizeof(who), "%s: %s", svc->name, peer);
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		log_err(who, "out of memory");
		goto err0;
	}
	c->svc = svc;
	c->fd = fd;
	memcpy(c->who, who, sizeof(who));
	memcpy(c->peer, peer, sizeof(peer));
	c->started = ev_now(svc->loop);
	if (sctp_sock_accepted(fd, &svc->so, who) != 0)
		goto err1;
	if ((c->d = dtls_new(svc->ctx, fd, 1, &svc->dp, who)) == NULL)
		goto err1;
	ev_io_init(&c->io, on_io, fd, 0);
	c->io.data = c;
	ev_init(&c->timer, on_timer);
	c->timer.data = c;
	c->next = svc->conns;
	if (svc->conns != NULL)
		svc->conns->prev = c;
	svc->conns = c;
	svc->nconns++;
	svc->served++;
	log_debug(who, "association accepted");
	timer_set(c, svc->hs_timeout);
	conn_run(c);
	return 0;

err1:
	free(c);
err0:
	setsockopt(
	    fd, SOL_SOCKET, SO_LINGER, &abort_linger, sizeof(abort_linger));
	close(fd);
	return -1;
}

/**
 * conn_close(c, reason, abort): the one teardown: stop every watcher, send
 * SCTP ABORT if ${abort} (else close gracefully), free everything and log
 * the summary line with ${reason}.
 */
void
conn_close(struct conn *c, const char *reason, int abort)
{
	struct linger abort_linger = {1, 0};
	struct svc *svc = c->svc;
	char subject[512];

	ev_io_stop(svc->loop, &c->io);
	ev_timer_stop(svc->loop, &c->timer);
	log_msg(abort ? LOG_LVL_NOTICE : LOG_LVL_INFO, c->who,
	    "connection closed (%s): peer %s, subject %s, %llu bytes in, "
	    "%llu bytes out, %.3fs",
	    reason, c->peer, dtls_peer_name(c->d, subject, sizeof(subject)),
	    c->in, c->out, ev_now(svc->loop) - c->started);
	if (svc->transcript)
		printf("Cleaning up server connection (%s)\n", reason);
	dtls_free(c->d);
	if (abort)
		setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &abort_linger,
		    sizeof(abort_linger));
	close(c->fd);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		svc->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	svc->nconns--;
	free(c);
}

/** conn_shutdown_all(svc): start a graceful close of every connection. */
void
conn_shutdown_all(struct svc *svc)
{
	struct conn *c, *next;

	for (c = svc->conns; c != NULL; c = next) {
		next = c->next;
		if (c->state == C_HANDSHAKE) {
			conn_close(c, "shutting down", 1);
			continue;
		}
		if (c->state != C_CLOSING) {
			c->state = C_CLOSING;
			timer_set(c, svc->close_timeout);
		}
		conn_run(c);
	}
}
