#ifndef KSCHED_H
#define KSCHED_H

#include <stdint.h>

/*
 * The RFC 6083 4.8 SCTP-AUTH key schedule of one association, as OpenSSL's
 * enable-sctp implementation runs it on the wire: the new key is installed
 * as soon as the master secret exists (at the latest before our
 * ChangeCipherSpec), the first Finished of a handshake travels under the
 * old key and the second under the new one, and the old key is retired
 * once ChangeCipherSpec went both ways and the handshake is complete.
 * Pure state: the caller performs the actions on the socket.
 */
struct ksched {
	uint16_t active; /* key number we send with */
	uint16_t next; /* installed, not yet active (valid if has_next) */
	uint16_t old; /* to retire (valid if has_old) */
	unsigned has_next : 1;
	unsigned has_old : 1;
	unsigned tx_ccs : 1; /* our ChangeCipherSpec went out */
	unsigned rx_ccs : 1; /* the peer's arrived */
	unsigned tx_fin : 1; /* our Finished went out */
};

/* Actions, as bits. */
#define KS_INSTALL 1u /* derive the exporter key, install it as ks->next */
#define KS_ACTIVATE 2u /* make ks->active (the new key) active */
#define KS_RETIRE 4u /* deactivate and delete ks->old */

/** ksched_init(k): key 0 (the empty key) active, nothing pending. */
void ksched_init(struct ksched *k);

/** ksched_next_id(id): the key number after ${id}: +1, 65535 -> 1. */
uint16_t ksched_next_id(uint16_t id);

/**
 * ksched_secret(k): the master secret now exists; returns KS_INSTALL the
 * first time per handshake (ks->next is the number to install), else 0.
 */
unsigned ksched_secret(struct ksched *k);

/**
 * ksched_before_send(k, type): actions due before a record of content type
 * ${type} is handed to SCTP.
 */
unsigned ksched_before_send(struct ksched *k, uint8_t type);

/**
 * ksched_after_send(k, type): actions due after a record of content type
 * ${type} was handed to SCTP.
 */
unsigned ksched_after_send(struct ksched *k, uint8_t type);

/** ksched_received(k, type): a record of content type ${type} arrived. */
void ksched_received(struct ksched *k, uint8_t type);

/**
 * ksched_done(k): the handshake completed; returns KS_RETIRE if the old key
 * (ks->old) is to be retired now, and resets for a later handshake.
 */
unsigned ksched_done(struct ksched *k);

#endif
