/*
 * svc.c: a service from its configuration: TLS context, resolved connect
 * addresses, the listener (DTLS/SCTP, TCP or UDP) and its accept loop.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conn.h"
#include "log.h"
#include "net.h"
#include "svc.h"
#include "tls.h"

#define ACCEPT_BACKOFF 1.0 /* seconds accept() pauses on EMFILE */
#define UDP_BURST 64 /* datagrams taken per wake-up */
#define FLOW_BUCKETS 256

static const char *const scheme[] = {"", "tcp", "udp", "dtls+sctp", "echo"};

/**
 * svc_endpoint_text(ep, buf, size): ${ep} as it is written in the file
 * ("tcp://[::1]:3868", "echo") into ${buf}; returns ${buf}.
 */
char *
svc_endpoint_text(const struct endpoint *ep, char *buf, size_t size)
{
	if (ep->kind == EP_ECHO)
		snprintf(buf, size, "echo");
	else if (strchr(ep->host, ':') != NULL)
		snprintf(buf, size, "%s://[%s]:%s", scheme[ep->kind], ep->host,
		    ep->port);
	else
		snprintf(buf, size, "%s://%s:%s", scheme[ep->kind],
		    ep->host[0] ? ep->host : "*", ep->port);
	return buf;
}

/* Refuse (abort) ${fd} if the service is full; 1 if refused. */
static int
too_many(struct svc *svc, int fd)
{
	char peer[NET_ADDRSTRLEN];
	struct linger l = {1, 0};

	if ((svc->max_conns == 0 || svc->nconns < svc->max_conns) &&
	    (svc->akind != EP_DTLS_SCTP || svc->max_handshakes == 0 ||
	        svc->nhandshakes < svc->max_handshakes))
		return 0;
	svc->st.refused++;
	if (svc->max_conns > 0 && svc->nconns >= svc->max_conns)
		log_warn(svc->name,
		    "%s: refused, %d connections already "
		    "(max_conns)",
		    net_peer_str(fd, peer, sizeof(peer)), svc->nconns);
	else
		log_warn(svc->name,
		    "%s: refused, %d handshakes in progress "
		    "(max_handshakes)",
		    net_peer_str(fd, peer, sizeof(peer)), svc->nhandshakes);
	(void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(fd);
	return 1;
}

static void
on_accept(struct ev_loop *loop, ev_io *w, int revents)
{
	struct svc *svc = w->data;
	int fd;

	(void)revents;
	for (;;) {
		fd =
		    accept4(svc->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
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
		if (too_many(svc, fd))
			continue;
		if (svc->akind == EP_DTLS_SCTP)
			(void)conn_from_sctp(svc, fd);
		else
			(void)conn_from_tcp(svc, fd);
	}
}

static void
on_udp(struct ev_loop *loop, ev_io *w, int revents)
{
	struct svc *svc = w->data;
	uint8_t buf[CONN_BUF + 1];
	struct sockaddr_storage ss;
	socklen_t len;
	ssize_t n;
	int i;

	(void)loop;
	(void)revents;
	for (i = 0; i < UDP_BURST; i++) {
		len = sizeof(ss);
		n = recvfrom(svc->lfd, buf, sizeof(buf), MSG_TRUNC,
		    (struct sockaddr *)&ss, &len);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_err(svc->name, "UDP receive: %s",
				    strerror(errno));
			return;
		}
		conn_udp_input(
		    svc, buf, (size_t)n, (struct sockaddr *)&ss, len);
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

/* A bound listening socket for the accept endpoint, or -1 (logged). */
static int
listen_on(struct svc *svc, const struct endpoint *ep, int reuseport)
{
	struct addrinfo *res, *ai;
	char addr[NET_ADDRSTRLEN];
	int fd = -1, one = 1, zero = 0, type, pass;

	type = ep->kind == EP_UDP ? SOCK_DGRAM : SOCK_STREAM;
	if (net_resolve(ep->host[0] ? ep->host : NULL, ep->port, type,
	        ep->kind == EP_DTLS_SCTP ? IPPROTO_SCTP : 0, 1, &res) != 0)
		return -1;
	/* A wildcard listens on IPv6 and IPv4 at once where it can. */
	for (pass = 0; pass < 2 && fd == -1; pass++) {
		for (ai = res; ai != NULL && fd == -1; ai = ai->ai_next) {
			if (pass == 0 &&
			    (ep->host[0] || ai->ai_family != AF_INET6))
				continue;
			net_addr_str(
			    ai->ai_addr, ai->ai_addrlen, addr, sizeof(addr));
			if (ep->kind == EP_DTLS_SCTP)
				fd = sctp_sock_new(
				    ai->ai_family, &svc->so, svc->name);
			else if ((fd = socket(ai->ai_family,
			              type | SOCK_NONBLOCK | SOCK_CLOEXEC,
			              0)) == -1)
				log_err(
				    svc->name, "socket: %s", strerror(errno));
			if (fd == -1)
				continue;
			(void)setsockopt(
			    fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
			if (reuseport &&
			    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one,
			        sizeof(one)) != 0)
				log_warn(svc->name, "SO_REUSEPORT: %s",
				    strerror(errno));
			if (ai->ai_family == AF_INET6)
				(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY,
				    &zero, sizeof(zero));
			if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
			    (type == SOCK_STREAM &&
			        listen(fd, SOMAXCONN) != 0)) {
				log_err(svc->name, "cannot listen on %s: %s",
				    addr, strerror(errno));
				close(fd);
				fd = -1;
			}
		}
	}
	freeaddrinfo(res);
	if (fd != -1)
		log_info(
		    svc->name, "listening on %s://%s", scheme[ep->kind], addr);
	return fd;
}

/* Warn if the secret ${what} file ${path} can be read by others. */
static void
secret_mode(const char *name, const char *what, const char *path)
{
	struct stat st;

	if (path != NULL && stat(path, &st) == 0 &&
	    (st.st_mode & (S_IROTH | S_IWOTH)) != 0)
		log_warn(name,
		    "%s %s is readable by others (mode "
		    "%03o): chmod o-rw it",
		    what, path, (unsigned)(st.st_mode & 0777));
}

/* The TLS context of ${svc} from ${sc}; its pre-shared keys are copied. */
/**
 * svc_conf_tls(sc, t): the TLS settings of the service ${sc} in ${t}, as
 * tls_ctx_new() takes them (the keys of psk_secrets excepted: t->psk is
 * the caller's to set).
 */
void
svc_conf_tls(const struct svc_conf *sc, struct tls_conf *t)
{
	memset(t, 0, sizeof(*t));
	t->cert = sc->cert;
	t->key = sc->key;
	t->ca = sc->ca;
	t->capath = sc->capath;
	t->crl = sc->crl;
	t->check_host = sc->check_host;
	t->check_ip = sc->check_ip;
	t->verify_depth = sc->verify_depth;
	t->ciphers = sc->ciphers;
	t->groups = sc->groups;
	t->min_version = sc->min_version;
	t->max_version = sc->max_version;
	t->options = sc->options;
	t->psk_identity = sc->psk_identity;
	t->no_session_cache = !sc->session_cache;
	t->session_timeout = sc->session_timeout;
	t->insecure = !sc->verify;
}

static SSL_CTX *
tls_ctx(struct svc *svc, const struct svc_conf *sc, int server)
{
	struct tls_conf t;

	if (sc->psk != NULL && (svc->psk = psk_dup(sc->psk)) == NULL) {
		log_err(sc->name, "out of memory");
		goto err0;
	}
	svc_conf_tls(sc, &t);
	t.psk = svc->psk;
	secret_mode(sc->name, "private key", sc->key);
	secret_mode(sc->name, "psk_secrets file", sc->psk_secrets);
	if (!sc->verify)
		log_warn(sc->name,
		    "verify = none: DTLS peers are not "
		    "verified; anyone can impersonate them");
	return tls_ctx_new(&t, server, sc->name);

err0:
	return NULL;
}

/**
 * svc_new(loop, sc, lfd): a service for the configuration ${sc}: its TLS
 * context (certificates read now), resolved connect addresses and a
 * listener, reusing the bound socket ${lfd} if not -1 (a reload). Returns
 * NULL on failure (logged with the service name).
 */
struct svc *
svc_new(struct ev_loop *loop, const struct svc_conf *sc, int lfd)
{
	const struct endpoint *dst = &sc->connect;
	struct svc *svc;

	if ((svc = calloc(1, sizeof(*svc))) == NULL) {
		log_err(sc->name, "out of memory");
		goto err0;
	}
	snprintf(svc->name, sizeof(svc->name), "%s", sc->name);
	svc->loop = loop;
	svc->lfd = -1;
	svc->akind = sc->accept.kind;
	svc->ckind = sc->connect.kind;
	svc_endpoint_text(&sc->accept, svc->atext, sizeof(svc->atext));
	svc_endpoint_text(&sc->connect, svc->ctext, sizeof(svc->ctext));
	svc->so.nodelay = sc->nodelay;
	svc->so.ostreams = sc->stream >= 10 ? (uint16_t)(sc->stream + 1) : 0;
	svc->so.hmac_sha1 = sc->sctp_hmac_sha1;
	svc->session_cache = sc->session_cache;
	svc->dp.app.stream = sc->stream;
	svc->dp.app.ppid = sc->ppid;
	svc->nodelay = sc->nodelay;
	svc->connect_timeout = sc->connect_timeout;
	svc->handshake_timeout = sc->handshake_timeout;
	svc->idle_timeout = sc->idle_timeout;
	svc->close_timeout = sc->close_timeout;
	svc->max_conns = sc->max_conns;
	svc->max_handshakes = sc->max_handshakes;
	if (svc->akind == EP_DTLS_SCTP || svc->ckind == EP_DTLS_SCTP) {
		if ((svc->ctx = tls_ctx(svc, sc, svc->akind == EP_DTLS_SCTP)) ==
		    NULL)
			goto err1;
	}
	if (dst->kind != EP_ECHO &&
	    net_resolve(dst->host, dst->port,
	        dst->kind == EP_UDP ? SOCK_DGRAM : SOCK_STREAM,
	        dst->kind == EP_DTLS_SCTP ? IPPROTO_SCTP : 0, 0,
	        &svc->dst) != 0) {
		log_err(svc->name, "cannot resolve connect = %s", svc->ctext);
		goto err1;
	}
	if (svc->akind == EP_UDP &&
	    (svc->flows = calloc(FLOW_BUCKETS, sizeof(*svc->flows))) == NULL) {
		log_err(svc->name, "out of memory");
		goto err1;
	}
	if (lfd == -1 &&
	    (lfd = listen_on(svc, &sc->accept, sc->reuseport)) == -1)
		goto err1;
	svc->lfd = lfd;
	ev_io_init(
	    &svc->lio, svc->akind == EP_UDP ? on_udp : on_accept, lfd, EV_READ);
	svc->lio.data = svc;
	ev_init(&svc->backoff, on_backoff);
	svc->backoff.data = svc;
	ev_io_start(loop, &svc->lio);
	return svc;

err1:
	svc_free(svc);
err0:
	return NULL;
}

/**
 * svc_take_listener(svc): stop ${svc}'s listener and hand its socket to
 * the caller (for the service replacing it); -1 if none.
 */
int
svc_take_listener(struct svc *svc)
{
	int fd = svc->lfd;

	ev_io_stop(svc->loop, &svc->lio);
	ev_timer_stop(svc->loop, &svc->backoff);
	svc->lfd = -1;
	return fd;
}

/**
 * svc_resume_listener(svc, fd): give the listening socket ${fd} (from
 * svc_take_listener()) back to ${svc} and accept again.
 */
void
svc_resume_listener(struct svc *svc, int fd)
{
	svc->lfd = fd;
	ev_io_set(&svc->lio, fd, EV_READ);
	ev_io_start(svc->loop, &svc->lio);
}

/**
 * svc_retire(svc): stop accepting; established connections go on. The
 * owner frees ${svc} (svc_free) once svc->nconns is 0.
 */
void
svc_retire(struct svc *svc)
{
	int fd = svc_take_listener(svc);

	/* UDP flows send through the listening socket: keep it for them. */
	if (fd != -1 && svc->akind == EP_UDP && svc->nconns > 0)
		svc->lfd = fd;
	else if (fd != -1)
		close(fd);
	svc->retired = 1;
}

/**
 * svc_free(svc): abort every connection and free ${svc}; a no-op for NULL.
 */
void
svc_free(struct svc *svc)
{
	if (svc == NULL)
		return;
	while (svc->conns != NULL)
		conn_close(svc->conns, "shutting down", 1);
	if (svc->lfd != -1) {
		ev_io_stop(svc->loop, &svc->lio);
		close(svc->lfd);
	}
	ev_timer_stop(svc->loop, &svc->backoff);
	log_info(svc->name,
	    "stopped: %lu connection(s), %lu refused, %lu "
	    "datagrams dropped",
	    svc->st.accepted, svc->st.refused, svc->st.dropped);
	if (svc->dst != NULL)
		freeaddrinfo(svc->dst);
	dtls_session_free(svc->sess);
	SSL_CTX_free(svc->ctx);
	psk_free(svc->psk);
	free(svc->flows);
	free(svc);
}
