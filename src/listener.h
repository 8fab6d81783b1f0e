#ifndef LISTENER_H
#define LISTENER_H

#include "endpoint.h"
#include "sctp.h"

/**
 * listener_open(ep, so, reuseport, who): a bound, listening, non-blocking
 * socket for the accept endpoint ${ep} (an SCTP one made with the socket
 * options ${so}, bound to every address of its hosts; a wildcard on IPv6
 * and IPv4 at once where it can), sharing its port (SO_REUSEPORT) if
 * ${reuseport}; or -1, logged with the prefix ${who}.
 */
int listener_open(const struct endpoint *ep, const struct sctp_sockopts *so,
    int reuseport, const char *who);

#endif
