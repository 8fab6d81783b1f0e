/* test_rekey.c: when an association renegotiates (rekey.c's policy). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include <openssl/ssl.h>

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
	assert_int_equal(rekey_policy_due(&p, 3700, 0), REKEY_DUE_TIME);
	assert_int_equal(rekey_policy_due(&p, 200, 64 * GiB), REKEY_DUE_BYTES);
	assert_true(rekey_policy_wait(&p, 100) == 3600);
	assert_true(rekey_policy_wait(&p, 4000) == 0);
	/* The next counts from the last one's completion and bytes. */
	rekey_policy_done(&p, 3699, 3700, 70 * GiB);
	assert_false(rekey_policy_due(&p, 7299, 134 * GiB - 1));
	assert_int_equal(rekey_policy_due(&p, 7300, 0), REKEY_DUE_TIME);
	assert_int_equal(
	    rekey_policy_due(&p, 3800, 134 * GiB), REKEY_DUE_BYTES);
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

/*
 * A reload asks for one: due once min_interval has passed, even off; on
 * the accepting side 10 s later (the peer's, if it comes, does instead).
 */
static void
test_asked(void **state)
{
	struct rekey_conf c = defaults;
	struct rekey_policy p;

	(void)state;
	c.on = 0;
	rekey_policy_init(&p, &c, 1, 50);
	rekey_policy_ask(&p, 52);
	assert_false(rekey_policy_due(&p, 59, 0));
	assert_int_equal(rekey_policy_due(&p, 60, 0), REKEY_DUE_RELOAD);
	assert_true(rekey_policy_wait(&p, 55) == 5);
	rekey_policy_done(&p, 60, 61, 0);
	assert_false(p.asked);
	assert_false(rekey_policy_due(&p, 100, 0));
	rekey_policy_ask(&p, 200);
	assert_true(rekey_policy_due(&p, 200, 0));
	/* One that began before the reload does not serve it. */
	rekey_policy_done(&p, 199, 201, 0);
	assert_true(p.asked);
	assert_int_equal(rekey_policy_due(&p, 211, 0), REKEY_DUE_RELOAD);
	rekey_policy_done(&p, 211, 212, 0);
	assert_false(p.asked);
	rekey_policy_init(&p, &c, 0, 50);
	rekey_policy_ask(&p, 100);
	assert_false(rekey_policy_due(&p, 109, 0));
	assert_int_equal(rekey_policy_due(&p, 110, 0), REKEY_DUE_RELOAD);
	assert_true(rekey_policy_wait(&p, 100) == 10);
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

/* A budget that allows ${*arg} more handshakes; counts what ends. */
static int
budget(void *arg, int ev)
{
	int *left = arg;

	if (ev != REKEY_HS_START) {
		left[1]++;
		return 0;
	}
	if (left[0] == 0)
		return -1;
	left[0]--;
	return 0;
}

/* An SSL of a DTLS server, not connected: enough for rekey_event(). */
static SSL *
server_ssl(void)
{
	SSL_CTX *ctx = SSL_CTX_new(DTLS_server_method());
	SSL *ssl;

	assert_non_null(ctx);
	ssl = SSL_new(ctx);
	SSL_CTX_free(ctx);
	assert_non_null(ssl);
	return ssl;
}

/*
 * The peer's renegotiations: the first counts against the handshake
 * budget (max_handshakes) and runs; one over the budget, or one within
 * rekey_min_interval of the last, is refused (no_renegotiation) and ends
 * the association.
 */
static void
test_peer_refused(void **state)
{
	struct rekey_conf c = defaults;
	int left[2] = {1, 0};
	SSL *ssl = server_ssl();
	struct rekey *k;

	(void)state;
	c.min_interval = 0;
	k = rekey_new(ssl, &c, 0, budget, left, "t");
	rekey_event(k, SSL_CB_HANDSHAKE_START);
	assert_true(rekey_running(k));
	assert_int_equal(rekey_fault(k), 0);
	assert_int_equal(left[0], 0);
	rekey_done(k, 2, 1, 0);
	assert_int_equal(left[1], 1);
	assert_int_equal(rekey_count(k), 1);
	assert_false(SSL_get_options(ssl) & SSL_OP_NO_RENEGOTIATION);
	rekey_event(k, SSL_CB_HANDSHAKE_START); /* budget exhausted */
	assert_int_equal(rekey_fault(k), REKEY_BUSY);
	assert_true(SSL_get_options(ssl) & SSL_OP_NO_RENEGOTIATION);
	assert_false(rekey_running(k));
	assert_false(rekey_due(k, 1000 * GiB));
	rekey_free(k);
	assert_int_equal(left[1], 1); /* nothing held, nothing given back */
	SSL_free(ssl);

	ssl = server_ssl();
	c.min_interval = 3600;
	left[0] = 5;
	k = rekey_new(ssl, &c, 0, budget, left, "t");
	rekey_event(k, SSL_CB_HANDSHAKE_START);
	rekey_done(k, 2, 1, 0);
	rekey_event(k, SSL_CB_HANDSHAKE_START); /* at once: too often */
	assert_int_equal(rekey_fault(k), REKEY_TOO_OFTEN);
	assert_int_equal(left[0], 4);
	assert_true(SSL_get_options(ssl) & SSL_OP_NO_RENEGOTIATION);
	rekey_free(k);
	SSL_free(ssl);
}

/* A renegotiation ended by freeing gives its budget back. */
static void
test_budget_returned(void **state)
{
	int left[2] = {1, 0};
	SSL *ssl = server_ssl();
	struct rekey *k = rekey_new(ssl, &defaults, 0, budget, left, "t");

	(void)state;
	rekey_event(k, SSL_CB_HANDSHAKE_START);
	assert_int_equal(left[0], 0);
	rekey_free(k);
	assert_int_equal(left[1], 1);
	SSL_free(ssl);
}

/*
 * rekey_due_bytes(), checked for every record: nothing below the byte
 * limit (whatever time says: the timer's), rekey_due() from it on.
 */
static void
test_due_bytes(void **state)
{
	struct rekey_conf c = defaults;
	int left[2] = {4, 0};
	SSL *ssl = server_ssl();
	struct rekey *k;

	(void)state;
	c.min_interval = 0;
	c.interval = 1; /* due by time in a second */
	c.bytes = 1 * GiB;
	k = rekey_new(ssl, &c, 1, budget, left, "t");
	assert_int_equal(rekey_due_bytes(k, GiB - 1), 0);
	assert_int_equal(rekey_due_bytes(k, GiB), REKEY_DUE_BYTES);
	assert_int_equal(rekey_due_bytes(k, GiB), rekey_due(k, GiB));
	c.bytes = 0; /* rekey_bytes = 0: never by bytes */
	rekey_free(k);
	k = rekey_new(ssl, &c, 1, budget, left, "t");
	assert_int_equal(rekey_due_bytes(k, 1000 * GiB), 0);
	rekey_free(k);
	SSL_free(ssl);
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
	    cmocka_unit_test(test_peer_refused),
	    cmocka_unit_test(test_budget_returned),
	    cmocka_unit_test(test_due_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
