/* ppidmap.c: PPIDs in the clear and over DTLS (ppidmap.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ppidmap.h"

/* The registered pairs (IANA; 3GPP TS 38.412, 38.422, 38.472, 37.482). */
static const struct {
	const char *name;
	uint32_t plain, dtls;
} named[] = {
    {"ngap", 60, 66},
    {"xnap", 61, 67},
    {"f1ap", 62, 68},
    {"e1ap", 64, 69},
    {"diameter", 46, 47},
};

/* The decimal ${s} (${len} bytes, white space around) as a PPID. */
static int
number(const char *s, size_t len, uint32_t *v)
{
	unsigned long long n = 0;
	size_t i;

	while (len > 0 && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len == 0 || len > 10)
		return -1;
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		n = n * 10 + (unsigned long long)(s[i] - '0');
	}
	if (n > UINT32_MAX)
		return -1;
	*v = (uint32_t)n;
	return 0;
}

/* One item, "PLAIN:DTLS" or a name (any case), of ${len} bytes at ${s}. */
static int
item(const char *s, size_t len, uint32_t *plain, uint32_t *dtls)
{
	const char *colon = memchr(s, ':', len);
	size_t i;

	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		if (strlen(named[i].name) == len &&
		    strncasecmp(s, named[i].name, len) == 0) {
			*plain = named[i].plain;
			*dtls = named[i].dtls;
			return 0;
		}
	}
	if (colon == NULL)
		return -1;
	return number(s, (size_t)(colon - s), plain) != 0 ||
	        number(colon + 1, len - (size_t)(colon - s) - 1, dtls) != 0
	    ? -1
	    : 0;
}

/*
 * Add the pair to ${m} unless either PPID is in a pair already, on either
 * side: each PPID then means one thing in the clear and one over DTLS.
 */
static int
add(struct ppidmap *m, uint32_t plain, uint32_t dtls, const char **why)
{
	int i;

	for (i = 0; i < m->n; i++) {
		if (m->pair[i].plain == plain || m->pair[i].dtls == dtls ||
		    m->pair[i].plain == dtls || m->pair[i].dtls == plain) {
			*why = "a PPID is in two pairs (on either side): "
			       "translated both ways, it would be ambiguous";
			return -1;
		}
	}
	if (m->n == PPIDMAP_MAX) {
		*why = "more than 32 pairs";
		return -1;
	}
	m->pair[m->n].plain = plain;
	m->pair[m->n].dtls = dtls;
	m->n++;
	return 0;
}

/**
 * ppidmap_parse(s, m, why): the list ${s}: pairs "PLAIN:DTLS" (decimal)
 * and names of registered pairs in any case (ngap 60:66, xnap 61:67, f1ap
 * 62:68, e1ap 64:69, diameter 46:47), separated by ',' (white space
 * allowed around ',' and ':'), into *${m}. A PPID may be in one pair only,
 * on either side. 0, or -1 with *${why} saying what is wrong (*${m}
 * unchanged).
 */
int
ppidmap_parse(const char *s, struct ppidmap *m, const char **why)
{
	struct ppidmap out;
	const char *p = s, *e;
	uint32_t plain, dtls;
	size_t len;

	memset(&out, 0, sizeof(out));
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		e = p + strcspn(p, ",");
		len = (size_t)(e - p);
		while (len > 0 && isspace((unsigned char)p[len - 1]))
			len--;
		if (item(p, len, &plain, &dtls) != 0) {
			*why = "expected PLAIN:DTLS pairs of PPIDs or ngap, "
			       "xnap, f1ap, e1ap, diameter, separated by ','";
			return -1;
		}
		if (add(&out, plain, dtls, why) != 0)
			return -1;
		if (*e == '\0')
			break;
		p = e + 1;
	}
	*m = out;
	return 0;
}

/**
 * ppidmap_to_dtls(m, ppid, out): the PPID over DTLS for the plaintext
 * ${ppid} into *${out}: its pair's, else ${ppid} unchanged. -1 if ${ppid}
 * is the DTLS side of a pair (and not the plaintext side of one): the far
 * end would take it for that pair's plaintext PPID, so it cannot be
 * carried; *${out} is then that plaintext PPID.
 */
int
ppidmap_to_dtls(const struct ppidmap *m, uint32_t ppid, uint32_t *out)
{
	int i;

	for (i = 0; i < m->n; i++) {
		if (m->pair[i].plain == ppid) {
			*out = m->pair[i].dtls;
			return 0;
		}
	}
	*out = ppid;
	for (i = 0; i < m->n; i++) {
		if (m->pair[i].dtls == ppid) {
			*out = m->pair[i].plain;
			return -1;
		}
	}
	return 0;
}

/**
 * ppidmap_to_plain(m, ppid, out): the plaintext PPID for the DTLS ${ppid}
 * into *${out}: its pair's, else ${ppid} unchanged. -1 if ${ppid} is the
 * plaintext side of a pair (and not the DTLS side of one): on the way back
 * it would become that pair's DTLS PPID; *${out} is then that DTLS PPID.
 */
int
ppidmap_to_plain(const struct ppidmap *m, uint32_t ppid, uint32_t *out)
{
	int i;

	for (i = 0; i < m->n; i++) {
		if (m->pair[i].dtls == ppid) {
			*out = m->pair[i].plain;
			return 0;
		}
	}
	*out = ppid;
	for (i = 0; i < m->n; i++) {
		if (m->pair[i].plain == ppid) {
			*out = m->pair[i].dtls;
			return -1;
		}
	}
	return 0;
}
