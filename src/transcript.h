#ifndef TRANSCRIPT_H
#define TRANSCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "dtls.h"

/*
 * The seed's transcript on stdout: the lines its echo server and echo
 * client printed, which scripts still read. Only the flag mode prints it;
 * logs go to the log.
 */

/** transcript_started(key, cert): "Socket created successfully", the files. */
void transcript_started(const char *key, const char *cert);

/** transcript_listening(port): the echo server listens on ${port}. */
void transcript_listening(const char *port);

/** transcript_connected(void): the echo client's association is up. */
void transcript_connected(void);

/** transcript_notification(text): an SCTP notification, described. */
void transcript_notification(const char *text);

/**
 * transcript_peer(d): the peer's certificate subject, one field a line,
 * and the cipher of ${d}, between dashed lines.
 */
void transcript_peer(const struct dtls *d);

/** transcript_accepted(client, d): the echo server's handshake with ${client}. */
void transcript_accepted(const char *client, const struct dtls *d);

/** transcript_server_closed(reason): an echo server connection ended. */
void transcript_server_closed(const char *reason);

/**
 * transcript_message(what, m, len): "${what}: '...'" for the ${len} bytes
 * at ${m}, shortened when long.
 */
void transcript_message(const char *what, const uint8_t *m, size_t len);

/** transcript_client_cleanup(void): the echo client is closing. */
void transcript_client_cleanup(void);

#endif
