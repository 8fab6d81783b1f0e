/*
 * test_resolve.c: the addresses resolve.c gives a connection: every host of
 * a multi-homed SCTP endpoint in the order written, numeric or looked up
 * (a name from /etc/hosts, through c-ares on the event loop).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "endpoint.h"
#include "net.h"
#include "resolve.h"

/* What a lookup answered. */
struct got {
	int calls;
	int n;
	char addr[8][NET_ADDRSTRLEN];
	char err[128];
};

static void
on_done(void *arg, const struct addrinfo *addrs, const char *err)
{
	struct got *g = arg;
	const struct addrinfo *ai;

	g->calls++;
	for (ai = addrs; ai != NULL && g->n < 8; ai = ai->ai_next)
		net_addr_str(ai->ai_addr, ai->ai_addrlen, g->addr[g->n++],
		    NET_ADDRSTRLEN);
	snprintf(g->err, sizeof(g->err), "%s", err != NULL ? err : "");
}

/* Look the endpoint ${text} up as a connection would, into ${g}. */
static void
lookup(const char *text, struct got *g)
{
	struct ev_loop *loop = ev_loop_new(EVFLAG_AUTO);
	struct endpoint ep;
	struct resolver *r;
	const char *why = NULL;

	memset(g, 0, sizeof(*g));
	assert_non_null(loop);
	assert_int_equal(endpoint_parse(text, &ep, &why), 0);
	r = resolve_new(loop, &ep, SOCK_STREAM, IPPROTO_SCTP, "test");
	assert_non_null(r);
	assert_non_null(resolve_lookup(r, on_done, g));
	assert_int_equal(g->calls, 0); /* never from within the call */
	while (g->calls == 0)
		ev_run(loop, EVRUN_ONCE);
	assert_int_equal(g->calls, 1);
	resolve_free(r);
	ev_loop_destroy(loop);
}

static void
test_one_address(void **state)
{
	struct got g;

	(void)state;
	lookup("tcp://192.0.2.1:80", &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.addr[0], "192.0.2.1:80");
}

/* A multi-homed peer: every address, in the order written. */
static void
test_multihomed_numeric(void **state)
{
	struct got g;

	(void)state;
	lookup("sctp://192.0.2.1,[2001:db8::2],198.51.100.3:3868", &g);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.addr[0], "192.0.2.1:3868");
	assert_string_equal(g.addr[1], "[2001:db8::2]:3868");
	assert_string_equal(g.addr[2], "198.51.100.3:3868");
}

/* A name among the hosts is looked up; its addresses keep its place. */
static void
test_multihomed_name(void **state)
{
	struct got g;

	(void)state;
	lookup("dtls+sctp://192.0.2.1,localhost,198.51.100.3:5658", &g);
	assert_true(g.n >= 3);
	assert_string_equal(g.addr[0], "192.0.2.1:5658");
	assert_true(strcmp(g.addr[1], "127.0.0.1:5658") == 0 ||
	    strcmp(g.addr[1], "[::1]:5658") == 0);
	assert_string_equal(g.addr[g.n - 1], "198.51.100.3:5658");
}

/* A name that does not resolve leaves the others; none at all: an error. */
static void
test_name_missing(void **state)
{
	struct got g;

	(void)state;
	lookup("sctp://192.0.2.1,no-such-host.invalid:3868", &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.addr[0], "192.0.2.1:3868");
	lookup("sctp://no-such-host.invalid:3868", &g);
	assert_int_equal(g.n, 0);
	assert_true(g.err[0] != '\0');
}

/* A cancelled lookup is never answered. */
static void
test_cancel(void **state)
{
	struct ev_loop *loop = ev_loop_new(EVFLAG_AUTO);
	struct endpoint ep;
	struct resolver *r;
	struct resolve_req *q;
	const char *why = NULL;
	struct got g;

	(void)state;
	memset(&g, 0, sizeof(g));
	assert_int_equal(endpoint_parse("tcp://192.0.2.1:80", &ep, &why), 0);
	r = resolve_new(loop, &ep, SOCK_STREAM, 0, "test");
	assert_non_null(r);
	q = resolve_lookup(r, on_done, &g);
	assert_non_null(q);
	resolve_cancel(q);
	ev_run(loop, EVRUN_NOWAIT);
	ev_run(loop, EVRUN_NOWAIT);
	assert_int_equal(g.calls, 0);
	resolve_free(r);
	ev_loop_destroy(loop);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_one_address),
	    cmocka_unit_test(test_multihomed_numeric),
	    cmocka_unit_test(test_multihomed_name),
	    cmocka_unit_test(test_name_missing),
	    cmocka_unit_test(test_cancel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
