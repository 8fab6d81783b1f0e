/* transcript.c: the seed's lines on stdout (transcript.h). */
#include <stdio.h>

#include "transcript.h"

#define DASHES "------------------------------------------------------------"

/** transcript_started(key, cert): "Socket created successfully", the files. */
void
transcript_started(const char *key, const char *cert)
{
	printf("Socket created successfully\nkey: %s\ncert: %s\n",
	    key != NULL ? key : "-", cert != NULL ? cert : "-");
	fflush(stdout);
}

/** transcript_listening(port): the echo server listens on ${port}. */
void
transcript_listening(const char *port)
{
	printf("Listening on port %s\n", port);
	fflush(stdout);
}

/** transcript_connected(void): the echo client's association is up. */
void
transcript_connected(void)
{
	printf("Connected with server successfully\n");
	fflush(stdout);
}

/** transcript_notification(text): an SCTP notification, described. */
void
transcript_notification(const char *text)
{
	printf("NOTIFICATION: %s\n", text);
	fflush(stdout);
}

/**
 * transcript_peer(d): the peer's certificate subject, one field a line,
 * and the cipher of ${d}, between dashed lines.
 */
void
transcript_peer(const struct dtls *d)
{
	printf(DASHES "\n");
	fflush(stdout);
	dtls_print_subject(d, stdout);
	printf("\n\n Cipher: %s\n" DASHES "\n\n", dtls_cipher(d));
	fflush(stdout);
}

/** transcript_accepted(client, d): the echo server's handshake with ${client}. */
void
transcript_accepted(const char *client, const struct dtls *d)
{
	printf("Accepted connection from %s\n", client);
	transcript_peer(d);
}

/** transcript_server_closed(reason): an echo server connection ended. */
void
transcript_server_closed(const char *reason)
{
	printf("Cleaning up server connection (%s)\n", reason);
	fflush(stdout);
}

/**
 * transcript_message(what, m, len): "${what}: '...'" for the ${len} bytes
 * at ${m}, shortened when long.
 */
void
transcript_message(const char *what, const uint8_t *m, size_t len)
{
	if (len <= 200)
		printf("%s: '%.*s'\n", what, (int)len, (const char *)m);
	else
		printf("%s: '%.*s...' (%zu bytes)\n", what, 60, (const char *)m,
		    len);
	fflush(stdout);
}

/** transcript_client_cleanup(void): the echo client is closing. */
void
transcript_client_cleanup(void)
{
	printf("Cleaning up client connection\n");
	fflush(stdout);
}
