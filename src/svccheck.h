#ifndef SVCCHECK_H
#define SVCCHECK_H

#include "config.h"
#include "tls.h"

/*
 * A service's keys checked against each other once all of them are known:
 * the two sides go together (one of them dtls+sctp://), the keys that only
 * some sides take, certificate and key in pairs, something to verify the
 * server with, the pre-shared key identity, the SCTP timers. Pure: each
 * problem goes to ${report} (tls.h) with the key whose line it belongs to
 * (NULL: the section's header) and no value.
 */

/**
 * svccheck_service(s, given, report, arg): check the service ${s};
 * ${given} holds the line each key was given at, by key_index() (0: not
 * given). Its pre-shared keys (s->psk) are read already.
 */
void svccheck_service(const struct svc_conf *s, const int *given,
    tls_report_fn *report, void *arg);

#endif
