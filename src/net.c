/* net.c: address resolution and formatting shared by every socket kind. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "net.h"

/**
 * net_resolve(host, port, socktype, proto, passive, res): getaddrinfo() for
 * ${host} (NULL or "" with ${passive}: every local address; "[v6]" allowed)
 * and the numeric or named ${port}. 0 with *${res} set, or -1 with a
 * message in the log naming host and port.
 */
int
net_resolve(const char *host, const char *port, int socktype, int proto,
    int passive, struct addrinfo **res)
{
	struct addrinfo hints;
	char h[256];
	size_t n;
	int rc;

	if (host != NULL && host[0] == '[') {
		n = strlen(host);
		if (n < 3 || host[n - 1] != ']' || n - 2 >= sizeof(h)) {
			log_err(NULL, "bad address: %s", host);
			return -1;
		}
		memcpy(h, host + 1, n - 2);
		h[n - 2] = '\0';
		host = h;
	}
	if (host != NULL && host[0] == '\0')
		host = NULL;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = socktype;
	hints.ai_protocol = proto;
	hints.ai_flags = AI_ADDRCONFIG | (passive ? AI_PASSIVE : 0);
	/* Wildcard listeners: prefer the IPv6 one, which is dual-stack. */
	if (host == NULL && passive)
		hints.ai_flags &= ~AI_ADDRCONFIG;
	rc = getaddrinfo(host, port, &hints, res);
	if (rc == EAI_BADFLAGS ||
	    (rc != 0 && (hints.ai_flags & AI_ADDRCONFIG))) {
		hints.ai_flags &= ~AI_ADDRCONFIG;
		rc = getaddrinfo(host, port, &hints, res);
	}
	if (rc != 0) {
		log_err(NULL, "cannot resolve %s port %s: %s",
		    host != NULL ? host : "*", port, gai_strerror(rc));
		return -1;
	}
	return 0;
}

/**
 * net_addr_str(sa, len, buf, size): "a.b.c.d:port" or "[v6]:port" for
 * ${sa} into ${buf} (an IPv4-mapped IPv6 address as IPv4); returns ${buf}.
 */
char *
net_addr_str(const struct sockaddr *sa, socklen_t len, char *buf, size_t size)
{
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
	char host[NI_MAXHOST], serv[NI_MAXSERV];
	struct sockaddr_in s4;

	if (sa->sa_family == AF_INET6 && len >= sizeof(*s6) &&
	    IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
		memset(&s4, 0, sizeof(s4));
		s4.sin_family = AF_INET;
		s4.sin_port = s6->sin6_port;
		memcpy(&s4.sin_addr, &s6->sin6_addr.s6_addr[12], 4);
		sa = (const struct sockaddr *)&s4;
		len = sizeof(s4);
	}

	if (getnameinfo(sa, len, host, sizeof(host), serv, sizeof(serv),
	        NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		snprintf(buf, size, "?");
		return buf;
	}
	if (sa->sa_family == AF_INET6)
		snprintf(buf, size, "[%s]:%s", host, serv);
	else
		snprintf(buf, size, "%s:%s", host, serv);
	return buf;
}

/** net_peer_str(fd, buf, size): the peer address of ${fd} as text. */
char *
net_peer_str(int fd, char *buf, size_t size)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getpeername(fd, (struct sockaddr *)&ss, &len) != 0) {
		snprintf(buf, size, "?");
		return buf;
	}
	return net_addr_str((struct sockaddr *)&ss, len, buf, size);
}

/**
 * net_split_hostport(s, host, hsize, port, psize): split "host:port",
 * "[v6]:port" or "v6addr" (no port) into ${host} and ${port} (left empty
 * when absent). 0, or -1 if malformed or too long.
 */
int
net_split_hostport(
    const char *s, char *host, size_t hsize, char *port, size_t psize)
{
	const char *colon, *end;
	size_t hl;

	host[0] = port[0] = '\0';
	if (s[0] == '[') {
		if ((end = strchr(s, ']')) == NULL)
			return -1;
		hl = (size_t)(end - s) + 1; /* keep the brackets */
		if (end[1] == ':')
			colon = end + 1;
		else if (end[1] == '\0')
			colon = NULL;
		else
			return -1;
	} else {
		colon = strrchr(s, ':');
		/* Two colons or more without brackets: a bare IPv6 address. */
		if (colon != NULL && strchr(s, ':') != colon)
			colon = NULL;
		hl = colon != NULL ? (size_t)(colon - s) : strlen(s);
	}
	if (hl >= hsize)
		return -1;
	memcpy(host, s, hl);
	host[hl] = '\0';
	if (colon != NULL) {
		if (strlen(colon + 1) >= psize || colon[1] == '\0')
			return -1;
		strcpy(port, colon + 1);
	}
	return 0;
}
