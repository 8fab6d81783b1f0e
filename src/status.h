#ifndef STATUS_H
#define STATUS_H

#include <ev.h>

#include "config.h"
#include "connlist.h"
#include "shared.h"

/*
 * The status listener (global option status): HTTP/1.1 with Debian's
 * libmicrohttpd, driven by the event loop of the process that owns the
 * signals (the master with workers, else the only process), through
 * MHD's epoll descriptor: no thread. GET (or HEAD) of /healthz, /livez,
 * /metrics (Prometheus text format) and /status (JSON); the numbers come
 * from the counters every worker shares, so one endpoint answers for all
 * of them. Bounded: 64 clients (16 from one address), 16 KiB of memory
 * and 10 s of idleness each; anything else gets an HTTP error.
 */

struct status;

/**
 * status_new(loop, where, sh, cl, workers): listen at ${where}
 * ("HOST:PORT", "[v6]:PORT", "*:PORT" or "unix:/path"), showing the
 * counters of ${sh} and the connections of ${cl} (may be NULL) for
 * ${workers} processes. Health starts as "starting". NULL on failure
 * (logged).
 */
struct status *status_new(struct ev_loop *loop, const char *where,
    struct shared *sh, struct connlist *cl, int workers);

/**
 * status_config(st, cfg): show the services of ${cfg} (which must outlive
 * its use: call again after a reload) and the notAfter of their
 * certificates, read now.
 */
void status_config(struct status *st, const struct config *cfg);

/**
 * status_health(st, why): /healthz answers 200 if ${why} is NULL, else
 * 503 with the one line ${why} (copied).
 */
void status_health(struct status *st, const char *why);

/**
 * status_reloaded(st, ok, files): count a reload that succeeded if ${ok};
 * ${files}: it was started by a change of certificate files.
 */
void status_reloaded(struct status *st, int ok, int files);

/**
 * status_forget(st): in a process forked from the owner: close the
 * listening socket, MHD's epoll descriptor and the clients' sockets,
 * touching nothing the owner still uses.
 */
void status_forget(struct status *st);

/** status_free(st): stop listening (a unix socket is removed); NULL: no-op. */
void status_free(struct status *st);

#endif
