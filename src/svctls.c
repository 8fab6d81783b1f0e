/*
 * svctls.c: the TLS context a service runs with, from its configuration,
 * its pre-shared keys its own (svctls.h).
 */
#include "hostcheck.h"
#include "log.h"
#include "psk.h"
#include "svctls.h"

/* A warning of hostcheck_warnings(), logged with the service's name. */
static void
warn_setting(void *arg, const char *key, const char *text)
{
	(void)key;
	log_warn(arg, "%s", text);
}

/**
 * svctls_ctx(sc, server, psk): the TLS context of the service ${sc}, as a
 * reference of its own: the one config_load() built and checked, or (flag
 * mode) one built now, for the ${server} side or the client side. Its
 * pre-shared keys are copied into *${psk} (NULL if none), which the caller
 * frees with psk_free() after the context. Warns about a private key
 * or psk_secrets file that others can read, and about verify = none. NULL
 * on failure (logged).
 */
SSL_CTX *
svctls_ctx(const struct svc_conf *sc, int server, struct psk **psk)
{
	struct tls_conf t;

	*psk = NULL;
	if (sc->psk != NULL && (*psk = psk_dup(sc->psk)) == NULL) {
		log_err(sc->name, "out of memory");
		return NULL;
	}
	hostcheck_warnings(sc, warn_setting, (void *)sc->name);
	config_tls(sc, &t);
	t.psk = *psk;
	if (sc->ctx == NULL)
		return tls_ctx_new(&t, server, sc->name, NULL, NULL);
	if (SSL_CTX_up_ref(sc->ctx) != 1)
		return NULL;
	/* Its keys were the configuration's: ours from now on. */
	if (*psk != NULL && tls_ctx_use_psk(sc->ctx, &t, server) != 0) {
		SSL_CTX_free(sc->ctx);
		return NULL;
	}
	return sc->ctx;
}
