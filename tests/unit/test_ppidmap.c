/* test_ppidmap.c: PPIDs in the clear and over DTLS (src/ppidmap.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "ppidmap.h"

/* The registered pairs by name, numbers, white space; both ways. */
static void
test_parse(void **state)
{
	struct ppidmap m;
	const char *why = NULL;

	(void)state;
	assert_int_equal(
	    ppidmap_parse("ngap, diameter ,3:300,  xnap,f1ap,e1ap", &m, &why),
	    0);
	assert_int_equal(m.n, 6);
	assert_int_equal(ppidmap_to_dtls(&m, 60), 66);
	assert_int_equal(ppidmap_to_plain(&m, 66), 60);
	assert_int_equal(ppidmap_to_dtls(&m, 46), 47);
	assert_int_equal(ppidmap_to_plain(&m, 47), 46);
	assert_int_equal(ppidmap_to_dtls(&m, 61), 67);
	assert_int_equal(ppidmap_to_dtls(&m, 62), 68);
	assert_int_equal(ppidmap_to_dtls(&m, 64), 69);
	assert_int_equal(ppidmap_to_dtls(&m, 3), 300);
	assert_int_equal(ppidmap_to_plain(&m, 300), 3);
	/* Without a pair: unchanged, both ways. */
	assert_int_equal(ppidmap_to_dtls(&m, 1234), 1234);
	assert_int_equal(ppidmap_to_plain(&m, 1234), 1234);
	assert_int_equal(ppidmap_to_plain(&m, 60), 60);
	assert_int_equal(ppidmap_parse("4294967295:0", &m, &why), 0);
	assert_int_equal(ppidmap_to_dtls(&m, 4294967295u), 0);
}

/* What is refused, and that a refused list changes nothing. */
static void
test_bad(void **state)
{
	static const char *const bad[] = {"", "ngap,", "nope", "1:", ":1",
	    "1:2:3", "4294967296:1", "-1:2", "1 :2x", "ngap, 60:99",
	    "5:47, diameter"};
	struct ppidmap m;
	const char *why;
	size_t i;

	(void)state;
	assert_int_equal(ppidmap_parse("diameter", &m, &why), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		if (ppidmap_parse(bad[i], &m, &why) == 0)
			fail_msg("'%s' accepted", bad[i]);
		assert_non_null(why);
		assert_int_equal(m.n, 1);
		assert_int_equal(ppidmap_to_dtls(&m, 46), 47);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
