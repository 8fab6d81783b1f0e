/*
 * relay.c: moving units between the two ends of a connection, one unit
 * at a time each way, the same code for both directions, what the
 * destinations kept back flushed at the end of each run (several units per
 * system call); the end of input passed on as FIN or close_notify
 * (relay.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "relay.h"

/* One direction: from src to dst. */
struct dir {
	struct end *src, *dst;
	uint8_t *buf; /* RELAY_BUF bytes while busy */
	size_t len, off; /* the unit held, and how much of it went */
	struct unit_meta meta;
	unsigned have : 1; /* a unit is held (maybe empty) */
	unsigned eof : 1; /* the source ended */
	unsigned fin : 1; /* ... and that was passed on */
	unsigned blocked : 1; /* the destination took nothing last time */
	unsigned long long bytes, units;
};

struct relay {
	struct dir d[2];
	char who[128];
};

/**
 * relay_new(a, b, who): a relay between the ends ${a} and ${b} (not
 * owned). NULL if out of memory (logged with ${who}).
 */
struct relay *
relay_new(struct end *a, struct end *b, const char *who)
{
	struct relay *r;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		log_err(who, "out of memory");
		return NULL;
	}
	r->d[RELAY_AB].src = a;
	r->d[RELAY_AB].dst = b;
	r->d[RELAY_BA].src = b;
	r->d[RELAY_BA].dst = a;
	snprintf(r->who, sizeof(r->who), "%s", who);
	return r;
}

/** relay_free(r): free ${r} (not its ends); a no-op for NULL. */
void
relay_free(struct relay *r)
{
	if (r == NULL)
		return;
	free(r->d[0].buf);
	free(r->d[1].buf);
	free(r);
}

/* Read the next unit of ${d}, if there is room: 1 moved, 0, -1 failed. */
static int
take(struct relay *r, struct dir *d, enum reason *why)
{
	ssize_t n;

	if (d->have || d->eof)
		return 0;
	if (d->buf == NULL && (d->buf = malloc(RELAY_BUF)) == NULL) {
		log_err(r->who, "out of memory");
		*why = R_NOMEM;
		return -1;
	}
	n = end_read(d->src, d->buf, RELAY_BUF, &d->meta);
	if (n == END_AGAIN)
		return 0;
	if (n == END_ERR) {
		*why = d->src->why;
		return -1;
	}
	if (n == END_EOF) {
		d->eof = 1;
	} else {
		d->have = 1;
		d->len = (size_t)n;
		d->off = 0;
	}
	return 1;
}

/* Write what ${d} holds, then pass its end on: 1 moved, 0, -1 failed. */
static int
give(struct dir *d, enum reason *why)
{
	ssize_t n;

	if (d->have) {
		n = end_write(
		    d->dst, d->buf + d->off, d->len - d->off, &d->meta);
		if ((d->blocked = n == END_AGAIN))
			return 0;
		if (n == END_DROPPED) {
			d->have = 0; /* counted by the end, not as relayed */
			return 1;
		}
		if (n < 0) {
			*why = d->dst->why;
			return -1;
		}
		d->off += (size_t)n;
		d->bytes += (unsigned long long)n;
		if (d->off == d->len) {
			d->have = 0;
			d->units++;
		}
		return 1;
	}
	if (!d->eof || d->fin)
		return 0;
	n = end_finish(d->dst);
	if ((d->blocked = n == END_AGAIN))
		return 0;
	if (n < 0) {
		*why = d->dst->why;
		return -1;
	}
	d->fin = 1;
	return 1;
}

/*
 * Have the destination of ${d} send what it kept back (end_flush): several
 * units written in one run leave with one system call. 1 if that made room
 * for a unit that found none (write it now: the end may wait for nothing
 * else), 0, or -1 failed.
 */
static int
push(struct dir *d, enum reason *why)
{
	int n = end_flush(d->dst);

	if (n == END_AGAIN) {
		d->blocked = 1;
		return 0;
	}
	if (n < 0) {
		*why = d->dst->why;
		return -1;
	}
	if (d->blocked && (d->have || (d->eof && !d->fin)))
		return 1;
	d->blocked = 0; /* nothing else waits for room */
	return 0;
}

/**
 * relay_run(r, why): move units both ways until nothing more can move now,
 * or RELAY_BUDGET rounds have moved something. Returns 0 to wait,
 * RELAY_MORE to be called again soon (after other connections had their
 * turn), 1 once both directions ended cleanly (each end of input passed
 * on), -1 when an end failed (*${why} says why; logged).
 */
int
relay_run(struct relay *r, enum reason *why)
{
	int moved, i, m, again, rounds = 0;

	do {
		do {
			moved = 0;
			for (i = 0; i < 2; i++) {
				if ((m = take(r, &r->d[i], why)) < 0)
					return -1;
				moved |= m;
				if ((m = give(&r->d[i], why)) < 0)
					return -1;
				moved |= m;
			}
		} while (moved && ++rounds < RELAY_BUDGET);
		for (again = 0, i = 0; i < 2; i++) {
			if ((m = push(&r->d[i], why)) < 0)
				return -1;
			again |= m;
		}
	} while (again && rounds++ < RELAY_BUDGET);
	if (moved)
		return RELAY_MORE;
	return r->d[0].fin && r->d[1].fin;
}

/**
 * relay_wants(r, end, rd, wr): for end ${end} (0: a, 1: b): *${rd} non-zero
 * if the relay waits to read from it, *${wr} if a write or the passing on
 * of an end of input to it waits.
 */
void
relay_wants(const struct relay *r, int end, int *rd, int *wr)
{
	const struct dir *in = &r->d[end == 0 ? RELAY_AB : RELAY_BA];
	const struct dir *out = &r->d[end == 0 ? RELAY_BA : RELAY_AB];

	*rd = !in->have && !in->eof;
	*wr = out->blocked;
}

/**
 * relay_ended(r, dir): non-zero once the input of direction ${dir} ended
 * (the connection is half-closed).
 */
int
relay_ended(const struct relay *r, int dir)
{
	return r->d[dir].eof;
}

/**
 * relay_stop(r, dir): take no more input in direction ${dir}, as if its
 * source had ended (what was read still goes out).
 */
void
relay_stop(struct relay *r, int dir)
{
	r->d[dir].eof = 1;
}

/** relay_release(r): give back the buffers of the quiet ${r} while empty. */
void
relay_release(struct relay *r)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (!r->d[i].have) {
			free(r->d[i].buf);
			r->d[i].buf = NULL;
		}
	}
}

/** relay_stats(r, st): what moved so far, into ${st}. */
void
relay_stats(const struct relay *r, struct relay_stats *st)
{
	int i;

	for (i = 0; i < 2; i++) {
		st->bytes[i] = r->d[i].bytes;
		st->units[i] = r->d[i].units;
	}
}
