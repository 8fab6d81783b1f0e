/* rec.c: DTLS record framing as RFC 6083 carries it (one per message). */
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
