/*
 * reorder.c: the order in which received DTLS records are handed to stock
 * OpenSSL, so that its replay window never drops one (RFC 6083 3.3); see
 * reorder.h for the rules and the bounds.
 */
#include <stdlib.h>
#include <string.h>

#include "rec.h"
#include "reorder.h"

/* A record held back, with what its header says. */
struct held {
	uint64_t seq;
	uint16_t epoch;
	uint8_t type;
	struct unit_meta meta;
	size_t len;
	uint8_t *data;
};

struct reorder {
	uint16_t epoch; /* the epoch OpenSSL reads */
	uint64_t base; /* oldest sequence number of it not handed over */
	uint64_t win; /* bit i: base + i handed over (bit 0 never set) */
	uint64_t top; /* one past the highest sequence number received */
	struct held *held; /* sorted by epoch, then sequence number */
	size_t nheld, cap, bytes;
};

static uint16_t
rec_epoch(const uint8_t *r)
{
	return (uint16_t)((r[3] << 8) | r[4]);
}

static uint64_t
rec_seq(const uint8_t *r)
{
	uint64_t s = 0;
	int i;

	for (i = 5; i < 11; i++)
		s = (s << 8) | r[i];
	return s;
}

/** reorder_new(void): an empty state at epoch 0; NULL if out of memory. */
struct reorder *
reorder_new(void)
{
	return calloc(1, sizeof(struct reorder));
}

/** reorder_free(q): free ${q} and the records it holds; NULL is a no-op. */
void
reorder_free(struct reorder *q)
{
	size_t i;

	if (q == NULL)
		return;
	for (i = 0; i < q->nheld; i++)
		free(q->held[i].data);
	free(q->held);
	free(q);
}

/* Non-zero if base + ${off} was handed over already. */
static int
handed(const struct reorder *q, uint64_t off)
{
	return off < REORDER_WINDOW && (q->win >> off) & 1;
}

/* The verdict for a record of ${epoch}, ${seq}, content ${type}. */
static int
verdict(const struct reorder *q, uint16_t epoch, uint64_t seq, uint8_t type)
{
	uint64_t off;

	if (epoch < q->epoch)
		return REORDER_STALE;
	if (epoch > q->epoch)
		return REORDER_HOLD; /* its ChangeCipherSpec has not gone */
	if (seq < q->base)
		return REORDER_STALE;
	off = seq - q->base;
	if (handed(q, off))
		return REORDER_STALE;
	if (type != REC_APPDATA)
		return off == 0 ? REORDER_DELIVER : REORDER_HOLD;
	if (epoch > 0 && q->base == 0)
		return REORDER_HOLD; /* the epoch's Finished first */
	return off < REORDER_WINDOW ? REORDER_DELIVER : REORDER_HOLD;
}

/**
 * reorder_check(q, rec): what to do with the record ${rec} (at least
 * REC_HDR bytes) that just arrived: a reorder_verdict.
 */
int
reorder_check(const struct reorder *q, const uint8_t *rec)
{
	uint16_t e = rec_epoch(rec);
	uint64_t s = rec_seq(rec);
	size_t i;
	int v = verdict(q, e, s, rec[0]);

	/* A second copy of one held is a duplicate too. */
	for (i = 0; v == REORDER_HOLD && i < q->nheld; i++)
		if (q->held[i].epoch == e && q->held[i].seq == s)
			v = REORDER_STALE;
	return v;
}

/* Where a record of ${epoch}, ${seq} goes in the sorted hold. */
static size_t
slot(const struct reorder *q, uint16_t epoch, uint64_t seq)
{
	size_t lo = 0, hi = q->nheld, mid;
	const struct held *h;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		h = &q->held[mid];
		if (h->epoch < epoch || (h->epoch == epoch && h->seq < seq))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/**
 * reorder_hold(q, rec, len, m): keep a copy of the ${len}-byte record
 * ${rec} that arrived with ${m}. 0, or -1 if it would exceed
 * REORDER_MAX_RECS or REORDER_MAX_BYTES, or memory ran out (nothing held).
 */
int
reorder_hold(struct reorder *q, const uint8_t *rec, size_t len,
    const struct unit_meta *m)
{
	struct held h, *p;
	size_t at, ncap;

	if (q->nheld >= REORDER_MAX_RECS || q->bytes + len > REORDER_MAX_BYTES)
		goto err0;
	if (q->nheld == q->cap) {
		ncap = q->cap == 0 ? 16 : q->cap * 2;
		if ((p = realloc(q->held, ncap * sizeof(*p))) == NULL)
			goto err0;
		q->held = p;
		q->cap = ncap;
	}
	if ((h.data = malloc(len)) == NULL)
		goto err0;
	memcpy(h.data, rec, len);
	h.len = len;
	h.epoch = rec_epoch(rec);
	h.seq = rec_seq(rec);
	h.type = rec[0];
	h.meta = *m;
	if (h.epoch == q->epoch && h.seq >= q->top)
		q->top = h.seq + 1;
	at = slot(q, h.epoch, h.seq);
	memmove(
	    &q->held[at + 1], &q->held[at], (q->nheld - at) * sizeof(*q->held));
	q->held[at] = h;
	q->nheld++;
	q->bytes += len;
	return 0;

err0:
	return -1;
}

/* Forget held record ${i}. */
static void
unhold(struct reorder *q, size_t i)
{
	q->bytes -= q->held[i].len;
	free(q->held[i].data);
	memmove(&q->held[i], &q->held[i + 1],
	    (q->nheld - i - 1) * sizeof(*q->held));
	q->nheld--;
}

/**
 * reorder_next(q, len, m): a held record that may be handed over now (its
 * ${len} and ${m} filled in), or NULL. The pointer stays valid until
 * reorder_delivered() for that record.
 */
const uint8_t *
reorder_next(struct reorder *q, size_t *len, struct unit_meta *m)
{
	const struct held *h;
	size_t i = 0;
	int v;

	while (i < q->nheld) {
		h = &q->held[i];
		if (h->epoch > q->epoch ||
		    (h->epoch == q->epoch &&
		        h->seq >= q->base + REORDER_WINDOW))
			break; /* nor anything after it */
		v = verdict(q, h->epoch, h->seq, h->type);
		if (v == REORDER_DELIVER) {
			*len = h->len;
			*m = h->meta;
			return h->data;
		}
		if (v == REORDER_STALE) {
			unhold(q, i); /* a duplicate of one handed over */
			continue;
		}
		i++;
	}
	return NULL;
}

/**
 * reorder_delivered(q, rec): the record ${rec} (from the network or from
 * reorder_next()) was handed to DTLS: the window moves on, a
 * ChangeCipherSpec starts the next epoch, a held copy is freed.
 */
void
reorder_delivered(struct reorder *q, const uint8_t *rec)
{
	uint16_t e = rec_epoch(rec);
	uint64_t s = rec_seq(rec), off;
	uint8_t type = rec[0];
	size_t i;

	for (i = 0; i < q->nheld; i++) {
		if (q->held[i].data == rec) {
			unhold(q, i); /* rec is gone from here on */
			break;
		}
	}
	if (e != q->epoch || s < q->base)
		return;
	if (type == REC_CCS) {
		q->epoch++;
		q->base = 0;
		q->win = 0;
		q->top = 0;
		for (i = 0; i < q->nheld && q->held[i].epoch < q->epoch; i++)
			;
		for (; i < q->nheld && q->held[i].epoch == q->epoch; i++)
			if (q->held[i].seq >= q->top)
				q->top = q->held[i].seq + 1;
		return;
	}
	if (s >= q->top)
		q->top = s + 1;
	off = s - q->base;
	if (off < REORDER_WINDOW)
		q->win |= (uint64_t)1 << off;
	while (q->win & 1) {
		q->win >>= 1;
		q->base++;
	}
}

/**
 * reorder_mark(q): the point below which every record of the current
 * epoch has either come or never will, if nothing more arrives from the
 * network that was on its way (for reorder_skip()).
 */
uint64_t
reorder_mark(const struct reorder *q)
{
	return (uint64_t)q->epoch << 48 | q->top;
}

/**
 * reorder_skip(q, mark): the records missing below ${mark} (from
 * reorder_mark(), in the same epoch) will never come: skip the first gap
 * of them, up to the oldest record held, so that it may go on (call again
 * after reorder_next() has nothing for the next gap). Returns how many
 * sequence numbers were given up (0: no gap below the mark is left).
 */
unsigned long
reorder_skip(struct reorder *q, uint64_t mark)
{
	uint64_t below = mark & (((uint64_t)1 << 48) - 1);
	unsigned long skipped = 0;
	size_t i;

	if (mark >> 48 != q->epoch)
		return 0;
	/* Up to the first record held: it may go now, then the next gap. */
	for (i = 0; i < q->nheld && q->held[i].epoch < q->epoch; i++)
		;
	if (i < q->nheld && q->held[i].epoch == q->epoch &&
	    q->held[i].seq < below)
		below = q->held[i].seq;
	while (q->base < below) {
		if (!(q->win & 1))
			skipped++;
		q->win >>= 1;
		q->base++;
	}
	return skipped;
}

/**
 * reorder_held(q, bytes): how many records ${q} holds, and in *${bytes}
 * (if not NULL) their size.
 */
size_t
reorder_held(const struct reorder *q, size_t *bytes)
{
	if (bytes != NULL)
		*bytes = q->bytes;
	return q->nheld;
}

/** reorder_epoch(q): the epoch whose records are being handed over. */
unsigned
reorder_epoch(const struct reorder *q)
{
	return q->epoch;
}
