/*
 * ops.c: the status listener, the service manager's notifications and
 * the certificate watch, kept in step with the daemon's life (starting,
 * ready, reloading, draining).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "notify.h"
#include "ops.h"
#include "watch.h"

struct ops {
	struct ev_loop *loop;
	struct status *st; /* NULL without status = */
	struct notify *nt;
	struct watch *w; /* NULL: nothing to watch */
	int files; /* the reload under way is the watch's */
	int stopping;
	int forgotten; /* a worker's copy: does nothing */
};

/* Watched files changed: reload, the way SIGHUP does. */
static void
on_files(void *arg, const char *what)
{
	struct ops *o = arg;

	if (o->stopping)
		return;
	log_notice(NULL, "%s changed: reloading", what);
	o->files = 1;
	(void)raise(SIGHUP);
}

/**
 * ops_new(loop, cfg, sh, cl): start the status listener of ${cfg} (if
 * any; ${sh} and ${cl} as status_new() takes them), the notifier and the
 * watch. NULL on failure (logged): the daemon cannot run as configured.
 */
struct ops *
ops_new(struct ev_loop *loop, const struct config *cfg, struct shared *sh,
    struct connlist *cl)
{
	struct ops *o;

	if ((o = calloc(1, sizeof(*o))) == NULL) {
		log_err(NULL, "out of memory");
		goto err0;
	}
	o->loop = loop;
	if (cfg->status != NULL &&
	    (o->st = status_new(loop, cfg->status, sh, cl, cfg->workers)) ==
	        NULL)
		goto err1;
	status_config(o->st, cfg);
	if ((o->nt = notify_new(loop)) == NULL)
		goto err1;
	o->w = watch_new(loop, cfg, on_files, o);
	return o;

err1:
	ops_free(o);
err0:
	return NULL;
}

/** ops_ready(o, cfg): every service of ${cfg} listens: healthy, READY=1. */
void
ops_ready(struct ops *o, const struct config *cfg)
{
	char line[256];

	if (o == NULL || o->forgotten)
		return;
	snprintf(line, sizeof(line), "serving %d service(s) from %s",
	    cfg->nsvcs, cfg->file);
	status_health(o->st, NULL);
	notify_ready(o->nt, line);
}

/** ops_reloading(o): a reload begins (RELOADING=1). */
void
ops_reloading(struct ops *o)
{
	if (o != NULL && !o->forgotten)
		notify_reloading(o->nt);
}

/**
 * ops_reloaded(o, cfg, ok): the reload ended, ${ok} or not (the file had
 * errors); ${cfg} is the configuration now in effect: shown, and its
 * files watched.
 */
void
ops_reloaded(struct ops *o, const struct config *cfg, int ok)
{
	char line[512];

	if (o == NULL || o->forgotten)
		return;
	status_reloaded(o->st, ok, o->files);
	o->files = 0;
	status_config(o->st, cfg);
	watch_free(o->w);
	o->w = watch_new(o->loop, cfg, on_files, o);
	if (ok) {
		ops_ready(o, cfg);
		return;
	}
	snprintf(line, sizeof(line),
	    "the last reload of %s failed (see the log); the previous "
	    "configuration runs",
	    cfg->file);
	status_health(o->st, line);
	notify_ready(o->nt, line);
}

/** ops_stopping(o, why): draining after ${why}: unhealthy, STOPPING=1. */
void
ops_stopping(struct ops *o, const char *why)
{
	char line[256];

	if (o == NULL || o->forgotten)
		return;
	o->stopping = 1;
	snprintf(line, sizeof(line), "draining (%s)", why);
	status_health(o->st, line);
	notify_stopping(o->nt, line);
	watch_free(o->w);
	o->w = NULL;
}

/** ops_forget(o): in a worker forked from the owner: let go of it all. */
void
ops_forget(struct ops *o)
{
	if (o == NULL || o->forgotten)
		return;
	o->forgotten = 1;
	status_forget(o->st);
	notify_free(o->nt);
	o->nt = NULL;
	watch_forget(o->w);
}

/** ops_free(o): stop everything; a no-op for NULL. */
void
ops_free(struct ops *o)
{
	if (o == NULL)
		return;
	status_free(o->st);
	notify_free(o->nt);
	watch_free(o->w);
	free(o);
}
