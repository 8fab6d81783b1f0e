/*
 * psk.c: pre-shared key files for DTLS-PSK: "IDENTITY:HEXKEY" lines. The
 * file is read without stdio buffering, and the line buffer is wiped, so
 * that the keys are the only copy of the secrets in memory.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "psk.h"

/* Longest line: an identity, ':', the longest key in hex, some spaces. */
#define LINE_MAX_LEN (PSK_IDENTITY_MAX + 1 + 2 * PSK_KEY_MAX + 64)

/* What get_line() found besides the text. */
#define LINE_LONG 1 /* cut at LINE_MAX_LEN */
#define LINE_NUL 2 /* held a NUL character */

static void perr(FILE *err, const char *name, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Print "NAME:LINE: message" to ${err}. */
static void
perr(FILE *err, const char *name, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(err, "%s:%d: ", name, line);
	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fputc('\n', err);
}

/*
 * One line of ${f} into ${buf} (${size} bytes), without its end: 1, or 0
 * at the end of the file. *${flags} says what was wrong with it.
 */
static int
get_line(FILE *f, char *buf, size_t size, int *flags)
{
	size_t n = 0;
	int c, any = 0;

	*flags = 0;
	while ((c = getc(f)) != EOF && c != '\n') {
		any = 1;
		if (c == '\0')
			*flags |= LINE_NUL;
		if (n + 1 < size)
			buf[n++] = (char)c;
		else
			*flags |= LINE_LONG;
	}
	buf[n] = '\0';
	return any || c == '\n';
}

/* ${s} without white space at either end (in place). */
static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	*e = '\0';
	return s;
}

/* An identity: 1 to PSK_IDENTITY_MAX bytes, no control characters. */
static const char *
identity_bad(const char *id)
{
	const unsigned char *p;

	if (*id == '\0')
		return "empty identity before ':'";
	if (strlen(id) > PSK_IDENTITY_MAX)
		return "identity longer than 128 bytes";
	for (p = (const unsigned char *)id; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "control character in the identity";
	return NULL;
}

/* The key ${hex} of ${id} at ${line} as a new list entry, or NULL. */
static struct psk *
entry_new(const char *id, const char *hex, int line, const char **why)
{
	struct psk *k;
	size_t n = strlen(hex), i;
	int hi, lo;

	*why = NULL;
	for (i = 0; i < n && *why == NULL; i++)
		if (OPENSSL_hexchar2int((unsigned char)hex[i]) < 0)
			*why = "the key is not hexadecimal";
	if (*why != NULL)
		goto err0;
	if (n % 2 != 0) {
		*why = "the key has an odd number of hex digits";
		goto err0;
	}
	if (n / 2 < PSK_KEY_MIN) {
		*why = "the key is shorter than 16 bytes (32 hex digits)";
		goto err0;
	}
	if (n / 2 > PSK_KEY_MAX) {
		*why = "the key is longer than 512 bytes";
		goto err0;
	}
	if ((k = calloc(1, sizeof(*k))) == NULL)
		goto err1;
	if ((k->identity = strdup(id)) == NULL ||
	    (k->key = OPENSSL_malloc(n / 2)) == NULL)
		goto err2;
	for (i = 0; i < n / 2; i++) {
		hi = OPENSSL_hexchar2int((unsigned char)hex[2 * i]);
		lo = OPENSSL_hexchar2int((unsigned char)hex[2 * i + 1]);
		k->key[i] = (uint8_t)(hi << 4 | lo);
	}
	k->len = n / 2;
	k->line = line;
	return k;

err2:
	psk_free(k);
err1:
	*why = strerror(ENOMEM);
err0:
	return NULL;
}

/**
 * psk_read(f, name, err): the "IDENTITY:HEXKEY" lines of ${f}, the file
 * ${name}; blank lines and lines starting with '#' are skipped. Every
 * problem is printed to ${err} as "NAME:LINE: what is wrong" (all of them)
 * and NULL returned; otherwise the keys in file order. Nothing read stays
 * in memory but the keys.
 */
struct psk *
psk_read(FILE *f, const char *name, FILE *err)
{
	char buf[LINE_MAX_LEN + 1];
	struct psk *list = NULL, **tail = &list, *k;
	const struct psk *dup;
	const char *why;
	char *s, *colon;
	int line = 0, bad = 0, flags;

	/* stdio's buffer would keep a copy of the file. */
	(void)setvbuf(f, NULL, _IONBF, 0);
	while (get_line(f, buf, sizeof(buf), &flags)) {
		line++;
		s = trim(buf);
		if (flags & LINE_NUL) {
			perr(err, name, line, "NUL character in line");
		} else if (flags & LINE_LONG) {
			perr(err, name, line, "line longer than %d characters",
			    LINE_MAX_LEN);
		} else if (*s == '\0' || *s == '#') {
			continue;
		} else if ((colon = strrchr(s, ':')) == NULL) {
			perr(err, name, line,
			    "expected IDENTITY:HEXKEY or a '#' comment");
		} else {
			*colon = '\0';
			s = trim(s);
			if ((why = identity_bad(s)) != NULL) {
				perr(err, name, line, "%s", why);
			} else if ((dup = psk_find(list, s)) != NULL) {
				perr(err, name, line,
				    "duplicate identity '%s' (first at line "
				    "%d)",
				    s, dup->line);
			} else if ((k = entry_new(s, trim(colon + 1), line,
			                &why)) == NULL) {
				perr(err, name, line, "%s", why);
			} else {
				*tail = k;
				tail = &k->next;
				continue;
			}
		}
		bad = 1;
	}
	OPENSSL_cleanse(buf, sizeof(buf));
	if (ferror(f)) {
		perr(err, name, line + 1, "read error: %s", strerror(errno));
		bad = 1;
	}
	if (list == NULL && !bad) {
		perr(err, name, line > 0 ? line : 1,
		    "no IDENTITY:HEXKEY line in the file");
		bad = 1;
	}
	if (bad) {
		psk_free(list);
		list = NULL;
	}
	return list;
}

/** psk_find(list, identity): the key of ${identity} in ${list}, or NULL. */
const struct psk *
psk_find(const struct psk *list, const char *identity)
{
	for (; list != NULL; list = list->next)
		if (strcmp(list->identity, identity) == 0)
			break;
	return list;
}

/** psk_dup(list): a copy of the non-empty ${list}, or NULL. */
struct psk *
psk_dup(const struct psk *list)
{
	struct psk *copy = NULL, **tail = &copy, *k;

	for (; list != NULL; list = list->next) {
		if ((k = calloc(1, sizeof(*k))) == NULL)
			goto err0;
		*tail = k;
		tail = &k->next;
		if ((k->identity = strdup(list->identity)) == NULL ||
		    (k->key = OPENSSL_malloc(list->len)) == NULL)
			goto err0;
		memcpy(k->key, list->key, list->len);
		k->len = list->len;
		k->line = list->line;
	}
	return copy;

err0:
	psk_free(copy);
	return NULL;
}

/** psk_free(list): wipe and free ${list}; a no-op for NULL. */
void
psk_free(struct psk *list)
{
	struct psk *next;

	for (; list != NULL; list = next) {
		next = list->next;
		if (list->key != NULL)
			OPENSSL_clear_free(list->key, list->len);
		free(list->identity);
		free(list);
	}
}
