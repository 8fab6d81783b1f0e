/*
 * tally.c: a service's counters: its own in this process, and what its
 * connections add to the counters every worker shares (shared.c), named
 * by enum metric (metrics.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "metrics.h"
#include "tally.h"

_Static_assert(M_COUNT <= SHARED_NCTR, "enum metric outgrew SHARED_NCTR");

/* A service's counters in this process; a reload hands them on. */
struct tally {
	int refs; /* services sharing them (a reload's old and new) */
	unsigned long accepted; /* connections (UDP flows) started */
	unsigned long refused; /* over max_conns or max_handshakes */
	unsigned long dropped; /* UDP datagrams dropped */
	unsigned long too_large; /* SCTP messages too large for a record */
	unsigned long no_stream; /* ... on a stream the other side lacks */
	unsigned long ppid; /* ... with a PPID reserved by ppid_map */
	unsigned long undeliverable; /* ... for a peer that shut down */
	unsigned long paths; /* SCTP path state changes */
	unsigned long rekeys; /* renegotiations completed */
};

/** tally_new(): counters at zero with one holder; NULL if out of memory. */
struct tally *
tally_new(void)
{
	struct tally *t = calloc(1, sizeof(*t));

	if (t != NULL)
		t->refs = 1;
	return t;
}

/**
 * tally_follow(t, old): ${t} (a reload's new service's, nothing counted
 * yet) is freed without a summary and ${old} gets one more holder: the
 * new service counts on from the old one's. Returns ${old}.
 */
struct tally *
tally_follow(struct tally *t, struct tally *old)
{
	if (t != NULL && --t->refs == 0)
		free(t);
	old->refs++;
	return old;
}

/** tally_totals(t, tot): ${t}'s accepted and refused into ${tot}. */
void
tally_totals(const struct tally *t, struct shared_totals *tot)
{
	tot->accepted = t->accepted;
	tot->refused = t->refused;
}

/* What ${t} dropped or refused, the path changes and renegotiations. */
static const char *
counts(const struct tally *t, char *buf, size_t size)
{
	snprintf(buf, size,
	    "%lu datagrams dropped, %lu messages too large, %lu on a missing "
	    "stream, %lu with a reserved PPID, %lu undeliverable, %lu path "
	    "changes, %lu renegotiations",
	    t->dropped, t->too_large, t->no_stream, t->ppid, t->undeliverable,
	    t->paths, t->rekeys);
	return buf;
}

/**
 * tally_release(t, who): one holder fewer; the last logs the summary
 * ("stopped: ...", info, as ${who}) and frees ${t}. NULL is a no-op.
 */
void
tally_release(struct tally *t, const char *who)
{
	char text[300];

	if (t == NULL || --t->refs > 0)
		return;
	log_info(who, "stopped: %lu connection(s), %lu refused, %s",
	    t->accepted, t->refused, counts(t, text, sizeof(text)));
	free(t);
}

/**
 * tally_text(t, buf, size): "N accepted, N refused, " then what was
 * dropped or refused, the path changes and renegotiations, into ${buf}
 * (${size} bytes); ${buf}.
 */
const char *
tally_text(const struct tally *t, char *buf, size_t size)
{
	char text[300];

	snprintf(buf, size, "%lu accepted, %lu refused, %s", t->accepted,
	    t->refused, counts(t, text, sizeof(text)));
	return buf;
}

/** tally_accepted(t, s): a connection (UDP flow) started. */
void
tally_accepted(struct tally *t, struct shared_svc *s)
{
	t->accepted++;
	if (s != NULL)
		shared_count(s, 1, 0);
}

/**
 * tally_refused(t, s, why): a connection refused at the limit ${why}
 * ("max_conns" or "max_handshakes").
 */
void
tally_refused(struct tally *t, struct shared_svc *s, const char *why)
{
	t->refused++;
	if (s == NULL)
		return;
	shared_count(s, 0, 1);
	shared_add(
	    s, why[4] == 'c' ? M_REFUSED_CONNS : M_REFUSED_HANDSHAKES, 1);
}

/** tally_dropped(t, s): a UDP datagram dropped (the caller logs it). */
void
tally_dropped(struct tally *t, struct shared_svc *s)
{
	t->dropped++;
	shared_add(s, M_DROPPED, 1);
}

/** tally_rekey(t): a renegotiation completed (rekey.c's REKEY_HS_DONE). */
void
tally_rekey(struct tally *t)
{
	t->rekeys++;
}

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
 * records, SCTP-AUTH keys, path changes, renegotiations.
 */
void
tally_publish(
    struct shared_svc *s, const struct conn *c, struct conn_stats *last)
{
	struct conn_stats st;
	int i;

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
	for (i = 0; i < REKEY_REASONS; i++)
		if (st.rekeys[i] >= last->rekeys[i])
			shared_add(
			    s, M_REKEYS + i, st.rekeys[i] - last->rekeys[i]);
	*last = st;
}

/* In ${t}: what ${c}, ended for ${r} with the counts ${st}, adds. */
static void
local_closed(struct tally *t, enum reason r, const struct conn_stats *st)
{
	t->dropped += st->dropped;
	t->paths += st->paths;
	/* The message that ended it, refused (each such reason ends one). */
	t->too_large += r == R_TOO_LARGE;
	t->no_stream += r == R_NO_STREAM;
	t->ppid += r == R_PPID_RESERVED;
	t->undeliverable += r == R_UNDELIVERABLE;
}

/**
 * tally_closed(t, s, c, last): ${c} ends (conn_reason() says why): in
 * ${t} its drops, path changes and the SCTP message refused that ended
 * it; in ${s} the rest of what it moved, its reason, and a failed
 * handshake with its kind (certificate rejected, alert, aborted, timeout,
 * refused, other).
 */
void
tally_closed(struct tally *t, struct shared_svc *s, const struct conn *c,
    struct conn_stats *last)
{
	enum reason r = conn_reason(c);
	struct conn_stats st;

	conn_stats(c, &st);
	local_closed(t, r, &st);
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
	case R_NO_STREAM:
		shared_add(s, M_NO_STREAM, 1);
		break;
	case R_PPID_RESERVED:
		shared_add(s, M_PPID_RESERVED, 1);
		break;
	case R_UNDELIVERABLE:
		shared_add(s, M_UNDELIVERABLE, 1);
		break;
	default:
		break;
	}
}
