/*
 * svc.c: a service from its configuration: TLS context, resolved connect
 * addresses, the listener (DTLS/SCTP, TCP or UDP) and its accept loop, and
 * the connections it owns: their list, the UDP flows, counters, the
 * handshakes in progress and the session a client side offers again.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tls.h"
#include "conn.h"
#include "end_dtls.h"
#include "end_echo.h"
#include "end_sctp.h"
#include "end_tcp.h"
#include "end_udp.h"
#include "flows.h"
#include "listen.h"
#include "log.h"
#include "net.h"
#include "path.h"
#include "resolve.h"
#include "shared.h"
#include "svc.h"
#include "tally.h"
#include "metrics.h"
#include "svctls.h"

#define ACCEPT_BACKOFF 1.0 /* seconds accept() pauses on EMFILE */
#define UDP_BURST 64 /* datagrams taken per wake-up */

/* The service's record of one of its connections. */
struct svc_conn {
	struct svc *svc;
	struct conn *c;
	struct svc_conn *next, *prev; /* svc->conns */
	struct flow_entry *flow; /* a UDP flow's client in svc->flows */
	struct conn_stats pub; /* what the shared counters have of it */
	unsigned handshaking : 1; /* accepted, handshake not complete */
};

struct svc {
	char name[64];
	struct ev_loop *loop;
	enum ep_kind akind; /* accept side */
	enum ep_kind ckind; /* connect side */
	char atext[300]; /* the endpoints as text, for logs */
	char ctext[300];
	SSL_CTX *ctx; /* for the DTLS/SCTP side */
	struct psk *psk; /* its pre-shared keys (ctx refers to them) */
	int session_cache; /* client: offer the last session again */
	SSL_SESSION *sess; /* client: the last good session, or NULL */
	struct sctp_sockopts so; /* DTLS/SCTP sockets */
	struct sctp_sockopts pso; /* plaintext SCTP sockets */
	struct sctp_tuning tune; /* of both */
	struct addrinfo *local; /* source addresses of SCTP connects */
	struct end_dtls_conf dc; /* for each DTLS/SCTP end */
	struct end_sctp_conf pc; /* for each plaintext SCTP end */
	struct ppidmap map; /* PPIDs in the clear and over DTLS */
	struct conn_conf cc; /* for each connection */
	struct resolver *dst; /* connect addresses (looked up to connect) */
	int nodelay;
	int max_conns;
	int max_handshakes; /* accepted handshakes at once */
	int rekey_on_reload; /* a reload renegotiates the old connections */
	int nhandshakes; /* accepted handshakes in progress (this process) */
	int nconns; /* connections open (this process) */
	struct shared_svc *shs; /* counted across workers, or NULL */
	struct tally *st;
	int lfd; /* listening socket, -1 if none */
	ev_io lio;
	ev_timer backoff; /* accept paused (EMFILE) */
	struct svc_conn *conns; /* open connections */
	struct flows *flows; /* UDP flows by client address */
	int retired; /* stopped accepting; freed when empty */
};

/*
 * Count a new connection (with a handshake if ${hs}) against the limits of
 * ${svc}, in all workers. 0, or -1 with *${why} the limit reached and
 * *${now} how many there are.
 */
static int
admit(struct svc *svc, int hs, const char **why, long *now)
{
	int mh = hs ? svc->max_handshakes : 0;

	*why = "max_conns";
	if (svc->shs == NULL) { /* the echo server: one process */
		*now = svc->nconns;
		if (svc->max_conns > 0 && svc->nconns >= svc->max_conns)
			return -1;
		*why = "max_handshakes";
		*now = svc->nhandshakes;
		return mh > 0 && svc->nhandshakes >= mh ? -1 : 0;
	}
	if (shared_enter(svc->shs, SHARED_CONNS, svc->max_conns, now) != 0)
		return -1;
	*why = "max_handshakes";
	if (hs && shared_enter(svc->shs, SHARED_HANDSHAKES, mh, now) != 0) {
		shared_leave(svc->shs, SHARED_CONNS);
		return -1;
	}
	return 0;
}

/* Undo admit(): a connection (with a handshake if ${hs}) less. */
static void
release(struct svc *svc, int hs)
{
	if (svc->shs == NULL)
		return;
	shared_leave(svc->shs, SHARED_CONNS);
	if (hs)
		shared_leave(svc->shs, SHARED_HANDSHAKES);
}

/* Refuse (abort) ${fd} from ${peer} if the service is full; 1 if so. */
static int
too_many(struct svc *svc, int fd, const char *peer)
{
	int hs = svc->akind == EP_DTLS_SCTP;
	const char *why;
	long now;

	if (admit(svc, hs, &why, &now) == 0)
		return 0;
	tally_refused(svc->st, svc->shs, why);
	log_warn(svc->name, "%s: refused, %ld %s (%s)", peer, now,
	    why[4] == 'c' ? "connections already" : "handshakes in progress",
	    why);
	end_abort_fd(fd);
	return 1;
}

/* Forget ${sn}: off the lists, its counts given to the service. */
static void
unlink_conn(struct svc_conn *sn)
{
	struct svc *svc = sn->svc;

	if (sn->handshaking)
		svc->nhandshakes--;
	release(svc, sn->handshaking);
	if (sn->flow != NULL)
		flows_remove(svc->flows, sn->flow);
	if (sn->prev != NULL)
		sn->prev->next = sn->next;
	else
		svc->conns = sn->next;
	if (sn->next != NULL)
		sn->next->prev = sn->prev;
	svc->nconns--;
	free(sn);
}

/* Client: keep the session of a good handshake; forget one that failed. */
static void
sessions(struct svc *svc, struct conn *c, enum conn_event ev)
{
	enum reason r = conn_reason(c);
	SSL_SESSION *s;

	if (svc->akind == EP_DTLS_SCTP)
		return;
	if (ev == CONN_SECURE) {
		if (svc->session_cache && (s = conn_session(c)) != NULL) {
			tls_session_free(svc->sess);
			svc->sess = s;
		}
	} else if ((r == R_HANDSHAKE_FAILED || r == R_HANDSHAKE_TIMEOUT) &&
	    svc->sess != NULL && conn_offered(c) == svc->sess) {
		log_debug(conn_who(c),
		    "handshake failed: the last session is forgotten");
		tls_session_free(svc->sess);
		svc->sess = NULL;
	}
}

static void
on_report(void *arg, struct conn *c, enum conn_event ev)
{
	struct svc_conn *sn = arg;
	struct svc *svc = sn->svc;

	sessions(svc, c, ev);
	if (ev == CONN_SECURE)
		tally_secure(svc->shs, c);
	if (ev == CONN_CLOSED)
		tally_closed(svc->st, svc->shs, c, &sn->pub);
	if (ev == CONN_SECURE && sn->handshaking) {
		sn->handshaking = 0;
		svc->nhandshakes--;
		if (svc->shs != NULL)
			shared_leave(svc->shs, SHARED_HANDSHAKES);
	}
	if (ev != CONN_CLOSED)
		return;
	unlink_conn(sn);
}

/* Client: the last session, unless it expired. */
static SSL_SESSION *
offer(struct svc *svc)
{
	if (svc->sess != NULL && tls_session_expired(svc->sess)) {
		log_debug(svc->name, "the last session has expired: forgotten");
		tls_session_free(svc->sess);
		svc->sess = NULL;
	}
	return svc->sess;
}

/* The far end of a new connection, as the service's connect says. */
static struct end *
make_far(void *arg, struct conn *c, const struct end_owner *o)
{
	struct svc *svc = ((struct svc_conn *)arg)->svc;
	struct end_dtls_conf dc;

	switch (svc->ckind) {
	case EP_DTLS_SCTP:
		dc = svc->dc;
		dc.offer = offer(svc);
		return end_dtls_connect(&dc, conn_who(c), o);
	case EP_TCP:
		return end_tcp_connect(
		    svc->loop, svc->dst, svc->nodelay, conn_who(c), o);
	case EP_UDP:
		return end_udp_connect(svc->loop, svc->dst, conn_who(c), o);
	case EP_SCTP:
		return end_sctp_connect(&svc->pc, conn_who(c), o);
	default:
		return end_echo_new(conn_who(c));
	}
}

/* A connection of ${svc} for its accepted end ${near}, started. */
static struct svc_conn *
adopt(struct svc *svc, struct end *near, int handshaking)
{
	struct conn_owner o = {on_report, make_far, NULL};
	struct svc_conn *sn;

	if ((sn = calloc(1, sizeof(*sn))) == NULL) {
		log_err(svc->name, "%s: out of memory", near->addr);
		end_close(near, 1);
		release(svc, handshaking);
		return NULL;
	}
	sn->svc = svc;
	o.arg = sn;
	if ((sn->c = conn_new(&svc->cc, &o, svc->name, near)) == NULL) {
		free(sn);
		release(svc, handshaking);
		return NULL;
	}
	sn->next = svc->conns;
	if (svc->conns != NULL)
		svc->conns->prev = sn;
	svc->conns = sn;
	svc->nconns++;
	tally_accepted(svc->st, svc->shs);
	if ((sn->handshaking = handshaking))
		svc->nhandshakes++;
	return sn;
}

/*
 * Take the accepted socket ${fd} from ${peer} into a new connection. The
 * address is accept()'s: a peer that left already has no other.
 */
static void
accepted(struct svc *svc, int fd, const char *peer)
{
	char who[NET_ADDRSTRLEN + 80];
	struct svc_conn *sn;
	struct end *near;
	int sec = svc->akind == EP_DTLS_SCTP;

	snprintf(who, sizeof(who), "%s: %s", svc->name, peer);
	if (sec)
		near = end_dtls_accepted(fd, &svc->dc, who, peer, NULL);
	else if (svc->akind == EP_SCTP)
		near = end_sctp_accepted(fd, &svc->pc, who, peer);
	else
		near = end_tcp_accepted(fd, svc->nodelay, who, peer);
	if (near == NULL) {
		release(svc, sec);
		return;
	}
	if (sec)
		log_debug(who, "association accepted");
	if ((sn = adopt(svc, near, sec)) != NULL)
		conn_start(sn->c);
}

static void
on_accept(struct ev_loop *loop, ev_io *w, int revents)
{
	struct svc *svc = w->data;
	char peer[NET_ADDRSTRLEN];
	struct sockaddr_storage ss;
	socklen_t len;
	int fd;

	(void)revents;
	for (;;) {
		len = sizeof(ss);
		fd = accept4(svc->lfd, (struct sockaddr *)&ss, &len,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM) {
				log_warn(svc->name, "accept: %s; pausing %.0fs",
				    strerror(errno), ACCEPT_BACKOFF);
				ev_io_stop(loop, &svc->lio);
				ev_timer_set(&svc->backoff, ACCEPT_BACKOFF, 0);
				ev_timer_start(loop, &svc->backoff);
			} else if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED) {
				log_err(
				    svc->name, "accept: %s", strerror(errno));
			}
			return;
		}
		net_addr_str((struct sockaddr *)&ss, len, peer, sizeof(peer));
		if (!too_many(svc, fd, peer))
			accepted(svc, fd, peer);
	}
}

/* A new UDP flow for the client ${sa}, with its first datagram. */
static void
flow_new(struct svc *svc, const uint8_t *buf, size_t len,
    const struct sockaddr *sa, socklen_t salen)
{
	char client[NET_ADDRSTRLEN], who[NET_ADDRSTRLEN + 80];
	struct svc_conn *sn;
	struct end *near;
	const char *why;
	long now;

	net_addr_str(sa, salen, client, sizeof(client));
	if (admit(svc, 0, &why, &now) != 0) {
		tally_refused(svc->st, svc->shs, why);
		tally_dropped(svc->st, svc->shs);
		log_warn(svc->name, "%s: UDP flow refused, %ld flows already",
		    client, now);
		return;
	}
	snprintf(who, sizeof(who), "%s: %s", svc->name, client);
	if ((near = end_udp_flow(svc->lfd, sa, salen, who)) == NULL)
		release(svc, 0);
	if (near == NULL || (sn = adopt(svc, near, 0)) == NULL) {
		tally_dropped(svc->st, svc->shs);
		return;
	}
	if ((sn->flow = flows_add(svc->flows, sa, salen, sn)) == NULL) {
		log_err(who, "out of memory");
		tally_dropped(svc->st, svc->shs);
		conn_close(sn->c, R_NOMEM);
		return;
	}
	(void)conn_push(sn->c, buf, len);
	conn_start(sn->c);
}

/* A datagram from ${sa} on the listener: to its flow, or a new one. */
static void
datagram(struct svc *svc, const uint8_t *buf, size_t len,
    const struct sockaddr *sa, socklen_t salen)
{
	struct svc_conn *sn = flows_find(svc->flows, sa, salen);
	char client[NET_ADDRSTRLEN];

	if (len > END_UDP_MAX) {
		if (sn != NULL) {
			end_udp_drop(conn_near(sn->c), len,
			    "larger than one DTLS record (16384 bytes)");
			return;
		}
		tally_dropped(svc->st, svc->shs);
		log_info(svc->name,
		    "%s: UDP datagram of %zu bytes dropped: "
		    "larger than one DTLS record (%d bytes)",
		    net_addr_str(sa, salen, client, sizeof(client)), len,
		    END_UDP_MAX);
		return;
	}
	if (sn != NULL)
		(void)conn_push(sn->c, buf, len);
	else
		flow_new(svc, buf, len, sa, salen);
}

static void
on_udp(struct ev_loop *loop, ev_io *w, int revents)
{
	struct svc *svc = w->data;
	uint8_t buf[END_UDP_MAX + 1];
	struct sockaddr_storage ss;
	socklen_t len;
	ssize_t n;
	int i;

	(void)loop;
	(void)revents;
	for (i = 0; i < UDP_BURST && svc->lfd != -1; i++) {
		len = sizeof(ss);
		n = recvfrom(svc->lfd, buf, sizeof(buf), MSG_TRUNC,
		    (struct sockaddr *)&ss, &len);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_err(svc->name, "UDP receive: %s",
				    strerror(errno));
			return;
		}
		datagram(svc, buf, (size_t)n, (struct sockaddr *)&ss, len);
	}
}

static void
on_backoff(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct svc *svc = w->data;

	(void)revents;
	if (svc->lfd != -1)
		ev_io_start(loop, &svc->lio);
}

/*
 * A renegotiation of one of the service's associations starts or ends
 * (REKEY_HS_*, rekey.c): it is a handshake in progress (max_handshakes,
 * for accepted associations), and counted when it completes.
 */
static int
on_handshake(void *arg, int ev)
{
	struct svc *svc = arg;
	int mh = svc->max_handshakes;

	if (ev == REKEY_HS_DONE)
		tally_rekey(svc->st);
	if (svc->akind != EP_DTLS_SCTP)
		return 0;
	if (ev == REKEY_HS_START) {
		if (svc->shs != NULL ? shared_enter(svc->shs, SHARED_HANDSHAKES,
		                           mh, NULL) != 0
		                     : mh > 0 && svc->nhandshakes >= mh)
			return -1;
		svc->nhandshakes++;
		return 0;
	}
	svc->nhandshakes--;
	if (svc->shs != NULL)
		shared_leave(svc->shs, SHARED_HANDSHAKES);
	return 0;
}

/* The settings each connection and each DTLS/SCTP end is made with. */
static void
settings(struct svc *svc, const struct svc_conf *sc)
{
	lset_sockopts(sc, &svc->so, &svc->pso);
	svc->tune = sc->sctp;
	svc->so.tune = &svc->tune;
	svc->pso.tune = &svc->tune;
	svc->map = sc->ppid_map;
	svc->pc.loop = svc->loop;
	svc->pc.so = &svc->pso;
	svc->pc.map = &svc->map;
	svc->session_cache = sc->session_cache;
	svc->nodelay = sc->nodelay;
	svc->max_conns = sc->max_conns;
	svc->max_handshakes = sc->max_handshakes;
	svc->dc.loop = svc->loop;
	svc->dc.so = &svc->so;
	svc->dc.dp.app.stream = sc->stream;
	svc->dc.dp.app.ppid = sc->ppid;
	svc->dc.dp.rekey.on = sc->rekey;
	svc->dc.dp.rekey.interval = sc->rekey_interval;
	svc->dc.dp.rekey.bytes = sc->rekey_bytes;
	svc->dc.dp.rekey.min_interval = sc->rekey_min_interval;
	svc->dc.dp.rekey.timeout = sc->handshake_timeout;
	svc->dc.dp.handshake = on_handshake;
	svc->dc.dp.handshake_arg = svc;
	svc->dc.dp.label_bug = sc->sctp_label_bug;
	svc->rekey_on_reload = sc->rekey_on_reload;
	svc->cc.loop = svc->loop;
	svc->cc.connect_timeout = sc->connect_timeout;
	svc->cc.handshake_timeout = sc->handshake_timeout;
	svc->cc.idle_timeout = sc->idle_timeout;
	svc->cc.close_timeout = sc->close_timeout;
	svc->cc.dtls_near = svc->akind == EP_DTLS_SCTP;
	svc->cc.backend = svc->ctext;
	/* An SCTP client learns of a backend that fails by an ABORT. */
	svc->cc.backend_abort = svc->ckind == EP_SCTP;
}

/* Counting across workers, and their common session ticket keys. */
static int
share(struct svc *svc, const struct svc_conf *sc, struct shared *sh)
{
	if (sh == NULL)
		return 0;
	svc->shs = shared_svc(sh, sc->name);
	if (svc->akind != EP_DTLS_SCTP || !sc->session_cache)
		return 0;
	return tls_ctx_ticket_keys(
	    svc->ctx, shared_secret(sh), SHARED_SECRET_LEN, svc->name);
}

/**
 * svc_new(loop, sc, lfd, sh): a service for the configuration ${sc}: its
 * TLS context (certificates read now), resolved connect addresses and a
 * listener: the bound socket ${lfd} (now owned; see listen.h).
 * With ${sh} (not NULL), max_conns and max_handshakes count in every
 * worker, and a server's session tickets are those of every worker.
 * Returns NULL on failure (logged with the service name; ${lfd} closed).
 */
struct svc *
svc_new(
    struct ev_loop *loop, const struct svc_conf *sc, int lfd, struct shared *sh)
{
	const struct endpoint *dst = &sc->connect;
	struct svc *svc;

	if ((svc = calloc(1, sizeof(*svc))) == NULL ||
	    (svc->st = tally_new()) == NULL) {
		log_err(sc->name, "out of memory");
		free(svc);
		close(lfd);
		return NULL;
	}
	svc->lfd = lfd; /* svc_free() closes it from here on */
	snprintf(svc->name, sizeof(svc->name), "%s", sc->name);
	svc->loop = loop;
	svc->akind = sc->accept.kind;
	svc->ckind = sc->connect.kind;
	endpoint_text(&sc->accept, svc->atext, sizeof(svc->atext));
	endpoint_text(&sc->connect, svc->ctext, sizeof(svc->ctext));
	settings(svc, sc);
	if (svc->akind == EP_DTLS_SCTP || svc->ckind == EP_DTLS_SCTP) {
		if ((svc->ctx = svctls_ctx(
		         sc, svc->akind == EP_DTLS_SCTP, &svc->psk)) == NULL)
			goto err1;
		svc->dc.ctx = svc->ctx;
	}
	if (share(svc, sc, sh) != 0)
		goto err1;
	/* Names are looked up now (a warning if one does not resolve) and
	 * again for the connections; a multi-homed peer's hosts together. */
	if (dst->kind != EP_ECHO &&
	    (svc->dst = resolve_new(loop, dst,
	         dst->kind == EP_UDP ? SOCK_DGRAM : SOCK_STREAM,
	         dst->kind == EP_UDP || dst->kind == EP_TCP ? 0 : IPPROTO_SCTP,
	         svc->name)) == NULL)
		goto err1;
	if (sc->local.host[0] != '\0') {
		if (path_resolve(&sc->local, "0", 1, &svc->local) != 0) {
			log_err(svc->name, "cannot resolve local addresses");
			goto err1;
		}
		(dst->kind == EP_SCTP ? &svc->pso : &svc->so)->local =
		    svc->local;
	}
	svc->dc.dst = svc->dst;
	svc->pc.dst = svc->dst;
	if (svc->akind == EP_UDP && (svc->flows = flows_new()) == NULL) {
		log_err(svc->name, "out of memory");
		goto err1;
	}
	ev_io_init(&svc->lio, svc->akind == EP_UDP ? on_udp : on_accept,
	    svc->lfd, EV_READ);
	svc->lio.data = svc;
	ev_init(&svc->backoff, on_backoff);
	svc->backoff.data = svc;
	ev_io_start(loop, &svc->lio);
	return svc;

err1:
	svc_free(svc);
	return NULL;
}

/* Stop ${svc}'s listener and hand its socket to the caller; -1 if none. */
static int
take_listener(struct svc *svc)
{
	int fd = svc->lfd;

	ev_io_stop(svc->loop, &svc->lio);
	ev_timer_stop(svc->loop, &svc->backoff);
	svc->lfd = -1;
	return fd;
}

/**
 * svc_retire(svc): stop accepting; established connections go on. The
 * owner frees ${svc} (svc_free) once svc_conns() is 0.
 */
void
svc_retire(struct svc *svc)
{
	int fd = take_listener(svc);

	/* UDP flows send through the listening socket: keep it for them
	 * (datagrams that still come are not read: no new flows). */
	if (fd != -1 && svc->akind == EP_UDP && svc->nconns > 0)
		svc->lfd = fd;
	else if (fd != -1)
		close(fd);
	svc->retired = 1;
}

/**
 * svc_free(svc): abort every connection and free ${svc}, logging its
 * counters; a no-op for NULL.
 */
void
svc_free(struct svc *svc)
{
	if (svc == NULL)
		return;
	while (svc->conns != NULL)
		conn_close(svc->conns->c, R_SHUTDOWN);
	if (svc->lfd != -1) {
		ev_io_stop(svc->loop, &svc->lio);
		close(svc->lfd);
	}
	ev_timer_stop(svc->loop, &svc->backoff);
	tally_release(svc->st, svc->name);
	resolve_free(svc->dst);
	if (svc->local != NULL)
		freeaddrinfo(svc->local);
	tls_session_free(svc->sess);
	SSL_CTX_free(svc->ctx);
	psk_free(svc->psk);
	flows_free(svc->flows);
	free(svc);
}

/**
 * svc_renew(old, svc): ${svc} replaces ${old} after a reload: with its
 * rekey_on_reload, the established associations of ${old} renegotiate so
 * that both sides present and verify the reloaded certificates.
 */
void
svc_renew(struct svc *old, const struct svc *svc)
{
	struct svc_conn *sn;
	int n = 0;

	if (!svc->rekey_on_reload || svc->ctx == NULL || old->ctx == NULL)
		return;
	for (sn = old->conns; sn != NULL; sn = sn->next, n++)
		conn_rekey(sn->c, svc->ctx);
	if (n > 0)
		log_info(svc->name,
		    "rekey_on_reload: %d association(s) renegotiate with the "
		    "reloaded certificates",
		    n);
}

/** svc_name(svc): the service's name, its [section]. */
const char *
svc_name(const struct svc *svc)
{
	return svc->name;
}

/** svc_conns(svc): how many connections ${svc} has open. */
int
svc_conns(const struct svc *svc)
{
	return svc->nconns;
}

/** svc_retired(svc): non-zero once ${svc} stopped accepting for good. */
int
svc_retired(const struct svc *svc)
{
	return svc->retired;
}

/**
 * svc_transcript(svc): print the seed's server transcript for ${svc}'s
 * connections on stdout (the flag mode).
 */
void
svc_transcript(struct svc *svc)
{
	svc->cc.transcript = 1;
}

/**
 * svc_follow(svc, old): ${svc} replaces ${old} (a reload): it counts on
 * from ${old}'s counters, which the two share from now on (the summary is
 * logged once, when the last of them is freed).
 */
void
svc_follow(struct svc *svc, struct svc *old)
{
	svc->st = tally_follow(svc->st, old->st);
}

/**
 * svc_dump(svc): log (notice) ${svc}'s counters, in all workers and in
 * this process, and each of its open connections: peer, age, bytes each
 * way, state.
 */
void
svc_dump(const struct svc *svc)
{
	char text[300];
	struct shared_totals t = {svc->nconns, svc->nhandshakes, 0, 0};
	const struct svc_conn *sn;
	struct conn_stats cs;

	if (svc->shs != NULL)
		shared_totals(svc->shs, &t);
	else
		tally_totals(svc->st, &t);
	log_notice(svc->name,
	    "%s%s -> %s: %ld open (max_conns %d), %ld handshaking (max %d), "
	    "%lu accepted, %lu refused in all workers; here %d open, %s",
	    svc->retired ? "(previous settings) " : "", svc->atext, svc->ctext,
	    t.conns, svc->max_conns, t.handshakes, svc->max_handshakes,
	    t.accepted, t.refused, svc->nconns,
	    tally_text(svc->st, text, sizeof(text)));
	for (sn = svc->conns; sn != NULL; sn = sn->next) {
		conn_stats(sn->c, &cs);
		log_notice(conn_who(sn->c),
		    "open %.1fs, %llu bytes up, %llu bytes down, %s",
		    cs.seconds, cs.up, cs.down, conn_state(sn->c));
	}
}

/**
 * svc_publish(svc): add what ${svc}'s open connections moved since the
 * last call to the shared counters (metrics.h), so that they move while
 * connections last.
 */
void
svc_publish(struct svc *svc)
{
	struct svc_conn *sn;

	if (svc->shs == NULL)
		return;
	for (sn = svc->conns; sn != NULL; sn = sn->next)
		tally_publish(svc->shs, sn->c, &sn->pub);
}

/**
 * svc_each_conn(svc, fn, arg): call ${fn}(${arg}, name, c) for each open
 * connection ${c} of ${svc}.
 */
void
svc_each_conn(const struct svc *svc,
    void (*fn)(void *arg, const char *name, const struct conn *c), void *arg)
{
	const struct svc_conn *sn;

	for (sn = svc->conns; sn != NULL; sn = sn->next)
		fn(arg, svc->name, sn->c);
}
