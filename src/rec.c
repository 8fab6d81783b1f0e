/* rec.c: DTLS record framing as RFC 6083 carries it (one per message). */
#include <stdlib.h>
#include <string.h>

#include "rec.h"

/**
 * rec_len(buf, len): the length of the DTLS record at the start of ${buf}
 * (header included), or -1 if ${len} bytes do not hold a whole record.
 */
long
rec_len(const uint8_t *buf, size_t len)
{
	size_t body;

	if (len < REC_HDR)
		return -1;
	body = ((size_t)buf[11] << 8) | buf[12];
	if (len < REC_HDR + body)
		return -1;
	return (long)(REC_HDR + body);
}

/**
 * rec_check(buf, len, why): 0 if the ${len} bytes of one SCTP message are
 * whole DTLS 1.x records of known content types, else -1 with *${why} set.
 * Reports the types seen as a bit mask (1 << (type - 20)) via the return of
 * rec_types().
 */
int
rec_check(const uint8_t *buf, size_t len, const char **why)
{
	long rl;

	if (len == 0) {
		*why = "empty message";
		return -1;
	}
	if (len > REC_MAX) {
		*why = "message larger than 18445 bytes";
		return -1;
	}
	while (len > 0) {
		if (len < REC_HDR || buf[1] != 0xfe) {
			*why = "message is not a DTLS record";
			return -1;
		}
		if (buf[0] < REC_CCS || buf[0] > REC_APPDATA) {
			*why = "record of unknown content type";
			return -1;
		}
		if ((rl = rec_len(buf, len)) < 0) {
			*why = "truncated DTLS record";
			return -1;
		}
		buf += rl;
		len -= (size_t)rl;
	}
	return 0;
}

/**
 * rec_types(buf, len): bit mask (1 << (type - 20)) of the content types of
 * the records in a message rec_check() accepted.
 */
unsigned
rec_types(const uint8_t *buf, size_t len)
{
	unsigned mask = 0;
	long rl;

	while ((rl = rec_len(buf, len)) > 0) {
		if (buf[0] >= REC_CCS && buf[0] <= REC_APPDATA)
			mask |= 1u << (buf[0] - REC_CCS);
		buf += rl;
		len -= (size_t)rl;
	}
	return mask;
}

/**
 * rec_asm_room(a, room): where the next piece of a message goes, with room
 * for *${room} bytes there: one more than the message may still take, so
 * that a message too large shows. NULL if out of memory. After a whole or
 * refused message, that is the start of the next one.
 */
uint8_t *
rec_asm_room(struct rec_asm *a, size_t *room)
{
	size_t off = a->state == REC_ASM_MORE ? a->len : 0;

	if (a->buf == NULL && (a->buf = malloc(REC_MAX + 1)) == NULL)
		goto err0;
	*room = REC_MAX + 1 - off;
	return a->buf + off;

err0:
	return NULL;
}

/**
 * rec_asm_add(a, piece, len, eor, why): add the ${len} bytes at ${piece}
 * (which may be where rec_asm_room() pointed) to the message ${a} holds,
 * ${eor} if they end it. REC_ASM_MORE while it goes on; REC_ASM_WHOLE when
 * a->buf holds a whole message (a->len bytes) that rec_check() accepted;
 * REC_ASM_ERR with *${why} set when it is larger than REC_MAX bytes or
 * rec_check() refused it (a->len bytes of it are held). After a whole or
 * refused message, the next piece starts a new one.
 */
int
rec_asm_add(struct rec_asm *a, const uint8_t *piece, size_t len, int eor,
    const char **why)
{
	uint8_t *p;
	size_t room;

	if ((p = rec_asm_room(a, &room)) == NULL) {
		*why = "out of memory";
		goto err0;
	}
	if (a->state != REC_ASM_MORE) {
		a->len = 0;
		a->state = REC_ASM_MORE;
	}
	if (len > room) {
		*why = "SCTP message larger than 18445 bytes";
		goto err0;
	}
	if (len > 0)
		memmove(p, piece, len);
	a->len += len;
	if (!eor) {
		if (a->len > REC_MAX) {
			*why = "SCTP message larger than 18445 bytes";
			goto err0;
		}
		return REC_ASM_MORE;
	}
	if (rec_check(a->buf, a->len, why) != 0)
		goto err0;
	a->state = REC_ASM_WHOLE;
	return REC_ASM_WHOLE;

err0:
	a->state = REC_ASM_ERR;
	return REC_ASM_ERR;
}

/** rec_asm_free(a): free what ${a} holds; ${a} is empty again. */
void
rec_asm_free(struct rec_asm *a)
{
	free(a->buf);
	memset(a, 0, sizeof(*a));
}

/* The length announced by the record header at ${h}, header included. */
static size_t
hdr_len(const uint8_t *h)
{
	return REC_HDR + ((size_t)h[11] << 8 | h[12]);
}

/**
 * rec_out_add(o, in, len, why): take from the ${len} bytes at ${in} what
 * belongs to the record begun in ${o} (a new one if ${o} is empty): its
 * header first, then as much of the rest as the header announces. Returns
 * the bytes taken, or -1 with *${why} set when the record announced is
 * larger than REC_MAX or memory ran out.
 */
long
rec_out_add(struct rec_out *o, const uint8_t *in, size_t len, const char **why)
{
	size_t take = 0, want, n;

	if (o->buf == NULL && (o->buf = malloc(REC_MAX)) == NULL) {
		*why = "out of memory";
		return -1;
	}
	if (o->len < REC_HDR) {
		take = REC_HDR - o->len < len ? REC_HDR - o->len : len;
		memcpy(o->buf + o->len, in, take);
		o->len += take;
		if (o->len < REC_HDR)
			return (long)take;
	}
	if ((want = hdr_len(o->buf)) > REC_MAX) {
		*why = "internal error: OpenSSL wrote a record too large for "
		       "one SCTP message";
		return -1;
	}
	n = want - o->len < len - take ? want - o->len : len - take;
	memcpy(o->buf + o->len, in + take, n);
	o->len += n;
	return (long)(take + n);
}

/** rec_out_whole(o): non-zero when ${o} holds one whole record. */
int
rec_out_whole(const struct rec_out *o)
{
	return o->len >= REC_HDR && o->len == hdr_len(o->buf);
}

/** rec_out_free(o): free what ${o} holds; ${o} is empty again. */
void
rec_out_free(struct rec_out *o)
{
	free(o->buf);
	memset(o, 0, sizeof(*o));
}
