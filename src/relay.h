#ifndef RELAY_H
#define RELAY_H

#include "conn.h"

/**
 * relay_run(c): move bytes both ways between ${c}'s plaintext and DTLS
 * ends until nothing more can move now, passing each end-of-input on as
 * close_notify or FIN. Returns 0 to wait, 1 when both directions have
 * ended cleanly, -1 on failure (c->why set, already logged).
 */
int relay_run(struct conn *c);

/** relay_sec_events(c): the libev events ${c}'s DTLS/SCTP end waits for. */
int relay_sec_events(struct conn *c);

/** relay_plain_events(c): the libev events ${c}'s plaintext end waits for. */
int relay_plain_events(const struct conn *c);

/**
 * relay_release(c): give back the buffers of the quiet connection ${c}:
 * its own when empty, and OpenSSL's record buffers. They come back when
 * data moves again.
 */
void relay_release(struct conn *c);

/** relay_queue_free(p): free the datagrams queued on ${p}. */
void relay_queue_free(struct plain_end *p);

#endif
