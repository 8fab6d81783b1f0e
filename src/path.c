/*
 * path.c: SCTP multi-homing and path management (path.h): address lists
 * bound and offered together, the primary path, path state changes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "net.h"
#include "path.h"

/* Addresses listed in a log line at most. */
#define LIST_MAX 8

/* Length of the sockaddr ${sa} (IPv4 or IPv6) in a packed list. */
static socklen_t
sa_len(const struct sockaddr *sa)
{
	return sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
	                                 : sizeof(struct sockaddr_in);
}

static int
setopt(int fd, int opt, const void *val, socklen_t len)
{
	return setsockopt(fd, IPPROTO_SCTP, opt, val, len);
}

static int
getopt_(int fd, int opt, void *val, socklen_t len)
{
	return getsockopt(fd, IPPROTO_SCTP, opt, val, &len);
}

/**
 * path_resolve(ep, port, passive, res): every address of every host of
 * ${ep} (a multi-homed SCTP endpoint, or `local =`), for SCTP, in the
 * order written, into one list (*${res}, freeaddrinfo()). ${port} replaces
 * ep->port if not NULL. 0, or -1 (logged).
 */
int
path_resolve(const struct endpoint *ep, const char *port, int passive,
    struct addrinfo **res)
{
	struct addrinfo *head = NULL, **tail = &head, *one;
	int i;

	for (i = 0; i < endpoint_nhosts(ep); i++) {
		if (net_resolve(endpoint_host_at(ep, i),
		        port != NULL ? port : ep->port, SOCK_STREAM,
		        IPPROTO_SCTP, passive, &one) != 0)
			goto err;
		/* glibc frees each entry of a list on its own: the lists
		 * of several getaddrinfo() calls can be chained. */
		*tail = one;
		while (*tail != NULL)
			tail = &(*tail)->ai_next;
	}
	*res = head;
	return 0;

err:
	if (head != NULL)
		freeaddrinfo(head);
	return -1;
}

/**
 * path_primary_check(t, connect, why, size): t->primary (if set) against
 * the ${connect} endpoint: -1 with the reason in ${why} (${size} bytes) if
 * that is an SCTP endpoint that lists addresses only and t->primary is not
 * one of them; else 0 (a host name is looked up later: path_up() checks
 * the association's addresses then; without an SCTP connect the primary
 * is for the peers of accepted associations).
 */
int
path_primary_check(const struct sctp_tuning *t, const struct endpoint *connect,
    char *why, size_t size)
{
	const struct sockaddr_in6 *s6 = (const void *)&t->primary;
	const struct sockaddr_in *s4 = (const void *)&t->primary;
	char ip[INET6_ADDRSTRLEN], ep[EP_HOSTS * 260];

	if (t->primary_len == 0 ||
	    (connect->kind != EP_SCTP && connect->kind != EP_DTLS_SCTP))
		return 0;
	if (inet_ntop(t->primary.ss_family,
	        t->primary.ss_family == AF_INET6 ? (const void *)&s6->sin6_addr
	                                         : (const void *)&s4->sin_addr,
	        ip, sizeof(ip)) == NULL ||
	    endpoint_has_ip(connect, ip) != 0)
		return 0;
	snprintf(why, size,
	    "primary = %s is not one of the addresses of connect = %s", ip,
	    endpoint_text(connect, ep, sizeof(ep)));
	return -1;
}

/* The family a socket for all of ${addrs} needs: IPv6 if any is. */
static int
family_of(
    const struct addrinfo *const *addrs, size_t n, const struct addrinfo *more)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (addrs[i]->ai_family == AF_INET6)
			return AF_INET6;
	for (; more != NULL; more = more->ai_next)
		if (more->ai_family == AF_INET6)
			return AF_INET6;
	return AF_INET;
}

/*
 * The ${n} addresses of ${addrs} packed one after the other as
 * sctp_bindx() and sctp_connectx() take them, ${first} (if not NULL)
 * first. NULL if out of memory.
 */
static struct sockaddr *
pack(
    const struct addrinfo *const *addrs, size_t n, const struct addrinfo *first)
{
	uint8_t *buf, *p;
	size_t i;

	if ((buf = calloc(n + 1, sizeof(struct sockaddr_in6))) == NULL)
		return NULL;
	p = buf;
	if (first != NULL) {
		memcpy(p, first->ai_addr, first->ai_addrlen);
		p += first->ai_addrlen;
	}
	for (i = 0; i < n; i++) {
		if (addrs[i] == first)
			continue;
		memcpy(p, addrs[i]->ai_addr, addrs[i]->ai_addrlen);
		p += addrs[i]->ai_addrlen;
	}
	return (struct sockaddr *)buf;
}

/* ${list} as an array (of at most ${max}) into ${out}; how many. */
static size_t
as_array(const struct addrinfo *list, const struct addrinfo **out, size_t max)
{
	size_t n = 0;

	for (; list != NULL && n < max; list = list->ai_next)
		out[n++] = list;
	return n;
}

/* Bind ${fd} to all of ${addrs} (sctp_bindx). 0, or -1 (logged). */
static int
bind_all(
    int fd, const struct addrinfo *addrs, const char *what, const char *who)
{
	const struct addrinfo *a[LIST_MAX * 4];
	size_t n = as_array(addrs, a, sizeof(a) / sizeof(a[0]));
	struct sockaddr *packed = pack(a, n, NULL);
	char addr[NET_ADDRSTRLEN], all[512] = "";
	size_t i, used = 0;
	int rc, err;

	if (packed == NULL) {
		log_err(who, "out of memory");
		return -1;
	}
	rc = sctp_bindx(fd, packed, (int)n, SCTP_BINDX_ADD_ADDR);
	if (rc != 0) {
		/* The kernel does not say which address failed: name all. */
		err = errno;
		for (i = 0; i < n && used < sizeof(all); i++)
			used += (size_t)snprintf(all + used, sizeof(all) - used,
			    "%s%s", i > 0 ? ", " : "",
			    net_addr_str(a[i]->ai_addr, a[i]->ai_addrlen, addr,
			        sizeof(addr)));
		log_err(who, "cannot bind %s %s%s: %s", what, all,
		    n > 1 ? " (one of them)" : "", strerror(err));
	}
	free(packed);
	return rc == 0 ? 0 : -1;
}

/**
 * path_listen(addrs, o, reuseport, who): a listening SCTP socket with the
 * options ${o} bound to every address of ${addrs} (sctp_bindx; IPv4 and
 * IPv6 on one socket when both are given). Returns the fd or -1 (logged).
 */
int
path_listen(const struct addrinfo *addrs, const struct sctp_sockopts *o,
    int reuseport, const char *who)
{
	int fd, one = 1, zero = 0;
	int family = family_of(NULL, 0, addrs);

	if ((fd = sctp_sock_new(family, o, who)) == -1)
		return -1;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (reuseport &&
	    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0)
		log_warn(who, "SO_REUSEPORT: %s", strerror(errno));
	if (family == AF_INET6)
		(void)setsockopt(
		    fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (bind_all(fd, addrs, "to", who) != 0)
		goto err;
	if (listen(fd, SOMAXCONN) != 0) {
		log_err(who, "listen: %s", strerror(errno));
		goto err;
	}
	return fd;

err:
	close(fd);
	return -1;
}

/**
 * path_connect(o, addrs, n, first, who): a non-blocking SCTP socket with
 * the options ${o}, bound to o->local if any, that connects to all ${n}
 * addresses of ${addrs} at once (sctp_connectx), the INIT going to
 * ${first} (one of them) first. Returns the fd (connecting), or -1 with
 * errno (setting the socket up is logged, a refused connect is not).
 */
int
path_connect(const struct sctp_sockopts *o, const struct addrinfo *const *addrs,
    size_t n, const struct addrinfo *first, const char *who)
{
	struct sockaddr *packed;
	int fd, e, zero = 0;
	int family = family_of(addrs, n, o->local);

	if ((fd = sctp_sock_new(family, o, who)) == -1)
		return -1;
	if (family == AF_INET6)
		(void)setsockopt(
		    fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	if (o->local != NULL && bind_all(fd, o->local, "local =", who) != 0) {
		e = EADDRNOTAVAIL;
		goto err;
	}
	if ((packed = pack(addrs, n, first)) == NULL) {
		e = ENOMEM;
		goto err;
	}
	if (sctp_connectx(fd, packed, (int)n, NULL) != 0 &&
	    errno != EINPROGRESS) {
		e = errno;
		free(packed);
		goto err;
	}
	free(packed);
	return fd;

err:
	close(fd);
	errno = e;
	return -1;
}

/* ${n} addresses at ${sa} (sctp_getladdrs/getpaddrs) as text. */
static char *
list_text(const struct sockaddr *sa, int n, char *buf, size_t size)
{
	const uint8_t *p = (const uint8_t *)sa;
	char one[NET_ADDRSTRLEN];
	size_t len = 0;
	socklen_t sl;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n && i < LIST_MAX && len < size; i++) {
		sa = (const struct sockaddr *)p;
		sl = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
		                               : sizeof(struct sockaddr_in);
		net_addr_str(sa, sl, one, sizeof(one));
		len += (size_t)snprintf(
		    buf + len, size - len, "%s%s", i > 0 ? ", " : "", one);
		p += sl;
	}
	if (n > LIST_MAX && len < size)
		snprintf(buf + len, size - len, ", ...");
	return buf;
}

/* The IPv4 address of ${sa} (also IPv4-mapped IPv6) into ${v4}; 0 or -1. */
static int
ipv4_of(const struct sockaddr *sa, struct in_addr *v4)
{
	const struct sockaddr_in6 *s6 = (const void *)sa;

	if (sa->sa_family == AF_INET) {
		*v4 = ((const struct sockaddr_in *)(const void *)sa)->sin_addr;
		return 0;
	}
	if (sa->sa_family != AF_INET6 || !IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr))
		return -1;
	memcpy(v4, &s6->sin6_addr.s6_addr[12], sizeof(*v4));
	return 0;
}

/* Non-zero if ${a} and ${b} are the same IP address (ports aside). */
static int
same_ip(const struct sockaddr *a, const struct sockaddr *b)
{
	const struct sockaddr_in6 *a6 = (const void *)a, *b6 = (const void *)b;
	const struct sockaddr_in *a4 = (const void *)a, *b4 = (const void *)b;
	struct in_addr x, y;

	if (ipv4_of(a, &x) == 0 && ipv4_of(b, &y) == 0)
		return x.s_addr == y.s_addr;
	if (a->sa_family != b->sa_family)
		return 0;
	if (a->sa_family == AF_INET)
		return a4->sin_addr.s_addr == b4->sin_addr.s_addr;
	return a->sa_family == AF_INET6 &&
	    memcmp(&a6->sin6_addr, &b6->sin6_addr, sizeof(a6->sin6_addr)) == 0;
}

/* Make the peer address ${sa} the primary path. 0, or -1 (logged). */
static int
set_primary(int fd, const struct sockaddr *sa, const char *who)
{
	struct sctp_prim p;
	char addr[NET_ADDRSTRLEN];
	socklen_t sl = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
	                                         : sizeof(struct sockaddr_in);

	memset(&p, 0, sizeof(p));
	memcpy(&p.ssp_addr, sa, sl);
	net_addr_str(sa, sl, addr, sizeof(addr));
	if (setopt(fd, SCTP_PRIMARY_ADDR, &p, sizeof(p)) != 0) {
		log_warn(who, "cannot make %s the primary path: %s", addr,
		    strerror(errno));
		return -1;
	}
	log_notice(who, "primary path: %s", addr);
	return 0;
}

/* The primary path's address of ${fd}'s association into ${ss}. */
static int
primary_of(int fd, struct sockaddr_storage *ss)
{
	struct sctp_status st;

	memset(&st, 0, sizeof(st));
	if (getopt_(fd, SCTP_STATUS, &st, sizeof(st)) != 0)
		return -1;
	memcpy(ss, &st.sstat_primary.spinfo_address, sizeof(*ss));
	return 0;
}

/* The state of the path to the peer address ${sa} (SCTP_ACTIVE...), -1. */
static int
path_state(int fd, const struct sockaddr *sa)
{
	struct sctp_paddrinfo pi;

	memset(&pi, 0, sizeof(pi));
	memcpy(&pi.spinfo_address, sa,
	    sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
	                              : sizeof(struct sockaddr_in));
	if (getopt_(fd, SCTP_GET_PEER_ADDR_INFO, &pi, sizeof(pi)) != 0)
		return -1;
	return pi.spinfo_state;
}

/*
 * How good a path in ${state} is to move traffic to: 2 active, 1
 * potentially failed (one timeout: the kernel may be slow to answer, not
 * the path gone), 0 not at all (inactive, unconfirmed).
 */
static int
usable(int state)
{
	return state == SCTP_ACTIVE ? 2 : state == SCTP_PF ? 1 : 0;
}

/*
 * The peer address of ${fd} that is ${want} (an IP address, the port
 * aside), or if ${want} is NULL the one other than ${not} whose path is
 * the most usable (active, else potentially failed), into ${out}. 0, or
 * -1 if none.
 */
static int
peer_find(int fd, const struct sockaddr *want, const struct sockaddr * not,
    struct sockaddr_storage *out)
{
	struct sockaddr *addrs = NULL, *sa;
	const uint8_t *p;
	int n, i, best = 0, u;
	socklen_t sl;

	if ((n = sctp_getpaddrs(fd, 0, &addrs)) <= 0)
		return -1;
	for (i = 0, p = (const uint8_t *)addrs; i < n && best < 2; i++) {
		sa = (struct sockaddr *)(uintptr_t)p;
		sl = sa_len(sa);
		p += sl;
		if (want != NULL)
			u = same_ip(sa, want) ? 2 : 0;
		else
			u = same_ip(sa, not ) ? 0 : usable(path_state(fd, sa));
		if (u <= best)
			continue;
		best = u;
		memset(out, 0, sizeof(*out));
		memcpy(out, sa, sl);
	}
	sctp_freepaddrs(addrs);
	return best > 0 ? 0 : -1;
}

/* Debug: the values the kernel applied to the association, read back. */
static void
log_applied(int fd, const char *who)
{
	struct sctp_rtoinfo r;
	struct sctp_assocparams a;
	struct sctp_paddrparams p;
	struct sctp_sack_info s;
	struct sctp_initmsg im;
	int snd = 0, rcv = 0;
	socklen_t len = sizeof(snd);

	memset(&r, 0, sizeof(r));
	memset(&a, 0, sizeof(a));
	memset(&p, 0, sizeof(p));
	memset(&s, 0, sizeof(s));
	memset(&im, 0, sizeof(im));
	if (getopt_(fd, SCTP_RTOINFO, &r, sizeof(r)) != 0 ||
	    getopt_(fd, SCTP_ASSOCINFO, &a, sizeof(a)) != 0 ||
	    getopt_(fd, SCTP_PEER_ADDR_PARAMS, &p, sizeof(p)) != 0 ||
	    getopt_(fd, SCTP_DELAYED_SACK, &s, sizeof(s)) != 0 ||
	    getopt_(fd, SCTP_INITMSG, &im, sizeof(im)) != 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &snd, &len) != 0 ||
	    (len = sizeof(rcv),
	        getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, &len)) != 0) {
		log_debug(who, "SCTP parameters: %s", strerror(errno));
		return;
	}
	log_debug(who,
	    "SCTP parameters: rto_initial %u ms, rto_min %u ms, rto_max %u "
	    "ms, max_init_retransmits %u, init_timeout %u ms, "
	    "association_max_retransmits %u, path_max_retransmits %u, "
	    "heartbeat %s, heartbeat_interval %u ms, sack_delay %u ms, "
	    "sack_frequency %u, sndbuf %d, rcvbuf %d",
	    r.srto_initial, r.srto_min, r.srto_max, im.sinit_max_attempts,
	    im.sinit_max_init_timeo, a.sasoc_asocmaxrxt, p.spp_pathmaxrxt,
	    (p.spp_flags & SPP_HB_DISABLE) ? "no" : "yes", p.spp_hbinterval,
	    s.sack_delay, s.sack_freq, snd, rcv);
}

/* The local and peer addresses of the association, logged. */
static void
log_addrs(int fd, const char *who)
{
	struct sockaddr *la = NULL, *pa = NULL;
	struct sockaddr_storage prim;
	char lt[LIST_MAX * NET_ADDRSTRLEN], pt[sizeof(lt)];
	char pr[NET_ADDRSTRLEN] = "?";
	int nl, np;

	nl = sctp_getladdrs(fd, 0, &la);
	np = sctp_getpaddrs(fd, 0, &pa);
	if (primary_of(fd, &prim) == 0)
		net_addr_str(
		    (struct sockaddr *)&prim, sizeof(prim), pr, sizeof(pr));
	log_msg(nl > 1 || np > 1 ? LOG_LVL_INFO : LOG_LVL_DEBUG, who,
	    "association up: local %s; peer %s; primary %s",
	    nl > 0 ? list_text(la, nl, lt, sizeof(lt)) : "?",
	    np > 0 ? list_text(pa, np, pt, sizeof(pt)) : "?", pr);
	if (nl > 0)
		sctp_freeladdrs(la);
	if (np > 0)
		sctp_freepaddrs(pa);
}

/* The peer this side connected to lacks t->primary: say so. */
static void
warn_primary(const struct sctp_tuning *t, const char *who)
{
	char pr[NET_ADDRSTRLEN], *port;

	net_addr_str((const struct sockaddr *)&t->primary, t->primary_len, pr,
	    sizeof(pr));
	if ((port = strrchr(pr, ':')) != NULL)
		*port = '\0'; /* port 0 */
	log_warn(who,
	    "primary = %s is not an address of the peer: the kernel's "
	    "primary path stays",
	    pr);
}

/**
 * path_up(fd, t, dialed, who): the association on ${fd} is up: make
 * t->primary the primary path if the peer has that address (if it has
 * not and this side connected, ${dialed}, warn: a name resolved to other
 * addresses), log the local and peer addresses (info if either side has
 * several, else debug) and, at debug level, the values the kernel applied
 * (read back with getsockopt). A no-op for a NULL ${t}.
 */
void
path_up(int fd, const struct sctp_tuning *t, int dialed, const char *who)
{
	struct sockaddr_storage ss, cur;

	if (t == NULL)
		return;
	if (t->primary_len > 0 &&
	    peer_find(fd, (const struct sockaddr *)&t->primary, NULL, &ss) !=
	        0) {
		/* Accepted: for the peers that have it. Connected: a name
		 * in connect = resolved to other addresses. */
		if (dialed)
			warn_primary(t, who);
	} else if (t->primary_len > 0 &&
	    (primary_of(fd, &cur) != 0 ||
	        !same_ip((struct sockaddr *)&cur, (struct sockaddr *)&ss))) {
		(void)set_primary(fd, (struct sockaddr *)&ss, who);
	}
	log_addrs(fd, who);
	if (log_enabled(LOG_LVL_DEBUG))
		log_applied(fd, who);
}

/*
 * The ${n} packed addresses at ${sa} as "A,B:port" into ${buf} (${size}
 * bytes, (LIST_MAX + 1) * NET_ADDRSTRLEN at least), the one that is
 * ${first} (if any) first, the others in the kernel's order: each host as
 * net_addr_str() writes it without its port, the port once.
 */
static void
hosts_text(const struct sockaddr *sa, int n, const struct sockaddr *first,
    char *buf, size_t size)
{
	const struct sockaddr *a[LIST_MAX * 4], *keep;
	const uint8_t *p = (const uint8_t *)sa;
	char one[NET_ADDRSTRLEN], *port = NULL;
	size_t len = 0, m = 0, i, j;

	for (; (int)m < n && m < sizeof(a) / sizeof(a[0]); m++) {
		a[m] = (const struct sockaddr *)p;
		p += sa_len(a[m]);
	}
	for (i = 1; first != NULL && i < m && !same_ip(a[0], first); i++)
		if (same_ip(a[i], first)) {
			keep = a[i];
			for (j = i; j > 0; j--)
				a[j] = a[j - 1];
			a[0] = keep;
		}
	buf[0] = '\0';
	for (i = 0; i < m && i < LIST_MAX; i++) {
		net_addr_str(a[i], sa_len(a[i]), one, sizeof(one));
		if ((port = strrchr(one, ':')) != NULL)
			*port = '\0';
		len += (size_t)snprintf(
		    buf + len, size - len, "%s%s", i > 0 ? "," : "", one);
	}
	snprintf(buf + len, size - len, "%s%s%s", n > LIST_MAX ? ",..." : "",
	    port != NULL ? ":" : "", port != NULL ? port + 1 : "");
}

/**
 * path_list(fd, local): the local (${local} non-zero) or peer addresses of
 * the association on ${fd} as one text, "A,B:port": the hosts separated by
 * commas (IPv6 in brackets, IPv4-mapped as IPv4), the socket's own address
 * (getsockname) or the primary path's first, and the port once (one
 * address: as net_addr_str() writes it). A new string (free()), or NULL
 * if they cannot be read (the association is gone) or out of memory.
 */
char *
path_list(int fd, int local)
{
	struct sockaddr *sa = NULL;
	struct sockaddr_storage first;
	socklen_t fl = sizeof(first);
	char buf[(LIST_MAX + 1) * NET_ADDRSTRLEN];
	int n = local ? sctp_getladdrs(fd, 0, &sa) : sctp_getpaddrs(fd, 0, &sa);
	int have = local ? getsockname(fd, (struct sockaddr *)&first, &fl) == 0
	                 : primary_of(fd, &first) == 0;

	if (n <= 0)
		return NULL;
	hosts_text(
	    sa, n, have ? (struct sockaddr *)&first : NULL, buf, sizeof(buf));
	if (local)
		sctp_freeladdrs(sa);
	else
		sctp_freepaddrs(sa);
	return strdup(buf);
}

/* The words for a peer address state (SCTP_ADDR_AVAILABLE...). */
static const char *
state_text(int state)
{
	switch (state) {
	case SCTP_ADDR_AVAILABLE:
		return "available";
	case SCTP_ADDR_UNREACHABLE:
		return "unreachable";
	case SCTP_ADDR_REMOVED:
		return "removed";
	case SCTP_ADDR_ADDED:
		return "added";
	case SCTP_ADDR_MADE_PRIM:
		return "made primary";
	case SCTP_ADDR_CONFIRMED:
		return "confirmed";
	case SCTP_ADDR_POTENTIALLY_FAILED:
		return "potentially failed";
	default:
		return "in an unknown state";
	}
}

/* What primary_return asks of a path that became ${state}. */
static void
primary_policy(int fd, const struct sockaddr *sa, int state,
    const struct sctp_tuning *t, const char *who)
{
	struct sockaddr_storage cur, alt;

	if (primary_of(fd, &cur) != 0)
		return;
	if (state == SCTP_ADDR_UNREACHABLE && !t->primary_return &&
	    same_ip(sa, (struct sockaddr *)&cur) &&
	    peer_find(fd, NULL, sa, &alt) == 0) {
		/* primary_return = no: the path traffic moved to stays. */
		(void)set_primary(fd, (struct sockaddr *)&alt, who);
	} else if ((state == SCTP_ADDR_AVAILABLE ||
	               state == SCTP_ADDR_CONFIRMED) &&
	    !t->primary_return && !same_ip(sa, (struct sockaddr *)&cur) &&
	    path_state(fd, (struct sockaddr *)&cur) == SCTP_INACTIVE) {
		/* No other path worked when the primary failed: the first
		 * one that does now takes the traffic, and keeps it. */
		(void)set_primary(fd, sa, who);
	} else if (state == SCTP_ADDR_AVAILABLE && t->primary_return &&
	    t->primary_len > 0 &&
	    same_ip(sa, (const struct sockaddr *)&t->primary) &&
	    !same_ip(sa, (struct sockaddr *)&cur)) {
		(void)set_primary(fd, sa, who);
	}
}

/**
 * path_event(fd, n, t, who): if ${n} is a peer address change
 * (SCTP_PEER_ADDR_CHANGE), log it at notice with ${who} and the path's
 * kernel figures, move the primary as t->primary_return says, and return
 * 1 (a path change to count); else 0.
 */
int
path_event(int fd, const struct sctp_notif *n, const struct sctp_tuning *t,
    const char *who)
{
	const struct sockaddr *sa = (const struct sockaddr *)&n->addr;
	struct sctp_paddrinfo pi;
	char addr[NET_ADDRSTRLEN], fig[96] = "";

	if (n->type != SCTP_PEER_ADDR_CHANGE || n->addr_state < 0)
		return 0;
	net_addr_str(sa,
	    sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
	                              : sizeof(struct sockaddr_in),
	    addr, sizeof(addr));
	memset(&pi, 0, sizeof(pi));
	memcpy(&pi.spinfo_address, &n->addr, sizeof(n->addr));
	if (getopt_(fd, SCTP_GET_PEER_ADDR_INFO, &pi, sizeof(pi)) == 0)
		snprintf(fig, sizeof(fig), " (cwnd %u, srtt %u ms, rto %u ms)",
		    pi.spinfo_cwnd, pi.spinfo_srtt, pi.spinfo_rto);
	if (n->addr_state == SCTP_ADDR_UNREACHABLE && n->addr_error != 0)
		log_notice(who, "path %s %s, error %d%s", addr,
		    state_text(n->addr_state), n->addr_error, fig);
	else
		log_notice(
		    who, "path %s %s%s", addr, state_text(n->addr_state), fig);
	if (t != NULL)
		primary_policy(fd, sa, n->addr_state, t, who);
	return 1;
}

/* The words for a path's state (SCTP_GET_PEER_ADDR_INFO). */
static const char *
spinfo_text(int state)
{
	switch (state) {
	case SCTP_ACTIVE:
		return "active";
	case SCTP_INACTIVE:
		return "inactive";
	case SCTP_PF:
		return "potentially-failed";
	case SCTP_UNCONFIRMED:
		return "unconfirmed";
	default:
		return "unknown";
	}
}

/**
 * path_states(fd, out, max): the peer addresses of the association on
 * ${fd} (those path_list(fd, 0) names), at most ${max}, with their state,
 * RTO and smoothed RTT (ms), into ${out}. How many, or -1 (not an
 * association).
 */
int
path_states(int fd, struct path_info *out, int max)
{
	struct sockaddr *addrs = NULL, *sa;
	struct sctp_paddrinfo pi;
	const uint8_t *p;
	int n, i, k = 0;
	socklen_t sl;

	if (fd < 0 || (n = sctp_getpaddrs(fd, 0, &addrs)) <= 0)
		return -1;
	for (i = 0, p = (const uint8_t *)addrs; i < n && k < max; i++) {
		sa = (struct sockaddr *)(uintptr_t)p;
		sl = sa_len(sa);
		p += sl;
		memset(&pi, 0, sizeof(pi));
		memcpy(&pi.spinfo_address, sa, sl);
		if (getopt_(fd, SCTP_GET_PEER_ADDR_INFO, &pi, sizeof(pi)) != 0)
			continue;
		net_addr_str(sa, sl, out[k].addr, sizeof(out[k].addr));
		out[k].state = spinfo_text(pi.spinfo_state);
		out[k].rto_ms = pi.spinfo_rto;
		out[k].srtt_ms = pi.spinfo_srtt;
		k++;
	}
	sctp_freepaddrs(addrs);
	return k;
}
