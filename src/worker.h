#ifndef WORKER_H
#define WORKER_H

#include <ev.h>

/*
 * A worker's job: set up and run one event loop; write one byte to
 * ${ready} (if not -1) once it serves, then return its exit status.
 */
typedef int worker_fn(struct ev_loop *loop, void *arg, int ready);

/**
 * worker_run(loop, n, fn, arg): run ${fn} in ${n} forked worker processes
 * sharing the listening ports (SO_REUSEPORT), and supervise them: fail if
 * any does not start, pass SIGTERM, SIGINT, SIGHUP and SIGUSR1 on, restart
 * a worker that dies unasked (unless it dies at once, repeatedly). Returns
 * the exit status: 0 once all workers stopped after SIGTERM/SIGINT.
 */
int worker_run(struct ev_loop *loop, int n, worker_fn *fn, void *arg);

#endif
