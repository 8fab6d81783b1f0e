#ifndef NET_H
#define NET_H

#include <netdb.h>
#include <stddef.h>
#include <sys/socket.h>

/* Room for "[v6addr%scope]:port". */
#define NET_ADDRSTRLEN 80

/**
 * net_resolve(host, port, socktype, proto, passive, res): getaddrinfo() for
 * ${host} (NULL or "" with ${passive}: every local address; "[v6]" allowed)
 * and the numeric or named ${port}. 0 with *${res} set, or -1 with a
 * message in the log naming host and port.
 */
int net_resolve(const char *host, const char *port, int socktype, int proto,
    int passive, struct addrinfo **res);

/**
 * net_addr_str(sa, len, buf, size): "a.b.c.d:port" or "[v6]:port" for
 * ${sa} into ${buf} (an IPv4-mapped IPv6 address as IPv4); returns ${buf}.
 */
char *net_addr_str(
    const struct sockaddr *sa, socklen_t len, char *buf, size_t size);

/** net_peer_str(fd, buf, size): the peer address of ${fd} as text. */
char *net_peer_str(int fd, char *buf, size_t size);

/**
 * net_split_hostport(s, host, hsize, port, psize): split "host:port",
 * "[v6]:port" or "v6addr" (no port) into ${host} and ${port} (left empty
 * when absent). 0, or -1 if malformed or too long.
 */
int net_split_hostport(
    const char *s, char *host, size_t hsize, char *port, size_t psize);

#endif
