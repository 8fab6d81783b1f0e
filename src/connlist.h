#ifndef CONNLIST_H
#define CONNLIST_H

#include "conn.h"
#include "metrics.h"

/*
 * What /status lists: each process's open connections, as a snapshot it
 * replaces every second in a MAP_SHARED mapping made before fork (one
 * region per worker, a sequence number so that a reader never takes a
 * half-written one), so that the master answers for all of its workers.
 * At most CONNLIST_MAX connections per process are listed.
 */

#define CONNLIST_MAX 256

struct connlist;

/** connlist_new(workers): the regions of ${workers}; NULL (logged). */
struct connlist *connlist_new(int workers);

/** connlist_free(cl): unmap ${cl}; a no-op for NULL. */
void connlist_free(struct connlist *cl);

/** connlist_begin(cl, worker): worker ${worker} starts a new snapshot. */
void connlist_begin(struct connlist *cl, int worker);

/**
 * connlist_put(cl, worker, svc, c): the open connection ${c} of service
 * ${svc} in worker ${worker}'s snapshot (dropped beyond CONNLIST_MAX).
 */
void connlist_put(
    struct connlist *cl, int worker, const char *svc, const struct conn *c);

/** connlist_end(cl, worker): the snapshot of ${worker} is complete. */
void connlist_end(struct connlist *cl, int worker);

/**
 * connlist_read(cl, out, max): the snapshots of every worker, at most
 * ${max} connections, into ${out} (whose strings point into ${cl}'s
 * reader copy: valid until the next call). How many.
 */
int connlist_read(struct connlist *cl, struct metrics_conn *out, int max);

#endif
