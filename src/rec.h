#ifndef REC_H
#define REC_H

#include <stddef.h>
#include <stdint.h>

/* DTLS record header: type(1) version(2) epoch(2) seq(6) length(2). */
#define REC_HDR 13
/* Largest record RFC 6083 allows in one SCTP message: 2^14 + 2048 + 13. */
#define REC_MAX (16384 + 2048 + REC_HDR)

#define REC_CCS 20
#define REC_ALERT 21
#define REC_HANDSHAKE 22
#define REC_APPDATA 23

/**
 * rec_len(buf, len): the length of the DTLS record at the start of ${buf}
 * (header included), or -1 if ${len} bytes do not hold a whole record.
 */
long rec_len(const uint8_t *buf, size_t len);

/**
 * rec_check(buf, len, why): 0 if the ${len} bytes of one SCTP message are
 * whole DTLS 1.x records of known content types, else -1 with *${why} set.
 * Reports the types seen as a bit mask (1 << (type - 20)) via the return of
 * rec_types().
 */
int rec_check(const uint8_t *buf, size_t len, const char **why);

/**
 * rec_types(buf, len): bit mask (1 << (type - 20)) of the content types of
 * the records in a message rec_check() accepted.
 */
unsigned rec_types(const uint8_t *buf, size_t len);

/*
 * One SCTP message put together from the pieces the socket hands over (a
 * message that does not fit the receive buffer comes in several, the last
 * with MSG_EOR). Zeroed, it is empty. The fields are read-only outside.
 */
struct rec_asm {
	uint8_t *buf; /* REC_MAX + 1 bytes once allocated */
	size_t len; /* bytes of the message held */
	int state; /* REC_ASM_*: what the last rec_asm_add() returned */
};

#define REC_ASM_MORE 0 /* the message goes on */
#define REC_ASM_WHOLE 1 /* buf holds a whole message rec_check() accepted */
#define REC_ASM_ERR (-1) /* the message was refused */

/**
 * rec_asm_room(a, room): where the next piece of a message goes, with room
 * for *${room} bytes there: one more than the message may still take, so
 * that a message too large shows. NULL if out of memory. After a whole or
 * refused message, that is the start of the next one.
 */
uint8_t *rec_asm_room(struct rec_asm *a, size_t *room);

/**
 * rec_asm_add(a, piece, len, eor, why): add the ${len} bytes at ${piece}
 * (which may be where rec_asm_room() pointed) to the message ${a} holds,
 * ${eor} if they end it. REC_ASM_MORE while it goes on; REC_ASM_WHOLE when
 * a->buf holds a whole message (a->len bytes) that rec_check() accepted;
 * REC_ASM_ERR with *${why} set when it is larger than REC_MAX bytes or
 * rec_check() refused it (a->len bytes of it are held). After a whole or
 * refused message, the next piece starts a new one.
 */
int rec_asm_add(struct rec_asm *a, const uint8_t *piece, size_t len, int eor,
    const char **why);

/** rec_asm_free(a): free what ${a} holds; ${a} is empty again. */
void rec_asm_free(struct rec_asm *a);

/*
 * One outgoing DTLS record put together from what OpenSSL writes (its
 * buffering BIO may cut a flight anywhere, even inside a record header).
 * Zeroed, it is empty; the fields are read-only outside, but for setting
 * len to 0 once the record has gone.
 */
struct rec_out {
	uint8_t *buf; /* REC_MAX bytes once allocated */
	size_t len; /* bytes of the record held */
};

/**
 * rec_out_add(o, in, len, why): take from the ${len} bytes at ${in} what
 * belongs to the record begun in ${o} (a new one if ${o} is empty): its
 * header first, then as much of the rest as the header announces. Returns
 * the bytes taken, or -1 with *${why} set when the record announced is
 * larger than REC_MAX or memory ran out.
 */
long rec_out_add(
    struct rec_out *o, const uint8_t *in, size_t len, const char **why);

/** rec_out_whole(o): non-zero when ${o} holds one whole record. */
int rec_out_whole(const struct rec_out *o);

/** rec_out_free(o): free what ${o} holds; ${o} is empty again. */
void rec_out_free(struct rec_out *o);

#endif
