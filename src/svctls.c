/*
 * svctls.c: the TLS context a service runs with, from its configuration,
 * its pre-shared keys its own (svctls.h).
 */
#include <sys/stat.h>

#include "log.h"
#include "psk.h"
#include "svctls.h"

/* Warn if the secret ${what} file ${path} can be read by others. */
static void
secret_mode(const char *name, const char *what, const char *path)
{
	struct stat st;

	if (path != NULL && stat(path, &st) == 0 &&
	    (st.st_mode & (S_IROTH | S_IWOTH)) != 0)
		log_warn(name,
		    "%s %s is readable by others (mode "
		    "%03o): chmod o-rw it",
		    what, path, (unsigned)(st.st_mode & 0777));
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
	secret_mode(sc->name, "private key", sc->key);
	secret_mode(sc->name, "psk_secrets file", sc->psk_secrets);
	if (!sc->verify)
		log_warn(sc->name,
		    "verify = none: DTLS peers are not "
		    "verified; anyone can impersonate them");
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
