/* server.c: DTLS/SCTP listeners: bind, accept, back off on EMFILE. */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conn.h"
#include "log.h"
#include "net.h"
#include "server.h"

#define ACCEPT_BACKOFF 1.0 /* seconds to pause accept() on EMFILE */

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
				log_warn(svc->name,
				    "accept: %s; pausing for "
				    "%.0fs",
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
		if (svc->max_conns > 0 && svc->nconns >= svc->max_conns) {
			char peer[NET_ADDRSTRLEN];
			struct linger l = {1, 0};

			log_warn(svc->name,
			    "%s: refused, %d connections "
			    "already",
			    net_peer_str(fd, peer, sizeof(peer)), svc->nconns);
			setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
			close(fd);
			continue;
		}
		(void)conn_start(svc, fd);
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

static int
listen_one(struct svc *svc, const struct addrinfo *ai)
{
	char addr[NET_ADDRSTRLEN];
	int fd, one = 1, zero = 0;

	net_addr_str(ai->ai_addr, ai->ai_addrlen, addr, sizeof(addr));
	if ((fd = sctp_sock_new(ai->ai_family, &svc->so, svc->name)) == -1)
		goto err0;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* A wildcard IPv6 listener serves IPv4 too. */
	if (ai->ai_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
		log_err(svc->name, "bind %s: %s", addr, strerror(errno));
		goto err1;
	}
	if (listen(fd, SOMAXCONN) != 0) {
		log_err(svc->name, "listen %s: %s", addr, strerror(errno));
		goto err1;
	}
	log_info(svc->name, "listening on dtls+sctp://%s", addr);
	return fd;

err1:
	close(fd);
err0:
	return -1;
}

/**
 * server_listen(svc, host, port): bind a DTLS/SCTP listener for ${svc} to
 * ${host} (NULL: every address, IPv6 and IPv4) and ${port}, with SCTP-AUTH
 * set on it so accepted associations inherit it, and start accepting.
 * 0 or -1 (logged).
 */
int
server_listen(struct svc *svc, const char *host, const char *port)
{
	struct addrinfo *res, *ai;
	int fd = -1;

	if (net_resolve(host, port, SOCK_STREAM, IPPROTO_SCTP, 1, &res) != 0)
		goto err0;
	/* The first address that works; IPv6 wildcard first. */
	for (ai = res; ai != NULL && fd == -1; ai = ai->ai_next)
		if (host == NULL && ai->ai_family == AF_INET6)
			fd = listen_one(svc, ai);
	for (ai = res; ai != NULL && fd == -1; ai = ai->ai_next)
		fd = listen_one(svc, ai);
	freeaddrinfo(res);
	if (fd == -1)
		goto err0;
	svc->lfd = fd;
	ev_io_init(&svc->lio, on_accept, fd, EV_READ);
	svc->lio.data = svc;
	ev_init(&svc->backoff, on_backoff);
	svc->backoff.data = svc;
	ev_io_start(svc->loop, &svc->lio);
	return 0;

err0:
	return -1;
}

/**
 * server_stop(svc): stop accepting and close the listener; a no-op if there
 * is none.
 */
void
server_stop(struct svc *svc)
{
	if (svc->lfd == -1)
		return;
	ev_io_stop(svc->loop, &svc->lio);
	ev_timer_stop(svc->loop, &svc->backoff);
	close(svc->lfd);
	svc->lfd = -1;
}
