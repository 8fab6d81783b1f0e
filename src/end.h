#ifndef END_H
#define END_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <ev.h>

#include "net.h"
#include "reason.h"
#include "unit.h"

/*
 * One end of a connection, whatever it is (a TCP connection, a UDP flow,
 * the echo target, the DTLS/SCTP association): the relay moves units from
 * one end to the other through these operations alone, the same code for
 * both directions, as relayd's se_in/se_out and nginx's c->recv/c->send.
 *
 * Results besides byte counts: END_AGAIN (wait for the events of
 * end_events()), END_EOF (no more input), END_ERR (failed; the end logged
 * why and set its reason), END_DROPPED (a unit written was thrown away:
 * the end counted it as dropped, and it is not counted as relayed).
 */
#define END_ERR (-1)
#define END_AGAIN (-2)
#define END_EOF (-3)
#define END_DROPPED (-4) /* a write taken but not delivered (counted) */

/* Where an end is in its life. */
enum end_phase {
	END_CONNECTING, /* reaching the other side */
	END_HANDSHAKING, /* connected; the DTLS handshake runs */
	END_OPEN, /* units move */
};

struct end;

/* What an end tells the connection that owns it, with ${arg}. */
struct end_owner {
	/* Progress was made away from the connection's own watchers (an
	 * address answered): run the connection again. */
	void (*wake)(void *arg);
	void *arg;
};

/* The operations each kind of end implements. */
struct end_ops {
	const char *kind; /* "TCP", "UDP", "echo", "DTLS/SCTP"... */
	int (*open)(struct end *e);
	ssize_t (*read)(
	    struct end *e, uint8_t *buf, size_t cap, struct unit_meta *m);
	ssize_t (*write)(struct end *e, const uint8_t *buf, size_t len,
	    const struct unit_meta *m);
	int (*finish)(struct end *e);
	int (*events)(const struct end *e, int rd, int wr);
	int (*fd)(const struct end *e);
	void (*release)(struct end *e);
	void (*close)(struct end *e, int abort);
	void (*readable)(struct end *e); /* may be NULL */
	int (*flush)(struct end *e); /* may be NULL: writes go out at once */
};

/*
 * The part every end shares. Implementations embed it first; outside
 * end_*.c only these functions and the fields marked public are used.
 */
struct end {
	const struct end_ops *ops;
	struct end_owner owner;
	enum end_phase phase; /* public, read-only */
	enum reason why; /* public, read-only: set when it failed */
	int bytes; /* public: a byte stream (writes may take part) */
	int err; /* public, read-only: errno of a failure to connect */
	unsigned long dropped; /* public, read-only: units dropped (logged) */
	unsigned long paths; /* public, read-only: SCTP path changes (logged) */
	/* The end found its socket empty: end_read() makes no system call
	 * until the owner says it is readable again (end_readable()). */
	unsigned empty : 1;
	char addr[NET_ADDRSTRLEN]; /* public: the peer's address, or "" */
	/* public, read-only: an SCTP association's local and peer addresses
	 * as path_list() writes them ("A,B:port"), taken once it is up and
	 * freed with the end; NULL for other ends and before. */
	char *laddrs, *paddrs;
	char who[NET_ADDRSTRLEN + 80]; /* log prefix */
};

/**
 * end_init(e, ops, who, owner): set up the shared part of the new end ${e}
 * of kind ${ops}, logging with the prefix ${who}, reporting to ${owner}
 * (may be NULL).
 */
void end_init(struct end *e, const struct end_ops *ops, const char *who,
    const struct end_owner *owner);

/**
 * end_open(e): advance opening ${e} (connecting, the handshake): 1 once
 * open, 0 while in progress, END_ERR on failure (e->why set, logged).
 */
int end_open(struct end *e);

/**
 * end_read(e, buf, cap, m): one unit from ${e} into ${buf} (${cap}
 * bytes), its stream, PPID and flags into *${m}: the byte count (0 for an
 * empty datagram or message), END_EOF, END_AGAIN or END_ERR.
 */
ssize_t end_read(struct end *e, uint8_t *buf, size_t cap, struct unit_meta *m);

/**
 * end_write(e, buf, len, m): write the unit of ${len} bytes at ${buf}
 * with ${m}: the bytes taken (a byte stream may take part of it; a
 * message end takes all or nothing), END_DROPPED (taken, not delivered:
 * counted in e->dropped and logged by the end), END_AGAIN or END_ERR.
 */
ssize_t end_write(
    struct end *e, const uint8_t *buf, size_t len, const struct unit_meta *m);

/**
 * end_flush(e): an end that keeps what end_write() took to send several
 * units with one system call sends what it keeps: 1 once nothing is kept,
 * END_AGAIN while the socket is full (wait for EV_WRITE), END_ERR.
 */
int end_flush(struct end *e);

/**
 * end_finish(e): nothing more will be written to ${e}: pass the end of
 * input on (TCP FIN, close_notify): 1 when done, END_AGAIN or END_ERR.
 */
int end_finish(struct end *e);

/**
 * end_socket_events(e, rd, wr): the events of an end that is one socket
 * (TCP, plaintext SCTP): none while dial.c connects it, then EV_READ if
 * ${rd} and EV_WRITE if ${wr}.
 */
int end_socket_events(const struct end *e, int rd, int wr);

/**
 * end_events(e, rd, wr): the libev events ${e} waits for, given that the
 * relay wants to read from it (${rd}) and that a write to it waits (${wr}).
 */
int end_events(const struct end *e, int rd, int wr);

/**
 * end_readable(e): the owner saw the socket of ${e} readable: the next
 * end_read() (or handshake step) reads it again. An end that found its
 * socket empty does not look again before this, which saves a system call
 * that would only return EAGAIN.
 */
void end_readable(struct end *e);

/** end_fd(e): the socket to watch for ${e}, or -1 (nothing to watch). */
int end_fd(const struct end *e);

/** end_release(e): ${e} is quiet: give back what buffers it can. */
void end_release(struct end *e);

/**
 * end_set_addrs(e, laddrs, paddrs): the address lists of ${e}'s SCTP
 * association (strings now owned by ${e}, either may be NULL), replacing
 * any it had.
 */
void end_set_addrs(struct end *e, char *laddrs, char *paddrs);

/**
 * end_addrs_refresh(e): read the address lists of ${e}'s SCTP association
 * again (the current primary path first), if it has lists and the
 * association is still there; else they stay as last read.
 */
void end_addrs_refresh(struct end *e);

/**
 * end_peer(e): the peer's address of ${e} for a log line: the list of its
 * SCTP association if the peer has several addresses, else e->addr.
 */
const char *end_peer(const struct end *e);

/**
 * end_multihomed(e): non-zero if ${e}'s SCTP association has several
 * local or several peer addresses.
 */
int end_multihomed(const struct end *e);

/**
 * end_close(e, abort): close ${e}, aborting it (TCP RST, SCTP ABORT) if
 * ${abort}, and free it. A no-op for NULL.
 */
void end_close(struct end *e, int abort);

/**
 * end_fail(e, why): ${e} failed for ${why} (logged by the caller): the
 * first reason stays. Returns END_ERR.
 */
int end_fail(struct end *e, enum reason why);

/**
 * end_null_new(who): an end with nothing behind it (a backend that could
 * not be reached): it reads end of input at once and takes and discards
 * what is written. NULL if out of memory.
 */
struct end *end_null_new(const char *who);

/**
 * end_abort_fd(fd): close the socket ${fd} with a reset (SO_LINGER 0):
 * TCP RST, SCTP ABORT.
 */
void end_abort_fd(int fd);

#endif
