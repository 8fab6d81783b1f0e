#ifndef SHARED_H
#define SHARED_H

#include <stddef.h>

/*
 * What every worker shares: one MAP_SHARED anonymous mapping made by the
 * master before it forks. Per service (by name): the connections and the
 * DTLS handshakes open in all workers, so that max_conns and
 * max_handshakes hold for the whole daemon, and totals of what was
 * accepted and refused. Also the secret the session ticket keys of every
 * service are derived from, so that a ticket one worker issued resumes on
 * any other.
 */

struct shared;
struct shared_svc;

/* What is counted per service and per worker. */
enum shared_what {
	SHARED_CONNS, /* connections (UDP flows) open */
	SHARED_HANDSHAKES, /* accepted DTLS handshakes in progress */
};

/* The totals of one service, as shared_totals() gives them. */
struct shared_totals {
	long conns, handshakes; /* open now, all workers */
	unsigned long accepted, refused; /* since start, all workers */
};

#define SHARED_SECRET_LEN 32 /* bytes of the ticket key secret */
#define SHARED_NCTR 64 /* counters per service (metrics.h names them) */

/**
 * shared_new(workers): the mapping for ${workers} (1..256) workers, with
 * a fresh random ticket secret; NULL on failure (logged).
 */
struct shared *shared_new(int workers);

/** shared_free(sh): unmap ${sh}; a no-op for NULL. */
void shared_free(struct shared *sh);

/**
 * shared_self(sh, worker): this process is worker ${worker} (0..workers-1;
 * the master and a single process are 0): what it counts goes to its
 * column.
 */
void shared_self(struct shared *sh, int worker);

/**
 * shared_svc(sh, name): the counters of the service ${name}, made on first
 * use; the same ones in every worker and after a reload. NULL if ${sh} is
 * NULL or the table is full (logged).
 */
struct shared_svc *shared_svc(struct shared *sh, const char *name);

/**
 * shared_enter(s, what, max): count one more ${what} for this worker if
 * the total stays at most ${max} (0: no limit). 0 if counted, else -1
 * (nothing counted); *${now} (if not NULL) gets the total before.
 */
int shared_enter(
    struct shared_svc *s, enum shared_what what, int max, long *now);

/** shared_leave(s, what): one ${what} of this worker less. */
void shared_leave(struct shared_svc *s, enum shared_what what);

/** shared_count(s, accepted, refused): add to the totals of ${s}. */
void shared_count(
    struct shared_svc *s, unsigned long accepted, unsigned long refused);

/**
 * shared_add(s, ctr, n): add ${n} to the counter ${ctr} (0..SHARED_NCTR-1,
 * enum metric) of ${s}, for all workers; a no-op for a NULL ${s}.
 */
void shared_add(struct shared_svc *s, int ctr, unsigned long n);

/** shared_get(s, ctr): the counter ${ctr} of ${s}, all workers. */
unsigned long shared_get(const struct shared_svc *s, int ctr);

/** shared_totals(s, t): the totals of ${s} into ${t}. */
void shared_totals(const struct shared_svc *s, struct shared_totals *t);

/**
 * shared_worker_gone(sh, worker): the master forgets what worker
 * ${worker}, which died, still counted as open.
 */
void shared_worker_gone(struct shared *sh, int worker);

/**
 * shared_secret(sh): the SHARED_SECRET_LEN bytes session ticket keys are
 * derived from (the same in every worker, for the master's lifetime).
 */
const unsigned char *shared_secret(const struct shared *sh);

#endif
