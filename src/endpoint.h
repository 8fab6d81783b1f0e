#ifndef ENDPOINT_H
#define ENDPOINT_H

#include <stddef.h>

/*
 * Endpoints as written in the configuration: "tcp://[::1]:3868",
 * "dtls+sctp://peer.example.net:5658", "echo".
 */

/* What one side of a service is. */
enum ep_kind {
	EP_NONE = 0,
	EP_TCP, /* tcp://host:port */
	EP_UDP, /* udp://host:port */
	EP_DTLS_SCTP, /* dtls+sctp://host:port */
	EP_ECHO, /* echo: the built-in echo target (connect only) */
	EP_SCTP, /* sctp://host:port: plaintext SCTP */
};

/* Addresses of a multi-homed SCTP endpoint at most. */
#define EP_HOSTS 8

/*
 * An endpoint as written: "tcp://[::1]:3868", "dtls+sctp://h:5658"; an
 * SCTP one may list several hosts: "sctp://10.0.0.1,[2001:db8::1]:3868".
 */
struct endpoint {
	enum ep_kind kind;
	char host[256]; /* without brackets; "" for the wildcard */
	char alt[EP_HOSTS - 1][256]; /* the hosts after the first (SCTP) */
	int nalt;
	char port[32];
	int line; /* where it was given */
};

/**
 * endpoint_parse(s, ep, why): parse the endpoint text ${s} into ${ep}.
 * 0, or -1 with *${why} saying what is wrong.
 */
int endpoint_parse(const char *s, struct endpoint *ep, const char **why);

/**
 * endpoint_parse_hosts(s, ep, why): "HOST[,HOST...]" (no port, no
 * wildcard; IPv6 addresses with or without brackets) into the hosts of
 * ${ep} (kind EP_NONE), as `local =` takes them. 0, or -1 with *${why}.
 */
int endpoint_parse_hosts(const char *s, struct endpoint *ep, const char **why);

/** endpoint_nhosts(ep): how many hosts ${ep} names (1 + ep->nalt). */
int endpoint_nhosts(const struct endpoint *ep);

/**
 * endpoint_host_at(ep, i): the ${i}-th host of ${ep} (0: ep->host), as
 * net_resolve() takes it.
 */
const char *endpoint_host_at(const struct endpoint *ep, int i);

/**
 * endpoint_text(ep, buf, size): ${ep} as it is written in the file
 * ("tcp://[::1]:3868", "echo") into ${buf}; returns ${buf}.
 */
char *endpoint_text(const struct endpoint *ep, char *buf, size_t size);

/** endpoint_scheme(kind): "tcp", "udp", "dtls+sctp", "echo" or "sctp". */
const char *endpoint_scheme(enum ep_kind kind);

/**
 * endpoint_hostname_ok(s): 0 if ${s} is a DNS name: dot-separated labels
 * of letters, digits, '-' and '_'; else -1.
 */
int endpoint_hostname_ok(const char *s);

/**
 * endpoint_dup_host(ep): the index of the first host of ${ep} that repeats
 * one before it (the same address, an IPv4 address and its IPv4-mapped
 * IPv6 form being one; names compared without case), or -1 if none does.
 */
int endpoint_dup_host(const struct endpoint *ep);

/**
 * endpoint_has_ip(ep, ip): whether the IP address ${ip} (text, IPv4 or
 * IPv6, no brackets) is one of the hosts of ${ep}, an IPv4 address and its
 * IPv4-mapped IPv6 form being one: 1 if it is, 0 if it is not and every
 * host is an address, -1 if it is not among the addresses but a host is a
 * name (known once resolved) or ${ip} is not an address.
 */
int endpoint_has_ip(const struct endpoint *ep, const char *ip);

/**
 * endpoint_overlap(a, b): non-zero if listening on ${a} and on ${b} would
 * take the same connections: the same port of the same transport (TCP,
 * UDP, or SCTP for sctp:// and dtls+sctp://) and an address in common
 * (any host of a multi-homed SCTP endpoint with any host of the other),
 * or a wildcard covering the other's (0.0.0.0 every IPv4 address; "*",
 * [::] or no address every address). Host names are compared as written.
 */
int endpoint_overlap(const struct endpoint *a, const struct endpoint *b);

#endif
