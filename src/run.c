/*
 * run.c: running services until stopped: the event loop with its signals
 * (SIGTERM/SIGINT drain, SIGHUP reload, SIGUSR1 log reopening), the
 * reload, least privilege, the pid file, and workers.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>

#include "config.h"
#include "hostcheck.h"
#include "log.h"
#include "run.h"
#include "svc.h"
#include "transcript.h"
#include "worker.h"

/* A running service, as this module keeps it. */
struct run_svc {
	struct svc *svc;
	struct run_svc *next;
	int kept; /* a reload could not replace it: it runs on */
};

/* The running services (signal handlers reach them through this). */
struct run {
	struct ev_loop *loop;
	const char *config; /* NULL in flag mode */
	struct run_svc *svcs; /* active and retired services */
	double drain_timeout;
	ev_signal sigint, sigterm, sighup, sigusr1;
	ev_timer drain;
	ev_prepare sweep;
	int stopping;
};

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

static void
on_stop(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct run *r = w->data;
	struct run_svc *rs;
	int n = 0;

	(void)revents;
	if (r->stopping) {
		ev_break(loop, EVBREAK_ALL);
		return;
	}
	for (rs = r->svcs; rs != NULL; rs = rs->next) {
		n += svc_conns(rs->svc);
		svc_retire(rs->svc);
	}
	log_notice(NULL,
	    "signal %d: stopped accepting; draining %d "
	    "connection(s) for up to %.0fs",
	    w->signum, n, r->drain_timeout);
	r->stopping = 1;
	ev_timer_set(&r->drain, r->drain_timeout, 0);
	ev_timer_start(loop, &r->drain);
}

static void
on_drain(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)w;
	(void)revents;
	log_warn(NULL, "drain timeout: aborting the connections left");
	ev_break(loop, EVBREAK_ALL);
}

static void
on_reopen(struct ev_loop *loop, ev_signal *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
	(void)log_reopen();
}

/* Log each line a reload's configuration check wrote. */
static void
log_lines(int level, char *text)
{
	char *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save))
		log_msg(level, NULL, "%s", line);
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

/*
 * SIGHUP: read the file again (certificates too). Every service is built
 * anew; one whose accept endpoint stays keeps its listening socket; old
 * services keep their established connections until they end. A service
 * that cannot be built keeps running as it was; a file with errors changes
 * nothing.
 */
static void
reload(struct run *r)
{
	struct config *cfg;
	struct svc_conf *sc;
	struct run_svc *fresh = NULL, *old, *rs, *next;
	struct svc *svc;
	char *errs = NULL;
	size_t errlen = 0;
	FILE *ef;
	int lfd, kept = 0;

	if ((ef = open_memstream(&errs, &errlen)) == NULL) {
		log_err(NULL, "reload: %s", strerror(errno));
		return;
	}
	cfg = config_load(r->config, ef);
	fclose(ef);
	if (cfg == NULL) {
		log_lines(LOG_LVL_ERROR, errs);
		log_err(NULL,
		    "reload of %s failed; the running configuration "
		    "stays",
		    r->config);
		free(errs);
		return;
	}
	free(errs);
	for (sc = cfg->svcs; sc != NULL; sc = sc->next) {
		old = find_svc(r->svcs, sc->name);
		lfd = old != NULL && svc_same_accept(old->svc, sc)
		    ? svc_take_listener(old->svc)
		    : -1;
		if ((svc = svc_new(r->loop, sc, lfd)) == NULL ||
		    add_svc(&fresh, svc) != 0) {
			if (old != NULL && lfd != -1)
				svc_resume_listener(old->svc, lfd);
			if (old != NULL)
				old->kept = 1;
			continue;
		}
		if (old != NULL)
			svc_retire(old->svc);
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
	log_notice(NULL, "reloaded %s: %d service(s)%s", r->config, cfg->nsvcs,
	    kept ? "; some kept their old settings (see above)" : "");
	config_free(cfg);
}

static void
on_hup(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct run *r = w->data;

	(void)loop;
	(void)revents;
	if (r->config == NULL || r->stopping) {
		log_notice(NULL, "SIGHUP: nothing to reload");
		return;
	}
	log_notice(NULL, "SIGHUP: reloading %s", r->config);
	reload(r);
}

/* Run the loop until a signal has stopped it and drained. */
static void
run_loop(struct run *r)
{
	struct ev_loop *loop = r->loop;

	ev_signal_init(&r->sigint, on_stop, SIGINT);
	ev_signal_init(&r->sigterm, on_stop, SIGTERM);
	ev_signal_init(&r->sighup, on_hup, SIGHUP);
	ev_signal_init(&r->sigusr1, on_reopen, SIGUSR1);
	r->sigint.data = r->sigterm.data = r->sighup.data = r;
	ev_signal_start(loop, &r->sigint);
	ev_signal_start(loop, &r->sigterm);
	ev_signal_start(loop, &r->sighup);
	ev_signal_start(loop, &r->sigusr1);
	ev_init(&r->drain, on_drain);
	r->drain.data = r;
	ev_prepare_init(&r->sweep, on_sweep);
	r->sweep.data = r;
	ev_prepare_start(loop, &r->sweep);
	ev_unref(loop); /* the sweep alone keeps nothing alive */
	ev_run(loop, 0);
	ev_ref(loop);
	ev_prepare_stop(loop, &r->sweep);
	ev_signal_stop(loop, &r->sigint);
	ev_signal_stop(loop, &r->sigterm);
	ev_signal_stop(loop, &r->sighup);
	ev_signal_stop(loop, &r->sigusr1);
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

static int
write_pid(const char *path)
{
	FILE *f;

	if ((f = fopen(path, "w")) == NULL ||
	    fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) != 0) {
		log_err(NULL, "cannot write pid file %s: %s", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* A user or group given by name or number. */
static int
lookup_id(const char *s, int group, uid_t *uid, gid_t *gid)
{
	struct passwd *pw;
	struct group *gr;
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (group) {
		if ((gr = getgrnam(s)) != NULL)
			*gid = gr->gr_gid;
		else if (*end == '\0' && errno == 0)
			*gid = (gid_t)n;
		else
			return -1;
		return 0;
	}
	if ((pw = getpwnam(s)) != NULL) {
		*uid = pw->pw_uid;
		*gid = pw->pw_gid;
	} else if (*end == '\0' && errno == 0) {
		*uid = (uid_t)n;
		*gid = (gid_t)n;
	} else {
		return -1;
	}
	return 0;
}

/*
 * Least privilege, once every listener is bound and every key loaded:
 * chroot, then the group, then the user. Any failure is fatal: the
 * daemon never goes on as root when told not to.
 */
static int
drop_privileges(const struct config *cfg)
{
	uid_t uid = 0;
	gid_t gid = 0;

	if (cfg->setuid != NULL && lookup_id(cfg->setuid, 0, &uid, &gid) != 0) {
		log_err(NULL, "setuid: no such user: %s", cfg->setuid);
		goto err0;
	}
	if (cfg->setgid != NULL && lookup_id(cfg->setgid, 1, &uid, &gid) != 0) {
		log_err(NULL, "setgid: no such group: %s", cfg->setgid);
		goto err0;
	}
	if (cfg->chroot != NULL &&
	    (chroot(cfg->chroot) != 0 || chdir("/") != 0)) {
		log_err(NULL, "chroot %s: %s", cfg->chroot, strerror(errno));
		goto err0;
	}
	if (cfg->setgid != NULL || cfg->setuid != NULL) {
		if (setgroups(1, &gid) != 0 || setresgid(gid, gid, gid) != 0) {
			log_err(NULL, "setgid %lu: %s", (unsigned long)gid,
			    strerror(errno));
			goto err0;
		}
	}
	if (cfg->setuid != NULL) {
		if (setresuid(uid, uid, uid) != 0) {
			log_err(NULL, "setuid %lu: %s", (unsigned long)uid,
			    strerror(errno));
			goto err0;
		}
		/* Make sure there is no way back. */
		if (uid != 0 && (setuid(0) == 0 || geteuid() == 0)) {
			log_err(NULL, "setuid: still able to become root");
			goto err0;
		}
	}
	if (cfg->setuid != NULL || cfg->setgid != NULL || cfg->chroot != NULL)
		log_notice(NULL, "running as uid %lu, gid %lu%s%s",
		    (unsigned long)getuid(), (unsigned long)getgid(),
		    cfg->chroot != NULL ? ", chroot " : "",
		    cfg->chroot != NULL ? cfg->chroot : "");
	return 0;

err0:
	return -1;
}

/* What a configuration-mode process (or each worker) serves. */
struct serve_arg {
	struct config *cfg;
	const char *path;
};

/*
 * Start every service of the configuration, drop privileges, tell the
 * master (${ready}, if not -1), and run until stopped. The exit status.
 */
static int
serve(struct ev_loop *loop, void *arg, int ready)
{
	struct serve_arg *a = arg;
	struct svc_conf *sc;
	struct svc *svc;
	struct run r;
	int rc = 1;

	memset(&r, 0, sizeof(r));
	r.loop = loop;
	r.config = a->path;
	r.drain_timeout = a->cfg->drain_timeout;
	for (sc = a->cfg->svcs; sc != NULL; sc = sc->next) {
		if ((svc = svc_new(loop, sc, -1)) == NULL ||
		    add_svc(&r.svcs, svc) != 0)
			goto err0;
	}
	if (drop_privileges(a->cfg) != 0)
		goto err0;
	log_notice(
	    NULL, "started %d service(s) from %s", a->cfg->nsvcs, a->path);
	if (ready != -1) {
		(void)write(ready, "", 1);
		close(ready);
	}
	run_loop(&r);
	log_notice(NULL, "stopped");
	rc = 0;
err0:
	free_svcs(&r);
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
	int rc = 0;

	for (sc = cfg->svcs; sc != NULL; sc = sc->next) {
		if (hostcheck_sctp(sc) != 0)
			rc = 1;
		(void)hostcheck_names(loop, sc);
	}
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
	struct serve_arg a;
	struct config *cfg;
	struct svc_conf *sc;
	int rc = 2;

	if ((cfg = config_load(path, stderr)) == NULL)
		goto err0;
	if (test) {
		rc = test_host(loop, cfg);
		if (rc == 0)
			printf("configuration OK\n");
		goto err1;
	}
	rc = 1;
	if (log_open(cfg->log, level >= 0 ? level : cfg->log_level,
	        "sctp-dtls") != 0)
		goto err1;
	if (!cfg->foreground && daemon(1, 0) != 0) {
		log_err(NULL, "cannot detach: %s", strerror(errno));
		goto err1;
	}
	if (cfg->pid != NULL && write_pid(cfg->pid) != 0)
		goto err1;
	a.cfg = cfg;
	a.path = path;
	for (sc = cfg->svcs; sc != NULL; sc = sc->next)
		sc->reuseport = cfg->workers > 1;
	if (cfg->workers > 1)
		rc = worker_run(loop, cfg->workers, serve, &a);
	else
		rc = serve(loop, &a, -1);
	if (cfg->pid != NULL)
		(void)unlink(cfg->pid);
err1:
	config_free(cfg);
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
	struct svc *svc;
	struct run r;
	int rc = 1;

	memset(&r, 0, sizeof(r));
	r.loop = loop;
	r.drain_timeout = 10;
	if ((svc = svc_new(loop, sc, -1)) == NULL || add_svc(&r.svcs, svc) != 0)
		goto err0;
	svc_transcript(svc);
	transcript_listening(sc->accept.port);
	run_loop(&r);
	rc = 0;
	free_svcs(&r);
err0:
	return rc;
}
