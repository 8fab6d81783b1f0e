/*
 * shared.c: counters every worker shares (a MAP_SHARED anonymous mapping
 * made before fork, C11 atomics) and the session ticket secret.
 *
 * The mapping is a table of slots, one per service name, found by hashing
 * the name. A slot holds the totals (what max_conns and max_handshakes are
 * checked against) and, per worker, its share of them, so that the master
 * can take back what a worker that died still counted.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "log.h"
#include "shared.h"

#define NSLOTS 1024 /* services the table can hold */
#define NWHAT 2 /* enum shared_what */
#define NAMELEN 64

enum { FREE, CLAIMING, READY };

/* One service's slot in the mapping; col[] follows it (NWHAT x workers). */
struct slot {
	atomic_int state;
	char name[NAMELEN];
	atomic_long total[NWHAT];
	atomic_ulong accepted, refused;
	atomic_ulong ctr[SHARED_NCTR]; /* shared_add() */
};

struct shared_svc {
	struct slot *slot;
	atomic_long *col; /* this slot's columns: col[what * workers + w] */
	const struct shared *sh;
};

struct shared {
	unsigned char *map;
	size_t size, slotsize;
	int workers, self;
	unsigned char secret[SHARED_SECRET_LEN];
	struct shared_svc h[NSLOTS]; /* process-local handles */
};

/**
 * shared_new(workers): the mapping for ${workers} (1..256) workers, with
 * a fresh random ticket secret; NULL on failure (logged).
 */
struct shared *
shared_new(int workers)
{
	struct shared *sh;
	size_t cols = sizeof(atomic_long) * NWHAT * (size_t)workers;
	int i;

	if ((sh = calloc(1, sizeof(*sh))) == NULL) {
		log_err(NULL, "out of memory");
		goto err0;
	}
	sh->workers = workers;
	sh->slotsize = (sizeof(struct slot) + cols + 63) & ~(size_t)63;
	sh->size = sh->slotsize * NSLOTS;
	sh->map = mmap(NULL, sh->size, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh->map == MAP_FAILED) {
		log_err(NULL, "shared counters: mmap: %s", strerror(errno));
		goto err1;
	}
	if (RAND_priv_bytes(sh->secret, sizeof(sh->secret)) != 1) {
		log_ssl(LOG_LVL_ERROR, NULL, "ticket key secret");
		goto err2;
	}
	for (i = 0; i < NSLOTS; i++) {
		sh->h[i].slot = (struct slot *)(sh->map + sh->slotsize * i);
		sh->h[i].col = (atomic_long *)(sh->h[i].slot + 1);
		sh->h[i].sh = sh;
	}
	return sh;

err2:
	munmap(sh->map, sh->size);
err1:
	free(sh);
err0:
	return NULL;
}

/** shared_free(sh): unmap ${sh}; a no-op for NULL. */
void
shared_free(struct shared *sh)
{
	if (sh == NULL)
		return;
	munmap(sh->map, sh->size);
	OPENSSL_cleanse(sh->secret, sizeof(sh->secret));
	free(sh);
}

/**
 * shared_self(sh, worker): this process is worker ${worker} (0..workers-1;
 * the master and a single process are 0): what it counts goes to its
 * column.
 */
void
shared_self(struct shared *sh, int worker)
{
	if (sh != NULL)
		sh->self = worker;
}

static unsigned
name_hash(const char *s)
{
	unsigned h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % NSLOTS;
}

/* Wait until a slot another process claims is READY; its state. */
static int
settled(struct slot *sl)
{
	int st;

	while ((st = atomic_load(&sl->state)) == CLAIMING)
		sched_yield();
	return st;
}

/**
 * shared_svc(sh, name): the counters of the service ${name}, made on first
 * use; the same ones in every worker and after a reload. NULL if ${sh} is
 * NULL or the table is full (logged).
 */
struct shared_svc *
shared_svc(struct shared *sh, const char *name)
{
	unsigned i, k;
	struct slot *sl;
	int st;

	if (sh == NULL)
		return NULL;
	for (k = 0, i = name_hash(name); k < NSLOTS;
	     k++, i = (i + 1) % NSLOTS) {
		sl = sh->h[i].slot;
		st = FREE;
		if (atomic_compare_exchange_strong(&sl->state, &st, CLAIMING)) {
			snprintf(sl->name, sizeof(sl->name), "%s", name);
			atomic_store(&sl->state, READY);
			return &sh->h[i];
		}
		if (settled(sl) == READY &&
		    strncmp(sl->name, name, NAMELEN - 1) == 0)
			return &sh->h[i];
	}
	log_warn(name,
	    "more than %d services: max_conns and max_handshakes "
	    "count per worker",
	    NSLOTS);
	return NULL;
}

/**
 * shared_enter(s, what, max): count one more ${what} for this worker if
 * the total stays at most ${max} (0: no limit). 0 if counted, else -1
 * (nothing counted); *${now} (if not NULL) gets the total before.
 */
int
shared_enter(struct shared_svc *s, enum shared_what what, int max, long *now)
{
	long before = atomic_fetch_add(&s->slot->total[what], 1);

	if (now != NULL)
		*now = before;
	if (max > 0 && before >= max) {
		atomic_fetch_sub(&s->slot->total[what], 1);
		return -1;
	}
	atomic_fetch_add(&s->col[what * s->sh->workers + s->sh->self], 1);
	return 0;
}

/** shared_leave(s, what): one ${what} of this worker less. */
void
shared_leave(struct shared_svc *s, enum shared_what what)
{
	atomic_fetch_sub(&s->col[what * s->sh->workers + s->sh->self], 1);
	atomic_fetch_sub(&s->slot->total[what], 1);
}

/** shared_count(s, accepted, refused): add to the totals of ${s}. */
void
shared_count(
    struct shared_svc *s, unsigned long accepted, unsigned long refused)
{
	atomic_fetch_add(&s->slot->accepted, accepted);
	atomic_fetch_add(&s->slot->refused, refused);
}

/**
 * shared_add(s, ctr, n): add ${n} to the counter ${ctr} (0..SHARED_NCTR-1,
 * enum metric) of ${s}, for all workers; a no-op for a NULL ${s}.
 */
void
shared_add(struct shared_svc *s, int ctr, unsigned long n)
{
	if (s != NULL && n > 0 && ctr >= 0 && ctr < SHARED_NCTR)
		atomic_fetch_add_explicit(
		    &s->slot->ctr[ctr], n, memory_order_relaxed);
}

/** shared_get(s, ctr): the counter ${ctr} of ${s}, all workers. */
unsigned long
shared_get(const struct shared_svc *s, int ctr)
{
	if (s == NULL || ctr < 0 || ctr >= SHARED_NCTR)
		return 0;
	return atomic_load_explicit(&s->slot->ctr[ctr], memory_order_relaxed);
}

/** shared_totals(s, t): the totals of ${s} into ${t}. */
void
shared_totals(const struct shared_svc *s, struct shared_totals *t)
{
	t->conns = atomic_load(&s->slot->total[SHARED_CONNS]);
	t->handshakes = atomic_load(&s->slot->total[SHARED_HANDSHAKES]);
	t->accepted = atomic_load(&s->slot->accepted);
	t->refused = atomic_load(&s->slot->refused);
}

/**
 * shared_worker_gone(sh, worker): the master forgets what worker
 * ${worker}, which died, still counted as open.
 */
void
shared_worker_gone(struct shared *sh, int worker)
{
	struct shared_svc *s;
	long v;
	int i, w;

	for (i = 0; i < NSLOTS; i++) {
		s = &sh->h[i];
		if (atomic_load(&s->slot->state) != READY)
			continue;
		for (w = 0; w < NWHAT; w++) {
			v = atomic_exchange(
			    &s->col[w * sh->workers + worker], 0);
			atomic_fetch_sub(&s->slot->total[w], v);
		}
	}
}

/**
 * shared_secret(sh): the SHARED_SECRET_LEN bytes session ticket keys are
 * derived from (the same in every worker, for the master's lifetime).
 */
const unsigned char *
shared_secret(const struct shared *sh)
{
	return sh->secret;
}
