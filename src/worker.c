/*
 * worker.c: workers = N. The master forks N processes that each run the
 * whole configuration on their own event loop; their listeners share the
 * ports through SO_REUSEPORT, so the kernel spreads new associations,
 * connections and UDP flows over them. The master only supervises.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "worker.h"

#define START_TIMEOUT_MS 30000
#define QUICK_DEATH 2.0 /* a worker dying this soon after start... */
#define QUICK_DEATHS 5 /* ...this often in a row is not restarted */

struct worker {
	pid_t pid;
	ev_child child;
	ev_tstamp started;
};

struct master {
	struct ev_loop *loop;
	worker_fn *fn;
	void *arg;
	int n, alive, stopping, quick, rc;
	struct worker *w;
	ev_signal sig[4];
};

static void on_child(struct ev_loop *loop, ev_child *c, int revents);

/* Fork worker ${i}; in the child, run the job and exit. -1 on failure. */
static int
spawn(struct master *m, int i, int ready)
{
	pid_t pid;

	if ((pid = fork()) == -1) {
		log_err(NULL, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		int k;

		ev_loop_fork(m->loop);
		for (k = 0; k < 4; k++)
			ev_signal_stop(m->loop, &m->sig[k]);
		for (k = 0; k < m->n; k++)
			ev_child_stop(m->loop, &m->w[k].child);
		free(m->w);
		_exit(m->fn(m->loop, m->arg, ready));
	}
	m->w[i].pid = pid;
	m->w[i].started = ev_now(m->loop);
	ev_child_init(&m->w[i].child, on_child, pid, 0);
	m->w[i].child.data = m;
	ev_child_start(m->loop, &m->w[i].child);
	m->alive++;
	return 0;
}

static void
on_child(struct ev_loop *loop, ev_child *c, int revents)
{
	struct master *m = c->data;
	int i, st = c->rstatus;

	(void)revents;
	ev_child_stop(loop, c);
	m->alive--;
	for (i = 0; i < m->n && &m->w[i].child != c; i++)
		;
	m->w[i].pid = 0;
	if (WIFEXITED(st) && WEXITSTATUS(st) != 0 && m->rc == 0)
		m->rc = WEXITSTATUS(st);
	if (m->stopping) {
		if (m->alive == 0)
			ev_break(loop, EVBREAK_ALL);
		return;
	}
	log_err(NULL, "worker %d (pid %d) %s %d", i, (int)c->rpid,
	    WIFSIGNALED(st) ? "killed by signal" : "exited with status",
	    WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	m->quick =
	    ev_now(loop) - m->w[i].started < QUICK_DEATH ? m->quick + 1 : 0;
	if (m->quick >= QUICK_DEATHS || spawn(m, i, -1) != 0) {
		log_err(NULL, "giving up restarting workers; stopping");
		m->rc = 1;
		m->stopping = 1;
		for (i = 0; i < m->n; i++)
			if (m->w[i].pid > 0)
				kill(m->w[i].pid, SIGTERM);
		if (m->alive == 0)
			ev_break(loop, EVBREAK_ALL);
		return;
	}
	log_notice(NULL, "worker %d restarted (pid %d)", i, (int)m->w[i].pid);
}

static void
on_signal(struct ev_loop *loop, ev_signal *s, int revents)
{
	struct master *m = s->data;
	int i;

	(void)loop;
	(void)revents;
	if (s->signum == SIGTERM || s->signum == SIGINT)
		m->stopping = 1;
	if (s->signum == SIGUSR1)
		(void)log_reopen();
	for (i = 0; i < m->n; i++)
		if (m->w[i].pid > 0)
			kill(m->w[i].pid, s->signum);
}

/*
 * Wait until ${n} workers wrote their byte on ${fd}: 0, or -1 when one
 * died first (reaped here) or the time ran out.
 */
static int
await_ready(struct master *m, int fd, int n)
{
	struct pollfd p = {fd, POLLIN, 0};
	char buf[64];
	ssize_t r;
	int waited = 0, st, i;
	pid_t pid;

	while (n > 0 && waited < START_TIMEOUT_MS) {
		if ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
			for (i = 0; i < m->n; i++) {
				if (m->w[i].pid == pid) {
					ev_child_stop(m->loop, &m->w[i].child);
					m->w[i].pid = 0;
					m->alive--;
				}
			}
			return -1;
		}
		if (poll(&p, 1, 200) > 0) {
			if ((r = read(fd, buf, sizeof(buf))) <= 0)
				return -1;
			n -= (int)r;
		}
		waited += 200;
	}
	return n > 0 ? -1 : 0;
}

/**
 * worker_run(loop, n, fn, arg): run ${fn} in ${n} forked worker processes
 * sharing the listening ports (SO_REUSEPORT), and supervise them: fail if
 * any does not start, pass SIGTERM, SIGINT, SIGHUP and SIGUSR1 on, restart
 * a worker that dies unasked (unless it dies at once, repeatedly). Returns
 * the exit status: 0 once all workers stopped after SIGTERM/SIGINT.
 */
int
worker_run(struct ev_loop *loop, int n, worker_fn *fn, void *arg)
{
	static const int signals[4] = {SIGTERM, SIGINT, SIGHUP, SIGUSR1};
	struct master m;
	int pfd[2], i, rc = 1;

	memset(&m, 0, sizeof(m));
	m.loop = loop;
	m.fn = fn;
	m.arg = arg;
	m.n = n;
	if ((m.w = calloc((size_t)n, sizeof(*m.w))) == NULL) {
		log_err(NULL, "out of memory");
		goto err0;
	}
	for (i = 0; i < 4; i++) {
		ev_signal_init(&m.sig[i], on_signal, signals[i]);
		m.sig[i].data = &m;
		ev_signal_start(loop, &m.sig[i]);
	}
	if (pipe(pfd) != 0) {
		log_err(NULL, "pipe: %s", strerror(errno));
		goto err1;
	}
	for (i = 0; i < n; i++)
		if (spawn(&m, i, pfd[1]) != 0)
			break;
	close(pfd[1]);
	if (i < n || await_ready(&m, pfd[0], n) != 0) {
		log_err(NULL, "not every worker started; stopping");
		close(pfd[0]);
		goto err2;
	}
	close(pfd[0]);
	log_notice(NULL, "%d workers running", n);
	ev_run(loop, 0);
	rc = m.rc;
	goto err1;

err2:
	m.stopping = 1;
	for (i = 0; i < n; i++)
		if (m.w[i].pid > 0)
			kill(m.w[i].pid, SIGTERM);
	while (m.alive > 0)
		ev_run(loop, EVRUN_ONCE);
err1:
	for (i = 0; i < 4; i++)
		ev_signal_stop(loop, &m.sig[i]);
	free(m.w);
err0:
	return rc;
}
