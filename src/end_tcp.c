/* end_tcp.c: a TCP connection as an end of a connection (end.h). */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dial.h"
#include "end_tcp.h"
#include "log.h"

struct tcp_end {
	struct end e;
	struct ev_loop *loop;
	struct dial *dial; /* while connecting */
	int fd;
	int nodelay;
};

static void
set_nodelay(int fd, int on)
{
	int one = 1;

	if (on)
		(void)setsockopt(
		    fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/* A socket failed: log it once, with the reason it gives. */
static int
failed(struct tcp_end *t, const char *op)
{
	if (errno == ECONNRESET || errno == EPIPE) {
		log_info(t->e.who, "%s: connection reset", op);
		return end_fail(&t->e, R_PLAIN_RESET);
	}
	log_err(t->e.who, "%s: %s", op, strerror(errno));
	return end_fail(&t->e, R_PLAIN_FAILED);
}

static int
tcp_open(struct end *e)
{
	return e->why != R_NONE ? END_ERR : e->phase == END_OPEN;
}

static ssize_t
tcp_read(struct end *e, uint8_t *buf, size_t cap, struct unit_meta *m)
{
	struct tcp_end *t = (struct tcp_end *)e;
	ssize_t n;

	(void)m;
	if ((n = recv(t->fd, buf, cap, 0)) > 0) {
		/* Less than asked for: the socket is empty now. */
		e->empty = (size_t)n < cap;
		return n;
	}
	if (n == 0)
		return END_EOF;
	if (errno == EAGAIN || errno == EINTR) {
		e->empty = errno == EAGAIN;
		return END_AGAIN;
	}
	return failed(t, "TCP receive");
}

static ssize_t
tcp_write(
    struct end *e, const uint8_t *buf, size_t len, const struct unit_meta *m)
{
	struct tcp_end *t = (struct tcp_end *)e;
	ssize_t n;

	(void)m;
	if (len == 0)
		return 0;
	if ((n = send(t->fd, buf, len, MSG_NOSIGNAL)) >= 0)
		return n;
	if (errno == EAGAIN || errno == EINTR)
		return END_AGAIN;
	return failed(t, "TCP send");
}

static int
tcp_finish(struct end *e)
{
	struct tcp_end *t = (struct tcp_end *)e;

	(void)shutdown(t->fd, SHUT_WR);
	return 1;
}

static int
tcp_fd(const struct end *e)
{
	return ((const struct tcp_end *)e)->fd;
}

static void
tcp_close(struct end *e, int abort)
{
	struct tcp_end *t = (struct tcp_end *)e;

	dial_free(t->dial);
	if (t->fd != -1) {
		if (abort)
			end_abort_fd(t->fd);
		else
			close(t->fd);
	}
	free(t);
}

static const struct end_ops tcp_ops = {
    .kind = "TCP",
    .open = tcp_open,
    .read = tcp_read,
    .write = tcp_write,
    .finish = tcp_finish,
    .events = end_socket_events,
    .fd = tcp_fd,
    .close = tcp_close,
};

static struct tcp_end *
tcp_new(int fd, int nodelay, const char *who, const struct end_owner *owner)
{
	struct tcp_end *t;

	if ((t = calloc(1, sizeof(*t))) == NULL) {
		log_err(who, "out of memory");
		return NULL;
	}
	end_init(&t->e, &tcp_ops, who, owner);
	t->e.bytes = 1;
	t->fd = fd;
	t->nodelay = nodelay;
	return t;
}

/**
 * end_tcp_accepted(fd, nodelay, who, addr): the end of the accepted TCP
 * connection ${fd} (now owned) with the peer ${addr} (as accept() gave
 * it), TCP_NODELAY set if ${nodelay}. NULL if out of memory (logged; ${fd}
 * reset).
 */
struct end *
end_tcp_accepted(int fd, int nodelay, const char *who, const char *addr)
{
	struct tcp_end *t;

	if ((t = tcp_new(fd, nodelay, who, NULL)) == NULL) {
		end_abort_fd(fd);
		return NULL;
	}
	set_nodelay(fd, nodelay);
	snprintf(t->e.addr, sizeof(t->e.addr), "%s", addr);
	return &t->e;
}

static void
on_dialed(void *arg, int fd, const char *addr, int err)
{
	struct tcp_end *t = arg;

	dial_free(t->dial);
	t->dial = NULL;
	t->e.err = err;
	if (fd == -1) {
		end_fail(&t->e, R_BACKEND_UNAVAILABLE);
	} else {
		t->fd = fd;
		snprintf(t->e.addr, sizeof(t->e.addr), "%s", addr);
		set_nodelay(fd, t->nodelay);
		t->e.phase = END_OPEN;
		log_debug(t->e.who, "connected to %s", addr);
	}
	t->e.owner.wake(t->e.owner.arg);
}

/**
 * end_tcp_connect(loop, dst, nodelay, who, owner): an end connecting to
 * the addresses of ${dst} (which must outlive it; resolve.h), reporting
 * progress to ${owner}. NULL if out of memory (logged).
 */
struct end *
end_tcp_connect(struct ev_loop *loop, struct resolver *dst, int nodelay,
    const char *who, const struct end_owner *owner)
{
	struct dial_conf dc = {loop, 0, NULL, 0, NULL, 0};
	struct tcp_end *t;

	if ((t = tcp_new(-1, nodelay, who, owner)) == NULL)
		return NULL;
	t->loop = loop;
	t->e.phase = END_CONNECTING;
	dc.trying = t->e.addr;
	if ((t->dial = dial_name(&dc, dst, who, on_dialed, t)) == NULL) {
		free(t);
		return NULL;
	}
	return &t->e;
}
