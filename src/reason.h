#ifndef REASON_H
#define REASON_H

/*
 * Why a connection ends: one table (reason.c) gives each its text in the
 * summary line, whether the ends are aborted (SCTP ABORT, TCP RST) or
 * closed gracefully, and so the level it is logged at.
 */
enum reason {
	R_NONE = 0, /* not ended (yet) */
	R_CLOSED, /* both directions ended cleanly */
	R_IDLE_TIMEOUT, /* nothing moved for idle_timeout: closed */
	R_BACKEND_UNAVAILABLE, /* the plaintext backend could not be reached */
	R_BACKEND_UNREACHABLE, /* ... an SCTP backend: the client aborted */
	R_CLOSE_TIMEOUT, /* a graceful close took longer than close_timeout */
	R_HANDSHAKE_FAILED, /* the DTLS handshake failed */
	R_HANDSHAKE_TIMEOUT, /* ... took longer than handshake_timeout */
	R_PEER_UNREACHABLE, /* no address of the DTLS/SCTP peer answered */
	R_PEER_REFUSED, /* the peer's association could not be used */
	R_REFUSED, /* an accepted association could not be used */
	R_PLAIN_RESET, /* the plaintext side reset (RST, ABORT) */
	R_PLAIN_FAILED, /* the plaintext side failed otherwise */
	R_PLAIN_LOST, /* the plaintext SCTP peer stopped answering */
	R_TOO_LARGE, /* a message larger than one DTLS record */
	R_NO_STREAM, /* a message on a stream the other side does not have */
	R_PEER_ABORTED, /* the DTLS/SCTP peer aborted the association */
	R_DTLS_READ, /* receiving from the DTLS/SCTP peer failed */
	R_DTLS_WRITE, /* sending to it failed */
	R_CLOSE_NOTIFY, /* sending close_notify failed */
	R_NOMEM, /* out of memory */
	R_SHUTDOWN, /* the service stopped */
	R_REKEY_FAILED, /* a renegotiation failed or timed out */
	R_REKEY_REFUSED, /* the peer's renegotiation was refused (rekey.c) */
	R_PEER_LOST, /* the DTLS/SCTP peer stopped answering (every path) */
	R_PEER_RESTARTED, /* an SCTP peer restarted the association */
	R_PPID_RESERVED, /* a PPID that is the other side's in ppid_map */
	R_UNDELIVERABLE, /* for an SCTP peer that shut the association down */
	R_PEER_TURNED_AWAY, /* the DTLS/SCTP peer aborted as it accepted */
	R_COUNT
};

/** reason_text(r): the words of ${r} in the summary line. */
const char *reason_text(enum reason r);

/** reason_aborts(r): non-zero if ${r} aborts the ends (RST, ABORT). */
int reason_aborts(enum reason r);

/** reason_level(r): the log level (log.h) of the summary line for ${r}. */
int reason_level(enum reason r);

#endif
