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

#endif
