/*
 * tally.c: what a service's connections add to the counters every worker
 * shares (shared.c), named by enum metric (metrics.h).
 */
#include "metrics.h"
#include "tally.h"

/**
 * tally_secure(s, c): ${c}'s DTLS handshake completed (resumed or not):
 * counted in ${s} (NULL: nothing).
 */
void
tally_secure(struct shared_svc *s, const struct conn *c)
{
	struct conn_stats st;

	conn_stats(c, &st);
	shared_add(s, M_HS_OK, 1);
	if (st.resumed)
		shared_add(s, M_HS_RESUMED, 1);
}

/**
 * tally_publish(s, c, last): add what ${c} moved since ${last} (what was
 * added before; updated) to ${s}: bytes, messages, drops, discarded
 * records, SCTP-AUTH keys, path changes.
 */
void
tally_publish(
    struct shared_svc *s, const struct conn *c, struct conn_stats *last)
{
	struct conn_stats st;

	conn_stats(c, &st);
	/* A relay replaced (none yet, then one) never counts backwards. */
	if (st.up >= last->up)
		shared_add(s, M_BYTES_UP, (unsigned long)(st.up - last->up));
	if (st.down >= last->down)
		shared_add(
		    s, M_BYTES_DOWN, (unsigned long)(st.down - last->down));
	if (st.units_up >= last->units_up)
		shared_add(s, M_UNITS_UP,
		    (unsigned long)(st.units_up - last->units_up));
	if (st.units_down >= last->units_down)
		shared_add(s, M_UNITS_DOWN,
		    (unsigned long)(st.units_down - last->units_down));
	if (st.dropped >= last->dropped)
		shared_add(s, M_DROPPED, st.dropped - last->dropped);
	if (st.discarded >= last->discarded)
		shared_add(s, M_DISCARDED, st.discarded - last->discarded);
	if (st.keys >= last->keys)
		shared_add(s, M_AUTH_KEYS, st.keys - last->keys);
	if (st.paths >= last->paths)
		shared_add(s, M_PATHS, st.paths - last->paths);
	*last = st;
}

/**
 * tally_closed(s, c, last): ${c} ends (conn_reason() says
 * why): the rest of what it moved, its reason, and a failed handshake
 * with its kind (certificate rejected, alert, aborted, timeout, refused,
 * other).
 */
void
tally_closed(
    struct shared_svc *s, const struct conn *c, struct conn_stats *last)
{
	enum reason r = conn_reason(c);

	tally_publish(s, c, last);
	shared_add(s, M_CLOSED + (int)r, 1);
	switch (r) {
	case R_HANDSHAKE_FAILED:
		shared_add(s,
		    last->verify_failed ? M_HS_VERIFY
		        : last->alert   ? M_HS_ALERT
		                        : M_HS_FAILED,
		    1);
		break;
	case R_HANDSHAKE_TIMEOUT:
		shared_add(s, M_HS_TIMEOUT, 1);
		break;
	case R_REFUSED:
	case R_PEER_REFUSED:
		shared_add(s, M_HS_REFUSED, 1);
		break;
	case R_PEER_ABORTED: /* during the handshake: the peer refused */
		if (!last->secure)
			shared_add(s, M_HS_ABORTED, 1);
		break;
	case R_TOO_LARGE:
		shared_add(s, M_TOO_LARGE, 1);
		break;
	default:
		break;
	}
}
