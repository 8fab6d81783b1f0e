/* endpoint.c: endpoints as written in the configuration (endpoint.h). */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* Room for a host (struct endpoint's host and alt[]). */
#define HOST_MAX 256

/* The host ${hp} as net_split_hostport() left it, into ${out}. */
static int
endpoint_host(const char *hp, char *out, const char **why)
{
	struct in_addr a4;
	size_t n = strlen(hp);

	if (hp[0] == '[') {
		/* net_split_hostport() made sure it ends with ']'. */
		if (n - 2 >= HOST_MAX) {
			*why = "bad IPv6 address";
			goto err0;
		}
		memcpy(out, hp + 1, n - 2);
		out[n - 2] = '\0';
		if (strcmp(out, "::") == 0) {
			out[0] = '\0';
		} else if (ipv6_ok(out) != 0) {
			*why = "bad IPv6 address";
			goto err0;
		}
	} else if (n == 0 || strcmp(hp, "*") == 0) {
		/* Every address of both families; 0.0.0.0 is IPv4's alone. */
		out[0] = '\0';
	} else if (strspn(hp, "0123456789.") == n) {
		if (inet_pton(AF_INET, hp, &a4) != 1) {
			*why = "bad IPv4 address";
			goto err0;
		}
		strcpy(out, hp);
	} else if (endpoint_hostname_ok(hp) != 0) {
		*why = "bad host name";
		goto err0;
	} else {
		strcpy(out, hp);
	}
	return 0;

err0:
	return -1;
}

/*
 * One host of a list, without a port ("10.0.0.1", "[2001:db8::1]", a
 * name; ${bare6}: "2001:db8::1" too), into ${out}; never the wildcard.
 */
static int
list_host(const char *s, int bare6, char *out, const char **why)
{
	char b[HOST_MAX + 2];
	size_t n;

	if (s[0] == '\0') {
		*why = "empty address in the list";
		return -1;
	}
	if (s[0] == '[' && (s[strlen(s) - 1] != ']' || strlen(s) < 3)) {
		*why = "expected [IPV6-ADDRESS] in the list";
		return -1;
	}
	if (s[0] != '[' && strchr(s, ':') != NULL) {
		if (!bare6 || ipv6_ok(s) != 0 || strlen(s) >= HOST_MAX) {
			*why = ipv6_ok(s) == 0
			    ? "IPv6 addresses need brackets in a list: "
			      "[ADDRESS]"
			    : "the port is written once, after the last "
			      "address";
			return -1;
		}
		/* "[s]": s is shorter than HOST_MAX (checked above). */
		n = strlen(s);
		b[0] = '[';
		memcpy(b + 1, s, n);
		memcpy(b + 1 + n, "]", 2);
		s = b;
	}
	if (endpoint_host(s, out, why) != 0)
		return -1;
	if (out[0] == '\0') {
		*why = "the wildcard cannot be part of an address list";
		return -1;
	}
	return 0;
}

/*
 * The comma-separated hosts of ${s} up to ${end} (white space around each
 * ignored) into ${ep}.
 */
static int
list_hosts(const char *s, const char *end, int bare6, struct endpoint *ep,
    const char **why)
{
	char seg[HOST_MAX + 2];
	const char *comma, *e;

	do {
		if ((comma = memchr(s, ',', (size_t)(end - s))) == NULL)
			comma = end;
		for (e = comma; e > s && isspace((unsigned char)e[-1]); e--)
			;
		while (s < e && isspace((unsigned char)*s))
			s++;
		if ((size_t)(e - s) >= sizeof(seg)) {
			*why = "address too long";
			return -1;
		}
		if (ep->host[0] != '\0' && ep->nalt == EP_HOSTS - 1) {
			*why = "more than 8 addresses";
			return -1;
		}
		memcpy(seg, s, (size_t)(e - s));
		seg[e - s] = '\0';
		if (list_host(seg, bare6,
		        ep->host[0] == '\0' ? ep->host : ep->alt[ep->nalt++],
		        why) != 0)
			return -1;
		s = comma + 1;
	} while (comma != end);
	return 0;
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
	if (endpoint_host(hp, ep->host, why) != 0)
		goto err0;
	return 0;

err0:
	return -1;
}

/*
 * "HOST[,HOST...]:PORT" (after the scheme) ${s} into ${ep}: several hosts
 * for SCTP alone (multi-homing), the port once, after the last.
 */
static int
endpoint_list(const char *s, struct endpoint *ep, const char **why)
{
	const char *last = strrchr(s, ',');
	char tail[HOST_MAX];

	if (last == NULL)
		return endpoint_addr(s, ep, why);
	if (ep->kind != EP_SCTP && ep->kind != EP_DTLS_SCTP) {
		*why = "several addresses are for sctp:// and dtls+sctp:// "
		       "only (SCTP multi-homing)";
		return -1;
	}
	if (endpoint_addr(last + 1, ep, why) != 0)
		return -1;
	if (ep->host[0] == '\0') {
		*why = "the wildcard cannot be part of an address list";
		return -1;
	}
	memcpy(tail, ep->host, sizeof(tail));
	ep->host[0] = '\0';
	if (list_hosts(s, last, 0, ep, why) != 0)
		return -1;
	if (ep->nalt == EP_HOSTS - 1) {
		*why = "more than 8 addresses";
		return -1;
	}
	memcpy(ep->alt[ep->nalt++], tail, sizeof(tail));
	return 0;
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
	} else if (endpoint_list(s + n, ep, why) != 0) {
		goto err0;
	}
	return 0;

err0:
	memset(ep, 0, sizeof(*ep));
	return -1;
}

/**
 * endpoint_parse_hosts(s, ep, why): "HOST[,HOST...]" (no port, no
 * wildcard; IPv6 addresses with or without brackets) into the hosts of
 * ${ep} (kind EP_NONE), as `local =` takes them. 0, or -1 with *${why}.
 */
int
endpoint_parse_hosts(const char *s, struct endpoint *ep, const char **why)
{
	memset(ep, 0, sizeof(*ep));
	if (list_hosts(s, s + strlen(s), 1, ep, why) != 0) {
		memset(ep, 0, sizeof(*ep));
		return -1;
	}
	return 0;
}

/** endpoint_nhosts(ep): how many hosts ${ep} names (1 + ep->nalt). */
int
endpoint_nhosts(const struct endpoint *ep)
{
	return 1 + ep->nalt;
}

/**
 * endpoint_host_at(ep, i): the ${i}-th host of ${ep} (0: ep->host), as
 * net_resolve() takes it.
 */
const char *
endpoint_host_at(const struct endpoint *ep, int i)
{
	return i == 0 ? ep->host : ep->alt[i - 1];
}

/**
 * endpoint_text(ep, buf, size): ${ep} as it is written in the file
 * ("tcp://[::1]:3868", "echo") into ${buf}; returns ${buf}.
 */
char *
endpoint_text(const struct endpoint *ep, char *buf, size_t size)
{
	const char *h;
	size_t len = 0;
	int i;

	if (ep->kind == EP_ECHO) {
		snprintf(buf, size, "echo");
		return buf;
	}
	len = (size_t)snprintf(buf, size, "%s://", schemes[ep->kind]);
	for (i = 0; i < endpoint_nhosts(ep) && len < size; i++) {
		h = endpoint_host_at(ep, i);
		len += (size_t)snprintf(buf + len, size - len,
		    strchr(h, ':') != NULL ? "%s[%s]" : "%s%s",
		    i > 0 ? "," : "", h[0] ? h : "*");
	}
	if (len < size)
		snprintf(buf + len, size - len, ":%s", ep->port);
	return buf;
}

/* The port space of ${kind}: 1 TCP, 2 UDP, 3 SCTP, 0 none. */
static int
transport(enum ep_kind kind)
{
	return kind == EP_TCP                         ? 1
	    : kind == EP_UDP                          ? 2
	    : kind == EP_DTLS_SCTP || kind == EP_SCTP ? 3
	                                              : 0;
}

/* What the host ${h} listens on: 6 every address, 4 every IPv4 one, 0. */
static int
wildcard(const char *h)
{
	if (h[0] == '\0' || strcmp(h, "*") == 0 || strcmp(h, "::") == 0)
		return 6;
	return strcmp(h, "0.0.0.0") == 0 ? 4 : 0;
}

/* Non-zero if the hosts ${a} and ${b} (neither a wildcard) are one. */
static int
same_host(const char *a, const char *b)
{
	unsigned char x[16], y[16];
	int fam = strchr(a, ':') != NULL ? AF_INET6 : AF_INET;

	if (strchr(a, '%') == NULL && strchr(b, '%') == NULL &&
	    inet_pton(fam, a, x) == 1 && inet_pton(fam, b, y) == 1)
		return memcmp(x, y, fam == AF_INET ? 4 : 16) == 0;
	return strcasecmp(a, b) == 0;
}

/*
 * The address ${h} ("%zone" aside) as IPv6 into ${a} (IPv4 as IPv4-mapped).
 * 0, or -1 if it is not an address.
 */
static int
ip16(const char *h, unsigned char a[16])
{
	char b[INET6_ADDRSTRLEN];
	size_t n = strcspn(h, "%");

	if (n >= sizeof(b))
		return -1;
	memcpy(b, h, n);
	b[n] = '\0';
	if (inet_pton(AF_INET6, b, a) == 1)
		return 0;
	memset(a, 0, 10);
	a[10] = a[11] = 0xff;
	return inet_pton(AF_INET, b, a + 12) == 1 ? 0 : -1;
}

/**
 * endpoint_dup_host(ep): the index of the first host of ${ep} that repeats
 * one before it (the same address, an IPv4 address and its IPv4-mapped
 * IPv6 form being one; names compared without case), or -1 if none does.
 */
int
endpoint_dup_host(const struct endpoint *ep)
{
	unsigned char a[16], b[16];
	int i, j, ai;

	for (i = 1; i < endpoint_nhosts(ep); i++) {
		ai = ip16(endpoint_host_at(ep, i), a) == 0;
		for (j = 0; j < i; j++) {
			if (ai && ip16(endpoint_host_at(ep, j), b) == 0
			        ? memcmp(a, b, sizeof(a)) == 0
			        : strcasecmp(endpoint_host_at(ep, i),
			              endpoint_host_at(ep, j)) == 0)
				return i;
		}
	}
	return -1;
}

/**
 * endpoint_has_ip(ep, ip): whether the IP address ${ip} (text, IPv4 or
 * IPv6, no brackets) is one of the hosts of ${ep}, an IPv4 address and its
 * IPv4-mapped IPv6 form being one: 1 if it is, 0 if it is not and every
 * host is an address, -1 if it is not among the addresses but a host is a
 * name (known once resolved) or ${ip} is not an address.
 */
int
endpoint_has_ip(const struct endpoint *ep, const char *ip)
{
	unsigned char want[16], h[16];
	int i, names = 0;

	if (ip16(ip, want) != 0)
		return -1;
	for (i = 0; i < endpoint_nhosts(ep); i++) {
		if (ip16(endpoint_host_at(ep, i), h) != 0)
			names++;
		else if (memcmp(h, want, sizeof(h)) == 0)
			return 1;
	}
	return names > 0 ? -1 : 0;
}

/* Non-zero if listening on the hosts ${a} and ${b} takes one address. */
static int
host_overlap(const char *a, const char *b)
{
	int wa = wildcard(a), wb = wildcard(b);

	if (wa == 6 || wb == 6)
		return 1;
	if (wa == 4 || wb == 4) /* an IPv6 address is outside it */
		return strchr(wa == 4 ? b : a, ':') == NULL;
	return same_host(a, b);
}

/**
 * endpoint_overlap(a, b): non-zero if listening on ${a} and on ${b} would
 * take the same connections: the same port of the same transport (TCP,
 * UDP, or SCTP for sctp:// and dtls+sctp://) and an address in common
 * (any host of a multi-homed SCTP endpoint with any host of the other),
 * or a wildcard covering the other's (0.0.0.0 every IPv4 address; "*",
 * [::] or no address every address). Host names are compared as written.
 */
int
endpoint_overlap(const struct endpoint *a, const struct endpoint *b)
{
	int i, j;

	if (transport(a->kind) == 0 ||
	    transport(a->kind) != transport(b->kind) ||
	    strtoul(a->port, NULL, 10) != strtoul(b->port, NULL, 10))
		return 0;
	for (i = 0; i < endpoint_nhosts(a); i++)
		for (j = 0; j < endpoint_nhosts(b); j++)
			if (host_overlap(
			        endpoint_host_at(a, i), endpoint_host_at(b, j)))
				return 1;
	return 0;
}
