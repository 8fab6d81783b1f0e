/* test_ppidmap.c: PPIDs in the clear and over DTLS (src/ppidmap.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "ppidmap.h"

/* ${ppid} in the clear over DTLS; fails the test if refused. */
static uint32_t
dtls(const struct ppidmap *m, uint32_t ppid)
{
	uint32_t out;

	assert_int_equal(ppidmap_to_dtls(m, ppid, &out), 0);
	return out;
}

/* ${ppid} over DTLS in the clear; fails the test if refused. */
static uint32_t
plain(const struct ppidmap *m, uint32_t ppid)
{
	uint32_t out;

	assert_int_equal(ppidmap_to_plain(m, ppid, &out), 0);
	return out;
}

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
	assert_int_equal(dtls(&m, 60), 66);
	assert_int_equal(plain(&m, 66), 60);
	assert_int_equal(dtls(&m, 46), 47);
	assert_int_equal(plain(&m, 47), 46);
	assert_int_equal(dtls(&m, 61), 67);
	assert_int_equal(dtls(&m, 62), 68);
	assert_int_equal(dtls(&m, 64), 69);
	assert_int_equal(dtls(&m, 3), 300);
	assert_int_equal(plain(&m, 300), 3);
	/* Without a pair: unchanged, both ways. */
	assert_int_equal(dtls(&m, 1234), 1234);
	assert_int_equal(plain(&m, 1234), 1234);
	assert_int_equal(ppidmap_parse("4294967295:0", &m, &why), 0);
	assert_int_equal(dtls(&m, 4294967295u), 0);
	/* Names in any case, white space around ':' too. */
	assert_int_equal(
	    ppidmap_parse(" NGAP,Diameter , 3 : 300 ", &m, &why), 0);
	assert_int_equal(m.n, 3);
	assert_int_equal(dtls(&m, 60), 66);
	assert_int_equal(dtls(&m, 46), 47);
	assert_int_equal(dtls(&m, 3), 300);
	/* x:x is harmless: x is the same PPID on both sides. */
	assert_int_equal(ppidmap_parse("5:5, ngap", &m, &why), 0);
	assert_int_equal(dtls(&m, 5), 5);
	assert_int_equal(plain(&m, 5), 5);
}

/*
 * A PPID that is the other side's in a pair cannot be carried: through a
 * tunnel pair with ngap, a plaintext 66 would come out as 60, and a 60
 * over DTLS would be delivered as 60 and answered as 66.
 */
static void
test_reserved(void **state)
{
	struct ppidmap m;
	const char *why = NULL;
	uint32_t out = 0;

	(void)state;
	assert_int_equal(ppidmap_parse("ngap", &m, &why), 0);
	assert_int_equal(ppidmap_to_dtls(&m, 66, &out), -1);
	assert_int_equal(out, 60); /* what the far end would make of it */
	assert_int_equal(ppidmap_to_plain(&m, 60, &out), -1);
	assert_int_equal(out, 66);
	/* Round trips of everything else are exact. */
	for (uint32_t p = 0; p < 200; p++) {
		uint32_t d, back;

		if (ppidmap_to_dtls(&m, p, &d) == 0) {
			assert_int_equal(ppidmap_to_plain(&m, d, &back), 0);
			assert_int_equal(back, p);
		} else {
			assert_int_equal(p, 66);
		}
		if (ppidmap_to_plain(&m, p, &d) == 0) {
			assert_int_equal(ppidmap_to_dtls(&m, d, &back), 0);
			assert_int_equal(back, p);
		} else {
			assert_int_equal(p, 60);
		}
	}
}

/* What is refused, and that a refused list changes nothing. */
static void
test_bad(void **state)
{
	static const char *const bad[] = {"", "ngap,", "nope", "1:", ":1",
	    "1:2:3", "4294967296:1", "-1:2", "1 :2x", "ngap, 60:99",
	    "5:47, diameter", "60:66,61:60", "60:66,66:70", "ngap, 66:60",
	    "ngap, 5:60", "1 2:3", "ng ap"};
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
		assert_int_equal(dtls(&m, 46), 47);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_bad),
	    cmocka_unit_test(test_reserved),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
