#ifndef METRICS_H
#define METRICS_H

#include <stdio.h>

#include "reason.h"
#include "rekey.h"

/*
 * What /metrics and /status show, as plain data, and their rendering:
 * the Prometheus text exposition format (version 0.0.4) and JSON. Pure:
 * no socket, no loop, no shared memory.
 */

/* The counters of a service (shared.c holds them, for all workers). */
enum metric {
	M_ACCEPTED, /* connections (UDP flows) started */
	M_REFUSED_CONNS, /* refused: max_conns */
	M_REFUSED_HANDSHAKES, /* refused: max_handshakes */
	M_HS_OK, /* DTLS handshakes completed */
	M_HS_RESUMED, /* ... of which resumed a session */
	M_HS_VERIFY, /* failed: the peer's certificate was rejected */
	M_HS_ALERT, /* failed: the peer sent a fatal alert */
	M_HS_ABORTED, /* failed: the peer aborted the association */
	M_HS_FAILED, /* failed otherwise (bad key, closed) */
	M_HS_TIMEOUT, /* failed: handshake_timeout */
	M_HS_REFUSED, /* the association could not be used (no SCTP-AUTH) */
	M_BYTES_UP, /* bytes from the plaintext side to DTLS/SCTP */
	M_BYTES_DOWN, /* bytes the other way */
	M_UNITS_UP, /* messages, datagrams or records up */
	M_UNITS_DOWN, /* ... down */
	M_DROPPED, /* UDP datagrams dropped */
	M_TOO_LARGE, /* SCTP messages over one record: refused */
	M_DISCARDED, /* records OpenSSL discarded, or stale */
	M_AUTH_KEYS, /* SCTP-AUTH keys installed (RFC 6083 4.8) */
	M_PATHS, /* SCTP path state changes (multi-homing), both ends */
	M_NO_STREAM, /* SCTP messages on a stream the other side lacks */
	M_PPID_RESERVED, /* ... with a PPID ppid_map reserves the other way */
	M_UNDELIVERABLE, /* ... for a plaintext peer that shut down */
	M_REKEYS, /* renegotiations completed, + REKEY_BY_PEER, REKEY_DUE_* */
	M_CLOSED = M_REKEYS + REKEY_REASONS, /* connections ended, + reason */
	M_COUNT = M_CLOSED + R_COUNT
};

/* One service as rendered. */
struct metrics_svc {
	const char *name; /* its [section] */
	const char *accept, *connect; /* endpoints as written */
	long open, handshaking; /* now, all workers */
	unsigned long v[M_COUNT];
};

/* One configured certificate. */
struct metrics_cert {
	const char *svc, *path;
	long long not_after; /* Unix time; -1: could not be read */
};

#define METRICS_PATHS 4 /* SCTP paths listed per connection */

/* One SCTP path of a connection's DTLS/SCTP association. */
struct metrics_path {
	const char *addr, *state;
	unsigned rto_ms, srtt_ms;
};

/* One open connection, for /status. */
struct metrics_conn {
	const char *svc, *peer, *state, *cipher, *subject;
	double age; /* seconds */
	unsigned long long up, down; /* bytes */
	int auth_key; /* SCTP-AUTH key number in use, -1: none */
	int npaths;
	struct metrics_path paths[METRICS_PATHS];
};

/* The process as rendered. */
struct metrics_proc {
	const char *version;
	const char *health; /* "ok", or why not (one line) */
	double start_time, now; /* Unix time, seconds */
	int workers;
	unsigned long reloads_ok, reloads_failed;
	double last_reload; /* Unix time of the last reload, 0: none */
	unsigned long rotations_ok, rotations_failed; /* certificate files */
};

/**
 * metrics_prom(f, p, s, ns, c, nc): the process ${p}, the ${ns} services
 * ${s} and the ${nc} certificates ${c} to ${f} in the Prometheus text
 * format, every name prefixed sctp_dtls_, counters ending _total, times in
 * seconds. 0, or -1 if ${f} failed.
 */
int metrics_prom(FILE *f, const struct metrics_proc *p,
    const struct metrics_svc *s, int ns, const struct metrics_cert *c, int nc);

/**
 * metrics_json(f, p, s, ns, k, nk): the process ${p}, the ${ns} services
 * ${s} and the ${nk} open connections ${k} (NULL, -1: not known here) to
 * ${f} as one JSON object. 0, or -1 if ${f} failed.
 */
int metrics_json(FILE *f, const struct metrics_proc *p,
    const struct metrics_svc *s, int ns, const struct metrics_conn *k, int nk);

/** metrics_reason_label(r, buf, size): ${r}'s text as a label value. */
const char *metrics_reason_label(enum reason r, char *buf, size_t size);

#endif
