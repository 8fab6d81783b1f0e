/*
 * test_reorder.c: the order records are handed to OpenSSL (reorder.c),
 * checked against a model of stock OpenSSL's DTLS record rules: the
 * 64-record replay window, records of another epoch dropped, nothing
 * taken after close_notify. No record the peer sent may be dropped.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rec.h"
#include "reorder.h"

#define MAXREC 4200

/* What stock OpenSSL does with the records handed to it. */
struct model {
	unsigned epoch;
	uint64_t max; /* newest sequence number seen in the epoch */
	uint64_t map; /* bit i: max - i seen */
	int any; /* something seen in the epoch */
	int shut; /* close_notify processed */
	int dropped, accepted;
	int app[MAXREC]; /* app records accepted, by their number */
};

/* A record: its header and the number it carries in its body. */
static void
mkrec(uint8_t *r, uint8_t type, unsigned epoch, uint64_t seq, int id)
{
	int i;

	memset(r, 0, REC_HDR + 4);
	r[0] = type;
	r[1] = 0xfe;
	r[2] = 0xfd;
	r[3] = (uint8_t)(epoch >> 8);
	r[4] = (uint8_t)epoch;
	for (i = 0; i < 6; i++)
		r[10 - i] = (uint8_t)(seq >> (8 * i));
	r[12] = 4;
	memcpy(r + REC_HDR, &id, sizeof(id));
}

static void
model_take(struct model *o, const uint8_t *r)
{
	unsigned epoch = (unsigned)(r[3] << 8 | r[4]);
	uint64_t seq = 0, off;
	int i, id;

	for (i = 5; i < 11; i++)
		seq = seq << 8 | r[i];
	if (o->shut || epoch != o->epoch) {
		o->dropped++;
		return;
	}
	if (o->any && seq <= o->max) {
		off = o->max - seq;
		if (off >= 64 || (o->map >> off) & 1) {
			o->dropped++;
			return;
		}
		o->map |= (uint64_t)1 << off;
	} else {
		o->map = o->any
		    ? (seq - o->max >= 64 ? 0 : o->map << (seq - o->max))
		    : 0;
		o->map |= 1;
		o->max = seq;
		o->any = 1;
	}
	o->accepted++;
	memcpy(&id, r + REC_HDR, sizeof(id));
	if (r[0] == REC_APPDATA && id >= 0 && id < MAXREC)
		o->app[id]++;
	if (r[0] == REC_CCS) {
		o->epoch++;
		o->any = 0;
	}
	if (r[0] == REC_ALERT)
		o->shut = 1;
}

/* The BIO's part: one record arrives; then whatever became deliverable. */
static int
arrive(struct reorder *q, struct model *o, const uint8_t *r)
{
	struct unit_meta m = {3, 47, 0, 1}, got;
	const uint8_t *h;
	size_t len;
	int v = reorder_check(q, r);

	if (v == REORDER_DELIVER) {
		model_take(o, r);
		reorder_delivered(q, r);
	} else if (v == REORDER_HOLD) {
		assert_int_equal(reorder_hold(q, r, REC_HDR + 4, &m), 0);
	}
	while ((h = reorder_next(q, &len, &got)) != NULL) {
		assert_int_equal(len, REC_HDR + 4);
		assert_int_equal(got.stream, 3);
		assert_int_equal(got.ppid, 47);
		model_take(o, h);
		reorder_delivered(q, h);
	}
	return v;
}

/*
 * Epoch 1 (after a handshake): Finished (seq 0), then app records 1..n;
 * record ${late} arrives after ${after} later ones. Returns the most
 * records held at once.
 */
static size_t
run_gap(int n, int late, int after, struct model *o)
{
	struct reorder *q = reorder_new();
	uint8_t r[MAXREC][REC_HDR + 4];
	size_t most = 0, h;
	int i, k;

	assert_non_null(q);
	memset(o, 0, sizeof(*o));
	mkrec(r[0], REC_CCS, 0, 0, -1);
	arrive(q, o, r[0]);
	mkrec(r[0], REC_HANDSHAKE, 1, 0, -1);
	arrive(q, o, r[0]);
	for (i = 1; i <= n; i++)
		mkrec(r[i], REC_APPDATA, 1, (uint64_t)i, i);
	for (i = 1, k = 0; i <= n; i++) {
		if (i == late)
			continue;
		arrive(q, o, r[i]);
		if ((h = reorder_held(q, NULL)) > most)
			most = h;
		if (i > late && ++k == after)
			arrive(q, o, r[late]);
	}
	if (k < after || after == 0)
		arrive(q, o, r[late]);
	assert_int_equal(reorder_held(q, NULL), 0);
	reorder_free(q);
	return most;
}

static void
check_all(const struct model *o, int n)
{
	int i;

	assert_int_equal(o->dropped, 0);
	for (i = 1; i <= n; i++)
		assert_int_equal(o->app[i], 1);
}

/* The late record comes after 1, 63, 64, 65 and 1000 others. */
static void
test_gaps(void **state)
{
	static const int gaps[] = {1, 63, 64, 65, 1000};
	struct model o;
	size_t i, most;

	(void)state;
	for (i = 0; i < sizeof(gaps) / sizeof(gaps[0]); i++) {
		most = run_gap(1200, 5, gaps[i], &o);
		check_all(&o, 1200);
		/* Held: only what lies 64 or more past the missing record. */
		assert_int_equal(most, gaps[i] < 64 ? 0 : (size_t)gaps[i] - 63);
	}
}

/* Without a gap nothing is held and everything goes in order. */
static void
test_in_order(void **state)
{
	struct model o;

	(void)state;
	assert_int_equal(run_gap(300, 300, 0, &o), 0);
	check_all(&o, 300);
}

/*
 * Application data of the new epoch that overtakes the peer's
 * ChangeCipherSpec and Finished waits for both.
 */
static void
test_epoch_change(void **state)
{
	struct reorder *q = reorder_new();
	uint8_t ccs[REC_HDR + 4], fin[REC_HDR + 4], a[3][REC_HDR + 4];
	struct model o;
	int i;

	(void)state;
	memset(&o, 0, sizeof(o));
	for (i = 0; i < 3; i++)
		mkrec(a[i], REC_APPDATA, 1, (uint64_t)i + 1, i + 1);
	mkrec(ccs, REC_CCS, 0, 7, -1);
	mkrec(fin, REC_HANDSHAKE, 1, 0, -1);
	/* Epoch 0: handshake records 0..6 in order. */
	for (i = 0; i < 7; i++) {
		uint8_t h[REC_HDR + 4];

		mkrec(h, REC_HANDSHAKE, 0, (uint64_t)i, -1);
		assert_int_equal(arrive(q, &o, h), REORDER_DELIVER);
	}
	assert_int_equal(arrive(q, &o, a[1]), REORDER_HOLD);
	assert_int_equal(arrive(q, &o, ccs), REORDER_DELIVER);
	assert_int_equal(reorder_epoch(q), 1);
	assert_int_equal(arrive(q, &o, a[0]), REORDER_HOLD);
	assert_int_equal(reorder_held(q, NULL), 2);
	assert_int_equal(arrive(q, &o, fin), REORDER_DELIVER);
	assert_int_equal(reorder_held(q, NULL), 0);
	assert_int_equal(arrive(q, &o, a[2]), REORDER_DELIVER);
	assert_int_equal(o.dropped, 0);
	for (i = 1; i <= 3; i++)
		assert_int_equal(o.app[i], 1);
	/* A renegotiation: epoch 1 -> 2 while data flows on other streams. */
	mkrec(ccs, REC_CCS, 1, 9, -1);
	mkrec(fin, REC_HANDSHAKE, 2, 0, -1);
	for (i = 4; i <= 8; i++) {
		uint8_t d[REC_HDR + 4];

		mkrec(d, REC_APPDATA, 1, (uint64_t)i, i);
		arrive(q, &o, d);
	}
	mkrec(a[0], REC_APPDATA, 2, 1, 100);
	assert_int_equal(arrive(q, &o, a[0]), REORDER_HOLD);
	assert_int_equal(arrive(q, &o, ccs), REORDER_DELIVER);
	assert_int_equal(arrive(q, &o, fin), REORDER_DELIVER);
	assert_int_equal(o.app[100], 1);
	assert_int_equal(o.dropped, 0);
	assert_int_equal(reorder_epoch(q), 2);
	reorder_free(q);
}

/* A close_notify never overtakes the data before it. */
static void
test_alert_waits(void **state)
{
	struct reorder *q = reorder_new();
	uint8_t r[10][REC_HDR + 4], alert[REC_HDR + 4];
	struct model o;
	int i;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.epoch = 1;
	/* Pretend the handshake is over: epoch 1, Finished handed over. */
	mkrec(alert, REC_CCS, 0, 0, -1);
	reorder_delivered(q, alert);
	mkrec(alert, REC_HANDSHAKE, 1, 0, -1);
	reorder_delivered(q, alert);
	for (i = 1; i < 10; i++)
		mkrec(r[i], REC_APPDATA, 1, (uint64_t)i, i);
	mkrec(alert, REC_ALERT, 1, 10, -1);
	for (i = 2; i < 10; i++)
		arrive(q, &o, r[i]);
	assert_int_equal(arrive(q, &o, alert), REORDER_HOLD);
	arrive(q, &o, r[1]);
	assert_int_equal(o.shut, 1);
	assert_int_equal(o.dropped, 0);
	for (i = 1; i < 10; i++)
		assert_int_equal(o.app[i], 1);
	reorder_free(q);
}

/* Duplicates and records of an old epoch are stale, never handed over. */
static void
test_stale(void **state)
{
	struct reorder *q = reorder_new();
	uint8_t r[REC_HDR + 4], far[REC_HDR + 4];
	struct unit_meta m = {0, 0, 0, 0};

	(void)state;
	mkrec(r, REC_HANDSHAKE, 0, 0, -1);
	assert_int_equal(reorder_check(q, r), REORDER_DELIVER);
	reorder_delivered(q, r);
	assert_int_equal(reorder_check(q, r), REORDER_STALE);
	mkrec(far, REC_APPDATA, 0, 200, 1);
	assert_int_equal(reorder_check(q, far), REORDER_HOLD);
	assert_int_equal(reorder_hold(q, far, sizeof(far), &m), 0);
	assert_int_equal(reorder_check(q, far), REORDER_STALE);
	mkrec(r, REC_CCS, 0, 1, -1);
	reorder_delivered(q, r);
	mkrec(r, REC_APPDATA, 0, 2, 2);
	assert_int_equal(reorder_check(q, r), REORDER_STALE);
	reorder_free(q);
}

/* Hand over whatever is deliverable, skipping gaps below ${mark}. */
static unsigned long
drain_skipping(struct reorder *q, struct model *o, uint64_t mark)
{
	const uint8_t *h;
	struct unit_meta m;
	unsigned long skipped = 0, n;
	size_t len;

	do {
		while ((h = reorder_next(q, &len, &m)) != NULL) {
			model_take(o, h);
			reorder_delivered(q, h);
		}
	} while ((n = reorder_skip(q, mark)) > 0 && (skipped += n) > 0);
	return skipped;
}

/* An epoch-1 state as after a handshake: Finished handed over. */
static struct reorder *
established(struct model *o)
{
	struct reorder *q = reorder_new();
	uint8_t r[REC_HDR + 4];

	memset(o, 0, sizeof(*o));
	o->epoch = 1;
	mkrec(r, REC_CCS, 0, 0, -1);
	reorder_delivered(q, r);
	mkrec(r, REC_HANDSHAKE, 1, 0, -1);
	reorder_delivered(q, r);
	return q;
}

/*
 * Sequence numbers the peer never sends (OpenSSL skips one whenever its
 * BIO could not take a record; PR-SCTP abandons messages): once SCTP says
 * nothing is on its way, reorder_skip() gives them up and what was held
 * goes on; records that arrive after the mark are not given up.
 */
static void
test_skip(void **state)
{
	uint8_t r[300][REC_HDR + 4];
	struct model o;
	struct reorder *q = established(&o);
	uint64_t mark;
	int i;

	(void)state;
	assert_int_equal(reorder_skip(q, reorder_mark(q)), 0);
	for (i = 1; i < 300; i++)
		mkrec(r[i], REC_APPDATA, 1, (uint64_t)i, i);
	/* 10..12 and 150 never come; 250.. are still on their way. */
	for (i = 1; i < 250; i++)
		if ((i < 10 || i > 12) && i != 150)
			arrive(q, &o, r[i]);
	assert_int_equal(reorder_held(q, NULL), 249 - 73 - 1);
	mark = reorder_mark(q);
	assert_int_equal(drain_skipping(q, &o, mark), 4);
	assert_int_equal(reorder_held(q, NULL), 0);
	for (i = 250; i < 300; i++)
		arrive(q, &o, r[i]);
	assert_int_equal(reorder_held(q, NULL), 0);
	assert_int_equal(o.dropped, 0);
	for (i = 1; i < 300; i++)
		assert_int_equal(
		    o.app[i], (i >= 10 && i <= 12) || i == 150 ? 0 : 1);
	/* A skipped record that comes after all is stale, never handed over. */
	assert_int_equal(reorder_check(q, r[11]), REORDER_STALE);
	reorder_free(q);
}

/* A mark of an epoch that has ended gives nothing up. */
static void
test_skip_old_mark(void **state)
{
	uint8_t r[REC_HDR + 4];
	struct model o;
	struct reorder *q = established(&o);
	uint64_t mark;

	(void)state;
	mkrec(r, REC_APPDATA, 1, 100, 1);
	arrive(q, &o, r);
	mark = reorder_mark(q);
	mkrec(r, REC_CCS, 1, 1, -1);
	reorder_delivered(q, r);
	assert_int_equal(reorder_skip(q, mark), 0);
	reorder_free(q);
}

/* A close_notify after a skipped record waits, then goes last. */
static void
test_skip_alert(void **state)
{
	uint8_t r[10][REC_HDR + 4], alert[REC_HDR + 4];
	struct model o;
	struct reorder *q = established(&o);
	int i;

	(void)state;
	for (i = 1; i < 10; i++)
		mkrec(r[i], REC_APPDATA, 1, (uint64_t)i, i);
	mkrec(alert, REC_ALERT, 1, 11, -1);
	for (i = 1; i < 10; i++)
		arrive(q, &o, r[i]);
	assert_int_equal(arrive(q, &o, alert), REORDER_HOLD); /* 10 skipped */
	assert_int_equal(o.shut, 0);
	assert_int_equal(drain_skipping(q, &o, reorder_mark(q)), 1);
	assert_int_equal(o.shut, 1);
	assert_int_equal(o.dropped, 0);
	reorder_free(q);
}

/* The hold is bounded: REORDER_MAX_RECS records. */
static void
test_bounded(void **state)
{
	struct reorder *q = reorder_new();
	uint8_t r[REC_HDR + 4];
	struct unit_meta m = {0, 0, 0, 0};
	int i;

	(void)state;
	mkrec(r, REC_HANDSHAKE, 0, 0, -1);
	reorder_delivered(q, r);
	for (i = 0; i < REORDER_MAX_RECS; i++) {
		mkrec(r, REC_APPDATA, 0, (uint64_t)i + 100, i);
		assert_int_equal(reorder_hold(q, r, sizeof(r), &m), 0);
	}
	mkrec(r, REC_APPDATA, 0, 100000, 1);
	assert_int_equal(reorder_hold(q, r, sizeof(r), &m), -1);
	assert_int_equal(reorder_held(q, NULL), REORDER_MAX_RECS);
	reorder_free(q);
	reorder_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_gaps),
	    cmocka_unit_test(test_in_order),
	    cmocka_unit_test(test_epoch_change),
	    cmocka_unit_test(test_alert_waits),
	    cmocka_unit_test(test_stale),
	    cmocka_unit_test(test_skip),
	    cmocka_unit_test(test_skip_old_mark),
	    cmocka_unit_test(test_skip_alert),
	    cmocka_unit_test(test_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
