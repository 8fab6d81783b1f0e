#ifndef TALLY_H
#define TALLY_H

#include "conn.h"
#include "shared.h"

/*
 * What the connections of a service add to its shared counters (enum
 * metric, metrics.h): handshakes, bytes and messages each way as they
 * move, and how each connection ended.
 */

/**
 * tally_secure(s, c): ${c}'s DTLS handshake completed (resumed or not):
 * counted in ${s} (NULL: nothing).
 */
void tally_secure(struct shared_svc *s, const struct conn *c);

/**
 * tally_publish(s, c, last): add what ${c} moved since ${last} (what was
 * added before; updated) to ${s}: bytes, messages, drops, discarded
 * records, SCTP-AUTH keys, path changes.
 */
void tally_publish(
    struct shared_svc *s, const struct conn *c, struct conn_stats *last);

/**
 * tally_closed(s, c, last): ${c} ends (conn_reason() says
 * why): the rest of what it moved, its reason, and a failed handshake
 * with its kind (certificate rejected, alert, aborted, timeout, refused,
 * other).
 */
void tally_closed(
    struct shared_svc *s, const struct conn *c, struct conn_stats *last);

#endif
