/*
 * conn.c: the life of one connection: a plaintext end (TCP connection,
 * UDP flow or the echo target) and a DTLS/SCTP end; connecting, the
 * handshake, relaying (relay.c), closing, and the one teardown.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"
#include "log.h"
#include "relay.h"

#define FLOW_BUCKETS 256
#define QUIET 2.0 /* seconds without traffic before buffers go back */
#define FLOW_QUEUE_MAX 64 /* datagrams held per flow before it is up */

static void
conn_link(struct conn *c)
{
	struct svc *svc = c->svc;

	c->next = svc->conns;
	if (svc->conns != NULL)
		svc->conns->prev = c;
	svc->conns = c;
	svc->nconns++;
	svc->st.accepted++;
}

static void
timer_set(struct conn *c, double after)
{
	ev_timer_stop(c->svc->loop, &c->timer);
	if (after > 0) {
		ev_timer_set(&c->timer, after, after);
		ev_timer_start(c->svc->loop, &c->timer);
	}
}

static void
watch_one(struct conn *c, ev_io *w, int fd, int ev)
{
	int cur = ev_is_active(w) ? (w->events & (EV_READ | EV_WRITE)) : 0;

	if (fd == -1 || cur == ev)
		return;
	ev_io_stop(c->svc->loop, w);
	ev_io_set(w, fd, ev);
	if (ev != 0)
		ev_io_start(c->svc->loop, w);
}

static void
watch(struct conn *c)
{
	watch_one(c, &c->sec.io, c->sec.fd, relay_sec_events(c));
	if (!c->plain.shared)
		watch_one(c, &c->plain.io, c->plain.fd, relay_plain_events(c));
}

static void
set_nodelay(const struct svc *svc, int fd)
{
	int one = 1;

	if (svc->nodelay)
		(void)setsockopt(
		    fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/* Mark the handshake running or over; counts accepted ones per service. */
static void
handshaking(struct conn *c, int on)
{
	if (c->sec.handshaking == (unsigned)on)
		return;
	c->sec.handshaking = on;
	if (c->svc->akind == EP_DTLS_SCTP)
		c->svc->nhandshakes += on ? 1 : -1;
}

/* Stop taking input and begin a graceful close of both directions. */
static void
begin_close(struct conn *c, const char *why)
{
	if (c->why == NULL)
		c->why = why;
	c->closing = 1;
	if (!c->plain.eof) {
		c->plain.eof = 1;
		if (c->plain.kind == EP_TCP && c->plain.fd != -1)
			(void)shutdown(c->plain.fd, SHUT_RD);
	}
	timer_set(c, c->svc->close_timeout);
}

/* Client: offer the service's last session again, unless it expired. */
static void
offer_session(struct conn *c)
{
	struct svc *svc = c->svc;
	SSL_SESSION *s = svc->sess;

	if (s == NULL)
		return;
	if (dtls_session_expired(s)) {
		log_debug(c->who, "the last session has expired: forgotten");
		dtls_session_free(s);
		svc->sess = NULL;
	} else if (dtls_session_offer(c->sec.d, s) == 0) {
		c->sec.offered = s;
		log_debug(c->who, "offering the last session for resumption");
	}
}

/* Client: keep the session of this handshake for the next association. */
static void
remember_session(struct conn *c)
{
	struct svc *svc = c->svc;
	SSL_SESSION *s;

	if (!svc->session_cache || svc->akind == EP_DTLS_SCTP ||
	    (s = dtls_session_get(c->sec.d)) == NULL)
		return;
	dtls_session_free(svc->sess);
	svc->sess = s;
}

/* Client: a handshake that offered the last session failed: forget it. */
static void
forget_session(struct conn *c)
{
	struct svc *svc = c->svc;

	if (c->sec.offered == NULL || c->sec.offered != svc->sess)
		return;
	log_debug(c->who, "handshake failed: the last session is forgotten");
	dtls_session_free(svc->sess);
	svc->sess = NULL;
}

static void
handshake_done(struct conn *c)
{
	struct svc *svc = c->svc;
	char subject[512];

	handshaking(c, 0);
	c->sec.open = 1;
	remember_session(c);
	/* The subject and the key number cost work: only when logged. */
	if (log_enabled(LOG_LVL_INFO))
		log_info(c->who,
		    "DTLS handshake complete: %s, peer %s, %s, "
		    "SCTP-AUTH key %d active",
		    dtls_cipher(c->sec.d),
		    dtls_peer_name(c->sec.d, subject, sizeof(subject)),
		    dtls_resumed(c->sec.d) ? "session resumed" : "full handshake",
		    dtls_key_active(c->sec.d));
	if (svc->transcript) {
		printf("Accepted connection from %s\n", c->client);
		printf("------------------------------------------------------------\n");
		dtls_print_subject(c->sec.d, stdout);
		printf("\n\n Cipher: %s\n------------------------------------------------------------\n\n", dtls_cipher(c->sec.d));
		fflush(stdout);
	}
	timer_set(c, svc->idle_timeout);
	ev_timer_again(svc->loop, &c->quiet);
}

/* Start connecting one end to the next address that takes it. */
static int
connect_next(struct conn *c, int sec)
{
	struct addrinfo **try = sec ? &c->sec.
	try:
		&c->plain.try;
	struct addrinfo *ai;
	int fd, type;

	for (; (ai = *try) != NULL; *try = ai->ai_next) {
		net_addr_str(
		    ai->ai_addr, ai->ai_addrlen, c->server, sizeof(c->server));
		if (sec) {
			fd = sctp_sock_new(ai->ai_family, &c->svc->so, c->who);
		} else {
			type =
			    c->plain.kind == EP_UDP ? SOCK_DGRAM : SOCK_STREAM;
			fd = socket(ai->ai_family,
			    type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
			if (fd == -1)
				log_err(c->who, "socket: %s", strerror(errno));
		}
		if (fd == -1)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ||
		    errno == EINPROGRESS) {
			if (sec) {
				c->sec.fd = fd;
				c->sec.connecting = 1;
			} else {
				c->plain.fd = fd;
				c->plain.connecting = 1;
			}
			return 0;
		}
		log_warn(
		    c->who, "connect to %s: %s", c->server, strerror(errno));
		close(fd);
	}
	return -1;
}

/* The backend is not there: close the association cleanly. */
static void
backend_failed(struct conn *c, const char *why)
{
	log_warn(c->who, "backend %s: %s; closing the association",
	    c->svc->ctext, why);
	if (c->plain.fd != -1)
		close(c->plain.fd);
	c->plain.fd = -1;
	c->plain.kind = EP_NONE;
	c->plain.connecting = 0;
	c->plain.open = 1;
	c->plain.fin = 1;
	begin_close(c, "backend unavailable");
}

/*
 * An end finished connecting (EV_WRITE): go on, or try the next address.
 * Returns 0 when connected, 1 while still connecting, -1 if ${c} is gone.
 */
static int
connected(struct conn *c, int sec)
{
	int fd = sec ? c->sec.fd : c->plain.fd;
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
		err = errno;
	if (err == EINPROGRESS)
		return 1;
	if (sec) {
		ev_io_stop(c->svc->loop, &c->sec.io);
		c->sec.connecting = 0;
	} else {
		ev_io_stop(c->svc->loop, &c->plain.io);
		c->plain.connecting = 0;
	}
	if (err != 0) {
		log_warn(c->who, "connect to %s: %s", c->server, strerror(err));
		close(fd);
		if (sec) {
			c->sec.fd = -1;
			c->sec.try = c->sec.try->ai_next;
		} else {
			c->plain.fd = -1;
			c->plain.try = c->plain.try->ai_next;
		}
		if (connect_next(c, sec) == 0)
			return 1;
		if (sec) {
			conn_close(c, "DTLS/SCTP peer unreachable", 1);
			return -1;
		}
		backend_failed(c, strerror(err));
		return 0;
	}
	if (!sec) {
		if (c->plain.kind == EP_TCP)
			set_nodelay(c->svc, fd);
		c->plain.open = 1;
		log_debug(c->who, "connected to backend %s", c->server);
		timer_set(c, c->svc->idle_timeout);
		return 0;
	}
	if (sctp_sock_up(fd, c->who) == 0)
		c->sec.d = dtls_new(c->svc->ctx, fd, 0, &c->svc->dp, c->who);
	if (c->sec.d == NULL) {
		conn_close(c, "DTLS/SCTP peer refused", 1);
		return -1;
	}
	offer_session(c);
	handshaking(c, 1);
	timer_set(c, c->svc->handshake_timeout);
	return 0;
}

/* After the server handshake: reach the backend (or the echo target). */
static void
start_backend(struct conn *c)
{
	struct svc *svc = c->svc;

	c->plain.kind = svc->ckind;
	if (svc->ckind == EP_ECHO) {
		c->plain.open = 1;
		return;
	}
	c->plain.try = svc->dst;
	if (connect_next(c, 0) != 0) {
		backend_failed(c, "no address could be connected to");
		return;
	}
	if (c->plain.kind == EP_UDP) {
		c->plain.connecting = 0;
		c->plain.open = 1;
		return;
	}
	timer_set(c, svc->connect_timeout);
}

/** conn_run(c): move ${c} on as far as it can go now, then wait. */
void
conn_run(struct conn *c)
{
	unsigned long long up = c->up, down = c->down;
	int r;

	if (c->sec.handshaking) {
		r = dtls_handshake(c->sec.d);
		if (r == DTLS_ERR) {
			conn_close(c, "handshake failed", 1);
			return;
		}
		if (r == 1) {
			handshake_done(c);
			if (!c->plain.open)
				start_backend(c);
		}
	}
	if (c->sec.open && c->plain.open) {
		r = relay_run(c);
		if (r < 0) {
			conn_close(
			    c, c->why != NULL ? c->why : "relay failed", 1);
			return;
		}
		if (r == 1) {
			conn_close(c, c->why != NULL ? c->why : "closed", 0);
			return;
		}
		/* Half-closed: what is left must move within close_timeout. */
		if ((c->plain.eof || c->sec.eof) && !c->closing) {
			c->closing = 1;
			timer_set(c, c->svc->close_timeout);
		} else if ((up != c->up || down != c->down) &&
		    ev_is_active(&c->timer)) {
			ev_timer_again(c->svc->loop, &c->timer);
		}
		if (up != c->up || down != c->down)
			ev_timer_again(c->svc->loop, &c->quiet);
	}
	watch(c);
}

static void
on_sec(struct ev_loop *loop, ev_io *w, int revents)
{
	struct conn *c = w->data;

	(void)loop;
	(void)revents;
	if (c->sec.connecting && connected(c, 1) != 0)
		return; /* still connecting, or gone */
	conn_run(c);
}

static void
on_plain(struct ev_loop *loop, ev_io *w, int revents)
{
	struct conn *c = w->data;

	(void)loop;
	(void)revents;
	if (c->plain.connecting && connected(c, 0) != 0)
		return;
	conn_run(c);
}

static void
on_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct conn *c = w->data;
	char why[200];

	(void)loop;
	(void)revents;
	ev_timer_stop(c->svc->loop, &c->timer);
	if (c->sec.connecting) {
		log_warn(c->who, "connect to %s timed out", c->server);
		conn_close(c, "DTLS/SCTP peer unreachable", 1);
	} else if (c->plain.connecting) {
		backend_failed(c, "connect timed out");
		conn_run(c);
	} else if (c->sec.handshaking) {
		log_warn(c->who, "DTLS handshake timed out%s",
		    dtls_stall_reason(c->sec.d, why, sizeof(why)));
		conn_close(c, "handshake timeout", 1);
	} else if (c->closing) {
		log_warn(c->who, "graceful close timed out");
		conn_close(c, "close timeout", 1);
	} else {
		begin_close(c, "idle timeout");
		conn_run(c);
	}
}

static void
on_quiet(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct conn *c = w->data;

	(void)revents;
	ev_timer_stop(loop, w);
	relay_release(c);
}

static struct conn *
conn_new(struct svc *svc, const char *client)
{
	struct conn *c;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		log_err(svc->name, "%s: out of memory", client);
		return NULL;
	}
	c->svc = svc;
	c->started = ev_now(svc->loop);
	snprintf(c->client, sizeof(c->client), "%s", client);
	snprintf(c->who, sizeof(c->who), "%s: %s", svc->name, client);
	c->sec.fd = -1;
	c->plain.fd = -1;
	c->plain.qtail = &c->plain.q;
	ev_init(&c->sec.io, on_sec);
	c->sec.io.data = c;
	ev_init(&c->plain.io, on_plain);
	c->plain.io.data = c;
	ev_init(&c->timer, on_timer);
	c->timer.data = c;
	ev_init(&c->quiet, on_quiet);
	c->quiet.repeat = QUIET;
	c->quiet.data = c;
	conn_link(c);
	return c;
}

static void
abort_fd(int fd)
{
	struct linger l = {1, 0};

	(void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(fd);
}

/**
 * conn_from_sctp(svc, fd): take the accepted DTLS/SCTP association ${fd}
 * into a new connection of ${svc} and start its server handshake. On
 * failure the association is aborted and -1 returned (logged).
 */
int
conn_from_sctp(struct svc *svc, int fd)
{
	char client[NET_ADDRSTRLEN];
	struct conn *c;

	net_peer_str(fd, client, sizeof(client));
	if ((c = conn_new(svc, client)) == NULL)
		goto err0;
	c->sec.fd = fd;
	if (sctp_sock_up(fd, c->who) != 0 ||
	    (c->sec.d = dtls_new(svc->ctx, fd, 1, &svc->dp, c->who)) == NULL) {
		conn_close(c, "refused", 1);
		return -1;
	}
	log_debug(c->who, "association accepted");
	handshaking(c, 1);
	timer_set(c, svc->handshake_timeout);
	conn_run(c);
	return 0;

err0:
	abort_fd(fd);
	return -1;
}

/**
 * conn_from_tcp(svc, fd): take the accepted TCP connection ${fd} into a new
 * connection of ${svc} and start the DTLS/SCTP association for it. On
 * failure ${fd} is reset and -1 returned (logged).
 */
int
conn_from_tcp(struct svc *svc, int fd)
{
	char client[NET_ADDRSTRLEN];
	struct conn *c;

	net_peer_str(fd, client, sizeof(client));
	if ((c = conn_new(svc, client)) == NULL)
		goto err0;
	c->plain.kind = EP_TCP;
	c->plain.fd = fd;
	c->plain.open = 1;
	set_nodelay(svc, fd);
	c->sec.try = svc->dst;
	if (connect_next(c, 1) != 0) {
		conn_close(c, "DTLS/SCTP peer unreachable", 1);
		return -1;
	}
	timer_set(c, svc->connect_timeout);
	watch(c);
	return 0;

err0:
	abort_fd(fd);
	return -1;
}

static unsigned
flow_hash(const struct sockaddr *sa, socklen_t len)
{
	const uint8_t *p = (const uint8_t *)sa;
	unsigned h = 2166136261u;
	socklen_t i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	return h % FLOW_BUCKETS;
}

static struct conn *
flow_find(struct svc *svc, const struct sockaddr *sa, socklen_t len)
{
	struct conn *c;

	for (c = svc->flows[flow_hash(sa, len)]; c != NULL; c = c->flow_next)
		if (c->plain.peerlen == len &&
		    memcmp(&c->plain.peer, sa, len) == 0)
			return c;
	return NULL;
}

static void
flow_unlink(struct conn *c)
{
	struct conn **pp;

	pp = &c->svc->flows[flow_hash(
	    (struct sockaddr *)&c->plain.peer, c->plain.peerlen)];
	for (; *pp != NULL; pp = &(*pp)->flow_next) {
		if (*pp == c) {
			*pp = c->flow_next;
			break;
		}
	}
}

static struct conn *
flow_new(struct svc *svc, const struct sockaddr *sa, socklen_t salen)
{
	char client[NET_ADDRSTRLEN];
	struct conn *c;
	unsigned h;

	net_addr_str(sa, salen, client, sizeof(client));
	if (svc->max_conns > 0 && svc->nconns >= svc->max_conns) {
		svc->st.refused++;
		log_warn(svc->name, "%s: UDP flow refused, %d flows already",
		    client, svc->nconns);
		return NULL;
	}
	if (salen > sizeof(struct sockaddr_storage) ||
	    (c = conn_new(svc, client)) == NULL)
		return NULL;
	c->plain.kind = EP_UDP;
	c->plain.fd = svc->lfd;
	c->plain.shared = 1;
	c->plain.open = 1;
	memcpy(&c->plain.peer, sa, salen);
	c->plain.peerlen = salen;
	h = flow_hash(sa, salen);
	c->flow_next = svc->flows[h];
	svc->flows[h] = c;
	c->sec.try = svc->dst;
	if (connect_next(c, 1) != 0) {
		conn_close(c, "DTLS/SCTP peer unreachable", 1);
		return NULL;
	}
	timer_set(c, svc->connect_timeout);
	watch(c);
	return c;
}

/**
 * conn_udp_input(svc, buf, len, sa, salen): a datagram from client ${sa}
 * arrived on ${svc}'s UDP listener: hand it to that client's flow, starting
 * one (and its association) if there is none.
 */
void
conn_udp_input(struct svc *svc, const uint8_t *buf, size_t len,
    const struct sockaddr *sa, socklen_t salen)
{
	struct conn *c;
	struct dgram *g;

	if (len > CONN_BUF) {
		char client[NET_ADDRSTRLEN];

		svc->st.dropped++;
		if ((c = flow_find(svc, sa, salen)) != NULL)
			c->dropped++;
		log_info(svc->name,
		    "%s: UDP datagram of %zu bytes dropped: "
		    "larger than one DTLS record (%d bytes)",
		    net_addr_str(sa, salen, client, sizeof(client)), len,
		    CONN_BUF);
		return;
	}
	if ((c = flow_find(svc, sa, salen)) == NULL &&
	    (c = flow_new(svc, sa, salen)) == NULL) {
		svc->st.dropped++;
		return;
	}
	if (c->plain.eof || c->plain.qlen >= FLOW_QUEUE_MAX ||
	    (g = malloc(sizeof(*g) + len)) == NULL) {
		c->dropped++;
		svc->st.dropped++;
		return;
	}
	g->next = NULL;
	g->len = len;
	memcpy(g->data, buf, len);
	*c->plain.qtail = g;
	c->plain.qtail = &g->next;
	c->plain.qlen++;
	if (c->sec.open)
		conn_run(c);
}

/**
 * conn_close(c, reason, abort): the one teardown: stop every watcher,
 * abort (SCTP ABORT, TCP RST) if ${abort} or close gracefully, free
 * everything and log the summary line with ${reason}.
 */
void
conn_close(struct conn *c, const char *reason, int abort)
{
	struct svc *svc = c->svc;
	char subject[512];

	ev_io_stop(svc->loop, &c->sec.io);
	ev_io_stop(svc->loop, &c->plain.io);
	ev_timer_stop(svc->loop, &c->timer);
	ev_timer_stop(svc->loop, &c->quiet);
	if (c->sec.handshaking)
		forget_session(c);
	handshaking(c, 0);
	if (c->sec.d != NULL &&
	    log_enabled(abort ? LOG_LVL_NOTICE : LOG_LVL_INFO))
		dtls_peer_name(c->sec.d, subject, sizeof(subject));
	else
		snprintf(subject, sizeof(subject), "-");
	log_msg(abort ? LOG_LVL_NOTICE : LOG_LVL_INFO, c->who,
	    "closed (%s): client %s, server %s, peer %s, %llu bytes up, "
	    "%llu bytes down, %lu datagrams dropped, %.3fs",
	    reason, c->client, c->server[0] ? c->server : "-", subject, c->up,
	    c->down, c->dropped, ev_now(svc->loop) - c->started);
	if (svc->transcript) {
		printf("Cleaning up server connection (%s)\n", reason);
		fflush(stdout);
	}
	dtls_free(c->sec.d);
	if (c->sec.fd != -1) {
		if (abort)
			abort_fd(c->sec.fd);
		else
			close(c->sec.fd);
	}
	if (c->plain.fd != -1 && !c->plain.shared) {
		if (abort && c->plain.kind == EP_TCP)
			abort_fd(c->plain.fd);
		else
			close(c->plain.fd);
	}
	if (c->plain.shared)
		flow_unlink(c);
	relay_queue_free(&c->plain);
	free(c->plain.buf.data);
	free(c->sec.buf.data);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		svc->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	svc->nconns--;
	free(c);
}
