#ifndef RELAY_H
#define RELAY_H

#include <stddef.h>

#include "end.h"
#include "reason.h"

/*
 * Moving units between the two ends of a connection, the same code for
 * both directions: a direction reads one unit from its source, writes it
 * to its destination, and reads the next only when that one has gone (one
 * buffer of RELAY_BUF bytes each way, allocated while busy). The end of a
 * source's input is passed on to the destination (end_finish) once what
 * came before it went out. An end may keep what it was given to send it
 * with others in one system call: the relay has it send what it kept
 * (end_flush) at the end of each relay_run().
 */

/* One unit at most: a DTLS record's plaintext. */
#define RELAY_BUF 16384

/* Directions: from end a to end b, and back. */
#define RELAY_AB 0
#define RELAY_BA 1

/* What moved, per direction. */
struct relay_stats {
	unsigned long long bytes[2];
	unsigned long long units[2];
};

struct relay;

/**
 * relay_new(a, b, who): a relay between the ends ${a} and ${b} (not
 * owned). NULL if out of memory (logged with ${who}).
 */
struct relay *relay_new(struct end *a, struct end *b, const char *who);

/** relay_free(r): free ${r} (not its ends); a no-op for NULL. */
void relay_free(struct relay *r);

/*
 * Rounds of relay_run() (a unit each way at most in each) before it lets
 * other connections have their turn.
 */
#define RELAY_BUDGET 64
#define RELAY_MORE 2

/**
 * relay_run(r, why): move units both ways until nothing more can move now,
 * or RELAY_BUDGET rounds have moved something. Returns 0 to wait,
 * RELAY_MORE to be called again soon (after other connections had their
 * turn), 1 once both directions ended cleanly (each end of input passed
 * on), -1 when an end failed (*${why} says why; logged).
 */
int relay_run(struct relay *r, enum reason *why);

/**
 * relay_wants(r, end, rd, wr): for end ${end} (0: a, 1: b): *${rd} non-zero
 * if the relay waits to read from it, *${wr} if a write or the passing on
 * of an end of input to it waits.
 */
void relay_wants(const struct relay *r, int end, int *rd, int *wr);

/**
 * relay_ended(r, dir): non-zero once the input of direction ${dir} ended
 * (the connection is half-closed).
 */
int relay_ended(const struct relay *r, int dir);

/**
 * relay_stop(r, dir): take no more input in direction ${dir}, as if its
 * source had ended (what was read still goes out).
 */
void relay_stop(struct relay *r, int dir);

/** relay_release(r): give back the buffers of the quiet ${r} while empty. */
void relay_release(struct relay *r);

/** relay_stats(r, st): what moved so far, into ${st}. */
void relay_stats(const struct relay *r, struct relay_stats *st);

#endif
