#ifndef WORKER_H
#define WORKER_H

#include <stddef.h>

#include <ev.h>

/*
 * workers = N: a master and N worker processes. The master owns the
 * signals: the workers ignore SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR1
 * and SIGUSR2 (which a terminal, systemd or "kill -- -PGID" also sends
 * them) and take orders from the master over a control socket each, so
 * that every signal is acted on once. A worker whose control socket ends
 * (the master died) stops gracefully.
 */

/* The master's orders (one byte each on the control socket). */
enum worker_cmd {
	WORKER_STOP = 'T', /* stop accepting, drain, exit 0 */
	WORKER_NOW = 'N', /* stop at once */
	WORKER_RELOAD = 'H', /* reload the configuration */
	WORKER_REOPEN = 'U', /* reopen the log file */
	WORKER_DUMP = 'D', /* log the open connections */
	WORKER_LISTENER = 'L', /* a listening socket, with its key as text */
};

/* What a worker is told when it starts. */
struct worker_ctx {
	int ready; /* write one byte here once serving, then close; or -1 */
	int ctl; /* its control socket; -1 in a single process */
	int slot; /* which worker: 0..N-1 */
};

/* A worker's job: serve until stopped; returns the exit status. */
typedef int worker_fn(
    struct ev_loop *loop, void *arg, const struct worker_ctx *w);

struct workers;

/* What the master does, with ${arg}. */
struct worker_hooks {
	worker_fn *serve; /* in each worker */
	void (*up)(void *arg); /* every worker serves */
	void (*stop)(void *arg); /* a stop began: close the listeners */
	/* SIGHUP: re-read; 0 to have the workers reload (send them their
	 * new listeners first, with worker_send()). */
	int (*reload)(void *arg, struct workers *m);
	void (*gone)(void *arg, int slot); /* worker ${slot} ended */
	void *arg;
};

/**
 * worker_run(loop, n, h): fork ${n} workers running h->serve, and
 * supervise them: fail if any does not start; SIGTERM or SIGINT: the
 * workers drain (a second one: they stop at once); SIGQUIT: at once;
 * SIGHUP: h->reload, then the workers reload; SIGUSR1: logs reopened
 * everywhere; SIGUSR2: each worker logs its connections. A worker that
 * dies unasked is restarted (unless it dies at once, repeatedly); one
 * that exits 0, or any once a stop began, is not. Returns the exit
 * status: 0 once all workers stopped after a stop signal.
 */
int worker_run(struct ev_loop *loop, int n, const struct worker_hooks *h);

/** worker_count(m): how many workers ${m} runs. */
int worker_count(const struct workers *m);

/**
 * worker_send(m, slot, cmd, fd, text): send the order ${cmd} to worker
 * ${slot}, with the socket ${fd} (if not -1) and ${text} (if not NULL).
 * 0, or -1 (logged; the worker is gone or not reading).
 */
int worker_send(struct workers *m, int slot, int cmd, int fd, const char *text);

/**
 * worker_recv(ctl, cmd, fd, text, size): one order from the control
 * socket ${ctl}: its command in *${cmd}, a socket that came with it in
 * *${fd} (else -1), its text in ${text}. 1, 0 when the master is gone, -1
 * when there is nothing to read (or an error).
 */
int worker_recv(int ctl, int *cmd, int *fd, char *text, size_t size);

#endif
