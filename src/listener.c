/*
 * listener.c: the listening socket of a service's accept endpoint (TCP,
 * UDP, SCTP, DTLS/SCTP), multi-homed for SCTP (listener.h).
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "listener.h"
#include "log.h"
#include "net.h"
#include "path.h"
#include "sctp.h"

/*
 * An SCTP listener bound to every address of the accept endpoint's hosts
 * (multi-homing), or -1 (logged).
 */
static int
listen_sctp(const struct endpoint *ep, const struct sctp_sockopts *so,
    int reuseport, const char *who)
{
	struct addrinfo *res;
	char text[300];
	int fd;

	if (path_resolve(ep, NULL, 1, &res) != 0)
		return -1;
	fd = path_listen(res, so, reuseport, who);
	freeaddrinfo(res);
	if (fd != -1)
		log_info(who, "listening on %s",
		    endpoint_text(ep, text, sizeof(text)));
	return fd;
}

/**
 * listener_open(ep, so, reuseport, who): a bound, listening, non-blocking
 * socket for the accept endpoint ${ep} (an SCTP one made with the socket
 * options ${so}, bound to every address of its hosts; a wildcard on IPv6
 * and IPv4 at once where it can), sharing its port (SO_REUSEPORT) if
 * ${reuseport}; or -1, logged with the prefix ${who}.
 */
int
listener_open(const struct endpoint *ep, const struct sctp_sockopts *so,
    int reuseport, const char *who)
{
	struct addrinfo *res, *ai;
	char addr[NET_ADDRSTRLEN];
	int fd = -1, one = 1, zero = 0, type, pass;
	int sctp = ep->kind == EP_DTLS_SCTP || ep->kind == EP_SCTP;

	type = ep->kind == EP_UDP ? SOCK_DGRAM : SOCK_STREAM;
	if (sctp && ep->host[0] != '\0')
		return listen_sctp(ep, so, reuseport, who);
	if (net_resolve(ep->host[0] ? ep->host : NULL, ep->port, type,
	        sctp ? IPPROTO_SCTP : 0, 1, &res) != 0)
		return -1;
	/* A wildcard listens on IPv6 and IPv4 at once where it can. */
	for (pass = 0; pass < 2 && fd == -1; pass++) {
		for (ai = res; ai != NULL && fd == -1; ai = ai->ai_next) {
			if (pass == 0 &&
			    (ep->host[0] || ai->ai_family != AF_INET6))
				continue;
			net_addr_str(
			    ai->ai_addr, ai->ai_addrlen, addr, sizeof(addr));
			if (sctp)
				fd = sctp_sock_new(ai->ai_family, so, who);
			else if ((fd = socket(ai->ai_family,
			              type | SOCK_NONBLOCK | SOCK_CLOEXEC,
			              0)) == -1)
				log_err(who, "socket: %s", strerror(errno));
			if (fd == -1)
				continue;
			(void)setsockopt(
			    fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
			if (reuseport &&
			    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one,
			        sizeof(one)) != 0)
				log_warn(
				    who, "SO_REUSEPORT: %s", strerror(errno));
			if (ai->ai_family == AF_INET6)
				(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY,
				    &zero, sizeof(zero));
			if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
			    (type == SOCK_STREAM &&
			        listen(fd, SOMAXCONN) != 0)) {
				log_err(who, "cannot listen on %s: %s", addr,
				    strerror(errno));
				close(fd);
				fd = -1;
			}
		}
	}
	freeaddrinfo(res);
	if (fd != -1)
		log_info(who, "listening on %s://%s", endpoint_scheme(ep->kind),
		    addr);
	return fd;
}
