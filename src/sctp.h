#ifndef SCTP_H
#define SCTP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "unit.h"

/* Largest SCTP user message RFC 6083 4.1 requires: 2^14 + 2048 + 13. */
#define SCTP_MSG_MAX 18445

/* Streams asked for at least (the kernel's default is 10). */
#define SCTP_OSTREAMS_MIN 16
/*
 * Inbound streams accepted: generous, for any peer may put its data on
 * any stream it negotiated; bounded, for the kernel keeps state for each
 * (a few bytes), whatever the peer asks.
 */
#define SCTP_INSTREAMS 1024

/*
 * A service's SCTP tuning and path management (path.c applies it): 0 in a
 * number leaves the kernel's value (its default or its sysctl). Times in
 * milliseconds.
 */
struct sctp_tuning {
	int rto_initial, rto_min, rto_max; /* SCTP_RTOINFO */
	int max_init_retransmits; /* SCTP_INITMSG sinit_max_attempts */
	int init_timeout; /* SCTP_INITMSG sinit_max_init_timeo */
	int assoc_max_retransmits; /* SCTP_ASSOCINFO sasoc_asocmaxrxt */
	int path_max_retransmits; /* SCTP_PEER_ADDR_PARAMS spp_pathmaxrxt */
	int heartbeat; /* 1: on (the kernel's default), 0: off */
	int heartbeat_interval; /* SCTP_PEER_ADDR_PARAMS spp_hbinterval */
	int sack_delay; /* SCTP_DELAYED_SACK sack_delay (1..500) */
	int sack_frequency; /* SCTP_DELAYED_SACK sack_freq (1: no delay) */
	int sndbuf, rcvbuf; /* SO_SNDBUF, SO_RCVBUF, bytes */
	struct sockaddr_storage primary; /* preferred peer address, port 0 */
	socklen_t primary_len; /* 0: none */
	int primary_return; /* traffic goes back to the primary (1) */
};

struct addrinfo;

/* Per-socket SCTP settings. */
struct sctp_sockopts {
	int dtls; /* DTLS/SCTP (SCTP-AUTH, the engine's events); 0: plain */
	int nodelay; /* SCTP_NODELAY */
	uint16_t ostreams; /* outbound streams to ask for */
	uint16_t instreams; /* inbound streams to accept; 0: SCTP_INSTREAMS */
	int hmac_sha1; /* SCTP-AUTH HMACs: SHA-1 only; 0: SHA-256, SHA-1 */
	/* Tuning and path events (path.c); NULL: the kernel's, no events. */
	const struct sctp_tuning *tune;
	const struct addrinfo *local; /* source addresses to bind, or NULL */
};

/**
 * sctp_ostreams_for(stream): the outbound streams to ask for so that
 * application data can go on ${stream}: at least SCTP_OSTREAMS_MIN.
 */
uint16_t sctp_ostreams_for(uint16_t stream);

/**
 * sctp_streams(fd, in, out): the inbound and outbound streams the
 * association on ${fd} negotiated (SCTP_STATUS). 0, or -1 with errno.
 */
int sctp_streams(int fd, unsigned *in, unsigned *out);

/**
 * sctp_sock_new(family, o, who): a non-blocking one-to-one SCTP socket with
 * the options ${o}; for DTLS/SCTP (o->dtls), SCTP-AUTH of DATA and
 * FORWARD-TSN enabled on that socket alone and the events the engine
 * needs; with o->tune, the service's tuning (SCTP_RTOINFO, SCTP_INITMSG,
 * SCTP_ASSOCINFO, SCTP_PEER_ADDR_PARAMS, SCTP_DELAYED_SACK, SO_SNDBUF,
 * SO_RCVBUF) and path and restart events. ASCONF (RFC 5061) is off on
 * every socket. ${who} prefixes errors. Returns the fd or -1 (logged).
 */
int sctp_sock_new(int family, const struct sctp_sockopts *o, const char *who);

/**
 * sctp_sock_up(fd, t, who): the association on ${fd} is up (accepted or
 * connected). Its receive window was fixed from the receive buffer when it
 * was set up: half the buffer. Each 16 KiB message costs the kernel about
 * twice its size in buffer memory, so a reader that falls a little behind
 * makes the kernel drop packets that the window allowed, and each drop
 * costs a retransmission timeout (at least rto_min, 1 s). Doubling the
 * buffer now, which leaves the window as it was, gives room for that
 * overhead. Unless the service's tuning ${t} (may be NULL) sets sndbuf,
 * the send buffer grows too: SCTP's default (net.sctp.sctp_wmem, 16 KiB)
 * holds one full-size record, which then waits for its SACK before the
 * next may go; it is raised as far as net.core.wmem_max allows. Options set on a listener are inherited by what it accepts.
 * 0 or -1 (logged).
 */
int sctp_sock_up(int fd, const struct sctp_tuning *t, const char *who);

/**
 * sctp_peer_auth_check(fd, who): 0 if the peer of ${fd} authenticates DATA
 * and FORWARD-TSN chunks (RFC 6083 4.5), else -1 with the reason logged.
 */
int sctp_peer_auth_check(int fd, const char *who);

/**
 * sctp_key_set(fd, id, key, len): install the SCTP-AUTH shared key ${id}.
 */
int sctp_key_set(int fd, uint16_t id, const uint8_t *key, size_t len);

/** sctp_key_activate(fd, id): send with key ${id} from now on. 0 or -1. */
int sctp_key_activate(int fd, uint16_t id);

/**
 * sctp_key_retire(fd, id): deactivate key ${id} and delete it; the kernel
 * keeps it until no queued chunk uses it. 0 or -1.
 */
int sctp_key_retire(int fd, uint16_t id);

/**
 * sctp_assoc_gone(fd): non-zero if the one-to-one socket ${fd} has no
 * association any more (aborted, lost or shut down: SCTP_STATUS finds
 * none); errno is kept.
 */
int sctp_assoc_gone(int fd);

/** sctp_key_active(fd): the key number the socket sends with, or -1. */
int sctp_key_active(int fd);

/**
 * sctp_dry_subscribe(fd, on): turn SCTP_SENDER_DRY_EVENT delivery on or
 * off. On turning it on the kernel reports at once if nothing is in flight.
 */
int sctp_dry_subscribe(int fd, int on);

/**
 * sctp_msg_send(fd, buf, len, m, now): send ${buf} as one message on the
 * stream, with the payload protocol id and unordered flag of ${m}, asking
 * for an immediate SACK if ${now}. Returns ${len}, or -1 with errno
 * (EAGAIN...).
 */
ssize_t sctp_msg_send(
    int fd, const void *buf, size_t len, const struct unit_meta *m, int now);

/**
 * sctp_msg_recv(fd, buf, len, flags, m, next): receive (part of) one
 * message or notification into ${buf}; *${flags} gets MSG_EOR /
 * MSG_NOTIFICATION and *${m} the stream, PPID and unordered flag of a
 * message. *${next} (if not NULL) is 1 when the kernel reported another
 * message or notification queued behind it (SCTP_NXTINFO, on DTLS/SCTP
 * sockets), else 0: there, after a whole message with *${next} 0 the
 * socket was empty, and reading it again before it is readable would only
 * return EAGAIN. Returns the byte count, 0 at end of association, -1 with
 * errno.
 */
ssize_t sctp_msg_recv(
    int fd, void *buf, size_t len, int *flags, struct unit_meta *m, int *next);

/* An SCTP notification, as far as anyone here acts on it. */
struct sctp_notif {
	int type; /* SCTP_SENDER_DRY_EVENT..., -1 if unreadable */
	int no_auth; /* authentication event: the peer has no SCTP-AUTH */
	int pd_aborted; /* partial delivery of a message was aborted */
	int assoc_state; /* association change: SCTP_COMM_UP...; else -1 */
	int peer_abort; /* ... SCTP_COMM_LOST by the peer's ABORT (RFC 6458) */
	int addr_state; /* peer address change: SCTP_ADDR_AVAILABLE...; -1 */
	int addr_error; /* ... and the error it gives */
	struct sockaddr_storage addr; /* ... the peer address it is about */
	char text[160]; /* described as the seed did ("sender dry event") */
};

/**
 * sctp_notif_parse(buf, len, n): decode the notification of ${len} bytes
 * at ${buf} into ${n}. Returns n->type.
 */
int sctp_notif_parse(const void *buf, size_t len, struct sctp_notif *n);

/**
 * sctp_notif_next(fd, n): if the next message queued on ${fd} is a
 * notification, take it into ${n} and return 1; else leave it there and
 * return 0 (nothing queued, or data first).
 */
int sctp_notif_next(int fd, struct sctp_notif *n);

/**
 * sctp_missing(fd): how many chunks the peer sent are missing below the
 * highest TSN received on ${fd} (SCTP_STATUS sstat_penddata): 0 when
 * everything sent so far has arrived. -1 with errno on failure.
 */
int sctp_missing(int fd);

#endif
