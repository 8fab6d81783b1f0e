/* test_ksched.c: the RFC 6083 4.8 SCTP-AUTH key schedule. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "ksched.h"
#include "rec.h"

/*
 * One side of an association: the schedule plus a model of the keys the
 * socket holds, driven the way the BIO drives it. Every action is checked
 * against the model when it is returned.
 */
struct side {
	struct ksched k;
	uint16_t keys[8]; /* key numbers installed on the socket */
	int nkeys;
	int installs, activates, retires;
	uint16_t retired; /* the last key retired */
	int step; /* records sent so far */
	int install_step; /* records sent when KS_INSTALL came */
	int ccs_step; /* records sent before our CCS */
};

enum { FROM_SECRET, FROM_BEFORE, FROM_AFTER, FROM_DONE };

static int
has_key(const struct side *s, uint16_t id)
{
	int i;

	for (i = 0; i < s->nkeys; i++)
		if (s->keys[i] == id)
			return 1;
	return 0;
}

static void
side_init(struct side *s, uint16_t active)
{
	*s = (struct side){.nkeys = 1, .install_step = -1, .ccs_step = -1};
	ksched_init(&s->k);
	assert_int_equal(s->k.active, 0);
	assert_false(s->k.has_next);
	assert_false(s->k.has_old);
	/* A later handshake of a long-lived association. */
	s->k.active = active;
	s->keys[0] = active;
}

/* Carry out ${act}, returned from ${from}, on the model. */
static void
apply(struct side *s, unsigned act, int from)
{
	int i;

	assert_int_equal(act & ~(KS_INSTALL | KS_ACTIVATE | KS_RETIRE), 0);
	if (act & KS_INSTALL) {
		assert_true(s->k.has_next);
		assert_int_equal(s->k.next, ksched_next_id(s->k.active));
		assert_false(has_key(s, s->k.next));
		assert_true(s->nkeys < 8);
		s->keys[s->nkeys++] = s->k.next;
		s->installs++;
		s->install_step = s->step;
	}
	if (act & KS_ACTIVATE) {
		/* Only an installed key can be made active. */
		assert_true(has_key(s, s->k.active));
		assert_true(s->k.has_old);
		assert_int_not_equal(s->k.old, s->k.active);
		s->activates++;
	}
	if (act & KS_RETIRE) {
		assert_int_equal(from, FROM_DONE);
		assert_true(has_key(s, s->k.old));
		assert_int_not_equal(s->k.old, s->k.active);
		for (i = 0; s->keys[i] != s->k.old; i++)
			;
		s->keys[i] = s->keys[--s->nkeys];
		s->retires++;
		s->retired = s->k.old;
	}
}

/* The master secret exists (the BIO's info callback). */
static void
secret(struct side *s, unsigned expect)
{
	unsigned act = ksched_secret(&s->k);

	assert_int_equal(act, expect);
	apply(s, act, FROM_SECRET);
}

/*
 * Send one record of ${type}: the actions before and after it must be
 * ${eb} and ${ea}. Returns the key number the record went out under.
 */
static uint16_t
send_rec(struct side *s, uint8_t type, unsigned eb, unsigned ea)
{
	unsigned act;
	uint16_t key;

	act = ksched_before_send(&s->k, type);
	assert_int_equal(act, eb);
	apply(s, act, FROM_BEFORE);
	key = s->k.active;
	assert_true(has_key(s, key));
	if (type == REC_CCS)
		s->ccs_step = s->step;
	act = ksched_after_send(&s->k, type);
	assert_int_equal(act, ea);
	apply(s, act, FROM_AFTER);
	s->step++;
	return key;
}

static void
recv_rec(struct side *s, uint8_t type)
{
	ksched_received(&s->k, type);
}

/* The handshake completed: the old key goes, if it may. */
static void
done(struct side *s, unsigned expect)
{
	unsigned act = ksched_done(&s->k);

	assert_int_equal(act, expect);
	apply(s, act, FROM_DONE);
}

/* After a whole handshake from key ${from}: one of each, ${from} gone. */
static void
check_end(const struct side *s, uint16_t from)
{
	uint16_t to = ksched_next_id(from);

	assert_int_equal(s->installs, 1);
	assert_int_equal(s->activates, 1);
	assert_int_equal(s->retires, 1);
	assert_int_equal(s->retired, from);
	assert_int_equal(s->k.active, to);
	assert_int_equal(s->nkeys, 1);
	assert_int_equal(s->keys[0], to);
	/* Installed before our ChangeCipherSpec went out. */
	assert_true(s->ccs_step >= 0);
	assert_true(s->install_step >= 0);
	assert_true(s->install_step <= s->ccs_step);
	/* Reset for the next handshake. */
	assert_false(s->k.has_next);
	assert_false(s->k.has_old);
	assert_false(s->k.tx_ccs);
	assert_false(s->k.rx_ccs);
	assert_false(s->k.tx_fin);
}

/*
 * Application data (and alerts) sent or received mid-handshake change
 * nothing.
 */
static void
no_effect(struct side *s)
{
	static const uint8_t types[] = {REC_APPDATA, REC_ALERT};
	struct ksched before = s->k;
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		assert_int_equal(ksched_before_send(&s->k, types[i]), 0);
		assert_int_equal(ksched_after_send(&s->k, types[i]), 0);
		ksched_received(&s->k, types[i]);
	}
	assert_int_equal(s->k.active, before.active);
	assert_int_equal(s->k.next, before.next);
	assert_int_equal(s->k.old, before.old);
	assert_int_equal(s->k.has_next, before.has_next);
	assert_int_equal(s->k.has_old, before.has_old);
	assert_int_equal(s->k.tx_ccs, before.tx_ccs);
	assert_int_equal(s->k.rx_ccs, before.rx_ccs);
	assert_int_equal(s->k.tx_fin, before.tx_fin);
}

/*
 * Full handshake, client: our CCS and Finished go first, both under the old
 * key; the new key is active once our Finished is out. With ${early}, the
 * master secret is reported after ClientKeyExchange; without, the schedule
 * must install the key itself before our CCS.
 */
static void
full_client(struct side *s, int early)
{
	uint16_t from = s->k.active, to = ksched_next_id(from);

	assert_int_equal(send_rec(s, REC_HANDSHAKE, 0, 0), from); /* CH */
	recv_rec(s, REC_HANDSHAKE); /* ServerHello .. ServerHelloDone */
	recv_rec(s, REC_HANDSHAKE);
	recv_rec(s, REC_HANDSHAKE);
	recv_rec(s, REC_HANDSHAKE);
	no_effect(s);
	assert_int_equal(send_rec(s, REC_HANDSHAKE, 0, 0), from); /* CKE */
	if (early) {
		secret(s, KS_INSTALL);
		assert_int_equal(s->k.next, to);
		secret(s, 0); /* the callback fires again */
	}
	no_effect(s);
	assert_int_equal(send_rec(s, REC_CCS, early ? 0 : KS_INSTALL, 0), from);
	assert_int_equal(s->installs, 1);
	assert_int_equal(s->k.active, from);
	no_effect(s);
	/* Our Finished: first, so under the old key; switch after it. */
	assert_int_equal(send_rec(s, REC_HANDSHAKE, 0, KS_ACTIVATE), from);
	assert_int_equal(s->k.active, to);
	assert_int_equal(s->k.old, from);
	secret(s, 0);
	/* Not done yet: the peer's CCS has not come. */
	done(s, 0);
	assert_int_equal(s->nkeys, 2);
	no_effect(s);
	recv_rec(s, REC_CCS);
	recv_rec(s, REC_HANDSHAKE); /* the server's Finished */
	done(s, KS_RETIRE);
	check_end(s, from);
	/* Once only. */
	done(s, 0);
}

/*
 * Full handshake, server: the client's CCS arrives before ours, so our
 * Finished is the second one and goes under the new key, activated after
 * our CCS and before our Finished.
 */
static void
full_server(struct side *s, int early)
{
	uint16_t from = s->k.active, to = ksched_next_id(from);

	recv_rec(s, REC_HANDSHAKE); /* ClientHello */
	assert_int_equal(send_rec(s, REC_HANDSHAKE, 0, 0), from); /* SH */
	assert_int_equal(send_rec(s, REC_HANDSHAKE, 0, 0), from); /* Cert */
	assert_int_equal(send_rec(s, REC_HANDSHAKE, 0, 0), from); /* SKE */
	assert_int_equal(send_rec(s, REC_HANDSHAKE, 0, 0), from); /* SHD */
	recv_rec(s, REC_HANDSHAKE); /* ClientKeyExchange */
	if (early) {
		secret(s, KS_INSTALL);
		assert_int_equal(s->k.next, to);
	}
	recv_rec(s, REC_CCS);
	recv_rec(s, REC_HANDSHAKE); /* the client's Finished */
	no_effect(s);
	/* Our CCS goes out with a peer CCS already seen: not done yet. */
	assert_int_equal(s->k.rx_ccs, 1);
	done(s, 0);
	/* NewSessionTicket, before our CCS: nothing. */
	assert_int_equal(send_rec(s, REC_HANDSHAKE, 0, 0), from);
	if (early)
		secret(s, 0);
	assert_int_equal(send_rec(s, REC_CCS, early ? 0 : KS_INSTALL, 0), from);
	assert_int_equal(s->installs, 1);
	assert_int_equal(s->k.active, from);
	/* Our Finished, the second: the new key before it. */
	assert_int_equal(send_rec(s, REC_HANDSHAKE, KS_ACTIVATE, 0), to);
	assert_int_equal(s->k.old, from);
	no_effect(s);
	done(s, KS_RETIRE);
	check_end(s, from);
	done(s, 0);
}

/*
 * Resumed handshake, server: our CCS and Finished go first, so activation
 * comes after our Finished, as for the full-handshake client.
 */
static void
resumed_server(struct side *s, int early)
{
	uint16_t from = s->k.active, to = ksched_next_id(from);

	recv_rec(s, REC_HANDSHAKE); /* ClientHello */
	assert_int_equal(send_rec(s, REC_HANDSHAKE, 0, 0), from); /* SH */
	if (early) {
		secret(s, KS_INSTALL);
		assert_int_equal(s->k.next, to);
	}
	assert_int_equal(send_rec(s, REC_HANDSHAKE, 0, 0), from); /* NST */
	assert_int_equal(send_rec(s, REC_CCS, early ? 0 : KS_INSTALL, 0), from);
	assert_int_equal(s->installs, 1);
	/* The first Finished: under the old key, the switch after it. */
	assert_int_equal(send_rec(s, REC_HANDSHAKE, 0, KS_ACTIVATE), from);
	assert_int_equal(s->k.active, to);
	assert_int_equal(s->k.old, from);
	done(s, 0);
	no_effect(s);
	recv_rec(s, REC_CCS);
	recv_rec(s, REC_HANDSHAKE);
	done(s, KS_RETIRE);
	check_end(s, from);
}

/*
 * Resumed handshake, client: the server's CCS and Finished come first, so
 * ours is the second Finished: activation before it.
 */
static void
resumed_client(struct side *s, int early)
{
	uint16_t from = s->k.active, to = ksched_next_id(from);

	assert_int_equal(send_rec(s, REC_HANDSHAKE, 0, 0), from); /* CH */
	recv_rec(s, REC_HANDSHAKE); /* ServerHello */
	if (early) {
		secret(s, KS_INSTALL);
		assert_int_equal(s->k.next, to);
	}
	recv_rec(s, REC_HANDSHAKE); /* NewSessionTicket */
	no_effect(s);
	recv_rec(s, REC_CCS);
	recv_rec(s, REC_HANDSHAKE); /* the server's Finished */
	if (early)
		secret(s, 0);
	done(s, 0);
	assert_int_equal(send_rec(s, REC_CCS, early ? 0 : KS_INSTALL, 0), from);
	assert_int_equal(s->installs, 1);
	assert_int_equal(s->k.active, from);
	assert_int_equal(send_rec(s, REC_HANDSHAKE, KS_ACTIVATE, 0), to);
	assert_int_equal(s->k.old, from);
	no_effect(s);
	done(s, KS_RETIRE);
	check_end(s, from);
}

static void
test_init(void **state)
{
	struct ksched k;

	(void)state;
	k.active = 9;
	k.has_next = k.has_old = k.tx_ccs = k.rx_ccs = k.tx_fin = 1;
	ksched_init(&k);
	assert_int_equal(k.active, 0);
	assert_false(k.has_next);
	assert_false(k.has_old);
	assert_false(k.tx_ccs);
	assert_false(k.rx_ccs);
	assert_false(k.tx_fin);
	/* Nothing to retire before any handshake. */
	assert_int_equal(ksched_done(&k), 0);
}

static void
test_full_client(void **state)
{
	struct side s;

	(void)state;
	side_init(&s, 0);
	full_client(&s, 1);
	side_init(&s, 0);
	full_client(&s, 0);
}

static void
test_full_server(void **state)
{
	struct side s;

	(void)state;
	side_init(&s, 0);
	full_server(&s, 1);
	side_init(&s, 0);
	full_server(&s, 0);
}

static void
test_resumed_server(void **state)
{
	struct side s;

	(void)state;
	side_init(&s, 0);
	resumed_server(&s, 1);
	side_init(&s, 0);
	resumed_server(&s, 0);
}

static void
test_resumed_client(void **state)
{
	struct side s;

	(void)state;
	side_init(&s, 0);
	resumed_client(&s, 1);
	side_init(&s, 0);
	resumed_client(&s, 0);
}

/* The two ends of one association agree on the key of every record. */
static void
test_both_ends_agree(void **state)
{
	struct side c, sv;
	uint16_t key;

	(void)state;
	side_init(&c, 0);
	side_init(&sv, 0);
	/* Full handshake, client's flight first. */
	secret(&c, KS_INSTALL);
	key = send_rec(&c, REC_CCS, 0, 0);
	recv_rec(&sv, REC_CCS);
	assert_int_equal(key, 0);
	key = send_rec(&c, REC_HANDSHAKE, 0, KS_ACTIVATE);
	recv_rec(&sv, REC_HANDSHAKE);
	assert_int_equal(key, 0);
	secret(&sv, KS_INSTALL);
	key = send_rec(&sv, REC_CCS, 0, 0);
	recv_rec(&c, REC_CCS);
	assert_int_equal(key, 0);
	key = send_rec(&sv, REC_HANDSHAKE, KS_ACTIVATE, 0);
	recv_rec(&c, REC_HANDSHAKE);
	/* The receiver must have the key the sender used. */
	assert_int_equal(key, 1);
	assert_true(has_key(&c, key));
	/* Application data both ways now goes under key 1. */
	assert_int_equal(send_rec(&c, REC_APPDATA, 0, 0), 1);
	assert_int_equal(send_rec(&sv, REC_APPDATA, 0, 0), 1);
	done(&c, KS_RETIRE);
	done(&sv, KS_RETIRE);
	check_end(&c, 0);
	check_end(&sv, 0);
}

/* Renegotiation: a second handshake moves from key 1 to key 2. */
static void
test_second_handshake(void **state)
{
	struct side s;

	(void)state;
	side_init(&s, 0);
	full_client(&s, 1);
	s.installs = s.activates = s.retires = 0;
	s.install_step = s.ccs_step = -1;
	full_client(&s, 0);
	assert_int_equal(s.retired, 1);
	assert_int_equal(s.k.active, 2);

	side_init(&s, 0);
	resumed_client(&s, 1);
	s.installs = s.activates = s.retires = 0;
	s.install_step = s.ccs_step = -1;
	full_server(&s, 1);
	assert_int_equal(s.retired, 1);
	assert_int_equal(s.k.active, 2);
}

/*
 * Renegotiation after renegotiation, both roles, full and resumed, across
 * the wrap: each installs and activates active + 1 and retires the key
 * before it; after 65535 comes 1, never 0 (the empty key).
 */
static void
test_renegotiations_wrap(void **state)
{
	static const uint16_t want[] = {65534, 65535, 1, 2, 3, 4};
	struct side s;
	uint16_t before;
	size_t i;

	(void)state;
	side_init(&s, 65533);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		before = s.k.active;
		s.installs = s.activates = s.retires = 0;
		s.install_step = s.ccs_step = -1;
		switch (i % 4) {
		case 0:
			full_client(&s, 0);
			break;
		case 1:
			full_server(&s, 1);
			break;
		case 2:
			resumed_client(&s, 1);
			break;
		default:
			resumed_server(&s, 0);
			break;
		}
		assert_int_equal(s.k.active, want[i]);
		assert_int_equal(s.retired, before);
		assert_int_equal(s.installs, 1);
		assert_int_equal(s.activates, 1);
		assert_int_equal(s.retires, 1);
		assert_false(has_key(&s, 0));
	}
}

static void
test_next_id(void **state)
{
	(void)state;
	assert_int_equal(ksched_next_id(0), 1);
	assert_int_equal(ksched_next_id(1), 2);
	assert_int_equal(ksched_next_id(1000), 1001);
	assert_int_equal(ksched_next_id(65534), 65535);
	/* Key 0 is the empty key: never reused. */
	assert_int_equal(ksched_next_id(65535), 1);
}

/* A handshake from key 65535 installs and activates 1, retires 65535. */
static void
test_wrap(void **state)
{
	struct side s;

	(void)state;
	side_init(&s, 65535);
	full_client(&s, 1);
	assert_int_equal(s.k.active, 1);
	assert_int_equal(s.retired, 65535);

	side_init(&s, 65535);
	full_server(&s, 0);
	assert_int_equal(s.k.active, 1);
	assert_int_equal(s.retired, 65535);

	side_init(&s, 65535);
	resumed_server(&s, 0);
	assert_int_equal(s.k.active, 1);

	side_init(&s, 65535);
	resumed_client(&s, 1);
	assert_int_equal(s.k.active, 1);
	assert_int_equal(s.retired, 65535);

	/* And on from there. */
	side_init(&s, 65534);
	assert_int_equal(ksched_secret(&s.k), KS_INSTALL);
	assert_int_equal(s.k.next, 65535);
}

/* Application data outside any handshake: no actions at all. */
static void
test_appdata_idle(void **state)
{
	struct side s;
	int i;

	(void)state;
	side_init(&s, 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(send_rec(&s, REC_APPDATA, 0, 0), 0);
		recv_rec(&s, REC_APPDATA);
	}
	no_effect(&s);
	done(&s, 0);
	full_client(&s, 1);
	for (i = 0; i < 3; i++) {
		assert_int_equal(send_rec(&s, REC_APPDATA, 0, 0), 1);
		recv_rec(&s, REC_APPDATA);
	}
	no_effect(&s);
	assert_int_equal(s.installs, 1);
	assert_int_equal(s.activates, 1);
	assert_int_equal(s.retires, 1);
	done(&s, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init),
	    cmocka_unit_test(test_full_client),
	    cmocka_unit_test(test_full_server),
	    cmocka_unit_test(test_resumed_server),
	    cmocka_unit_test(test_resumed_client),
	    cmocka_unit_test(test_both_ends_agree),
	    cmocka_unit_test(test_second_handshake),
	    cmocka_unit_test(test_next_id),
	    cmocka_unit_test(test_wrap),
	    cmocka_unit_test(test_renegotiations_wrap),
	    cmocka_unit_test(test_appdata_idle),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
