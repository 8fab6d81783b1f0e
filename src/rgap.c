/*
 * rgap.c: received DTLS records held back in the order of reorder.c, and
 * gaps given up once SCTP says nothing below them is on its way (rgap.h).
 */
#include <stdlib.h>

#include "log.h"
#include "reorder.h"
#include "rgap.h"
#include "sctp.h"

struct rgap {
	int fd;
	const char *who;
	struct reorder *ro; /* records held back */
	struct rbio_stats st;
	uint64_t mark; /* what is missing below it never comes (reorder.h) */
	unsigned probing : 1; /* mark taken; the socket is being drained */
	unsigned skipping : 1; /* drained: gaps below the mark are given up */
};

/**
 * rgap_new(fd, who): the held records of the association on ${fd} (not
 * owned), logging with ${who} (kept, not copied). NULL if out of memory.
 */
struct rgap *
rgap_new(int fd, const char *who)
{
	struct rgap *g = calloc(1, sizeof(*g));

	if (g == NULL || (g->ro = reorder_new()) == NULL) {
		free(g);
		return NULL;
	}
	g->fd = fd;
	g->who = who;
	return g;
}

/** rgap_free(g): free ${g} and what it holds; a no-op for NULL. */
void
rgap_free(struct rgap *g)
{
	if (g == NULL)
		return;
	reorder_free(g->ro);
	free(g);
}

/* A record OpenSSL would drop (old epoch, duplicate): never handed over. */
static void
stale(struct rgap *g, const uint8_t *rec)
{
	g->st.stale++;
	log_warn(g->who,
	    "DTLS record (type %u, epoch %u) arrived after its epoch "
	    "ended or twice: not passed on",
	    rec[0], (unsigned)(rec[3] << 8 | rec[4]));
}

/* Hold ${rec}; a peer beyond the bounds of reorder.h is cut off. */
static int
hold(struct rgap *g, const uint8_t *rec, size_t len, const struct unit_meta *m)
{
	size_t n;

	if (reorder_hold(g->ro, rec, len, m) != 0) {
		log_err(g->who,
		    "the peer ran more than 4096 records or 32 MiB past a "
		    "DTLS record that did not arrive");
		return -1;
	}
	if ((n = reorder_held(g->ro, NULL)) > g->st.held_max)
		g->st.held_max = n;
	return RGAP_KEPT;
}

/**
 * rgap_arrived(g, rec, len, m): the record ${rec} (${len} bytes, sent
 * with ${m}) arrived: RGAP_DELIVER, RGAP_KEPT, or -1 when the peer ran
 * beyond the bounds of reorder.h (logged: cut it off).
 */
int
rgap_arrived(
    struct rgap *g, const uint8_t *rec, size_t len, const struct unit_meta *m)
{
	switch (reorder_check(g->ro, rec)) {
	case REORDER_DELIVER:
		return RGAP_DELIVER;
	case REORDER_HOLD:
		return hold(g, rec, len, m);
	default:
		stale(g, rec);
		return RGAP_KEPT;
	}
}

/**
 * rgap_next(g, len, m): a held record that may be handed over now (its
 * length and what it came with into *${len} and *${m}), or NULL.
 */
const uint8_t *
rgap_next(struct rgap *g, size_t *len, struct unit_meta *m)
{
	return reorder_next(g->ro, len, m);
}

/** rgap_delivered(g, rec): ${rec} went to OpenSSL (a held copy freed). */
void
rgap_delivered(struct rgap *g, const uint8_t *rec)
{
	reorder_delivered(g->ro, rec);
}

/**
 * rgap_probe(g): the socket is empty while records may be held behind a
 * gap: is what is missing still on its way? Once SCTP has nothing missing
 * below the highest TSN it received (sctp_missing() is 0), every message
 * the peer sent before that moment has arrived, in the order written
 * (first come, first served, as Linux and OpenSSL send): so once the
 * socket has been read empty again, a record missing below the mark taken
 * then was never sent, or was abandoned (PR-SCTP), and its gap is given
 * up. RGAP_WAIT, RGAP_READ or RGAP_MARKED.
 */
int
rgap_probe(struct rgap *g)
{
	if (reorder_held(g->ro, NULL) == 0) {
		g->probing = 0;
		return RGAP_WAIT;
	}
	if (g->probing) {
		g->probing = 0;
		g->skipping = 1;
		return RGAP_READ;
	}
	if (sctp_missing(g->fd) != 0)
		return RGAP_WAIT; /* on its way: the socket will say when */
	g->mark = reorder_mark(g->ro);
	g->probing = 1;
	return RGAP_MARKED;
}

/** rgap_skip(g): give up the next gap below the mark; 1 if there was one. */
int
rgap_skip(struct rgap *g)
{
	unsigned long n;

	if (!g->skipping)
		return 0;
	if ((n = reorder_skip(g->ro, g->mark)) == 0) {
		g->skipping = 0;
		return 0;
	}
	g->st.skipped += n;
	log_debug(g->who,
	    "%lu DTLS sequence number(s) of epoch %u never sent by the peer "
	    "(or abandoned): skipped",
	    n, reorder_epoch(g->ro));
	return 1;
}

/** rgap_stats(g): the counters of ${g}. */
const struct rbio_stats *
rgap_stats(const struct rgap *g)
{
	return &g->st;
}
