#ifndef RGAP_H
#define RGAP_H

#include <stddef.h>
#include <stdint.h>

#include "rbio.h"
#include "unit.h"

/*
 * The receive side of the RFC 6083 BIO (rbio.c) between the socket and
 * OpenSSL: records held back in the order of reorder.c so that OpenSSL's
 * 64-record replay window never drops one (RFC 6083 3.3), those OpenSSL
 * would drop refused, and a gap given up once SCTP says nothing below it
 * is still on its way (sctp_missing()). Counted in a struct rbio_stats.
 */

/* rgap_arrived(): what became of a record. */
#define RGAP_DELIVER 1 /* hand it to OpenSSL now */
#define RGAP_KEPT 0 /* held back, or refused as stale (logged, counted) */

/* rgap_probe(): what to do once the socket was read empty. */
#define RGAP_WAIT 0 /* wait for the socket */
#define RGAP_READ 1 /* read on (held records may go now) */
#define RGAP_MARKED 2 /* a mark was taken: read the socket again */

struct rgap;

/**
 * rgap_new(fd, who): the held records of the association on ${fd} (not
 * owned), logging with ${who} (kept, not copied). NULL if out of memory.
 */
struct rgap *rgap_new(int fd, const char *who);

/** rgap_free(g): free ${g} and what it holds; a no-op for NULL. */
void rgap_free(struct rgap *g);

/**
 * rgap_arrived(g, rec, len, m): the record ${rec} (${len} bytes, sent
 * with ${m}) arrived: RGAP_DELIVER, RGAP_KEPT, or -1 when the peer ran
 * beyond the bounds of reorder.h (logged: cut it off).
 */
int rgap_arrived(
    struct rgap *g, const uint8_t *rec, size_t len, const struct unit_meta *m);

/**
 * rgap_next(g, len, m): a held record that may be handed over now (its
 * length and what it came with into *${len} and *${m}), or NULL.
 */
const uint8_t *rgap_next(struct rgap *g, size_t *len, struct unit_meta *m);

/** rgap_delivered(g, rec): ${rec} went to OpenSSL (a held copy freed). */
void rgap_delivered(struct rgap *g, const uint8_t *rec);

/**
 * rgap_probe(g): the socket is empty while records may be held behind a
 * gap: is what is missing still on its way? RGAP_WAIT, RGAP_READ or
 * RGAP_MARKED.
 */
int rgap_probe(struct rgap *g);

/** rgap_skip(g): give up the next gap below the mark; 1 if there was one. */
int rgap_skip(struct rgap *g);

/** rgap_stats(g): the counters of ${g}. */
const struct rbio_stats *rgap_stats(const struct rgap *g);

#endif
