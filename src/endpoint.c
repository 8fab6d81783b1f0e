/* endpoint.c: endpoints as written in the configuration (endpoint.h). */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "endpoint.h"
#include "net.h"

static const char *const schemes[] = {
    "", "tcp", "udp", "dtls+sctp", "echo", "sctp"};

/** endpoint_scheme(kind): "tcp", "udp", "dtls+sctp", "echo" or "sctp". */
const char *
endpoint_scheme(enum ep_kind kind)
{
	return kind <= EP_SCTP ? schemes[kind] : "?";
}

/* An IPv6 address, with an optional "%zone". */
static int
ipv6_ok(const char *s)
{
	struct in6_addr a;
	char addr[INET6_ADDRSTRLEN];
	const char *zone;
	size_t n;

	zone = strchr(s, '%');
	n = zone != NULL ? (size_t)(zone - s) : strlen(s);
	if (n >= sizeof(addr))
		goto err0;
	memcpy(addr, s, n);
	addr[n] = '\0';
	if (inet_pton(AF_INET6, addr, &a) != 1)
		goto err0;
	if (zone != NULL &&
	    (zone[1] == '\0' ||
	        strspn(zone + 1,
	            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	            "0123456789._-") != strlen(zone + 1)))
		goto err0;
	return 0;

err0:
	return -1;
}

/**
 * endpoint_hostname_ok(s): 0 if ${s} is a DNS name: dot-separated labels
 * of letters, digits, '-' and '_'; else -1.
 */
int
endpoint_hostname_ok(const char *s)
{
	size_t n = strlen(s), label = 0;
	const char *p;

	if (n == 0 || n > 253 || s[0] == '.')
		goto err0;
	for (p = s; *p != '\0'; p++) {
		if (*p == '.') {
			if (label == 0)
				goto err0;
			label = 0;
		} else if (isalnum((unsigned char)*p) || *p == '-' ||
		    *p == '_') {
			if (++label > 63)
				goto err0;
		} else {
			goto err0;
		}
	}
	return 0;

err0:
	return -1;
}

/* The host ${hp} as net_split_hostport() left it, into ${ep}->host. */
static int
endpoint_host(const char *hp, struct endpoint *ep, const char **why)
{
	struct in_addr a4;
	size_t n = strlen(hp);

	if (hp[0] == '[') {
		/* net_split_hostport() made sure it ends with ']'. */
		if (n - 2 >= sizeof(ep->host)) {
			*why = "bad IPv6 address";
			goto err0;
		}
		memcpy(ep->host, hp + 1, n - 2);
		ep->host[n - 2] = '\0';
		if (strcmp(ep->host, "::") == 0) {
			ep->host[0] = '\0';
		} else if (ipv6_ok(ep->host) != 0) {
			*why = "bad IPv6 address";
			goto err0;
		}
	} else if (n == 0 || strcmp(hp, "*") == 0) {
		/* Every address of both families; 0.0.0.0 is IPv4's alone. */
		ep->host[0] = '\0';
	} else if (strspn(hp, "0123456789.") == n) {
		if (inet_pton(AF_INET, hp, &a4) != 1) {
			*why = "bad IPv4 address";
			goto err0;
		}
		strcpy(ep->host, hp);
	} else if (endpoint_hostname_ok(hp) != 0) {
		*why = "bad host name";
		goto err0;
	} else {
		strcpy(ep->host, hp);
	}
	return 0;

err0:
	return -1;
}

/* "HOST:PORT" (after the scheme) ${s} into ${ep}. */
static int
endpoint_addr(const char *s, struct endpoint *ep, const char **why)
{
	char hp[sizeof(ep->host) + 2];
	unsigned long port;
	size_t n = strlen(s);

	if (n > 0 && s[n - 1] == ':') {
		*why = "missing port";
		goto err0;
	}
	if (s[0] == '[' && strchr(s, ']') == NULL) {
		*why = "missing ']' after the IPv6 address";
		goto err0;
	}
	if (net_split_hostport(s, hp, sizeof(hp), ep->port, sizeof(ep->port)) !=
	    0) {
		*why = "expected HOST:PORT, [IPV6-ADDRESS]:PORT or *:PORT";
		goto err0;
	}
	if (ep->port[0] == '\0') {
		if (hp[0] != '[' && strchr(hp, ':') != NULL)
			*why = "IPv6 addresses need brackets: [ADDRESS]:PORT";
		else
			*why = "missing port";
		goto err0;
	}
	if (strspn(ep->port, "0123456789") != strlen(ep->port)) {
		*why = "the port must be a number from 1 to 65535";
		goto err0;
	}
	if ((port = strtoul(ep->port, NULL, 10)) == 0 || port > 65535) {
		*why = "port out of range (1 to 65535)";
		goto err0;
	}
	if (endpoint_host(hp, ep, why) != 0)
		goto err0;
	return 0;

err0:
	return -1;
}

/**
 * endpoint_parse(s, ep, why): parse the endpoint text ${s} into ${ep}.
 * 0, or -1 with *${why} saying what is wrong.
 */
int
endpoint_parse(const char *s, struct endpoint *ep, const char **why)
{
	size_t i, n = 0;

	memset(ep, 0, sizeof(*ep));
	for (i = EP_TCP; i <= EP_SCTP; i++) {
		if (i == EP_ECHO)
			continue;
		n = strlen(schemes[i]);
		if (strncmp(s, schemes[i], n) == 0 &&
		    strncmp(s + n, "://", 3) == 0) {
			ep->kind = (enum ep_kind)i;
			n += 3;
			break;
		}
	}
	if (strcmp(s, "echo") == 0) {
		ep->kind = EP_ECHO;
	} else if (ep->kind == EP_NONE) {
		*why =
		    "expected tcp://, udp://, sctp:// or dtls+sctp://HOST:PORT, "
		    "or echo";
		goto err0;
	} else if (endpoint_addr(s + n, ep, why) != 0) {
		goto err0;
	}
	return 0;

err0:
	memset(ep, 0, sizeof(*ep));
	return -1;
}

/**
 * endpoint_text(ep, buf, size): ${ep} as it is written in the file
 * ("tcp://[::1]:3868", "echo") into ${buf}; returns ${buf}.
 */
char *
endpoint_text(const struct endpoint *ep, char *buf, size_t size)
{
	if (ep->kind == EP_ECHO)
		snprintf(buf, size, "echo");
	else if (strchr(ep->host, ':') != NULL)
		snprintf(buf, size, "%s://[%s]:%s", schemes[ep->kind], ep->host,
		    ep->port);
	else
		snprintf(buf, size, "%s://%s:%s", schemes[ep->kind],
		    ep->host[0] ? ep->host : "*", ep->port);
	return buf;
}
