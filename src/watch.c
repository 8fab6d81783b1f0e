/*
 * watch.c: noticing that certificate files changed (inotify on their
 * directories, a periodic stat() as the fallback), quiet for a second
 * before it is reported.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "watch.h"

#define QUIET 1.0 /* seconds without events before a change is checked */
#define MAX_FILES 512

/* One watched path and what it led to when last looked at. */
struct wfile {
	char *path;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	int missing;
};

struct watch {
	struct ev_loop *loop;
	watch_fn *fn;
	void *arg;
	struct wfile f[MAX_FILES];
	int n;
	int ifd; /* inotify, or -1 */
	ev_io io;
	ev_timer quiet; /* after the last event */
	ev_timer poll; /* every reload_check seconds */
};

/* Look at ${f} again; 1 if it leads to something else than before. */
static int
look(struct wfile *f)
{
	struct stat st;
	int missing = stat(f->path, &st) != 0, changed;

	if (missing)
		memset(&st, 0, sizeof(st));
	changed = missing != f->missing || st.st_dev != f->dev ||
	    st.st_ino != f->ino || st.st_size != f->size ||
	    st.st_mtim.tv_sec != f->mtime.tv_sec ||
	    st.st_mtim.tv_nsec != f->mtime.tv_nsec;
	f->missing = missing;
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	f->size = st.st_size;
	f->mtime = st.st_mtim;
	return changed;
}

/* Look at every file; report the first that changed (all are updated). */
static void
check(struct watch *w)
{
	const char *what = NULL;
	int i;

	for (i = 0; i < w->n; i++)
		if (look(&w->f[i]) && what == NULL)
			what = w->f[i].path;
	if (what != NULL)
		w->fn(w->arg, what);
}

static void
on_quiet(struct ev_loop *loop, ev_timer *t, int revents)
{
	(void)revents;
	ev_timer_stop(loop, t);
	check(t->data);
}

static void
on_poll(struct ev_loop *loop, ev_timer *t, int revents)
{
	(void)loop;
	(void)revents;
	check(t->data);
}

/* inotify events: drained; the check waits until they stop. */
static void
on_inotify(struct ev_loop *loop, ev_io *io, int revents)
{
	struct watch *w = io->data;
	char buf[4096] __attribute__((aligned(8)));

	(void)revents;
	while (read(w->ifd, buf, sizeof(buf)) > 0)
		;
	ev_timer_again(loop, &w->quiet);
}

/* Watch the directory of ${path}, and of where its links lead. */
static void
watch_dirs(struct watch *w, const char *path)
{
	const uint32_t mask = IN_CREATE | IN_DELETE | IN_MOVED_TO |
	    IN_MOVED_FROM | IN_CLOSE_WRITE | IN_ATTRIB | IN_DONT_FOLLOW;
	char copy[PATH_MAX], real[PATH_MAX];

	snprintf(copy, sizeof(copy), "%s", path);
	if (inotify_add_watch(w->ifd, dirname(copy), mask) == -1)
		log_debug(NULL, "inotify %s: %s", copy, strerror(errno));
	if (realpath(path, real) != NULL) {
		snprintf(copy, sizeof(copy), "%s", real);
		(void)inotify_add_watch(w->ifd, dirname(copy), mask);
	}
}

static void
add(struct watch *w, const char *path)
{
	int i;

	if (path == NULL || w->n >= MAX_FILES)
		return;
	for (i = 0; i < w->n; i++)
		if (strcmp(w->f[i].path, path) == 0)
			return;
	if ((w->f[w->n].path = strdup(path)) == NULL)
		return;
	(void)look(&w->f[w->n]);
	if (w->ifd != -1)
		watch_dirs(w, path);
	w->n++;
}

/**
 * watch_new(loop, cfg, fn, arg): watch the files of ${cfg} (copied) if
 * cfg->cert_watch, checking every cfg->reload_check seconds (0: inotify
 * only), and call ${fn} on a change. NULL if there is nothing to watch or
 * on failure (logged).
 */
struct watch *
watch_new(
    struct ev_loop *loop, const struct config *cfg, watch_fn *fn, void *arg)
{
	const struct svc_conf *sc;
	struct watch *w;

	if (!cfg->cert_watch || (w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	w->loop = loop;
	w->fn = fn;
	w->arg = arg;
	if ((w->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1)
		log_info(NULL,
		    "inotify: %s: certificate files checked every "
		    "%.0fs only",
		    strerror(errno), cfg->reload_check);
	for (sc = cfg->svcs; sc != NULL; sc = sc->next) {
		add(w, sc->cert);
		add(w, sc->key);
		add(w, sc->ca);
		add(w, sc->crl);
		add(w, sc->psk_secrets);
	}
	if (w->n == 0) {
		watch_free(w);
		return NULL;
	}
	ev_init(&w->quiet, on_quiet);
	w->quiet.repeat = QUIET;
	w->quiet.data = w;
	if (w->ifd != -1) {
		ev_io_init(&w->io, on_inotify, w->ifd, EV_READ);
		w->io.data = w;
		ev_io_start(loop, &w->io);
		ev_unref(loop);
	}
	ev_init(&w->poll, on_poll);
	w->poll.data = w;
	if (cfg->reload_check > 0) {
		ev_timer_set(&w->poll, cfg->reload_check, cfg->reload_check);
		ev_timer_start(loop, &w->poll);
		ev_unref(loop);
	}
	return w;
}

/* Stop the watchers (the loop's references given back). */
static void
stop(struct watch *w)
{
	if (ev_is_active(&w->io)) {
		ev_ref(w->loop);
		ev_io_stop(w->loop, &w->io);
	}
	if (ev_is_active(&w->poll)) {
		ev_ref(w->loop);
		ev_timer_stop(w->loop, &w->poll);
	}
	ev_timer_stop(w->loop, &w->quiet);
}

/**
 * watch_forget(w): in a process forked from the owner: stop the watchers
 * and close the inotify descriptor (the memory is the owner's copy).
 */
void
watch_forget(struct watch *w)
{
	if (w == NULL)
		return;
	stop(w);
	if (w->ifd != -1)
		close(w->ifd);
	w->ifd = -1;
}

/** watch_free(w): stop watching; a no-op for NULL. */
void
watch_free(struct watch *w)
{
	int i;

	if (w == NULL)
		return;
	watch_forget(w);
	for (i = 0; i < w->n; i++)
		free(w->f[i].path);
	free(w);
}
