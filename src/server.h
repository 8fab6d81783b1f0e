#ifndef SERVER_H
#define SERVER_H

#include "svc.h"

/**
 * server_listen(svc, host, port): bind a DTLS/SCTP listener for ${svc} to
 * ${host} (NULL: every address, IPv6 and IPv4) and ${port}, with SCTP-AUTH
 * set on it so accepted associations inherit it, and start accepting.
 * 0 or -1 (logged).
 */
int server_listen(struct svc *svc, const char *host, const char *port);

/**
 * server_stop(svc): stop accepting and close the listener; a no-op if there
 * is none.
 */
void server_stop(struct svc *svc);

#endif
