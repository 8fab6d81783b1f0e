/*
 * reconf.c: reading the configuration again on reload: the file's errors
 * logged (the running configuration stays), the global options applied
 * where a running daemon can, the others said to need a restart.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"
#include "reconf.h"

/* Log each line a reload's configuration check wrote. */
static void
log_lines(int level, char *text)
{
	char *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save))
		log_msg(level, NULL, "%s", line);
}

/**
 * reconf_load(path): the configuration file ${path} read again; NULL if
 * it has errors (each logged as FILE:LINE, then that the running
 * configuration stays).
 */
struct config *
reconf_load(const char *path)
{
	struct config *cfg;
	char *errs = NULL;
	size_t errlen = 0;
	FILE *ef;

	if ((ef = open_memstream(&errs, &errlen)) == NULL) {
		log_err(NULL, "reload: %s", strerror(errno));
		return NULL;
	}
	cfg = config_load(path, ef);
	fclose(ef);
	if (cfg == NULL) {
		log_lines(LOG_LVL_ERROR, errs);
		log_err(NULL,
		    "reload of %s failed; the running configuration "
		    "stays",
		    path);
	}
	free(errs);
	return cfg;
}

/* The global options a running daemon cannot change. */
static const struct {
	const char *name;
	size_t off;
	int str; /* a string (char *), else an int */
} fixed[] = {
    {"foreground", offsetof(struct config, foreground), 0},
    {"setuid", offsetof(struct config, setuid), 1},
    {"setgid", offsetof(struct config, setgid), 1},
    {"chroot", offsetof(struct config, chroot), 1},
    {"workers", offsetof(struct config, workers), 0},
    {"status", offsetof(struct config, status), 1},
};

/*
 * The global options of ${cfg} that need a restart: said if ${report},
 * and set back in ${cfg} to those in effect (in ${old}).
 */
static void
keep_fixed(struct config *old, struct config *cfg, int report)
{
	char *o, *n, **po, **pn;
	int *io, *in;
	size_t i;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		po = (char **)((char *)old + fixed[i].off);
		pn = (char **)((char *)cfg + fixed[i].off);
		io = (int *)(void *)po;
		in = (int *)(void *)pn;
		o = fixed[i].str ? *po : NULL;
		n = fixed[i].str ? *pn : NULL;
		if (fixed[i].str ? (o == NULL) == (n == NULL) &&
		            (o == NULL || strcmp(o, n) == 0)
		                 : *io == *in)
			continue;
		if (report)
			log_warn(NULL,
			    "reload: '%s' changed; it takes effect when the "
			    "daemon is restarted",
			    fixed[i].name);
		if (fixed[i].str) {
			*po = n;
			*pn = o;
		} else {
			*in = *io;
		}
	}
}

/**
 * reconf_globals(old, cfg, level, report): the global options of ${cfg},
 * newly read, applied where a running daemon can (log and log_level, at
 * ${level} if not -1; the pid file if ${report}; drain_timeout is the
 * caller's); those that need a restart (foreground, setuid, setgid,
 * chroot, workers) set back in ${cfg} to the values of ${old} in effect,
 * and said if ${report}.
 */
void
reconf_globals(struct config *old, struct config *cfg, int level, int report)
{
	char *swap;

	keep_fixed(old, cfg, report);
	if (strcmp(old->log, cfg->log) != 0 ||
	    old->log_level != cfg->log_level) {
		if (log_open(cfg->log, level >= 0 ? level : cfg->log_level,
		        "sctp-dtls") != 0) {
			swap = cfg->log;
			cfg->log = old->log;
			old->log = swap;
			cfg->log_level = old->log_level;
		} else if (report) {
			log_notice(NULL, "reload: logging to %s", cfg->log);
		}
	}
	if (!report || (old->pid == NULL && cfg->pid == NULL) ||
	    (old->pid != NULL && cfg->pid != NULL &&
	        strcmp(old->pid, cfg->pid) == 0))
		return;
	if (old->pid != NULL)
		(void)unlink(old->pid);
	if (cfg->pid != NULL)
		(void)daemon_pid(cfg->pid);
}
