/* test_flows.c: the UDP flows of a listener by client address (flows.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cmocka.h>

#include "flows.h"

/* 127.0.0.1:${port} into ${sin}. */
static const struct sockaddr *
addr(struct sockaddr_in *sin, int port)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return (const struct sockaddr *)sin;
}

/* 1000 flows found by address, removed one by one, the rest still found. */
static void
test_add_find_remove(void **state)
{
	static int owner[1000];
	static struct flow_entry *e[1000];
	struct flows *t = flows_new();
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int i;

	(void)state;
	assert_non_null(t);
	assert_null(flows_find(t, addr(&sin, 1), len));
	for (i = 0; i < 1000; i++) {
		e[i] = flows_add(t, addr(&sin, 1000 + i), len, &owner[i]);
		assert_non_null(e[i]);
	}
	for (i = 0; i < 1000; i++)
		assert_ptr_equal(
		    flows_find(t, addr(&sin, 1000 + i), len), &owner[i]);
	assert_null(flows_find(t, addr(&sin, 999), len));
	/* The same address with another length is another key. */
	assert_null(flows_find(t, addr(&sin, 1000), len - 1));
	for (i = 0; i < 1000; i += 2)
		flows_remove(t, e[i]);
	for (i = 0; i < 1000; i++)
		assert_ptr_equal(flows_find(t, addr(&sin, 1000 + i), len),
		    i % 2 ? &owner[i] : NULL);
	flows_remove(t, NULL);
	assert_null(flows_add(t, addr(&sin, 1), 4096, &owner[0]));
	flows_free(t); /* with the odd ones still in it */
	flows_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_add_find_remove),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
