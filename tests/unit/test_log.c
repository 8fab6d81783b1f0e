/* test_log.c: log level names. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "log.h"

static void
test_level_names(void **state)
{
	(void)state;
	assert_int_equal(log_level_parse("error"), LOG_LVL_ERROR);
	assert_int_equal(log_level_parse("warning"), LOG_LVL_WARNING);
	assert_int_equal(log_level_parse("notice"), LOG_LVL_NOTICE);
	assert_int_equal(log_level_parse("info"), LOG_LVL_INFO);
	assert_int_equal(log_level_parse("debug"), LOG_LVL_DEBUG);
	/* Most severe first, in syslog order. */
	assert_int_equal(LOG_LVL_ERROR, 0);
	assert_int_equal(LOG_LVL_WARNING, 1);
	assert_int_equal(LOG_LVL_NOTICE, 2);
	assert_int_equal(LOG_LVL_INFO, 3);
	assert_int_equal(LOG_LVL_DEBUG, 4);
}

static void
test_level_bad(void **state)
{
	static const char *const bad[] = {"", "ERROR", "Info", "warn", "err",
	    "crit", "emerg", "trace", "debug ", " debug", "debug2", "infox",
	    "inf", "4", "0", "-1", "notice\n"};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (log_level_parse(bad[i]) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_level_names),
	    cmocka_unit_test(test_level_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
