#ifndef RECONF_H
#define RECONF_H

#include "config.h"

/**
 * reconf_load(path): the configuration file ${path} read again; NULL if
 * it has errors (each logged as FILE:LINE, then that the running
 * configuration stays).
 */
struct config *reconf_load(const char *path);

/**
 * reconf_globals(old, cfg, level, report): the global options of ${cfg},
 * newly read, applied where a running daemon can (log and log_level, at
 * ${level} if not -1; the pid file if ${report}; drain_timeout is the
 * caller's); those that need a restart (foreground, setuid, setgid,
 * chroot, workers) set back in ${cfg} to the values of ${old} in effect,
 * and said if ${report}.
 */
void reconf_globals(
    struct config *old, struct config *cfg, int level, int report);

#endif
