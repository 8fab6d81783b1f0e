#ifndef CONN_H
#define CONN_H

#include "svc.h"

/**
 * conn_start(svc, fd): take the accepted DTLS/SCTP association ${fd} into
 * a connection of ${svc} and start its handshake. On failure the
 * association is aborted and -1 returned (logged).
 */
int conn_start(struct svc *svc, int fd);

/**
 * conn_close(c, reason, abort): the one teardown: stop every watcher, send
 * SCTP ABORT if ${abort} (else close gracefully), free everything and log
 * the summary line with ${reason}.
 */
void conn_close(struct conn *c, const char *reason, int abort);

/** conn_shutdown_all(svc): start a graceful close of every connection. */
void conn_shutdown_all(struct svc *svc);

#endif
