#ifndef HOSTCHECK_H
#define HOSTCHECK_H

#include <ev.h>

#include "config.h"
#include "tls.h"

/*
 * What the configuration asks of this host, checked when the file is
 * read, so that -t finds what start-up (or the first reload) would: the
 * directories of the log and pid files exist; each IPv6 scope id names an
 * interface; the files a service reads again on SIGHUP will be readable
 * once privileges are dropped (setuid, setgid, chroot). Each problem is reported through
 * ${report} with the key it concerns (tls.h). And, before a service starts
 * and with -t: SCTP in the kernel, and connect names that do not resolve
 * (a warning).
 */

/**
 * hostcheck_globals(c, report, arg): check the global options of ${c}:
 * log and pid (keys.c checks setuid, setgid and chroot).
 */
void hostcheck_globals(
    const struct config *c, tls_report_fn *report, void *arg);

/**
 * hostcheck_service(c, s, report, arg): check the service ${s} of ${c}:
 * the scope ids of its endpoints, and its files (cert, key, ca, capath,
 * crl, psk_secrets) as the user ${c} runs as after start-up.
 */
void hostcheck_service(const struct config *c, const struct svc_conf *s,
    tls_report_fn *report, void *arg);

/**
 * hostcheck_sctp(sc): what the service ${sc} needs from this host beyond its
 * file, checked before it starts (and by -t): SCTP (with SCTP-AUTH for
 * DTLS/SCTP) for each side that speaks it. 0, or -1 (logged: what to do).
 */
int hostcheck_sctp(const struct svc_conf *sc);

/**
 * hostcheck_names(loop, sc): look up the connect name of ${sc} as a
 * connection would (running ${loop} until the answer comes) and warn if it
 * does not resolve. 0 if it does (or is an address), -1 if not.
 */
int hostcheck_names(struct ev_loop *loop, const struct svc_conf *sc);

/**
 * hostcheck_warnings(sc, fn, arg): call ${fn}(${arg}, key, text) for each
 * setting of the service ${sc} that works but is unsafe: a private key or
 * psk_secrets file others can read, verify = none. config_load() notes
 * them (printed by -t), svctls_ctx() logs them.
 */
void hostcheck_warnings(
    const struct svc_conf *sc, config_warn_fn *fn, void *arg);

#endif
