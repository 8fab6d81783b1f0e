/*
 * fuzz_record.c: libFuzzer target for the DTLS record framing (rec_len,
 * rec_check, rec_types) and the reassembly of SCTP messages (rec_asm_*),
 * each checked against a model of what it should do.
 *
 * The input is used twice: as one SCTP message, and as a list of pieces
 * of messages. Each piece starts with a control byte:
 *   bit 0     the piece ends its message (MSG_EOR)
 *   bit 1     received in place, where rec_asm_room() points, and cut to
 *             the room there as the kernel would (the rest of the message
 *             then comes without MSG_EOR)
 *   bit 2     long: the length is in the next two bytes (big-endian), and
 *             what the input lacks of it is filled with bits 3..7
 *   bits 3..7 short: the length (0 to 31)
 * followed by the bytes of the piece (fewer if the input ends).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rec.h"

#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c)) {                                                    \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
			    __LINE__, #c);                                     \
			abort();                                               \
		}                                                              \
	} while (0)

/* Pieces per input at most: keeps a run short (long pieces are filled). */
#define MAX_PIECES 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The model of rec_check() and rec_types(): 1 if ${buf} holds whole DTLS
 * records of types 20 to 23 only, and no more than REC_MAX bytes;
 * *${mask} gets the types of the whole records at its start.
 */
static int
model_check(const uint8_t *buf, size_t len, unsigned *mask)
{
	size_t off = 0, body;
	int ok = len > 0 && len <= REC_MAX;

	*mask = 0;
	while (len - off >= REC_HDR) {
		body = ((size_t)buf[off + 11] << 8) | buf[off + 12];
		if (len - off - REC_HDR < body)
			break;
		if (buf[off] >= REC_CCS && buf[off] <= REC_APPDATA)
			*mask |= 1u << (buf[off] - REC_CCS);
		if (buf[off + 1] != 0xfe || buf[off] < REC_CCS ||
		    buf[off] > REC_APPDATA)
			ok = 0;
		off += REC_HDR + body;
	}
	return ok && off == len;
}

/* rec_len(), rec_check() and rec_types() on the message ${buf}. */
static void
check_message(const uint8_t *buf, size_t len)
{
	const char *why = NULL;
	unsigned mask, types;
	size_t body;
	long rl;
	int ok, model;

	rl = rec_len(buf, len);
	if (len < REC_HDR) {
		CHECK(rl == -1);
	} else {
		body = ((size_t)buf[11] << 8) | buf[12];
		CHECK(rl ==
		    (len >= REC_HDR + body ? (long)(REC_HDR + body) : -1));
	}
	ok = rec_check(buf, len, &why) == 0;
	model = model_check(buf, len, &mask);
	CHECK(ok == model);
	CHECK(ok ? why == NULL : why != NULL);
	types = rec_types(buf, len);
	CHECK((types & ~0xfu) == 0);
	CHECK(types == mask);
	CHECK(!ok || types != 0);
}

/* What rec_asm_add() must do, as the model sees it. */
struct model {
	uint8_t msg[REC_MAX + 1]; /* the message so far */
	size_t len;
	int state; /* REC_ASM_* */
};

/* Add the piece ${p} to ${a} and ${m}, and check they agree. */
static void
add_piece(struct rec_asm *a, struct model *m, const uint8_t *p, size_t len,
    int eor, int in_place)
{
	const char *why = NULL;
	unsigned mask;
	uint8_t *at;
	size_t room, off;
	int r, want;

	off = m->state == REC_ASM_MORE ? m->len : 0;
	at = rec_asm_room(a, &room);
	CHECK(at != NULL && at == a->buf + off);
	CHECK(room == REC_MAX + 1 - off);
	if (in_place) {
		/* The kernel hands over what fits, without MSG_EOR then. */
		if (len > room) {
			len = room;
			eor = 0;
		}
		memcpy(at, p, len);
		p = at;
	}
	if (m->state != REC_ASM_MORE) {
		m->len = 0;
		m->state = REC_ASM_MORE;
	}
	if (len > REC_MAX + 1 - m->len) {
		want = REC_ASM_ERR;
	} else {
		memcpy(m->msg + m->len, p, len);
		m->len += len;
		if (!eor)
			want = m->len > REC_MAX ? REC_ASM_ERR : REC_ASM_MORE;
		else
			want = model_check(m->msg, m->len, &mask)
			    ? REC_ASM_WHOLE
			    : REC_ASM_ERR;
	}
	m->state = want;

	r = rec_asm_add(a, p, len, eor, &why);
	CHECK(r == want);
	CHECK(a->state == r);
	CHECK(r == REC_ASM_ERR ? why != NULL : why == NULL);
	CHECK(a->len == m->len);
	CHECK(a->len <= REC_MAX + 1);
	CHECK(memcmp(a->buf, m->msg, a->len) == 0);
	if (r != REC_ASM_ERR)
		CHECK(a->len <= REC_MAX);
	if (r == REC_ASM_WHOLE) {
		CHECK(rec_check(a->buf, a->len, &why) == 0);
		CHECK((rec_types(a->buf, a->len) & ~0xfu) == 0);
		check_message(a->buf, a->len);
	}
}

/* The input as pieces of messages (see the top of the file). */
static void
reassemble(const uint8_t *data, size_t size)
{
	static struct model m;
	struct rec_asm a;
	uint8_t *piece, ctl;
	size_t len, have, i;

	memset(&a, 0, sizeof(a));
	m.len = 0;
	m.state = REC_ASM_MORE;
	for (i = 0; size > 0 && i < MAX_PIECES; i++) {
		ctl = *data++;
		size--;
		if (ctl & 4) {
			len = size >= 2 ? ((size_t)data[0] << 8) | data[1] : 0;
			data += size >= 2 ? 2 : size;
			size -= size >= 2 ? 2 : size;
		} else {
			len = ctl >> 3;
		}
		have = len < size ? len : size;
		/* Exactly ${len} bytes, so that a read past them shows. */
		CHECK((piece = malloc(len > 0 ? len : 1)) != NULL);
		if (have > 0)
			memcpy(piece, data, have);
		memset(piece + have, ctl >> 3, len - have);
		data += have;
		size -= have;
		add_piece(&a, &m, piece, len, ctl & 1, (ctl & 2) != 0);
		free(piece);
	}
	rec_asm_free(&a);
	CHECK(a.buf == NULL && a.len == 0 && a.state == REC_ASM_MORE);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_message(data, size);
	reassemble(data, size);
	return 0;
}
