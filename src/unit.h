#ifndef UNIT_H
#define UNIT_H

#include <stddef.h>
#include <stdint.h>

/*
 * What travels with one unit of relayed data besides its bytes: for an
 * SCTP user message (plaintext or a DTLS record), the stream, payload
 * protocol identifier and unordered flag it was sent with; ends that have
 * none (TCP, UDP) leave them zero and ignore them.
 */
struct unit_meta {
	uint16_t stream; /* SCTP stream id */
	uint32_t ppid; /* payload protocol identifier, host order */
	uint8_t unordered; /* sent (to be sent) unordered */
	uint8_t set; /* the fields above came with the unit (SCTP, DTLS) */
};

#endif
