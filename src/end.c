/*
 * end.c: the interface every end of a connection offers (end.h), and the
 * null end that stands in for a backend that could not be reached.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "end.h"
#include "path.h"

/**
 * end_init(e, ops, who, owner): set up the shared part of the new end ${e}
 * of kind ${ops}, logging with the prefix ${who}, reporting to ${owner}
 * (may be NULL).
 */
void
end_init(struct end *e, const struct end_ops *ops, const char *who,
    const struct end_owner *owner)
{
	e->ops = ops;
	if (owner != NULL)
		e->owner = *owner;
	e->phase = END_OPEN;
	e->why = R_NONE;
	e->laddrs = e->paddrs = NULL;
	snprintf(e->who, sizeof(e->who), "%s", who);
}

/**
 * end_open(e): advance opening ${e} (connecting, the handshake): 1 once
 * open, 0 while in progress, END_ERR on failure (e->why set, logged).
 */
int
end_open(struct end *e)
{
	if (e->phase == END_OPEN)
		return 1;
	return e->ops->open(e);
}

/**
 * end_read(e, buf, cap, m): one unit from ${e} into ${buf} (${cap}
 * bytes), its stream, PPID and flags into *${m}: the byte count (0 for an
 * empty datagram or message), END_EOF, END_AGAIN or END_ERR.
 */
ssize_t
end_read(struct end *e, uint8_t *buf, size_t cap, struct unit_meta *m)
{
	memset(m, 0, sizeof(*m));
	if (e->empty)
		return END_AGAIN;
	return e->ops->read(e, buf, cap, m);
}

/**
 * end_readable(e): the owner saw the socket of ${e} readable: the next
 * end_read() (or handshake step) reads it again. An end that found its
 * socket empty does not look again before this, which saves a system call
 * that would only return EAGAIN.
 */
void
end_readable(struct end *e)
{
	e->empty = 0;
	if (e->ops->readable != NULL)
		e->ops->readable(e);
}

/**
 * end_flush(e): an end that keeps what end_write() took to send several
 * units with one system call sends what it keeps: 1 once nothing is kept,
 * END_AGAIN while the socket is full (wait for EV_WRITE), END_ERR.
 */
int
end_flush(struct end *e)
{
	return e->ops->flush != NULL ? e->ops->flush(e) : 1;
}

/**
 * end_write(e, buf, len, m): write the unit of ${len} bytes at ${buf}
 * with ${m}: the bytes taken (a byte stream may take part of it; a
 * message end takes all or nothing), END_DROPPED (taken, not delivered:
 * counted in e->dropped and logged by the end), END_AGAIN or END_ERR.
 */
ssize_t
end_write(
    struct end *e, const uint8_t *buf, size_t len, const struct unit_meta *m)
{
	return e->ops->write(e, buf, len, m);
}

/**
 * end_finish(e): nothing more will be written to ${e}: pass the end of
 * input on (TCP FIN, close_notify): 1 when done, END_AGAIN or END_ERR.
 */
int
end_finish(struct end *e)
{
	return e->ops->finish(e);
}

/**
 * end_events(e, rd, wr): the libev events ${e} waits for, given that the
 * relay wants to read from it (${rd}) and that a write to it waits (${wr}).
 */
int
end_events(const struct end *e, int rd, int wr)
{
	return e->ops->events(e, rd, wr);
}

/** end_fd(e): the socket to watch for ${e}, or -1 (nothing to watch). */
int
end_fd(const struct end *e)
{
	return e->ops->fd(e);
}

/** end_release(e): ${e} is quiet: give back what buffers it can. */
void
end_release(struct end *e)
{
	if (e->ops->release != NULL)
		e->ops->release(e);
}

/**
 * end_set_addrs(e, laddrs, paddrs): the address lists of ${e}'s SCTP
 * association (strings now owned by ${e}, either may be NULL), replacing
 * any it had.
 */
void
end_set_addrs(struct end *e, char *laddrs, char *paddrs)
{
	free(e->laddrs);
	free(e->paddrs);
	e->laddrs = laddrs;
	e->paddrs = paddrs;
}

/**
 * end_addrs_refresh(e): read the address lists of ${e}'s SCTP association
 * again (the current primary path first), if it has lists and the
 * association is still there; else they stay as last read.
 */
void
end_addrs_refresh(struct end *e)
{
	int fd = e != NULL && e->paddrs != NULL ? end_fd(e) : -1;
	char *l, *p;

	if (fd == -1)
		return;
	l = path_list(fd, 1);
	p = path_list(fd, 0);
	if (l != NULL && p != NULL) {
		end_set_addrs(e, l, p);
		return;
	}
	free(l);
	free(p);
}

/* Non-zero if ${list} (path_list()) names several addresses. */
static int
several(const char *list)
{
	return list != NULL && strchr(list, ',') != NULL;
}

/**
 * end_peer(e): the peer's address of ${e} for a log line: the list of its
 * SCTP association if the peer has several addresses, else e->addr.
 */
const char *
end_peer(const struct end *e)
{
	return several(e->paddrs) ? e->paddrs : e->addr;
}

/**
 * end_multihomed(e): non-zero if ${e}'s SCTP association has several
 * local or several peer addresses.
 */
int
end_multihomed(const struct end *e)
{
	return several(e->laddrs) || several(e->paddrs);
}

/**
 * end_close(e, abort): close ${e}, aborting it (TCP RST, SCTP ABORT) if
 * ${abort}, and free it. A no-op for NULL.
 */
void
end_close(struct end *e, int abort)
{
	if (e == NULL)
		return;
	end_set_addrs(e, NULL, NULL);
	e->ops->close(e, abort);
}

/**
 * end_fail(e, why): ${e} failed for ${why} (logged by the caller): the
 * first reason stays. Returns END_ERR.
 */
int
end_fail(struct end *e, enum reason why)
{
	if (e->why == R_NONE)
		e->why = why;
	return END_ERR;
}

/**
 * end_abort_fd(fd): close the socket ${fd} with a reset (SO_LINGER 0):
 * TCP RST, SCTP ABORT.
 */
void
end_abort_fd(int fd)
{
	struct linger l = {1, 0};

	(void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(fd);
}

/* The null end: end of input at once, writes discarded (counted). */

static ssize_t
null_read(struct end *e, uint8_t *buf, size_t cap, struct unit_meta *m)
{
	(void)e;
	(void)buf;
	(void)cap;
	(void)m;
	return END_EOF;
}

static ssize_t
null_write(
    struct end *e, const uint8_t *buf, size_t len, const struct unit_meta *m)
{
	(void)buf;
	(void)len;
	(void)m;
	e->dropped++;
	return END_DROPPED;
}

static int
null_finish(struct end *e)
{
	(void)e;
	return 1;
}

static int
null_events(const struct end *e, int rd, int wr)
{
	(void)e;
	(void)rd;
	(void)wr;
	return 0;
}

static int
null_fd(const struct end *e)
{
	(void)e;
	return -1;
}

static void
null_close(struct end *e, int abort)
{
	(void)abort;
	free(e);
}

static const struct end_ops null_ops = {
    .kind = "none",
    .read = null_read,
    .write = null_write,
    .finish = null_finish,
    .events = null_events,
    .fd = null_fd,
    .close = null_close,
};

/**
 * end_null_new(who): an end with nothing behind it (a backend that could
 * not be reached): it reads end of input at once and takes, discards and
 * counts (e->dropped) what is written. NULL if out of memory.
 */
struct end *
end_null_new(const char *who)
{
	struct end *e;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	end_init(e, &null_ops, who, NULL);
	e->bytes = 1;
	return e;
}

/**
 * end_socket_events(e, rd, wr): the events of an end that is one socket
 * (TCP, plaintext SCTP): none while dial.c connects it, then EV_READ if
 * ${rd} and EV_WRITE if ${wr}.
 */
int
end_socket_events(const struct end *e, int rd, int wr)
{
	if (e->phase != END_OPEN)
		return 0; /* dial.c watches the attempts */
	return (rd ? EV_READ : 0) | (wr ? EV_WRITE : 0);
}
