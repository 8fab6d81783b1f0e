#ifndef PSK_H
#define PSK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Shortest and longest key of a psk_secrets file, in bytes. */
#define PSK_KEY_MIN 16
#define PSK_KEY_MAX 512
/* Longest identity (RFC 4279 allows more; OpenSSL 1.1 clients 128). */
#define PSK_IDENTITY_MAX 128

/* One pre-shared key: the identity a client sends and its secret. */
struct psk {
	char *identity;
	uint8_t *key; /* wiped when freed */
	size_t len;
	int line; /* where the file has it */
	struct psk *next;
};

/**
 * psk_read(f, name, err): the "IDENTITY:HEXKEY" lines of ${f}, the file
 * ${name}; blank lines and lines starting with '#' are skipped. Every
 * problem is printed to ${err} as "NAME:LINE: what is wrong" (all of them)
 * and NULL returned; otherwise the keys in file order. Nothing read stays
 * in memory but the keys.
 */
struct psk *psk_read(FILE *f, const char *name, FILE *err);

/** psk_find(list, identity): the key of ${identity} in ${list}, or NULL. */
const struct psk *psk_find(const struct psk *list, const char *identity);

/** psk_dup(list): a copy of the non-empty ${list}, or NULL. */
struct psk *psk_dup(const struct psk *list);

/** psk_free(list): wipe and free ${list}; a no-op for NULL. */
void psk_free(struct psk *list);

#endif
