/*
 * test_relay.c: the relay between two ends, driven with fake ends
 * (in-memory units that can say "again", take part of a write, end, fail),
 * without a kernel: half-close both ways, backpressure, partial writes,
 * resets on either side, a unit too large for the other end, empty units
 * that are data and not the end of input, metadata carried, the budget of
 * one run, an end that found its socket empty.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "end.h"
#include "relay.h"

#define MAXU 160

/* A fake end: units to hand out, what was written to it. */
struct fake {
	struct end e;
	struct {
		uint8_t data[64];
		size_t len;
		struct unit_meta m;
	} in[MAXU];
	int nin, pos;
	int in_end; /* after the units: 0 wait, 1 EOF, 2 reset */
	int again_reads; /* the next reads say "again" */
	uint8_t out[4096];
	size_t outlen;
	size_t out_units[MAXU]; /* sizes of the units written whole */
	struct unit_meta out_meta[MAXU];
	int nout;
	size_t chunk; /* a byte stream taking at most this per write; 0: all */
	size_t max_msg; /* a message end refusing larger units; 0: none */
	int again_writes; /* the next writes say "again" */
	int fail_write; /* writes fail (reset) */
	int finished;
	size_t cur; /* bytes of the unit being written so far */
};

static int
f_open(struct end *e)
{
	(void)e;
	return 1;
}

static ssize_t
f_read(struct end *e, uint8_t *buf, size_t cap, struct unit_meta *m)
{
	struct fake *f = (struct fake *)e;

	if (f->again_reads > 0) {
		f->again_reads--;
		return END_AGAIN;
	}
	if (f->pos < f->nin) {
		assert_true(f->in[f->pos].len <= cap);
		memcpy(buf, f->in[f->pos].data, f->in[f->pos].len);
		*m = f->in[f->pos].m;
		return (ssize_t)f->in[f->pos++].len;
	}
	if (f->in_end == 1)
		return END_EOF;
	if (f->in_end == 2)
		return end_fail(e, R_PLAIN_RESET);
	return END_AGAIN;
}

static ssize_t
f_write(
    struct end *e, const uint8_t *buf, size_t len, const struct unit_meta *m)
{
	struct fake *f = (struct fake *)e;
	size_t n = len;

	assert_int_equal(f->finished, 0); /* nothing after the end */
	if (f->fail_write)
		return end_fail(e, R_DTLS_WRITE);
	if (f->max_msg > 0 && len > f->max_msg)
		return end_fail(e, R_PLAIN_FAILED);
	if (f->again_writes > 0) {
		f->again_writes--;
		return END_AGAIN;
	}
	if (f->chunk > 0 && n > f->chunk)
		n = f->chunk;
	memcpy(f->out + f->outlen, buf, n);
	f->outlen += n;
	f->cur += n;
	if (n == len) {
		f->out_units[f->nout] = f->cur;
		f->out_meta[f->nout++] = *m;
		f->cur = 0;
	}
	return (ssize_t)n;
}

static int
f_finish(struct end *e)
{
	((struct fake *)e)->finished = 1;
	return 1;
}

static int
f_events(const struct end *e, int rd, int wr)
{
	(void)e;
	return (rd ? EV_READ : 0) | (wr ? EV_WRITE : 0);
}

static int
f_fd(const struct end *e)
{
	(void)e;
	return -1;
}

static void
f_close(struct end *e, int abort)
{
	(void)e;
	(void)abort;
}

static const struct end_ops fake_ops = {"fake", f_open, f_read, f_write,
    f_finish, f_events, f_fd, NULL, f_close, NULL, NULL};

static void
fake_init(struct fake *f, int bytes)
{
	memset(f, 0, sizeof(*f));
	end_init(&f->e, &fake_ops, "test", NULL);
	f->e.bytes = bytes;
}

static void
give(struct fake *f, const char *s, uint16_t stream)
{
	f->in[f->nin].len = strlen(s);
	memcpy(f->in[f->nin].data, s, strlen(s));
	f->in[f->nin].m.stream = stream;
	f->in[f->nin].m.ppid = 40u + stream;
	f->in[f->nin].m.set = 1;
	f->nin++;
}

/* a ends its input first, b goes on, then ends: both passed on. */
static void
test_half_close(void **state)
{
	struct fake a, b;
	struct relay *r;
	enum reason why = R_NONE;
	int rd, wr;

	(void)state;
	fake_init(&a, 1);
	fake_init(&b, 1);
	give(&a, "hello", 0);
	a.in_end = 1;
	r = relay_new(&a.e, &b.e, "test");
	assert_int_equal(relay_run(r, &why), 0);
	assert_int_equal(b.outlen, 5);
	assert_memory_equal(b.out, "hello", 5);
	assert_int_equal(b.finished, 1); /* FIN passed on */
	assert_int_equal(a.finished, 0); /* the other way still open */
	assert_true(relay_ended(r, RELAY_AB));
	assert_false(relay_ended(r, RELAY_BA));
	relay_wants(r, 1, &rd, &wr);
	assert_true(rd); /* b is still read */
	give(&b, "world", 0);
	b.in_end = 1;
	assert_int_equal(relay_run(r, &why), 1);
	assert_memory_equal(a.out, "world", 5);
	assert_int_equal(a.finished, 1);
	relay_free(r);
	relay_free(NULL);
}

/* The other way round: b ends first. */
static void
test_half_close_other_way(void **state)
{
	struct fake a, b;
	struct relay *r;
	enum reason why = R_NONE;

	(void)state;
	fake_init(&a, 1);
	fake_init(&b, 0);
	b.in_end = 1;
	r = relay_new(&a.e, &b.e, "test");
	assert_int_equal(relay_run(r, &why), 0);
	assert_int_equal(a.finished, 1);
	assert_int_equal(b.finished, 0);
	give(&a, "late", 0);
	a.in_end = 1;
	assert_int_equal(relay_run(r, &why), 1);
	assert_int_equal(b.nout, 1);
	assert_int_equal(b.finished, 1);
	relay_free(r);
}

/* A destination that takes nothing: one unit held, no more read. */
static void
test_backpressure(void **state)
{
	struct fake a, b;
	struct relay *r;
	enum reason why = R_NONE;
	int rd, wr;

	(void)state;
	fake_init(&a, 1);
	fake_init(&b, 1);
	give(&a, "one", 0);
	give(&a, "two", 0);
	b.again_writes = 1000;
	r = relay_new(&a.e, &b.e, "test");
	assert_int_equal(relay_run(r, &why), 0);
	assert_int_equal(a.pos, 1); /* only the first was read */
	relay_wants(r, 0, &rd, &wr);
	assert_false(rd); /* a is not read while its unit waits */
	relay_wants(r, 1, &rd, &wr);
	assert_true(wr); /* b is watched for room */
	b.again_writes = 0;
	assert_int_equal(relay_run(r, &why), 0);
	assert_int_equal(b.outlen, 6);
	assert_memory_equal(b.out, "onetwo", 6);
	relay_wants(r, 0, &rd, &wr);
	assert_true(rd);
	relay_free(r);
}

/* A byte stream taking a few bytes at a time gets everything in order. */
static void
test_partial_writes(void **state)
{
	struct fake a, b;
	struct relay *r;
	enum reason why = R_NONE;

	(void)state;
	fake_init(&a, 0);
	fake_init(&b, 1);
	give(&a, "abcdefghij", 0);
	give(&a, "KLMNO", 0);
	a.in_end = 1;
	b.chunk = 3;
	r = relay_new(&a.e, &b.e, "test");
	assert_int_equal(relay_run(r, &why), 0);
	assert_int_equal(b.outlen, 15);
	assert_memory_equal(b.out, "abcdefghijKLMNO", 15);
	assert_int_equal(b.finished, 1);
	relay_free(r);
}

/* A reset on either side fails the relay with that side's reason. */
static void
test_reset(void **state)
{
	struct fake a, b;
	struct relay *r;
	enum reason why = R_NONE;

	(void)state;
	fake_init(&a, 1);
	fake_init(&b, 0);
	give(&a, "x", 0);
	a.in_end = 2;
	r = relay_new(&a.e, &b.e, "test");
	assert_int_equal(relay_run(r, &why), -1);
	assert_int_equal(why, R_PLAIN_RESET);
	relay_free(r);

	fake_init(&a, 1);
	fake_init(&b, 0);
	give(&a, "x", 0);
	b.fail_write = 1;
	why = R_NONE;
	r = relay_new(&a.e, &b.e, "test");
	assert_int_equal(relay_run(r, &why), -1);
	assert_int_equal(why, R_DTLS_WRITE);
	relay_free(r);
}

/* A unit larger than the destination takes is an error, not a split. */
static void
test_too_large(void **state)
{
	struct fake a, b;
	struct relay *r;
	enum reason why = R_NONE;

	(void)state;
	fake_init(&a, 0);
	fake_init(&b, 0);
	give(&a, "small", 0);
	give(&a, "far too large for it", 0);
	b.max_msg = 10;
	r = relay_new(&a.e, &b.e, "test");
	assert_int_equal(relay_run(r, &why), -1);
	assert_int_equal(why, R_PLAIN_FAILED);
	assert_int_equal(b.nout, 1);
	assert_int_equal(b.outlen, 5);
	relay_free(r);
}

/* An empty unit is data: carried, and the input does not end there. */
static void
test_empty_unit(void **state)
{
	struct fake a, b;
	struct relay *r;
	enum reason why = R_NONE;
	struct relay_stats st;

	(void)state;
	fake_init(&a, 0);
	fake_init(&b, 0);
	give(&a, "", 0);
	give(&a, "request", 0);
	give(&a, "", 0);
	r = relay_new(&a.e, &b.e, "test");
	assert_int_equal(relay_run(r, &why), 0);
	assert_int_equal(b.nout, 3);
	assert_int_equal(b.out_units[0], 0);
	assert_int_equal(b.out_units[1], 7);
	assert_int_equal(b.out_units[2], 0);
	assert_int_equal(b.finished, 0);
	assert_false(relay_ended(r, RELAY_AB));
	relay_stats(r, &st);
	assert_int_equal(st.units[RELAY_AB], 3);
	assert_int_equal(st.bytes[RELAY_AB], 7);
	relay_free(r);
}

/*
 * The backend is gone (the null end): what is written to it is dropped
 * and counted as such, not as bytes relayed; the other way is unharmed.
 */
static void
test_gone(void **state)
{
	struct fake a;
	struct end *gone;
	struct relay *r;
	enum reason why = R_NONE;
	struct relay_stats st;

	(void)state;
	fake_init(&a, 0);
	give(&a, "request", 0);
	give(&a, "another", 0);
	gone = end_null_new("test");
	assert_non_null(gone);
	r = relay_new(&a.e, gone, "test");
	(void)relay_run(r, &why);
	relay_stats(r, &st);
	assert_int_equal(st.bytes[RELAY_AB], 0);
	assert_int_equal(st.units[RELAY_AB], 0);
	assert_int_equal(gone->dropped, 2);
	assert_int_equal(st.bytes[RELAY_BA], 0);
	relay_free(r);
	end_close(gone, 1);
}

/* Stream, PPID and flags go along with each unit. */
static void
test_meta(void **state)
{
	struct fake a, b;
	struct relay *r;
	enum reason why = R_NONE;

	(void)state;
	fake_init(&a, 0);
	fake_init(&b, 0);
	give(&a, "on three", 3);
	give(&a, "on seven", 7);
	r = relay_new(&a.e, &b.e, "test");
	assert_int_equal(relay_run(r, &why), 0);
	assert_int_equal(b.nout, 2);
	assert_int_equal(b.out_meta[0].stream, 3);
	assert_int_equal(b.out_meta[0].ppid, 43);
	assert_int_equal(b.out_meta[1].stream, 7);
	assert_int_equal(b.out_meta[1].set, 1);
	relay_free(r);
}

/* relay_stop(): no more input one way (an idle timeout), then closed. */
static void
test_stop(void **state)
{
	struct fake a, b;
	struct relay *r;
	enum reason why = R_NONE;

	(void)state;
	fake_init(&a, 1);
	fake_init(&b, 0);
	r = relay_new(&a.e, &b.e, "test");
	assert_int_equal(relay_run(r, &why), 0);
	relay_stop(r, RELAY_AB);
	assert_int_equal(relay_run(r, &why), 0);
	assert_int_equal(b.finished, 1); /* close_notify would go out */
	b.in_end = 1; /* the peer answers with its own */
	assert_int_equal(relay_run(r, &why), 1);
	assert_int_equal(a.finished, 1);
	relay_free(r);
}

/* Input that only says "again" for a while is waited for, not lost. */
static void
test_again(void **state)
{
	struct fake a, b;
	struct relay *r;
	enum reason why = R_NONE;

	(void)state;
	fake_init(&a, 1);
	fake_init(&b, 1);
	a.again_reads = 2;
	give(&a, "later", 0);
	r = relay_new(&a.e, &b.e, "test");
	assert_int_equal(relay_run(r, &why), 0);
	assert_int_equal(b.outlen, 0);
	assert_int_equal(relay_run(r, &why), 0);
	assert_int_equal(relay_run(r, &why), 0);
	assert_int_equal(b.outlen, 5);
	relay_release(r);
	give(&a, "again", 0);
	assert_int_equal(relay_run(r, &why), 0);
	assert_int_equal(b.outlen, 10);
	relay_free(r);
}

/*
 * A source with more than a run's budget ready: the relay stops after
 * RELAY_BUDGET units and asks to be run again; nothing is lost or reordered.
 */
static void
test_budget(void **state)
{
	struct fake a, b;
	struct relay *r;
	enum reason why = R_NONE;
	int i, n = RELAY_BUDGET * 2 + 22;

	(void)state;
	fake_init(&a, 0);
	fake_init(&b, 0);
	for (i = 0; i < n; i++)
		give(&a, i % 2 ? "odd" : "even", (uint16_t)(i % 5));
	r = relay_new(&a.e, &b.e, "test");
	assert_int_equal(relay_run(r, &why), RELAY_MORE);
	assert_int_equal(b.nout, RELAY_BUDGET);
	assert_int_equal(relay_run(r, &why), RELAY_MORE);
	assert_int_equal(b.nout, 2 * RELAY_BUDGET);
	assert_int_equal(relay_run(r, &why), 0);
	assert_int_equal(b.nout, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(b.out_units[i], i % 2 ? 3 : 4);
		assert_int_equal(b.out_meta[i].stream, i % 5);
	}
	relay_free(r);
}

/*
 * An end that found its socket empty is not read (no system call) until
 * its owner says the socket is readable.
 */
static void
test_empty_socket(void **state)
{
	struct fake a, b;
	struct relay *r;
	enum reason why = R_NONE;

	(void)state;
	fake_init(&a, 1);
	fake_init(&b, 1);
	give(&a, "queued", 0);
	a.e.empty = 1;
	r = relay_new(&a.e, &b.e, "test");
	assert_int_equal(relay_run(r, &why), 0);
	assert_int_equal(a.pos, 0); /* not read */
	assert_int_equal(b.outlen, 0);
	end_readable(&a.e);
	assert_int_equal(relay_run(r, &why), 0);
	assert_int_equal(b.outlen, 6);
	relay_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_half_close),
	    cmocka_unit_test(test_half_close_other_way),
	    cmocka_unit_test(test_backpressure),
	    cmocka_unit_test(test_partial_writes),
	    cmocka_unit_test(test_reset),
	    cmocka_unit_test(test_too_large),
	    cmocka_unit_test(test_empty_unit),
	    cmocka_unit_test(test_gone),
	    cmocka_unit_test(test_meta),
	    cmocka_unit_test(test_stop),
	    cmocka_unit_test(test_again),
	    cmocka_unit_test(test_budget),
	    cmocka_unit_test(test_empty_socket),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
