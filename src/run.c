/*
 * run.c: running services until stopped: the event loop and its orders
 * (in a single process from signals, in a worker from the master: drain,
 * stop at once, reload, reopen the log, list the connections), the reload
 * with its global options, least privilege, the pid file, and the master's
 * part in workers (listeners bound once, reloads, readiness).
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>

#include "config.h"
#include "connlist.h"
#include "daemon.h"
#include "hostcheck.h"
#include "listen.h"
#include "log.h"
#include "ops.h"
#include "privs.h"
#include "reconf.h"
#include "run.h"
#include "shared.h"
#include "svc.h"
#include "transcript.h"
#include "worker.h"

#define NSIGS 6

/* The signals a single process handles, and how they are named. */
static const struct {
	int signum;
	const char *name;
} sigs[NSIGS] = {{SIGTERM, "SIGTERM"}, {SIGINT, "SIGINT"}, {SIGQUIT, "SIGQUIT"},
    {SIGHUP, "SIGHUP"}, {SIGUSR1, "SIGUSR1"}, {SIGUSR2, "SIGUSR2"}};

/* A running service, as this module keeps it. */
struct run_svc {
	struct svc *svc;
	struct run_svc *next;
	int kept; /* a reload could not replace it: it runs on */
};

/* What a configuration-mode process (master, worker or single) holds. */
struct serve_arg {
	struct config *cfg; /* the configuration in effect */
	const char *path;
	int level; /* -v or --log-level; -1: the file's */
	struct lset *ls; /* the listening sockets; NULL once stopping */
	struct shared *sh; /* counters and ticket secret of all workers */
	int notify; /* foreground = no: the command waiting, or -1 */
	int detached; /* foreground = no */
	struct ops *ops; /* status listener, sd_notify, certificate watch */
	struct connlist *cl; /* each process's connections, for /status */
};

/* The running services (signal handlers reach them through this). */
struct run {
	struct ev_loop *loop;
	struct serve_arg *a; /* NULL in flag mode */
	struct run_svc *svcs; /* active and retired services */
	double drain_timeout;
	int ctl, slot; /* a worker's control socket (else -1), its number */
	ev_signal sig[NSIGS];
	ev_io ctlw;
	ev_timer drain;
	ev_timer publish; /* counters of open connections to shared.c */
	ev_prepare sweep;
	int stopping;
};

static void reload(struct run *r);

/* Free retired services with no connection left; end a drain. */
static void
on_sweep(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct run *r = w->data;
	struct run_svc **pp, *rs;
	int left = 0;

	(void)revents;
	for (pp = &r->svcs; (rs = *pp) != NULL;) {
		if (svc_retired(rs->svc) && svc_conns(rs->svc) == 0) {
			*pp = rs->next;
			svc_free(rs->svc);
			free(rs);
			continue;
		}
		left += svc_conns(rs->svc);
		pp = &rs->next;
	}
	if (r->stopping && left == 0)
		ev_break(loop, EVBREAK_ALL);
}

/* Stop accepting (closing every listening socket) and drain. */
static void
begin_stop(struct run *r, const char *why)
{
	struct run_svc *rs;
	int n = 0;

	for (rs = r->svcs; rs != NULL; rs = rs->next) {
		n += svc_conns(rs->svc);
		svc_retire(rs->svc);
	}
	if (r->a != NULL) {
		lset_free(r->a->ls);
		r->a->ls = NULL;
		ops_stopping(r->a->ops, why);
	}
	log_notice(NULL,
	    "%s: stopped accepting; draining %d "
	    "connection(s) for up to %.0fs",
	    why, n, r->drain_timeout);
	r->stopping = 1;
	ev_timer_set(&r->drain, r->drain_timeout, 0);
	ev_timer_start(r->loop, &r->drain);
}

static void
on_drain(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)w;
	(void)revents;
	log_warn(NULL, "drain timeout: aborting the connections left");
	ev_break(loop, EVBREAK_ALL);
}

/* SIGUSR2: log every service's counters and open connections. */
static void
dump(const struct run *r)
{
	const struct run_svc *rs;

	for (rs = r->svcs; rs != NULL; rs = rs->next)
		svc_dump(rs->svc);
}

/*
 * Carry out the order ${cmd} (enum worker_cmd) that ${why} gave: a signal
 * in a single process, the master in a worker. A stop that comes while
 * draining means "now".
 */
static void
order(struct run *r, int cmd, const char *why)
{
	switch (cmd) {
	case WORKER_STOP:
		if (!r->stopping) {
			begin_stop(r, why);
			break;
		}
		/* FALLTHROUGH */
	case WORKER_NOW:
		log_notice(NULL, "%s: stopping at once", why);
		ev_break(r->loop, EVBREAK_ALL);
		break;
	case WORKER_RELOAD:
		if (r->a == NULL || r->stopping) {
			log_notice(NULL, "%s: nothing to reload", why);
			break;
		}
		log_notice(NULL, "%s: reloading %s", why, r->a->path);
		reload(r);
		break;
	case WORKER_REOPEN:
		(void)log_reopen();
		break;
	case WORKER_DUMP:
		dump(r);
		break;
	default:
		log_warn(NULL, "%s: unknown order %d", why, cmd);
	}
}

static void
on_signal(struct ev_loop *loop, ev_signal *w, int revents)
{
	static const int cmds[NSIGS] = {WORKER_STOP, WORKER_STOP, WORKER_NOW,
	    WORKER_RELOAD, WORKER_REOPEN, WORKER_DUMP};
	struct run *r = w->data;
	int i;

	(void)loop;
	(void)revents;
	for (i = 0; i < NSIGS && sigs[i].signum != w->signum; i++)
		;
	if (i < NSIGS)
		order(r, cmds[i], sigs[i].name);
}

/* A worker's control socket: the master's orders, or its end. */
static void
on_ctl(struct ev_loop *loop, ev_io *w, int revents)
{
	struct run *r = w->data;
	char text[512];
	int cmd, fd, got;

	(void)revents;
	while (
	    (got = worker_recv(r->ctl, &cmd, &fd, text, sizeof(text))) == 1) {
		if (cmd == WORKER_LISTENER) {
			if (r->a->ls == NULL)
				close(fd);
			else if (fd != -1)
				(void)lset_put(r->a->ls, text, r->slot, fd);
			continue;
		}
		if (fd != -1)
			close(fd);
		order(r, cmd, "the master");
	}
	if (got == 0) {
		ev_io_stop(loop, w);
		order(r, r->stopping ? WORKER_NOW : WORKER_STOP,
		    "the master is gone");
	}
}

static struct run_svc *
find_svc(struct run_svc *list, const char *name)
{
	for (; list != NULL; list = list->next)
		if (!svc_retired(list->svc) &&
		    strcmp(svc_name(list->svc), name) == 0)
			return list;
	return NULL;
}

/* Keep ${svc} running, at the head of ${list}. 0, or -1 (logged). */
static int
add_svc(struct run_svc **list, struct svc *svc)
{
	struct run_svc *rs;

	if ((rs = calloc(1, sizeof(*rs))) == NULL) {
		log_err(svc_name(svc), "out of memory");
		svc_free(svc);
		return -1;
	}
	rs->svc = svc;
	rs->next = *list;
	*list = rs;
	return 0;
}

/* The connections of ${svc}'s name, old ones too, take up its material. */
static void
renew(struct run_svc *list, struct svc *svc)
{
	for (; list != NULL; list = list->next)
		if (strcmp(svc_name(list->svc), svc_name(svc)) == 0)
			svc_renew(list->svc, svc);
}

/*
 * The services of ${cfg} replace those running: each takes its listening
 * socket from the set and carries on its predecessor's counters; one that
 * cannot be built leaves its predecessor running as it was. Returns how
 * many kept their old settings; *${carried} how many carried on.
 */
static int
replace_svcs(struct run *r, const struct config *cfg, int *carried)
{
	struct run_svc *fresh = NULL, *old, *rs, *next;
	const struct svc_conf *sc;
	struct svc *svc;
	int lfd, kept = 0;

	*carried = 0;
	for (sc = cfg->svcs; sc != NULL; sc = sc->next) {
		old = find_svc(r->svcs, sc->name);
		if ((lfd = lset_take(r->a->ls, sc, r->slot)) == -1)
			log_err(sc->name, "no socket to listen on");
		if (lfd == -1 ||
		    (svc = svc_new(r->loop, sc, lfd, r->a->sh)) == NULL ||
		    add_svc(&fresh, svc) != 0) {
			if (old != NULL)
				old->kept = 1;
			continue;
		}
		renew(r->svcs, svc);
		if (old != NULL) {
			svc_follow(svc, old->svc);
			svc_retire(old->svc);
			(*carried)++;
		}
	}
	/* What is neither replaced nor kept is gone from the file. */
	for (rs = r->svcs; rs != NULL; rs = rs->next) {
		if (rs->kept)
			kept++;
		else if (!svc_retired(rs->svc))
			svc_retire(rs->svc);
		rs->kept = 0;
	}
	for (rs = fresh; rs != NULL; rs = next) {
		next = rs->next;
		rs->next = r->svcs;
		r->svcs = rs;
	}
	return kept;
}

/*
 * SCTP for every service of ${cfg} that needs it, checked before anything
 * is bound: 0, or -1 (logged for each: what to do).
 */
static int
host_sctp(const struct config *cfg)
{
	const struct svc_conf *sc;
	int rc = 0;

	for (sc = cfg->svcs; sc != NULL; sc = sc->next)
		if (hostcheck_sctp(sc) != 0)
			rc = -1;
	return rc;
}

/*
 * Reload: read the file again (certificates too). Global options are
 * applied where they can be. Every service is built anew on the listening
 * socket of its accept endpoint (bound now if new: by the master, which
 * passes it on, when there are workers); a service of the same name
 * carries on the counters of the one it replaces, whose connections go on
 * until they end. A service that cannot be built keeps running as it was;
 * a file with errors changes nothing.
 */
static void
reload(struct run *r)
{
	struct serve_arg *a = r->a;
	struct config *cfg;
	int kept, carried;

	ops_reloading(a->ops);
	if ((cfg = reconf_load(a->path)) == NULL) {
		ops_reloaded(a->ops, a->cfg, 0);
		return;
	}
	if (host_sctp(cfg) != 0) {
		log_err(NULL, "reload refused: nothing changed");
		config_free(cfg);
		ops_reloaded(a->ops, a->cfg, 0);
		return;
	}
	reconf_globals(a->cfg, cfg, a->level, r->ctl == -1);
	r->drain_timeout = cfg->drain_timeout;
	if (r->ctl == -1)
		(void)lset_bind(a->ls, cfg);
	kept = replace_svcs(r, cfg, &carried);
	lset_prune(a->ls, cfg);
	log_notice(NULL, "reloaded %s: %d service(s), %d carried on, %d new%s",
	    a->path, cfg->nsvcs, carried, cfg->nsvcs - carried - kept,
	    kept ? "; some kept their old settings (see above)" : "");
	config_free(a->cfg);
	a->cfg = cfg;
	ops_reloaded(a->ops, cfg, 1);
}

/* connlist_put() for svc_each_conn(). */
static void
list_conn(void *arg, const char *svc, const struct conn *c)
{
	struct run *r = arg;

	connlist_put(r->a->cl, r->slot, svc, c);
}

/*
 * Every second: what open connections moved, to the shared counters, and
 * the list of them for /status.
 */
static void
on_publish(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct run *r = w->data;
	struct run_svc *rs;

	(void)loop;
	(void)revents;
	if (r->a != NULL && r->a->cl != NULL)
		connlist_begin(r->a->cl, r->slot);
	for (rs = r->svcs; rs != NULL; rs = rs->next) {
		svc_publish(rs->svc);
		if (r->a != NULL && r->a->cl != NULL)
			svc_each_conn(rs->svc, list_conn, r);
	}
	if (r->a != NULL && r->a->cl != NULL)
		connlist_end(r->a->cl, r->slot);
}

/* Run the loop until stopped and drained (or stopped at once). */
static void
run_loop(struct run *r)
{
	struct ev_loop *loop = r->loop;
	int i;

	for (i = 0; r->ctl == -1 && i < NSIGS; i++) {
		ev_signal_init(&r->sig[i], on_signal, sigs[i].signum);
		r->sig[i].data = r;
		ev_signal_start(loop, &r->sig[i]);
	}
	if (r->ctl != -1) {
		ev_io_init(&r->ctlw, on_ctl, r->ctl, EV_READ);
		r->ctlw.data = r;
		ev_io_start(loop, &r->ctlw);
		ev_unref(loop); /* the master alone keeps nothing alive */
	}
	ev_init(&r->drain, on_drain);
	r->drain.data = r;
	ev_prepare_init(&r->sweep, on_sweep);
	r->sweep.data = r;
	ev_prepare_start(loop, &r->sweep);
	ev_unref(loop); /* the sweep alone keeps nothing alive */
	ev_timer_init(&r->publish, on_publish, 1, 1);
	r->publish.data = r;
	ev_timer_start(loop, &r->publish);
	ev_unref(loop);
	ev_run(loop, 0);
	ev_ref(loop);
	ev_prepare_stop(loop, &r->sweep);
	ev_ref(loop);
	ev_timer_stop(loop, &r->publish);
	for (i = 0; r->ctl == -1 && i < NSIGS; i++)
		ev_signal_stop(loop, &r->sig[i]);
	if (r->ctl != -1) {
		ev_ref(loop);
		ev_io_stop(loop, &r->ctlw);
	}
	ev_timer_stop(loop, &r->drain);
}

static void
free_svcs(struct run *r)
{
	struct run_svc *rs;

	while ((rs = r->svcs) != NULL) {
		r->svcs = rs->next;
		svc_free(rs->svc);
		free(rs);
	}
}

/* Start every service of the configuration on its listening socket. */
static int
start_svcs(struct run *r)
{
	const struct svc_conf *sc;
	struct svc *svc;
	int lfd;

	for (sc = r->a->cfg->svcs; sc != NULL; sc = sc->next) {
		if ((lfd = lset_take(r->a->ls, sc, r->slot)) == -1) {
			log_err(sc->name, "no socket to listen on");
			return -1;
		}
		if ((svc = svc_new(r->loop, sc, lfd, r->a->sh)) == NULL ||
		    add_svc(&r->svcs, svc) != 0)
			return -1;
	}
	return 0;
}

/*
 * Serve (worker_fn): start every service of the configuration, drop
 * privileges, say so (to the master, or to the command waiting for a
 * daemon), and run until stopped. The exit status.
 */
static int
serve(struct ev_loop *loop, void *arg, const struct worker_ctx *w)
{
	struct serve_arg *a = arg;
	struct run r;
	int rc = 1;

	memset(&r, 0, sizeof(r));
	r.loop = loop;
	r.a = a;
	r.ctl = w->ctl;
	r.slot = w->slot;
	r.drain_timeout = a->cfg->drain_timeout;
	shared_self(a->sh, w->slot);
	if (w->ctl != -1)
		ops_forget(a->ops); /* the master's */
	if (w->ctl != -1 && a->notify != -1) {
		close(a->notify); /* the master's to write */
		a->notify = -1;
	}
	if (start_svcs(&r) != 0 || privs_drop(a->cfg) != 0)
		goto err0;
	log_notice(
	    NULL, "started %d service(s) from %s", a->cfg->nsvcs, a->path);
	if (w->ready != -1) {
		(void)write(w->ready, "", 1);
		close(w->ready);
	}
	if (w->ctl == -1) {
		daemon_ready(a->notify);
		a->notify = -1;
		ops_ready(a->ops, a->cfg);
	} else if (a->detached) {
		daemon_quiet();
	} else {
		log_tee(0);
	}
	run_loop(&r);
	rc = 0;
err0:
	/* The connections left are aborted first: their lines come before. */
	free_svcs(&r);
	if (rc == 0)
		log_notice(NULL, "stopped");
	return rc;
}

/*
 * -t: what start-up checks beyond the file: SCTP for the services that
 * need it (1 if missing); connect names that do not resolve only warn.
 */
static int
test_host(struct ev_loop *loop, const struct config *cfg)
{
	const struct svc_conf *sc;

	for (sc = cfg->svcs; sc != NULL; sc = sc->next)
		(void)hostcheck_names(loop, sc);
	return host_sctp(cfg) != 0 ? 1 : 0;
}

/* The master: every worker serves (the waiting command may exit 0). */
static void
m_up(void *arg)
{
	struct serve_arg *a = arg;

	daemon_ready(a->notify);
	a->notify = -1;
	ops_ready(a->ops, a->cfg);
}

/* The master: a stop began; the workers accept no more, nor does it. */
static void
m_stop(void *arg)
{
	struct serve_arg *a = arg;

	lset_free(a->ls);
	a->ls = NULL;
	ops_stopping(a->ops, "stop signal");
}

/* The master: what a worker that ended counted is no longer open. */
static void
m_gone(void *arg, int slot)
{
	shared_worker_gone(((struct serve_arg *)arg)->sh, slot);
}

/* The master: hand a socket bound on reload to every worker. */
static void
m_send(void *arg, const char *key, const int *fds, int n)
{
	struct workers *m = arg;
	int i;

	for (i = 0; i < worker_count(m); i++)
		(void)worker_send(
		    m, i, WORKER_LISTENER, fds[n > 1 ? i : 0], key);
}

/*
 * The master on SIGHUP: read the file; apply its global options where
 * possible; bind the new listening sockets and send them to the workers
 * (then told to reload); workers started later get the new configuration.
 * 0, or -1 if the file has errors (logged; nothing changes).
 */
static int
m_reload(void *arg, struct workers *m)
{
	struct serve_arg *a = arg;
	struct config *cfg;

	log_notice(NULL, "SIGHUP: reloading %s", a->path);
	ops_reloading(a->ops);
	if ((cfg = reconf_load(a->path)) == NULL) {
		ops_reloaded(a->ops, a->cfg, 0);
		return -1;
	}
	if (host_sctp(cfg) != 0) {
		log_err(NULL, "reload refused: nothing changed");
		config_free(cfg);
		ops_reloaded(a->ops, a->cfg, 0);
		return -1;
	}
	reconf_globals(a->cfg, cfg, a->level, 1);
	(void)lset_bind(a->ls, cfg);
	lset_each_new(a->ls, m_send, m);
	lset_prune(a->ls, cfg);
	config_free(a->cfg);
	a->cfg = cfg;
	ops_reloaded(a->ops, cfg, 1);
	return 0;
}

/* The services of ${a} in one process, or in its workers. */
static int
run_services(struct ev_loop *loop, struct serve_arg *a)
{
	struct worker_hooks h = {serve, m_up, m_stop, m_reload, m_gone, a};
	struct worker_ctx one = {-1, -1, 0};
	int n = a->cfg->workers, rc;

	if (host_sctp(a->cfg) != 0 || (a->sh = shared_new(n)) == NULL ||
	    (a->ls = lset_new(n)) == NULL || lset_bind(a->ls, a->cfg) != 0)
		return 1;
	if ((a->cl = connlist_new(n)) == NULL ||
	    (a->ops = ops_new(loop, a->cfg, a->sh, a->cl)) == NULL)
		return 1;
	/* Written once the ports are ours: a second daemon that fails to
	 * bind leaves the first one's file alone. */
	if (a->cfg->pid != NULL && daemon_pid(a->cfg->pid) != 0)
		return 1;
	rc = n > 1 ? worker_run(loop, n, &h) : serve(loop, a, &one);
	if (a->cfg->pid != NULL)
		(void)unlink(a->cfg->pid);
	return rc;
}

/**
 * run_config(loop, path, test, level): configuration mode: load the file
 * ${path}; with ${test}, print "configuration OK" or the errors and stop;
 * else run its services (in workers if so configured) until stopped, at
 * log level ${level} (-1: the file's). Returns the exit status: 0, 1
 * (could not run) or 2 (configuration errors).
 */
int
run_config(struct ev_loop *loop, const char *path, int test, int level)
{
	struct serve_arg a = {NULL, path, level, NULL, NULL, -1, 0, NULL, NULL};
	int rc = 2;

	if (test) {
		if (config_test(path, stderr) != 0)
			goto err0;
		/* What start-up checks beyond the file (SCTP, names). */
		if ((a.cfg = config_load(path, stderr)) == NULL)
			goto err0;
		if ((rc = test_host(loop, a.cfg)) == 0)
			printf("configuration OK\n");
		goto err1;
	}
	if ((a.cfg = config_load(path, stderr)) == NULL)
		goto err0;
	rc = 1;
	if (log_open(a.cfg->log, level >= 0 ? level : a.cfg->log_level,
	        "sctp-dtls") != 0)
		goto err1;
	/* Until the services run, errors reach the terminal too. */
	log_tee(1);
	a.detached = !a.cfg->foreground;
	if (a.detached && daemon_detach(&a.notify) != 0)
		goto err1;
	rc = run_services(loop, &a);
	ops_free(a.ops);
	connlist_free(a.cl);
	lset_free(a.ls);
	shared_free(a.sh);
err1:
	if (a.notify != -1)
		close(a.notify);
	config_free(a.cfg);
err0:
	return rc;
}

/**
 * run_echo(loop, sc): the seed's echo server: serve the one service ${sc}
 * (a DTLS/SCTP accept, connect echo) with the seed's transcript on stdout,
 * until stopped. Returns the exit status.
 */
int
run_echo(struct ev_loop *loop, const struct svc_conf *sc)
{
	struct lset *ls = NULL;
	struct svc *svc;
	struct run r;
	int rc = 1, lfd = -1;

	memset(&r, 0, sizeof(r));
	r.loop = loop;
	r.ctl = -1;
	r.drain_timeout = 10;
	/* The service holds the only socket: retired, it stops accepting. */
	if (hostcheck_sctp(sc) == 0 && (ls = lset_new(1)) != NULL &&
	    lset_bind_svc(ls, sc) == 0)
		lfd = lset_take(ls, sc, 0);
	lset_free(ls);
	if (lfd == -1 || (svc = svc_new(loop, sc, lfd, NULL)) == NULL ||
	    add_svc(&r.svcs, svc) != 0)
		goto err0;
	svc_transcript(svc);
	transcript_listening(sc->accept.port);
	run_loop(&r);
	rc = 0;
	free_svcs(&r);
err0:
	return rc;
}
