/* test_net.c: address parsing, formatting and numeric resolution. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "net.h"

/* net_split_hostport() into 64/16-byte buffers; checks the result. */
static void
split_ok(const char *s, const char *host, const char *port)
{
	char h[64], p[16];

	memset(h, 'x', sizeof(h));
	memset(p, 'x', sizeof(p));
	assert_int_equal(net_split_hostport(s, h, sizeof(h), p, sizeof(p)), 0);
	assert_string_equal(h, host);
	assert_string_equal(p, port);
}

static void
split_bad(const char *s)
{
	char h[64], p[16];

	assert_int_equal(net_split_hostport(s, h, sizeof(h), p, sizeof(p)), -1);
}

static void
test_split_host_port(void **state)
{
	(void)state;
	split_ok("host:port", "host", "port");
	split_ok("example.org:5658", "example.org", "5658");
	split_ok("1.2.3.4:80", "1.2.3.4", "80");
}

static void
test_split_v6_bracketed(void **state)
{
	(void)state;
	/* The brackets stay: net_resolve() takes them. */
	split_ok("[::1]:80", "[::1]", "80");
	split_ok("[2001:db8::1]:5658", "[2001:db8::1]", "5658");
	split_ok("[fe80::1%eth0]:diameter", "[fe80::1%eth0]", "diameter");
	split_ok("[::1]", "[::1]", "");
}

static void
test_split_no_port(void **state)
{
	(void)state;
	split_ok("::1", "::1", "");
	split_ok("2001:db8::1", "2001:db8::1", "");
	split_ok("1.2.3.4", "1.2.3.4", "");
	split_ok("localhost", "localhost", "");
}

static void
test_split_malformed(void **state)
{
	(void)state;
	/* A colon with nothing after it. */
	split_bad("host:");
	split_bad("1.2.3.4:");
	split_bad("[::1]:");
	/* Unterminated bracket. */
	split_bad("[::1");
	split_bad("[::1:80");
	split_bad("[");
	/* Junk after the bracket. */
	split_bad("[::1]80");
	split_bad("[::1]x:80");
	split_bad("[::1] :80");
}

static void
test_split_lengths(void **state)
{
	char h[8], p[6];

	(void)state;
	/* Seven characters fit in eight bytes, eight do not. */
	assert_int_equal(
	    net_split_hostport("abcdefg:1", h, sizeof(h), p, sizeof(p)), 0);
	assert_string_equal(h, "abcdefg");
	assert_string_equal(p, "1");
	assert_int_equal(
	    net_split_hostport("abcdefgh:1", h, sizeof(h), p, sizeof(p)), -1);
	assert_int_equal(
	    net_split_hostport("abcdefgh", h, sizeof(h), p, sizeof(p)), -1);
	/* Brackets count towards the host. */
	assert_int_equal(
	    net_split_hostport("[::1:2]", h, sizeof(h), p, sizeof(p)), 0);
	assert_string_equal(h, "[::1:2]");
	assert_int_equal(
	    net_split_hostport("[::1:23]", h, sizeof(h), p, sizeof(p)), -1);
	/* Port: five characters fit in six bytes, six do not. */
	assert_int_equal(
	    net_split_hostport("h:65535", h, sizeof(h), p, sizeof(p)), 0);
	assert_string_equal(p, "65535");
	assert_int_equal(
	    net_split_hostport("h:655350", h, sizeof(h), p, sizeof(p)), -1);
	/* A previous result does not leak into a port-less one. */
	assert_int_equal(
	    net_split_hostport("[::1]", h, sizeof(h), p, sizeof(p)), 0);
	assert_string_equal(h, "[::1]");
	assert_string_equal(p, "");
}

static void
sin4(struct sockaddr_in *s, const char *a, uint16_t port)
{
	memset(s, 0, sizeof(*s));
	s->sin_family = AF_INET;
	s->sin_port = htons(port);
	assert_int_equal(inet_pton(AF_INET, a, &s->sin_addr), 1);
}

static void
sin6(struct sockaddr_in6 *s, const char *a, uint16_t port)
{
	memset(s, 0, sizeof(*s));
	s->sin6_family = AF_INET6;
	s->sin6_port = htons(port);
	assert_int_equal(inet_pton(AF_INET6, a, &s->sin6_addr), 1);
}

static void
test_addr_str_v4(void **state)
{
	struct sockaddr_in s;
	char buf[NET_ADDRSTRLEN], small[10];

	(void)state;
	sin4(&s, "192.0.2.1", 5658);
	assert_ptr_equal(
	    net_addr_str((struct sockaddr *)&s, sizeof(s), buf, sizeof(buf)),
	    buf);
	assert_string_equal(buf, "192.0.2.1:5658");
	sin4(&s, "0.0.0.0", 0);
	net_addr_str((struct sockaddr *)&s, sizeof(s), buf, sizeof(buf));
	assert_string_equal(buf, "0.0.0.0:0");
	sin4(&s, "255.255.255.255", 65535);
	net_addr_str((struct sockaddr *)&s, sizeof(s), buf, sizeof(buf));
	assert_string_equal(buf, "255.255.255.255:65535");
	/* Too small a buffer: cut, terminated. */
	sin4(&s, "192.0.2.1", 5658);
	net_addr_str((struct sockaddr *)&s, sizeof(s), small, sizeof(small));
	assert_string_equal(small, "192.0.2.1");
	/* A length short of a sockaddr_in. */
	net_addr_str((struct sockaddr *)&s, sizeof(s) - 1, buf, sizeof(buf));
	assert_string_equal(buf, "?");
}

static void
test_addr_str_v6(void **state)
{
	struct sockaddr_in6 s;
	char buf[NET_ADDRSTRLEN], want[NET_ADDRSTRLEN], ifname[IF_NAMESIZE];
	unsigned idx;

	(void)state;
	sin6(&s, "2001:db8::1", 80);
	assert_ptr_equal(
	    net_addr_str((struct sockaddr *)&s, sizeof(s), buf, sizeof(buf)),
	    buf);
	assert_string_equal(buf, "[2001:db8::1]:80");
	sin6(&s, "::1", 5658);
	net_addr_str((struct sockaddr *)&s, sizeof(s), buf, sizeof(buf));
	assert_string_equal(buf, "[::1]:5658");
	sin6(&s, "::", 0);
	net_addr_str((struct sockaddr *)&s, sizeof(s), buf, sizeof(buf));
	assert_string_equal(buf, "[::]:0");
	/* IPv4-mapped (dual-stack and multi-homed sockets): as IPv4. */
	sin6(&s, "::ffff:192.0.2.7", 443);
	net_addr_str((struct sockaddr *)&s, sizeof(s), buf, sizeof(buf));
	assert_string_equal(buf, "192.0.2.7:443");
	/* Link-local with a scope: the interface inside the brackets. */
	sin6(&s, "fe80::1", 3868);
	if ((idx = if_nametoindex("lo")) != 0 &&
	    if_indextoname(idx, ifname) != NULL) {
		s.sin6_scope_id = idx;
		net_addr_str(
		    (struct sockaddr *)&s, sizeof(s), buf, sizeof(buf));
		snprintf(want, sizeof(want), "[fe80::1%%%s]:3868", ifname);
		assert_string_equal(buf, want);
	}
	/* An IPv4 length for an IPv6 address. */
	sin6(&s, "::1", 1);
	net_addr_str((struct sockaddr *)&s, sizeof(struct sockaddr_in), buf,
	    sizeof(buf));
	assert_string_equal(buf, "?");
}

static void
test_addr_str_other(void **state)
{
	struct sockaddr_storage ss;
	char buf[NET_ADDRSTRLEN];

	(void)state;
	memset(&ss, 0, sizeof(ss));
	/* A family getnameinfo() has no text for. */
	ss.ss_family = AF_PACKET;
	strcpy(buf, "unchanged");
	net_addr_str((struct sockaddr *)&ss, sizeof(ss), buf, sizeof(buf));
	assert_string_equal(buf, "?");
	/* Not a socket. */
	strcpy(buf, "unchanged");
	assert_ptr_equal(net_peer_str(-1, buf, sizeof(buf)), buf);
	assert_string_equal(buf, "?");
}

/* Every result of ${res} formats as ${want}; returns how many there are. */
static int
all_are(const struct addrinfo *res, const char *want)
{
	char buf[NET_ADDRSTRLEN];
	int n = 0;

	for (; res != NULL; res = res->ai_next, n++) {
		net_addr_str(res->ai_addr, res->ai_addrlen, buf, sizeof(buf));
		assert_string_equal(buf, want);
	}
	return n;
}

static void
test_resolve_numeric(void **state)
{
	struct addrinfo *res = NULL;
	const struct sockaddr_in *s4;

	(void)state;
	assert_int_equal(net_resolve("127.0.0.1", "5658", SOCK_STREAM,
	                     IPPROTO_SCTP, 0, &res),
	    0);
	assert_non_null(res);
	assert_int_equal(res->ai_family, AF_INET);
	assert_int_equal(res->ai_socktype, SOCK_STREAM);
	assert_int_equal(res->ai_protocol, IPPROTO_SCTP);
	s4 = (const struct sockaddr_in *)res->ai_addr;
	assert_int_equal(ntohs(s4->sin_port), 5658);
	assert_int_equal(ntohl(s4->sin_addr.s_addr), 0x7f000001);
	assert_true(all_are(res, "127.0.0.1:5658") >= 1);
	freeaddrinfo(res);

	res = NULL;
	assert_int_equal(net_resolve("192.0.2.10", "3868", SOCK_SEQPACKET,
	                     IPPROTO_SCTP, 0, &res),
	    0);
	assert_int_equal(res->ai_socktype, SOCK_SEQPACKET);
	assert_true(all_are(res, "192.0.2.10:3868") >= 1);
	freeaddrinfo(res);

	/* Passive with a numeric host: that host, not the wildcard. */
	res = NULL;
	assert_int_equal(
	    net_resolve("127.0.0.1", "9", SOCK_STREAM, IPPROTO_SCTP, 1, &res),
	    0);
	assert_true(all_are(res, "127.0.0.1:9") >= 1);
	freeaddrinfo(res);
}

static void
test_resolve_v6(void **state)
{
	struct addrinfo *res = NULL;

	(void)state;
	/* Brackets are taken off. */
	assert_int_equal(
	    net_resolve("[::1]", "5658", SOCK_STREAM, IPPROTO_SCTP, 0, &res),
	    0);
	assert_non_null(res);
	assert_int_equal(res->ai_family, AF_INET6);
	assert_true(all_are(res, "[::1]:5658") >= 1);
	freeaddrinfo(res);

	res = NULL;
	assert_int_equal(net_resolve("2001:db8::7", "80", SOCK_STREAM,
	                     IPPROTO_SCTP, 0, &res),
	    0);
	assert_int_equal(res->ai_family, AF_INET6);
	assert_true(all_are(res, "[2001:db8::7]:80") >= 1);
	freeaddrinfo(res);

	res = NULL;
	assert_int_equal(net_resolve("[2001:db8::8]", "81", SOCK_STREAM,
	                     IPPROTO_SCTP, 1, &res),
	    0);
	assert_true(all_are(res, "[2001:db8::8]:81") >= 1);
	freeaddrinfo(res);
}

/* Passive without a host: the wildcard addresses only. */
static void
test_resolve_wildcard(void **state)
{
	static const char *const hosts[] = {NULL, ""};
	char buf[NET_ADDRSTRLEN];
	struct addrinfo *res, *ai;
	size_t i;
	int n;

	(void)state;
	for (i = 0; i < 2; i++) {
		res = NULL;
		assert_int_equal(net_resolve(hosts[i], "5658", SOCK_STREAM,
		                     IPPROTO_SCTP, 1, &res),
		    0);
		n = 0;
		for (ai = res; ai != NULL; ai = ai->ai_next, n++) {
			net_addr_str(
			    ai->ai_addr, ai->ai_addrlen, buf, sizeof(buf));
			if (ai->ai_family == AF_INET)
				assert_string_equal(buf, "0.0.0.0:5658");
			else
				assert_string_equal(buf, "[::]:5658");
		}
		assert_true(n >= 1);
		freeaddrinfo(res);
	}
	/* Active without a host: loopback. */
	res = NULL;
	assert_int_equal(
	    net_resolve(NULL, "7", SOCK_STREAM, IPPROTO_SCTP, 0, &res), 0);
	n = 0;
	for (ai = res; ai != NULL; ai = ai->ai_next, n++) {
		net_addr_str(ai->ai_addr, ai->ai_addrlen, buf, sizeof(buf));
		if (ai->ai_family == AF_INET)
			assert_string_equal(buf, "127.0.0.1:7");
		else
			assert_string_equal(buf, "[::1]:7");
	}
	assert_true(n >= 1);
	freeaddrinfo(res);
}

static void
test_resolve_bad(void **state)
{
	struct addrinfo *res = NULL;
	char big[300];

	(void)state;
	assert_int_equal(
	    net_resolve("[::1", "80", SOCK_STREAM, IPPROTO_SCTP, 0, &res), -1);
	assert_int_equal(
	    net_resolve("[]", "80", SOCK_STREAM, IPPROTO_SCTP, 0, &res), -1);
	assert_int_equal(
	    net_resolve("[::1]x", "80", SOCK_STREAM, IPPROTO_SCTP, 0, &res),
	    -1);
	/* Too long to unbracket. */
	memset(big, 'a', sizeof(big));
	big[0] = '[';
	big[sizeof(big) - 2] = ']';
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(
	    net_resolve(big, "80", SOCK_STREAM, IPPROTO_SCTP, 0, &res), -1);
	/* A service no services file names (no DNS involved). */
	assert_int_equal(net_resolve("127.0.0.1", "no-such-service-zq",
	                     SOCK_STREAM, IPPROTO_SCTP, 0, &res),
	    -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_split_host_port),
	    cmocka_unit_test(test_split_v6_bracketed),
	    cmocka_unit_test(test_split_no_port),
	    cmocka_unit_test(test_split_malformed),
	    cmocka_unit_test(test_split_lengths),
	    cmocka_unit_test(test_addr_str_v4),
	    cmocka_unit_test(test_addr_str_v6),
	    cmocka_unit_test(test_addr_str_other),
	    cmocka_unit_test(test_resolve_numeric),
	    cmocka_unit_test(test_resolve_v6),
	    cmocka_unit_test(test_resolve_wildcard),
	    cmocka_unit_test(test_resolve_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
