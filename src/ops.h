#ifndef OPS_H
#define OPS_H

#include <ev.h>

#include "config.h"
#include "shared.h"
#include "status.h"

/*
 * What the process that owns the signals (the master with workers, else
 * the only process) shows and tells: the status listener (status.c), the
 * service manager's notifications (notify.c) and the watch on the
 * certificate files (watch.c), which reloads as SIGHUP does when they
 * change. run.c calls these at each step of the daemon's life.
 */

struct ops;

/**
 * ops_new(loop, cfg, sh, cl): start the status listener of ${cfg} (if
 * any; ${sh} and ${cl} as status_new() takes them), the notifier and the
 * watch. NULL on failure (logged): the daemon cannot run as configured.
 */
struct ops *ops_new(struct ev_loop *loop, const struct config *cfg,
    struct shared *sh, struct connlist *cl);

/** ops_ready(o, cfg): every service of ${cfg} listens: healthy, READY=1. */
void ops_ready(struct ops *o, const struct config *cfg);

/** ops_reloading(o): a reload begins (RELOADING=1). */
void ops_reloading(struct ops *o);

/**
 * ops_reloaded(o, cfg, ok): the reload ended, ${ok} or not (the file had
 * errors); ${cfg} is the configuration now in effect: shown, and its
 * files watched.
 */
void ops_reloaded(struct ops *o, const struct config *cfg, int ok);

/** ops_stopping(o, why): draining after ${why}: unhealthy, STOPPING=1. */
void ops_stopping(struct ops *o, const char *why);

/** ops_forget(o): in a worker forked from the owner: let go of it all. */
void ops_forget(struct ops *o);

/** ops_free(o): stop everything; a no-op for NULL. */
void ops_free(struct ops *o);

#endif
