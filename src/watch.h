#ifndef WATCH_H
#define WATCH_H

#include <ev.h>

#include "config.h"

/*
 * Watching the certificate, key, CA, CRL and pre-shared key files of
 * every service: inotify on the directories that hold them and on those
 * their symbolic links lead to (a Kubernetes Secret volume swaps its
 * "..data" link), and a check every reload_check seconds where inotify
 * is not available or misses a change. A change is a different device,
 * inode, size or modification time of the file a path leads to; it is
 * reported once things have been quiet for a second, so that a cert and
 * key written one after the other come as one change.
 */

struct watch;

/* ${arg}: the files changed; ${what} names one of them. */
typedef void watch_fn(void *arg, const char *what);

/**
 * watch_new(loop, cfg, fn, arg): watch the files of ${cfg} (copied) if
 * cfg->cert_watch, checking every cfg->reload_check seconds (0: inotify
 * only), and call ${fn} on a change. NULL if there is nothing to watch or
 * on failure (logged).
 */
struct watch *watch_new(
    struct ev_loop *loop, const struct config *cfg, watch_fn *fn, void *arg);

/**
 * watch_forget(w): in a process forked from the owner: stop the watchers
 * and close the inotify descriptor (the memory is the owner's copy).
 */
void watch_forget(struct watch *w);

/** watch_free(w): stop watching; a no-op for NULL. */
void watch_free(struct watch *w);

#endif
