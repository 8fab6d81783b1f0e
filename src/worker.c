/*
 * worker.c: workers = N. The master binds nothing itself (the caller did,
 * before worker_run()) and serves nothing: it forks N processes that each
 * run the whole configuration on their own event loop, accepting on the
 * inherited listening sockets, and tells them what the signals it
 * receives ask for, once, over a control socket per worker.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "worker.h"

#define START_TIMEOUT_MS 30000
#define QUICK_DEATH 2.0 /* a worker dying this soon after start... */
#define QUICK_DEATHS 5 /* ...this often in a row is not restarted */
#define NSIGS 6

/* The signals the master handles and the workers ignore. */
static const int signals[NSIGS] = {
    SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR1, SIGUSR2};

struct worker {
	pid_t pid;
	int ctl; /* the master's end of its control socket, or -1 */
	ev_child child;
	ev_tstamp started;
};

struct workers {
	struct ev_loop *loop;
	const struct worker_hooks *h;
	int n, alive, stopping, quick, rc;
	int ready_rd; /* the read end of the start-up pipe, or -1 */
	struct worker *w;
	ev_signal sig[NSIGS];
};

static void on_child(struct ev_loop *loop, ev_child *c, int revents);

/* In a new worker: forget the master's watchers, ignore its signals. */
static void
become_worker(struct workers *m)
{
	int k;

	ev_loop_fork(m->loop);
	for (k = 0; k < NSIGS; k++)
		ev_signal_stop(m->loop, &m->sig[k]);
	for (k = 0; k < m->n; k++) {
		ev_child_stop(m->loop, &m->w[k].child);
		if (m->w[k].ctl != -1)
			close(m->w[k].ctl);
	}
	for (k = 0; k < NSIGS; k++)
		signal(signals[k], SIG_IGN);
	if (m->ready_rd != -1)
		close(m->ready_rd);
}

/* Fork worker ${i}; in the child, run the job and exit. -1 on failure. */
static int
spawn(struct workers *m, int i, int ready)
{
	struct worker_ctx ctx = {ready, -1, i};
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
		log_err(NULL, "socketpair: %s", strerror(errno));
		return -1;
	}
	if ((pid = fork()) == -1) {
		log_err(NULL, "fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		become_worker(m);
		ctx.ctl = sv[1];
		free(m->w);
		_exit(m->h->serve(m->loop, m->h->arg, &ctx));
	}
	close(sv[1]);
	m->w[i].ctl = sv[0];
	m->w[i].pid = pid;
	m->w[i].started = ev_now(m->loop);
	ev_child_init(&m->w[i].child, on_child, pid, 0);
	m->w[i].child.data = m;
	ev_child_start(m->loop, &m->w[i].child);
	m->alive++;
	return 0;
}

/* Send ${cmd} to every worker. */
static void
tell_all(struct workers *m, int cmd)
{
	int i;

	for (i = 0; i < m->n; i++)
		if (m->w[i].pid > 0)
			(void)worker_send(m, i, cmd, -1, NULL);
}

/* Stop: drain (${cmd} WORKER_STOP) or at once (WORKER_NOW). */
static void
stop(struct workers *m, int cmd)
{
	if (!m->stopping && m->h->stop != NULL)
		m->h->stop(m->h->arg);
	m->stopping = 1;
	tell_all(m, cmd);
	if (m->alive == 0)
		ev_break(m->loop, EVBREAK_ALL);
}

/* Forget worker ${i}, which ended with the wait status ${st}. */
static void
ended(struct workers *m, int i, int st)
{
	ev_child_stop(m->loop, &m->w[i].child);
	m->alive--;
	m->w[i].pid = 0;
	if (m->w[i].ctl != -1)
		close(m->w[i].ctl);
	m->w[i].ctl = -1;
	if (m->h->gone != NULL)
		m->h->gone(m->h->arg, i);
	if (WIFEXITED(st) && WEXITSTATUS(st) != 0 && m->rc == 0)
		m->rc = WEXITSTATUS(st);
	if (WIFSIGNALED(st) && m->rc == 0 && m->stopping)
		m->rc = 1;
}

static void
on_child(struct ev_loop *loop, ev_child *c, int revents)
{
	struct workers *m = c->data;
	int i, st = c->rstatus;

	(void)revents;
	for (i = 0; i < m->n && &m->w[i].child != c; i++)
		;
	ended(m, i, st);
	if (m->stopping || (WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
		if (!m->stopping)
			log_notice(NULL,
			    "worker %d (pid %d) exited with status "
			    "0: not restarted",
			    i, (int)c->rpid);
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
		stop(m, WORKER_STOP);
		return;
	}
	log_notice(NULL, "worker %d restarted (pid %d)", i, (int)m->w[i].pid);
}

static void
on_signal(struct ev_loop *loop, ev_signal *s, int revents)
{
	struct workers *m = s->data;

	(void)loop;
	(void)revents;
	switch (s->signum) {
	case SIGTERM:
	case SIGINT:
		log_notice(NULL, "SIG%s: %s", sigabbrev_np(s->signum),
		    m->stopping ? "a second stop: stopping at once"
		                : "the workers drain");
		stop(m, m->stopping ? WORKER_NOW : WORKER_STOP);
		break;
	case SIGQUIT:
		log_notice(NULL, "SIGQUIT: stopping at once");
		stop(m, WORKER_NOW);
		break;
	case SIGHUP:
		if (m->stopping)
			log_notice(NULL, "SIGHUP: stopping; nothing to reload");
		else if (m->h->reload(m->h->arg, m) == 0)
			tell_all(m, WORKER_RELOAD);
		break;
	case SIGUSR1:
		(void)log_reopen();
		tell_all(m, WORKER_REOPEN);
		break;
	default:
		log_notice(NULL, "SIGUSR2: %d worker(s) list their connections",
		    m->alive);
		tell_all(m, WORKER_DUMP);
	}
}

/*
 * Wait until ${n} workers wrote their byte on ${fd}: 0, or -1 when one
 * died first (reaped here) or the time ran out.
 */
static int
await_ready(struct workers *m, int fd, int n)
{
	struct pollfd p = {fd, POLLIN, 0};
	char buf[64];
	ssize_t r;
	int waited = 0, st, i;
	pid_t pid;

	while (n > 0 && waited < START_TIMEOUT_MS) {
		if ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
			for (i = 0; i < m->n; i++)
				if (m->w[i].pid == pid)
					ended(m, i, st);
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

/* Fork the ${m->n} workers and wait until they serve: 0, or -1. */
static int
start_all(struct workers *m)
{
	int pfd[2], i, rc;

	if (pipe(pfd) != 0) {
		log_err(NULL, "pipe: %s", strerror(errno));
		return -1;
	}
	m->ready_rd = pfd[0];
	for (i = 0; i < m->n; i++)
		if (spawn(m, i, pfd[1]) != 0)
			break;
	close(pfd[1]);
	rc = i < m->n || await_ready(m, pfd[0], m->n) != 0 ? -1 : 0;
	close(pfd[0]);
	m->ready_rd = -1;
	return rc;
}

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
int
worker_run(struct ev_loop *loop, int n, const struct worker_hooks *h)
{
	struct workers m;
	int i, rc = 1;

	memset(&m, 0, sizeof(m));
	m.loop = loop;
	m.h = h;
	m.n = n;
	m.ready_rd = -1;
	if ((m.w = calloc((size_t)n, sizeof(*m.w))) == NULL) {
		log_err(NULL, "out of memory");
		return 1;
	}
	for (i = 0; i < n; i++)
		m.w[i].ctl = -1;
	for (i = 0; i < NSIGS; i++) {
		ev_signal_init(&m.sig[i], on_signal, signals[i]);
		m.sig[i].data = &m;
		ev_signal_start(loop, &m.sig[i]);
	}
	if (start_all(&m) != 0) {
		log_err(NULL, "not every worker started; stopping");
		stop(&m, WORKER_NOW);
		m.rc = 1;
	} else {
		log_notice(NULL, "%d workers running", n);
		if (h->up != NULL)
			h->up(h->arg);
	}
	while (m.alive > 0)
		ev_run(loop, EVRUN_ONCE);
	rc = m.rc;
	for (i = 0; i < NSIGS; i++)
		ev_signal_stop(loop, &m.sig[i]);
	free(m.w);
	return rc;
}

/** worker_count(m): how many workers ${m} runs. */
int
worker_count(const struct workers *m)
{
	return m->n;
}

/**
 * worker_send(m, slot, cmd, fd, text): send the order ${cmd} to worker
 * ${slot}, with the socket ${fd} (if not -1) and ${text} (if not NULL).
 * 0, or -1 (logged; the worker is gone or not reading).
 */
int
worker_send(struct workers *m, int slot, int cmd, int fd, const char *text)
{
	char buf[1 + 512], cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {buf, 1};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	struct cmsghdr *cm;

	if (m->w[slot].ctl == -1)
		return -1;
	buf[0] = (char)cmd;
	if (text != NULL)
		iov.iov_len +=
		    (size_t)snprintf(buf + 1, sizeof(buf) - 1, "%s", text);
	if (iov.iov_len > sizeof(buf))
		iov.iov_len = sizeof(buf);
	if (fd != -1) {
		memset(cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	if (sendmsg(m->w[slot].ctl, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
		log_warn(NULL, "worker %d: cannot send it '%c': %s", slot, cmd,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/**
 * worker_recv(ctl, cmd, fd, text, size): one order from the control
 * socket ${ctl}: its command in *${cmd}, a socket that came with it in
 * *${fd} (else -1), its text in ${text}. 1, 0 when the master is gone, -1
 * when there is nothing to read (or an error).
 */
int
worker_recv(int ctl, int *cmd, int *fd, char *text, size_t size)
{
	char buf[1 + 512], cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {buf, sizeof(buf)};
	struct msghdr mh = {.msg_iov = &iov,
	    .msg_iovlen = 1,
	    .msg_control = cbuf,
	    .msg_controllen = sizeof(cbuf)};
	struct cmsghdr *cm;
	ssize_t r;

	*fd = -1;
	if ((r = recvmsg(ctl, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC)) <= 0)
		return r == 0 ? 0 : errno == EAGAIN || errno == EINTR ? -1 : 0;
	for (cm = CMSG_FIRSTHDR(&mh); cm != NULL; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS)
			memcpy(fd, CMSG_DATA(cm), sizeof(int));
	*cmd = (unsigned char)buf[0];
	snprintf(text, size, "%.*s", (int)(r - 1), buf + 1);
	return 1;
}
