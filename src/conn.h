#ifndef CONN_H
#define CONN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <ev.h>

#include "net.h"
#include "svc.h"

/*
 * Bytes read from one end, waiting to go out of the other: one record.
 * The memory (CONN_BUF bytes) is there while the connection is busy and
 * given back when it has been quiet for a while (relay_release()).
 */
#define CONN_BUF 16384

struct buf {
	uint8_t *data;
	size_t off, len;
};

/* A UDP datagram waiting for its flow's association. */
struct dgram {
	struct dgram *next;
	size_t len;
	uint8_t data[];
};

/* The DTLS/SCTP end. */
struct sec_end {
	int fd;
	ev_io io;
	struct dtls *d;
	struct buf buf; /* read from DTLS, for the plaintext end */
	struct addrinfo *try; /* address being connected to */
	SSL_SESSION *offered; /* client: session offered (svc's, not owned) */
	unsigned connecting : 1; /* SCTP connect in progress */
	unsigned handshaking : 1;
	unsigned open : 1; /* handshake done */
	unsigned eof : 1; /* close_notify (or end) received */
	unsigned notified : 1; /* our close_notify sent */
};

/* The plaintext end: TCP, UDP or the echo target. */
struct plain_end {
	enum ep_kind kind;
	int fd; /* -1 for echo; shared for UDP listeners */
	int shared; /* fd belongs to the listener */
	ev_io io;
	struct buf buf; /* read from plaintext, for DTLS */
	struct addrinfo *try; /* backend address being connected to */
	struct sockaddr_storage peer; /* UDP flow: the client */
	socklen_t peerlen;
	struct dgram *q, **qtail; /* UDP flow: datagrams not yet sent */
	int qlen;
	unsigned connecting : 1; /* backend connect in progress */
	unsigned open : 1;
	unsigned eof : 1; /* FIN (end of input) seen */
	unsigned fin : 1; /* our FIN sent */
	unsigned wblocked : 1; /* a write hit EAGAIN */
};

struct conn {
	struct svc *svc;
	struct conn *next, *prev; /* svc->conns */
	struct conn *flow_next; /* svc->flows bucket */
	struct sec_end sec;
	struct plain_end plain;
	ev_timer timer; /* connect, handshake, idle, close */
	ev_timer quiet; /* releases buffers of a quiet connection */
	unsigned closing : 1; /* closing: close_timeout applies */
	ev_tstamp started;
	unsigned long long up; /* plaintext -> DTLS bytes */
	unsigned long long down; /* DTLS -> plaintext bytes */
	unsigned long dropped; /* UDP datagrams dropped */
	const char *why; /* reason for closing, once known */
	char who[NET_ADDRSTRLEN + 80];
	char client[NET_ADDRSTRLEN]; /* who connected to us */
	char server[NET_ADDRSTRLEN]; /* where we connected */
};

/**
 * conn_from_sctp(svc, fd): take the accepted DTLS/SCTP association ${fd}
 * into a new connection of ${svc} and start its server handshake. On
 * failure the association is aborted and -1 returned (logged).
 */
int conn_from_sctp(struct svc *svc, int fd);

/**
 * conn_from_tcp(svc, fd): take the accepted TCP connection ${fd} into a new
 * connection of ${svc} and start the DTLS/SCTP association for it. On
 * failure ${fd} is reset and -1 returned (logged).
 */
int conn_from_tcp(struct svc *svc, int fd);

/**
 * conn_udp_input(svc, buf, len, sa, salen): a datagram from client ${sa}
 * arrived on ${svc}'s UDP listener: hand it to that client's flow, starting
 * one (and its association) if there is none.
 */
void conn_udp_input(struct svc *svc, const uint8_t *buf, size_t len,
    const struct sockaddr *sa, socklen_t salen);

/**
 * conn_close(c, reason, abort): the one teardown: stop every watcher,
 * abort (SCTP ABORT, TCP RST) if ${abort} or close gracefully, free
 * everything and log the summary line with ${reason}.
 */
void conn_close(struct conn *c, const char *reason, int abort);

/** conn_run(c): move ${c} on as far as it can go now, then wait. */
void conn_run(struct conn *c);

#endif
