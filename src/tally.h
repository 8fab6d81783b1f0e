#ifndef TALLY_H
#define TALLY_H

#include "conn.h"
#include "shared.h"

/*
 * A service's counters: its own in this process (struct tally, logged
 * when it stops and by SIGUSR2's dump), and what its connections add to
 * the counters every worker shares (enum metric, metrics.h): handshakes,
 * bytes and messages each way as they move, and how each one ended. Each
 * tally_* function that takes a struct shared_svc accepts NULL for it.
 */

struct tally;

/** tally_new(): counters at zero with one holder; NULL if out of memory. */
struct tally *tally_new(void);

/**
 * tally_follow(t, old): ${t} (a reload's new service's, nothing counted
 * yet) is freed without a summary and ${old} gets one more holder: the
 * new service counts on from the old one's. Returns ${old}.
 */
struct tally *tally_follow(struct tally *t, struct tally *old);

/** tally_totals(t, tot): ${t}'s accepted and refused into ${tot}. */
void tally_totals(const struct tally *t, struct shared_totals *tot);

/**
 * tally_release(t, who): one holder fewer; the last logs the summary
 * ("stopped: ...", info, as ${who}) and frees ${t}. NULL is a no-op.
 */
void tally_release(struct tally *t, const char *who);

/**
 * tally_text(t, buf, size): "N accepted, N refused, " then what was
 * dropped or refused, the path changes and renegotiations, into ${buf}
 * (${size} bytes); ${buf}.
 */
const char *tally_text(const struct tally *t, char *buf, size_t size);

/** tally_accepted(t, s): a connection (UDP flow) started. */
void tally_accepted(struct tally *t, struct shared_svc *s);

/**
 * tally_refused(t, s, why): a connection refused at the limit ${why}
 * ("max_conns" or "max_handshakes").
 */
void tally_refused(struct tally *t, struct shared_svc *s, const char *why);

/** tally_dropped(t, s): a UDP datagram dropped (the caller logs it). */
void tally_dropped(struct tally *t, struct shared_svc *s);

/** tally_rekey(t): a renegotiation completed (rekey.c's REKEY_HS_DONE). */
void tally_rekey(struct tally *t);

/**
 * tally_secure(s, c): ${c}'s DTLS handshake completed (resumed or not):
 * counted in ${s} (NULL: nothing).
 */
void tally_secure(struct shared_svc *s, const struct conn *c);

/**
 * tally_publish(s, c, last): add what ${c} moved since ${last} (what was
 * added before; updated) to ${s}: bytes, messages, drops, discarded
 * records, SCTP-AUTH keys, path changes, renegotiations.
 */
void tally_publish(
    struct shared_svc *s, const struct conn *c, struct conn_stats *last);

/**
 * tally_closed(t, s, c, last): ${c} ends (conn_reason() says why): in
 * ${t} its drops, path changes and the SCTP message refused that ended
 * it; in ${s} the rest of what it moved, its reason, and a failed
 * handshake with its kind (certificate rejected, alert, aborted, timeout,
 * refused, other).
 */
void tally_closed(struct tally *t, struct shared_svc *s, const struct conn *c,
    struct conn_stats *last);

#endif
