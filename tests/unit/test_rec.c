/*
 * test_rec.c: DTLS record framing (rec_len, rec_check, rec_types) and the
 * message reassembly (rec_asm_*), the outgoing record put together from
 * OpenSSL's writes (rec_out_*).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rec.h"

/* Big enough for the largest message plus one record more. */
static uint8_t msg[2 * REC_MAX + 64];

/*
 * Write a DTLS 1.2 record of content type ${type} with a ${body}-byte body
 * at ${p}; returns its whole length.
 */
static size_t
put_rec(uint8_t *p, uint8_t type, size_t body)
{
	size_t i;

	p[0] = type;
	p[1] = 0xfe;
	p[2] = 0xfd;
	memset(p + 3, 0, 8); /* epoch and sequence number */
	p[5] = 1;
	p[10] = 7;
	p[11] = (uint8_t)(body >> 8);
	p[12] = (uint8_t)body;
	for (i = 0; i < body; i++)
		p[REC_HDR + i] = (uint8_t)(i * 7 + 3);
	return REC_HDR + body;
}

/* rec_check() that must fail; returns the reason given. */
static const char *
reject(const uint8_t *p, size_t len)
{
	const char *why = NULL;

	assert_int_equal(rec_check(p, len, &why), -1);
	assert_non_null(why);
	return why;
}

static void
test_len_short_header(void **state)
{
	size_t n;

	(void)state;
	n = put_rec(msg, REC_APPDATA, 5);
	assert_int_equal(n, 18);
	assert_int_equal(rec_len(msg, 0), -1);
	assert_int_equal(rec_len(msg, 1), -1);
	assert_int_equal(rec_len(msg, REC_HDR - 1), -1);
}

static void
test_len_exact(void **state)
{
	size_t n;

	(void)state;
	n = put_rec(msg, REC_HANDSHAKE, 300);
	assert_int_equal(n, REC_HDR + 300);
	assert_int_equal(rec_len(msg, n), (long)n);
	/* More bytes than the record: still the record's own length. */
	assert_int_equal(rec_len(msg, n + 40), (long)n);
	/* The length field is big-endian: 0x0102 = 258. */
	msg[11] = 0x01;
	msg[12] = 0x02;
	assert_int_equal(rec_len(msg, REC_HDR + 258), REC_HDR + 258);
	assert_int_equal(rec_len(msg, REC_HDR + 257), -1);
}

static void
test_len_truncated_body(void **state)
{
	size_t n;

	(void)state;
	n = put_rec(msg, REC_APPDATA, 100);
	assert_int_equal(rec_len(msg, n - 1), -1);
	assert_int_equal(rec_len(msg, REC_HDR), -1);
	assert_int_equal(rec_len(msg, REC_HDR + 50), -1);
	/* Largest length field, short buffer. */
	msg[11] = 0xff;
	msg[12] = 0xff;
	assert_int_equal(rec_len(msg, REC_MAX), -1);
}

static void
test_len_zero_body(void **state)
{
	size_t n;

	(void)state;
	n = put_rec(msg, REC_CCS, 0);
	assert_int_equal(n, REC_HDR);
	assert_int_equal(rec_len(msg, REC_HDR), REC_HDR);
	assert_int_equal(rec_len(msg, REC_HDR + 10), REC_HDR);
}

static void
test_check_accepts_each_type(void **state)
{
	const char *why = "unset";
	uint8_t t;
	size_t n;

	(void)state;
	for (t = REC_CCS; t <= REC_APPDATA; t++) {
		n = put_rec(msg, t, 1);
		assert_int_equal(rec_check(msg, n, &why), 0);
	}
	/* Success leaves the reason alone. */
	assert_string_equal(why, "unset");
	/* DTLS 1.0 version bytes too. */
	n = put_rec(msg, REC_HANDSHAKE, 20);
	msg[2] = 0xff;
	assert_int_equal(rec_check(msg, n, &why), 0);
	/* A header-only record is whole. */
	n = put_rec(msg, REC_ALERT, 0);
	assert_int_equal(rec_check(msg, n, &why), 0);
}

static void
test_check_empty(void **state)
{
	(void)state;
	put_rec(msg, REC_APPDATA, 10);
	assert_string_equal(reject(msg, 0), "empty message");
}

static void
test_check_size_limit(void **state)
{
	const char *why = NULL;
	size_t n;

	(void)state;
	assert_int_equal(REC_MAX, 18445);
	/* One record of exactly 18445 bytes: the most RFC 6083 allows. */
	n = put_rec(msg, REC_APPDATA, REC_MAX - REC_HDR);
	assert_int_equal(n, 18445);
	assert_int_equal(rec_check(msg, n, &why), 0);
	/* One byte more is refused before anything else is looked at. */
	n = put_rec(msg, REC_APPDATA, REC_MAX - REC_HDR + 1);
	assert_int_equal(n, 18446);
	assert_string_equal(reject(msg, n), "message larger than 18445 bytes");
	/* So are two whole records adding up to more than that. */
	n = put_rec(msg, REC_APPDATA, 10000);
	n += put_rec(msg + n, REC_APPDATA, 10000);
	assert_string_equal(reject(msg, n), "message larger than 18445 bytes");
}

static void
test_check_not_dtls(void **state)
{
	size_t n;

	(void)state;
	/* TLS, not DTLS: version 3.3. */
	n = put_rec(msg, REC_HANDSHAKE, 40);
	msg[1] = 0x03;
	msg[2] = 0x03;
	assert_string_equal(reject(msg, n), "message is not a DTLS record");
	/* Plain text. */
	memcpy(msg, "GET / HTTP/1.0\r\n\r\n", 18);
	assert_string_equal(reject(msg, 18), "message is not a DTLS record");
	/* A first byte that is no content type, DTLS version after it. */
	n = put_rec(msg, REC_HANDSHAKE, 40);
	msg[0] = 0x80;
	assert_string_equal(reject(msg, n), "record of unknown content type");
	msg[0] = 0x00;
	assert_string_equal(reject(msg, n), "record of unknown content type");
	/* Shorter than a header, even if it starts like one. */
	n = put_rec(msg, REC_APPDATA, 0);
	assert_string_equal(
	    reject(msg, REC_HDR - 1), "message is not a DTLS record");
	assert_string_equal(reject(msg, 2), "message is not a DTLS record");
}

static void
test_check_unknown_types(void **state)
{
	size_t n;

	(void)state;
	n = put_rec(msg, 19, 8);
	assert_string_equal(reject(msg, n), "record of unknown content type");
	/* 24: heartbeat, which RFC 6083 has no use for. */
	n = put_rec(msg, 24, 8);
	assert_string_equal(reject(msg, n), "record of unknown content type");
	/* 25 (tls12_cid) is no DTLS 1.2 record here either. */
	n = put_rec(msg, 25, 8);
	assert_string_equal(reject(msg, n), "record of unknown content type");
	/* An unknown type in the second record of a message. */
	n = put_rec(msg, REC_HANDSHAKE, 8);
	n += put_rec(msg + n, 24, 8);
	assert_string_equal(reject(msg, n), "record of unknown content type");
}

static void
test_check_truncated(void **state)
{
	size_t n;

	(void)state;
	n = put_rec(msg, REC_HANDSHAKE, 64);
	assert_string_equal(reject(msg, n - 1), "truncated DTLS record");
	assert_string_equal(reject(msg, REC_HDR), "truncated DTLS record");
	/* The second of two records cut short. */
	n += put_rec(msg + n, REC_HANDSHAKE, 64);
	assert_string_equal(reject(msg, n - 1), "truncated DTLS record");
}

static void
test_check_two_records(void **state)
{
	const char *why = NULL;
	size_t n;

	(void)state;
	n = put_rec(msg, REC_CCS, 1);
	n += put_rec(msg + n, REC_HANDSHAKE, 61);
	assert_int_equal(rec_check(msg, n, &why), 0);
	assert_null(why);
	/* Three, the last header-only. */
	n += put_rec(msg + n, REC_ALERT, 0);
	assert_int_equal(rec_check(msg, n, &why), 0);
	assert_null(why);
}

static void
test_check_trailing_garbage(void **state)
{
	size_t n;

	(void)state;
	n = put_rec(msg, REC_APPDATA, 32);
	/* A stray byte that would pass for a version byte. */
	msg[n] = 0xfe;
	assert_string_equal(reject(msg, n + 1), "message is not a DTLS record");
	/* Junk after the record. */
	memcpy(msg + n,
	    "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c"
	    "\x0d\x0e\x0f\x10",
	    16);
	assert_string_equal(
	    reject(msg, n + 16), "message is not a DTLS record");
	/* A second header with a DTLS version but too short. */
	put_rec(msg + n, REC_APPDATA, 0);
	assert_string_equal(
	    reject(msg, n + REC_HDR - 1), "message is not a DTLS record");
	/* A second header whose body is missing. */
	put_rec(msg + n, REC_APPDATA, 4);
	assert_string_equal(reject(msg, n + REC_HDR), "truncated DTLS record");
}

/*
 * A message that ends exactly at an inaccessible page: rec_check() must not
 * read a byte past the ${len} it was given, whatever it holds.
 */
static void
test_check_reads_within_bounds(void **state)
{
	long pg = sysconf(_SC_PAGESIZE);
	const char *why = NULL;
	uint8_t *map, *end;
	size_t n;

	(void)state;
	assert_true(pg >= 4096);
	map = mmap(NULL, (size_t)pg * 2, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(map != MAP_FAILED);
	assert_int_equal(mprotect(map + pg, (size_t)pg, PROT_NONE), 0);
	end = map + pg;

	/* A one-byte message. */
	end[-1] = REC_HANDSHAKE;
	assert_string_equal(reject(end - 1, 1), "message is not a DTLS record");
	/* A whole record followed by one byte. */
	n = REC_HDR + 3 + 1;
	put_rec(end - n, REC_APPDATA, 3);
	end[-1] = REC_APPDATA;
	assert_string_equal(reject(end - n, n), "message is not a DTLS record");
	/* A whole record ending at the page end is fine. */
	n = REC_HDR + 3;
	put_rec(end - n, REC_APPDATA, 3);
	assert_int_equal(rec_check(end - n, n, &why), 0);
	assert_int_equal(rec_types(end - n, n), 1u << (REC_APPDATA - 20));

	assert_int_equal(munmap(map, (size_t)pg * 2), 0);
}

static void
test_types_masks(void **state)
{
	size_t n;

	(void)state;
	n = put_rec(msg, REC_CCS, 1);
	assert_int_equal(rec_types(msg, n), 0x1);
	n = put_rec(msg, REC_ALERT, 2);
	assert_int_equal(rec_types(msg, n), 0x2);
	n = put_rec(msg, REC_HANDSHAKE, 12);
	assert_int_equal(rec_types(msg, n), 0x4);
	n = put_rec(msg, REC_APPDATA, 0);
	assert_int_equal(rec_types(msg, n), 0x8);

	/* CCS then Finished, as one flight in one message. */
	n = put_rec(msg, REC_CCS, 1);
	n += put_rec(msg + n, REC_HANDSHAKE, 40);
	assert_int_equal(rec_types(msg, n), 0x5);
	/* The same type twice counts once. */
	n += put_rec(msg + n, REC_HANDSHAKE, 40);
	assert_int_equal(rec_types(msg, n), 0x5);
	/* All four. */
	n += put_rec(msg + n, REC_APPDATA, 7);
	n += put_rec(msg + n, REC_ALERT, 2);
	assert_int_equal(rec_types(msg, n), 0xf);
	/* Nothing in nothing. */
	assert_int_equal(rec_types(msg, 0), 0);
}

/* rec_asm_add() that must fail; returns the reason given. */
static const char *
asm_reject(struct rec_asm *a, const uint8_t *p, size_t len, int eor)
{
	const char *why = NULL;

	assert_int_equal(rec_asm_add(a, p, len, eor, &why), REC_ASM_ERR);
	assert_int_equal(a->state, REC_ASM_ERR);
	assert_non_null(why);
	return why;
}

static void
test_asm_one_piece(void **state)
{
	struct rec_asm a;
	const char *why = "unset";
	size_t n;

	(void)state;
	memset(&a, 0, sizeof(a));
	n = put_rec(msg, REC_HANDSHAKE, 100);
	assert_int_equal(rec_asm_add(&a, msg, n, 1, &why), REC_ASM_WHOLE);
	assert_string_equal(why, "unset");
	assert_int_equal(a.state, REC_ASM_WHOLE);
	assert_int_equal(a.len, n);
	assert_memory_equal(a.buf, msg, n);
	rec_asm_free(&a);
	assert_null(a.buf);
	assert_int_equal(a.len, 0);
	assert_int_equal(a.state, REC_ASM_MORE);
	/* Freeing an empty one is fine, twice too. */
	rec_asm_free(&a);
}

static void
test_asm_pieces(void **state)
{
	struct rec_asm a;
	const char *why = NULL;
	size_t n;

	(void)state;
	memset(&a, 0, sizeof(a));
	/* CCS and Finished in one message, handed over in three pieces. */
	n = put_rec(msg, REC_CCS, 1);
	n += put_rec(msg + n, REC_HANDSHAKE, 40);
	assert_int_equal(rec_asm_add(&a, msg, 5, 0, &why), REC_ASM_MORE);
	assert_int_equal(a.len, 5);
	/* An empty piece changes nothing. */
	assert_int_equal(rec_asm_add(&a, NULL, 0, 0, &why), REC_ASM_MORE);
	assert_int_equal(a.len, 5);
	assert_int_equal(rec_asm_add(&a, msg + 5, 20, 0, &why), REC_ASM_MORE);
	assert_int_equal(
	    rec_asm_add(&a, msg + 25, n - 25, 1, &why), REC_ASM_WHOLE);
	assert_null(why);
	assert_int_equal(a.len, n);
	assert_memory_equal(a.buf, msg, n);
	assert_int_equal(rec_types(a.buf, a.len), 0x5);
	/* The next piece starts the next message. */
	n = put_rec(msg, REC_APPDATA, 3);
	assert_int_equal(rec_asm_add(&a, msg, n, 1, &why), REC_ASM_WHOLE);
	assert_int_equal(a.len, n);
	assert_memory_equal(a.buf, msg, n);
	/* As the last piece, an empty one ends the message. */
	assert_int_equal(rec_asm_add(&a, msg, n, 0, &why), REC_ASM_MORE);
	assert_int_equal(rec_asm_add(&a, NULL, 0, 1, &why), REC_ASM_WHOLE);
	assert_int_equal(a.len, n);
	rec_asm_free(&a);
}

/* Pieces received where rec_asm_room() says, as dtls.c does. */
static void
test_asm_in_place(void **state)
{
	struct rec_asm a;
	const char *why = NULL;
	uint8_t *p;
	size_t n, room = 0;

	(void)state;
	memset(&a, 0, sizeof(a));
	n = put_rec(msg, REC_APPDATA, 1000);
	p = rec_asm_room(&a, &room);
	assert_non_null(p);
	assert_ptr_equal(p, a.buf);
	assert_int_equal(room, REC_MAX + 1);
	memcpy(p, msg, 600);
	assert_int_equal(rec_asm_add(&a, p, 600, 0, &why), REC_ASM_MORE);
	p = rec_asm_room(&a, &room);
	assert_ptr_equal(p, a.buf + 600);
	assert_int_equal(room, REC_MAX + 1 - 600);
	memcpy(p, msg + 600, n - 600);
	assert_int_equal(rec_asm_add(&a, p, n - 600, 1, &why), REC_ASM_WHOLE);
	assert_int_equal(a.len, n);
	assert_memory_equal(a.buf, msg, n);
	/* After a whole message, the room is that of a new one... */
	p = rec_asm_room(&a, &room);
	assert_ptr_equal(p, a.buf);
	assert_int_equal(room, REC_MAX + 1);
	/* ... and the message stays until a piece is added. */
	assert_int_equal(a.state, REC_ASM_WHOLE);
	assert_int_equal(a.len, n);
	rec_asm_free(&a);
}

static void
test_asm_size_limit(void **state)
{
	struct rec_asm a;
	const char *why = NULL;
	uint8_t *p;
	size_t n, room;

	(void)state;
	memset(&a, 0, sizeof(a));
	/* 18445 bytes in two pieces: the most a message may have. */
	n = put_rec(msg, REC_APPDATA, REC_MAX - REC_HDR);
	assert_int_equal(rec_asm_add(&a, msg, 10000, 0, &why), REC_ASM_MORE);
	assert_int_equal(
	    rec_asm_add(&a, msg + 10000, n - 10000, 0, &why), REC_ASM_MORE);
	assert_int_equal(a.len, REC_MAX);
	p = rec_asm_room(&a, &room);
	assert_int_equal(room, 1);
	assert_int_equal(rec_asm_add(&a, p, 0, 1, &why), REC_ASM_WHOLE);
	assert_int_equal(a.len, REC_MAX);

	/* One byte more before the end: refused there and then. */
	n = put_rec(msg, REC_APPDATA, REC_MAX - REC_HDR + 1);
	assert_int_equal(rec_asm_add(&a, msg, REC_MAX, 0, &why), REC_ASM_MORE);
	assert_string_equal(asm_reject(&a, msg + REC_MAX, 1, 0),
	    "SCTP message larger than 18445 bytes");
	assert_int_equal(a.len, REC_MAX + 1);

	/* The same byte with the end: rec_check() refuses it. */
	assert_int_equal(rec_asm_add(&a, msg, REC_MAX, 0, &why), REC_ASM_MORE);
	assert_string_equal(asm_reject(&a, msg + REC_MAX, 1, 1),
	    "message larger than 18445 bytes");
	assert_int_equal(a.len, REC_MAX + 1);

	/* A piece that does not fit is refused without being copied. */
	assert_int_equal(rec_asm_add(&a, msg, 100, 0, &why), REC_ASM_MORE);
	assert_string_equal(asm_reject(&a, msg + 100, REC_MAX, 1),
	    "SCTP message larger than 18445 bytes");
	assert_int_equal(a.len, 100);
	assert_string_equal(asm_reject(&a, msg, 2 * REC_MAX, 0),
	    "SCTP message larger than 18445 bytes");
	assert_int_equal(a.len, 0);
	rec_asm_free(&a);
}

static void
test_asm_refused(void **state)
{
	struct rec_asm a;
	const char *why = NULL;
	size_t n;

	(void)state;
	memset(&a, 0, sizeof(a));
	assert_string_equal(asm_reject(&a, NULL, 0, 1), "empty message");
	assert_string_equal(
	    asm_reject(&a, (const uint8_t *)"GET / HTTP/1.0\r\n", 16, 1),
	    "message is not a DTLS record");
	assert_int_equal(a.len, 16);
	/* Pieces of a record of an unknown type, then one cut short. */
	n = put_rec(msg, 24, 30);
	assert_int_equal(rec_asm_add(&a, msg, 20, 0, &why), REC_ASM_MORE);
	assert_string_equal(asm_reject(&a, msg + 20, n - 20, 1),
	    "record of unknown content type");
	n = put_rec(msg, REC_HANDSHAKE, 30);
	assert_string_equal(
	    asm_reject(&a, msg, n - 1, 1), "truncated DTLS record");
	/* A refused message leaves nothing behind: the next one is whole. */
	n = put_rec(msg, REC_ALERT, 2);
	assert_int_equal(rec_asm_add(&a, msg, n, 1, &why), REC_ASM_WHOLE);
	assert_int_equal(a.len, n);
	assert_memory_equal(a.buf, msg, n);
	rec_asm_free(&a);
}

/*
 * Two records written as OpenSSL's buffering BIO may cut them: the first
 * taken in pieces (inside its header, then inside its body) and only up to
 * its end when the write goes on into the second.
 */
static void
test_out_pieces(void **state)
{
	struct rec_out o = {NULL, 0};
	const char *why = NULL;
	size_t n1, n2;

	(void)state;
	n1 = put_rec(msg, REC_HANDSHAKE, 300);
	n2 = put_rec(msg + n1, REC_CCS, 1);
	assert_false(rec_out_whole(&o));
	assert_int_equal(rec_out_add(&o, msg, 5, &why), 5);
	assert_false(rec_out_whole(&o));
	assert_int_equal(rec_out_add(&o, msg + 5, 100, &why), 100);
	assert_false(rec_out_whole(&o));
	/* The rest of the first record and all of the second offered. */
	assert_int_equal(
	    rec_out_add(&o, msg + 105, n1 + n2 - 105, &why), n1 - 105);
	assert_true(rec_out_whole(&o));
	assert_int_equal(o.len, n1);
	assert_memory_equal(o.buf, msg, n1);
	/* Whole: it takes nothing more. */
	assert_int_equal(rec_out_add(&o, msg + n1, n2, &why), 0);
	o.len = 0;
	assert_int_equal(rec_out_add(&o, msg + n1, n2, &why), n2);
	assert_true(rec_out_whole(&o));
	assert_memory_equal(o.buf, msg + n1, n2);
	rec_out_free(&o);
	assert_null(o.buf);
}

/* A header announcing more than one SCTP message may carry is refused. */
static void
test_out_too_large(void **state)
{
	struct rec_out o = {NULL, 0};
	const char *why = NULL;

	(void)state;
	put_rec(msg, REC_APPDATA, REC_MAX - REC_HDR + 1);
	assert_int_equal(rec_out_add(&o, msg, 20, &why), -1);
	assert_non_null(why);
	rec_out_free(&o);
	put_rec(msg, REC_APPDATA, REC_MAX - REC_HDR);
	assert_int_equal(rec_out_add(&o, msg, REC_MAX, &why), REC_MAX);
	assert_true(rec_out_whole(&o));
	rec_out_free(&o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_len_short_header),
	    cmocka_unit_test(test_len_exact),
	    cmocka_unit_test(test_len_truncated_body),
	    cmocka_unit_test(test_len_zero_body),
	    cmocka_unit_test(test_check_accepts_each_type),
	    cmocka_unit_test(test_check_empty),
	    cmocka_unit_test(test_check_size_limit),
	    cmocka_unit_test(test_check_not_dtls),
	    cmocka_unit_test(test_check_unknown_types),
	    cmocka_unit_test(test_check_truncated),
	    cmocka_unit_test(test_check_two_records),
	    cmocka_unit_test(test_check_trailing_garbage),
	    cmocka_unit_test(test_check_reads_within_bounds),
	    cmocka_unit_test(test_types_masks),
	    cmocka_unit_test(test_asm_one_piece),
	    cmocka_unit_test(test_asm_pieces),
	    cmocka_unit_test(test_asm_in_place),
	    cmocka_unit_test(test_asm_size_limit),
	    cmocka_unit_test(test_asm_refused),
	    cmocka_unit_test(test_out_pieces),
	    cmocka_unit_test(test_out_too_large),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
