#ifndef SVCTLS_H
#define SVCTLS_H

#include <openssl/ssl.h>

#include "config.h"
#include "psk.h"

/**
 * svctls_ctx(sc, server, psk): the TLS context of the service ${sc}, as a
 * reference of its own: the one config_load() built and checked, or (flag
 * mode) one built now, for the ${server} side or the client side. Its
 * pre-shared keys are copied into *${psk} (NULL if none), which the caller
 * frees with psk_free() after the context. Warns about a private key
 * or psk_secrets file that others can read, and about verify = none. NULL
 * on failure (logged).
 */
SSL_CTX *svctls_ctx(const struct svc_conf *sc, int server, struct psk **psk);

#endif
