/* ksched.c: the RFC 6083 4.8 SCTP-AUTH key schedule, as pure state. */
#include "ksched.h"
#include "rec.h"

/** ksched_init(k): key 0 (the empty key) active, nothing pending. */
void
ksched_init(struct ksched *k)
{
	*k = (struct ksched){0};
}

/** ksched_next_id(id): the key number after ${id}: +1, 65535 -> 1. */
uint16_t
ksched_next_id(uint16_t id)
{
	return id == 65535 ? 1 : (uint16_t)(id + 1);
}

/**
 * ksched_secret(k): the master secret now exists; returns KS_INSTALL the
 * first time per handshake (ks->next is the number to install), else 0.
 */
unsigned
ksched_secret(struct ksched *k)
{
	if (k->has_next)
		return 0;
	k->next = ksched_next_id(k->active);
	k->has_next = 1;
	return KS_INSTALL;
}

/* Switch to the installed key: the caller activates ks->active. */
static unsigned
activate(struct ksched *k)
{
	if (!k->has_next || k->next == k->active)
		return 0;
	k->old = k->active;
	k->has_old = 1;
	k->active = k->next;
	return KS_ACTIVATE;
}

/**
 * ksched_before_send(k, type): actions due before a record of content type
 * ${type} is handed to SCTP.
 */
unsigned
ksched_before_send(struct ksched *k, uint8_t type)
{
	unsigned act = 0;

	/* At the latest, the new key exists before our ChangeCipherSpec. */
	if (type == REC_CCS && !k->tx_ccs)
		act |= ksched_secret(k);
	/*
	 * Our Finished: if the peer's ChangeCipherSpec (and so its Finished)
	 * came first, ours is the second Finished and goes under the new key.
	 */
	if (type == REC_HANDSHAKE && k->tx_ccs && !k->tx_fin && k->rx_ccs)
		act |= activate(k);
	return act;
}

/**
 * ksched_after_send(k, type): actions due after a record of content type
 * ${type} was handed to SCTP.
 */
unsigned
ksched_after_send(struct ksched *k, uint8_t type)
{
	unsigned act = 0;

	if (type == REC_CCS)
		k->tx_ccs = 1;
	else if (type == REC_HANDSHAKE && k->tx_ccs && !k->tx_fin) {
		/* The first Finished went under the old key; switch now. */
		k->tx_fin = 1;
		act |= activate(k);
	}
	return act;
}

/** ksched_received(k, type): a record of content type ${type} arrived. */
void
ksched_received(struct ksched *k, uint8_t type)
{
	if (type == REC_CCS)
		k->rx_ccs = 1;
}

/**
 * ksched_done(k): the handshake completed; returns KS_RETIRE if the old key
 * (ks->old) is to be retired now, and resets for a later handshake.
 */
unsigned
ksched_done(struct ksched *k)
{
	unsigned act = 0;

	if (!(k->tx_ccs && k->rx_ccs))
		return 0;
	if (k->has_old)
		act = KS_RETIRE;
	k->has_old = 0;
	k->has_next = 0;
	k->tx_ccs = k->rx_ccs = k->tx_fin = 0;
	return act;
}
