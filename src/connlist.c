/*
 * connlist.c: each process's open connections for /status, as snapshots
 * in shared memory, each guarded by a sequence number (odd while written).
 */
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "connlist.h"
#include "log.h"

/* One listed connection, plain data in the mapping. */
struct rec {
	char svc[64], peer[64], state[16], cipher[64], subject[256];
	double age;
	unsigned long long up, down;
	int key;
	int npaths;
	struct {
		char addr[48], state[20];
		unsigned rto, srtt;
	} paths[METRICS_PATHS];
};

/* One worker's snapshot. */
struct region {
	atomic_uint seq; /* odd while the worker writes */
	int n;
	struct rec r[CONNLIST_MAX];
};

struct connlist {
	struct region *map;
	size_t size;
	int workers;
	struct rec *copy; /* the reader's copy, workers * CONNLIST_MAX */
	int pending; /* records put into the region being written */
};

/** connlist_new(workers): the regions of ${workers}; NULL (logged). */
struct connlist *
connlist_new(int workers)
{
	struct connlist *cl = calloc(1, sizeof(*cl));

	if (cl == NULL)
		goto err0;
	cl->workers = workers;
	cl->size = sizeof(struct region) * (size_t)workers;
	cl->map = mmap(NULL, cl->size, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (cl->map == MAP_FAILED)
		goto err1;
	return cl;

err1:
	free(cl);
err0:
	log_err(NULL, "connection list: out of memory");
	return NULL;
}

/** connlist_free(cl): unmap ${cl}; a no-op for NULL. */
void
connlist_free(struct connlist *cl)
{
	if (cl == NULL)
		return;
	munmap(cl->map, cl->size);
	free(cl->copy);
	free(cl);
}

/** connlist_begin(cl, worker): worker ${worker} starts a new snapshot. */
void
connlist_begin(struct connlist *cl, int worker)
{
	atomic_fetch_add_explicit(
	    &cl->map[worker].seq, 1, memory_order_acq_rel);
	cl->pending = 0;
}

/* The SCTP paths of ${c} into ${r}. */
static void
put_paths(struct rec *r, const struct conn *c)
{
	struct path_info pi[METRICS_PATHS];
	int i;

	r->npaths = conn_paths(c, pi, METRICS_PATHS);
	for (i = 0; i < r->npaths; i++) {
		snprintf(r->paths[i].addr, sizeof(r->paths[i].addr), "%.47s",
		    pi[i].addr);
		snprintf(r->paths[i].state, sizeof(r->paths[i].state), "%s",
		    pi[i].state);
		r->paths[i].rto = pi[i].rto_ms;
		r->paths[i].srtt = pi[i].srtt_ms;
	}
}

/**
 * connlist_put(cl, worker, svc, c): the open connection ${c} of service
 * ${svc} in worker ${worker}'s snapshot (dropped beyond CONNLIST_MAX).
 */
void
connlist_put(
    struct connlist *cl, int worker, const char *svc, const struct conn *c)
{
	char cipher[256], subject[256];
	struct rec *r;
	struct conn_stats cs;
	const char *who = conn_who(c);
	size_t len = strlen(svc);

	if (cl->pending >= CONNLIST_MAX)
		return;
	r = &cl->map[worker].r[cl->pending++];
	conn_stats(c, &cs);
	snprintf(r->svc, sizeof(r->svc), "%s", svc);
	/* conn_who() is "service: client". */
	if (strncmp(who, svc, len) == 0 && who[len] == ':' && who[len + 1])
		who += len + 2;
	snprintf(r->peer, sizeof(r->peer), "%s", who);
	snprintf(r->state, sizeof(r->state), "%s", conn_state(c));
	r->key = conn_describe(c, cipher, subject, sizeof(subject));
	snprintf(r->cipher, sizeof(r->cipher), "%.63s", cipher);
	snprintf(r->subject, sizeof(r->subject), "%.255s", subject);
	r->age = cs.seconds;
	r->up = cs.up;
	r->down = cs.down;
	put_paths(r, c);
}

/** connlist_end(cl, worker): the snapshot of ${worker} is complete. */
void
connlist_end(struct connlist *cl, int worker)
{
	cl->map[worker].n = cl->pending;
	atomic_fetch_add_explicit(
	    &cl->map[worker].seq, 1, memory_order_acq_rel);
}

/* Copy worker ${w}'s snapshot to ${dst}; how many, or -1 if it moved. */
static int
copy_one(struct connlist *cl, int w, struct rec *dst)
{
	struct region *g = &cl->map[w];
	unsigned s1 = atomic_load_explicit(&g->seq, memory_order_acquire);
	int n;

	if (s1 & 1)
		return -1;
	n = g->n;
	if (n < 0 || n > CONNLIST_MAX)
		return -1;
	memcpy(dst, g->r, sizeof(*dst) * (size_t)n);
	atomic_thread_fence(memory_order_acquire);
	return atomic_load_explicit(&g->seq, memory_order_relaxed) == s1 ? n
	                                                                 : -1;
}

/* The paths of ${r} into ${k} (pointing into ${r}). */
static void
get_paths(struct metrics_conn *k, const struct rec *r)
{
	int j;

	k->npaths = r->npaths;
	for (j = 0; j < r->npaths && j < METRICS_PATHS; j++) {
		k->paths[j].addr = r->paths[j].addr;
		k->paths[j].state = r->paths[j].state;
		k->paths[j].rto_ms = r->paths[j].rto;
		k->paths[j].srtt_ms = r->paths[j].srtt;
	}
}

/**
 * connlist_read(cl, out, max): the snapshots of every worker, at most
 * ${max} connections, into ${out} (whose strings point into ${cl}'s
 * reader copy: valid until the next call). How many.
 */
int
connlist_read(struct connlist *cl, struct metrics_conn *out, int max)
{
	int w, i, n, total = 0, tries;
	struct rec *r;

	if (cl->copy == NULL &&
	    (cl->copy = calloc((size_t)cl->workers * CONNLIST_MAX,
	         sizeof(*cl->copy))) == NULL)
		return 0;
	for (w = 0; w < cl->workers; w++) {
		r = cl->copy + (size_t)w * CONNLIST_MAX;
		for (n = -1, tries = 0; n < 0 && tries < 100; tries++)
			if ((n = copy_one(cl, w, r)) < 0)
				sched_yield();
		for (i = 0; i < n && total < max; i++, total++) {
			out[total].svc = r[i].svc;
			out[total].peer = r[i].peer;
			out[total].state = r[i].state;
			out[total].cipher = r[i].cipher;
			out[total].subject = r[i].subject;
			out[total].age = r[i].age;
			out[total].up = r[i].up;
			out[total].down = r[i].down;
			out[total].auth_key = r[i].key;
			get_paths(&out[total], &r[i]);
		}
	}
	return total;
}
