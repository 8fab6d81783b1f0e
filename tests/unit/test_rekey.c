/* test_rekey.c: when an association renegotiates (rekey.c's policy). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "rekey.h"

#define GiB (1ULL << 30)

static const struct rekey_conf defaults = {1, 3600, 64 * GiB, 10, 30};

/* The connecting side: due after rekey_interval or rekey_bytes. */
static void
test_initiator(void **state)
{
	struct rekey_policy p;

	(void)state;
	rekey_policy_init(&p, &defaults, 1, 100);
	assert_false(rekey_policy_due(&p, 100, 0));
	assert_false(rekey_policy_due(&p, 3699.9, 64 * GiB - 1));
	assert_true(rekey_policy_due(&p, 3700, 0));
	assert_true(rekey_policy_due(&p, 200, 64 * GiB));
	assert_true(rekey_policy_wait(&p, 100) == 3600);
	assert_true(rekey_policy_wait(&p, 4000) == 0);
	/* The next counts from the last one's completion and bytes. */
	rekey_policy_done(&p, 3700, 70 * GiB);
	assert_false(rekey_policy_due(&p, 7299, 134 * GiB - 1));
	assert_true(rekey_policy_due(&p, 7300, 0));
	assert_true(rekey_policy_due(&p, 3800, 134 * GiB));
}

/* The accepting side waits a grace period longer: a tenth, at least 10 s. */
static void
test_grace(void **state)
{
	struct rekey_conf c = defaults;
	struct rekey_policy p;

	(void)state;
	rekey_policy_init(&p, &c, 0, 0);
	assert_false(rekey_policy_due(&p, 3600, 0));
	assert_false(rekey_policy_due(&p, 3959, 0));
	assert_true(rekey_policy_due(&p, 3960, 0));
	assert_false(rekey_policy_due(&p, 60, 64 * GiB));
	assert_false(rekey_policy_due(&p, 60, 72 * GiB - 1));
	assert_true(rekey_policy_due(&p, 60, 72 * GiB));
	c.interval = 1;
	c.min_interval = 0;
	rekey_policy_init(&p, &c, 0, 0);
	assert_false(rekey_policy_due(&p, 10.9, 0));
	assert_true(rekey_policy_due(&p, 11, 0));
	assert_true(rekey_policy_wait(&p, 1) == 10);
}

/* rekey = no: time and bytes never make one due; rekey_bytes = 0 neither. */
static void
test_off(void **state)
{
	struct rekey_conf c = defaults;
	struct rekey_policy p;

	(void)state;
	c.on = 0;
	rekey_policy_init(&p, &c, 1, 0);
	assert_false(rekey_policy_due(&p, 1e7, 1000 * GiB));
	assert_true(rekey_policy_wait(&p, 0) < 0);
	c.on = 1;
	c.bytes = 0;
	rekey_policy_init(&p, &c, 1, 0);
	assert_false(rekey_policy_due(&p, 100, 1000 * GiB));
}

/* A reload asks for one: due once min_interval has passed, even off. */
static void
test_asked(void **state)
{
	struct rekey_conf c = defaults;
	struct rekey_policy p;

	(void)state;
	c.on = 0;
	rekey_policy_init(&p, &c, 0, 50);
	p.asked = 1;
	assert_false(rekey_policy_due(&p, 59, 0));
	assert_true(rekey_policy_due(&p, 60, 0));
	assert_true(rekey_policy_wait(&p, 55) == 5);
	rekey_policy_done(&p, 61, 0);
	assert_false(p.asked);
	assert_false(rekey_policy_due(&p, 100, 0));
}

/* Never more often than min_interval, whatever the bytes say. */
static void
test_min_interval(void **state)
{
	struct rekey_conf c = defaults;
	struct rekey_policy p;

	(void)state;
	c.bytes = 1024;
	rekey_policy_init(&p, &c, 1, 0);
	assert_false(rekey_policy_due(&p, 9.9, 1 * GiB));
	assert_true(rekey_policy_due(&p, 10, 1 * GiB));
}

/* The peer's: the first always, then none within min_interval. */
static void
test_peer_limit(void **state)
{
	struct rekey_conf c = defaults;
	struct rekey_policy p;

	(void)state;
	rekey_policy_init(&p, &c, 0, 0);
	assert_int_equal(rekey_policy_peer(&p, 0.5), 0);
	assert_int_equal(rekey_policy_peer(&p, 10.4), -1);
	assert_int_equal(rekey_policy_peer(&p, 10.6), 0);
	assert_int_equal(rekey_policy_peer(&p, 20.6), 0);
	c.min_interval = 0; /* no limit */
	rekey_policy_init(&p, &c, 0, 0);
	assert_int_equal(rekey_policy_peer(&p, 1), 0);
	assert_int_equal(rekey_policy_peer(&p, 1), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_initiator),
	    cmocka_unit_test(test_grace),
	    cmocka_unit_test(test_off),
	    cmocka_unit_test(test_asked),
	    cmocka_unit_test(test_min_interval),
	    cmocka_unit_test(test_peer_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
