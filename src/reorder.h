#ifndef REORDER_H
#define REORDER_H

#include <stddef.h>
#include <stdint.h>

#include "unit.h"

/*
 * The order in which received DTLS records are handed to stock OpenSSL.
 *
 * RFC 6083 3.3: replay detection MUST NOT be used over SCTP, because
 * records sent on several streams, or unordered, arrive out of sequence
 * order (one stream waits for a retransmission while the others go on).
 * Stock OpenSSL skips its replay check only for its own SCTP BIO; for ours
 * it keeps a 64-record window and drops, without an error, a record that
 * is 64 or more behind the newest it has seen. It also drops a record of
 * an epoch it has not reached yet (outside a handshake), and anything that
 * comes after a close_notify it has processed.
 *
 * So records are handed over in an order those rules accept, holding back
 * as little as that forces:
 * - application data of the current epoch goes at once if its sequence
 *   number is less than 64 past the oldest record not yet handed over (the
 *   gap): whatever arrives to fill the gap later is then still inside
 *   OpenSSL's window;
 * - in an epoch after the first, application data also waits for the
 *   epoch's first record, the Finished (RFC 6083 4.7: records between
 *   ChangeCipherSpec and Finished are buffered until Finished is read);
 * - handshake, ChangeCipherSpec and alert records go only when every record
 *   before them has gone (so close_notify never overtakes data, and the
 *   epoch changes only when the old one is complete);
 * - records of a later epoch wait for the ChangeCipherSpec that starts it.
 *
 * Everything else is held until the gap closes. A gap does not always
 * close: OpenSSL skips a sequence number whenever its BIO could not take a
 * record (it drops the record and makes a new one for the retry), and a
 * peer using PR-SCTP may abandon a message. The BIO tells these apart from
 * a message still on its way by asking SCTP (rbio.c): once nothing is
 * missing below the highest TSN received and everything received has been
 * read, a record that has not come never will, and reorder_skip() gives up
 * the sequence numbers below the mark taken then.
 *
 * How much can be held is bounded by the receiving kernel, not by us:
 * everything a kernel hands out past a missing message lies within its
 * TSN map of 4096 chunks, and each record is at least one chunk. A hold of
 * 64 records cannot work: the message that closes the gap is queued in
 * the socket behind everything that arrived before it, so the reader has
 * to take those first. The limits below are that bound (and a memory cap);
 * a peer beyond them is cut off visibly.
 *
 * Pure state: no I/O. Records are whole DTLS records (rec.h).
 */

/* OpenSSL's replay window (DTLS1_BITMAP: 64 bits). */
#define REORDER_WINDOW 64
/* At most this many records held (the kernel's TSN map, SCTP_TSN_MAP_SIZE). */
#define REORDER_MAX_RECS 4096
/* ... and this many bytes of them. */
#define REORDER_MAX_BYTES (32u << 20)

/* Verdicts of reorder_check(). */
enum reorder_verdict {
	REORDER_DELIVER, /* hand it to DTLS now */
	REORDER_HOLD, /* keep it (reorder_hold) until reorder_next() gives it */
	REORDER_STALE, /* DTLS would drop it: an old epoch, or a duplicate */
};

struct reorder;

/** reorder_new(void): an empty state at epoch 0; NULL if out of memory. */
struct reorder *reorder_new(void);

/** reorder_free(q): free ${q} and the records it holds; NULL is a no-op. */
void reorder_free(struct reorder *q);

/**
 * reorder_check(q, rec): what to do with the record ${rec} (at least
 * REC_HDR bytes) that just arrived: a reorder_verdict.
 */
int reorder_check(const struct reorder *q, const uint8_t *rec);

/**
 * reorder_hold(q, rec, len, m): keep a copy of the ${len}-byte record
 * ${rec} that arrived with ${m}. 0, or -1 if it would exceed
 * REORDER_MAX_RECS or REORDER_MAX_BYTES, or memory ran out (nothing held).
 */
int reorder_hold(struct reorder *q, const uint8_t *rec, size_t len,
    const struct unit_meta *m);

/**
 * reorder_next(q, len, m): a held record that may be handed over now (its
 * ${len} and ${m} filled in), or NULL. The pointer stays valid until
 * reorder_delivered() for that record.
 */
const uint8_t *reorder_next(
    struct reorder *q, size_t *len, struct unit_meta *m);

/**
 * reorder_delivered(q, rec): the record ${rec} (from the network or from
 * reorder_next()) was handed to DTLS: the window moves on, a
 * ChangeCipherSpec starts the next epoch, a held copy is freed.
 */
void reorder_delivered(struct reorder *q, const uint8_t *rec);

/**
 * reorder_mark(q): the point below which every record of the current
 * epoch has either come or never will, if nothing more arrives from the
 * network that was on its way (for reorder_skip()).
 */
uint64_t reorder_mark(const struct reorder *q);

/**
 * reorder_skip(q, mark): the records missing below ${mark} (from
 * reorder_mark(), in the same epoch) will never come: skip the first gap
 * of them, up to the oldest record held, so that it may go on (call again
 * after reorder_next() has nothing for the next gap). Returns how many
 * sequence numbers were given up (0: no gap below the mark is left).
 */
unsigned long reorder_skip(struct reorder *q, uint64_t mark);

/**
 * reorder_held(q, bytes): how many records ${q} holds, and in *${bytes}
 * (if not NULL) their size.
 */
size_t reorder_held(const struct reorder *q, size_t *bytes);

/** reorder_epoch(q): the epoch whose records are being handed over. */
unsigned reorder_epoch(const struct reorder *q);

#endif
