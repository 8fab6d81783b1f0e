#ifndef RUN_H
#define RUN_H

#include <ev.h>

#include "config.h"

/**
 * run_config(loop, path, test, level): configuration mode: load the file
 * ${path}; with ${test}, print "configuration OK" or the errors and stop;
 * else run its services (in workers if so configured) until stopped, at
 * log level ${level} (-1: the file's). Returns the exit status: 0, 1
 * (could not run) or 2 (configuration errors).
 */
int run_config(struct ev_loop *loop, const char *path, int test, int level);

/**
 * run_echo(loop, sc): the seed's echo server: serve the one service ${sc}
 * (a DTLS/SCTP accept, connect echo) with the seed's transcript on stdout,
 * until stopped. Returns the exit status.
 */
int run_echo(struct ev_loop *loop, const struct svc_conf *sc);

#endif
