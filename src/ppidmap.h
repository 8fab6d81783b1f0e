#ifndef PPIDMAP_H
#define PPIDMAP_H

#include <stdint.h>

/*
 * Translating SCTP payload protocol identifiers between a plaintext SCTP
 * association and its DTLS/SCTP one: the registered pairs differ (NGAP is
 * 60 in the clear and 66 over DTLS, Diameter 46 and 47), and receivers
 * check them. A PPID may be in one pair only, on either side. A PPID
 * without a pair passes unchanged, unless it is the other side's PPID of a
 * pair: the far end would translate it into another PPID, so it is
 * refused.
 */

#define PPIDMAP_MAX 32

/* Pairs of PPIDs: plaintext, over DTLS. */
struct ppidmap {
	struct {
		uint32_t plain, dtls;
	} pair[PPIDMAP_MAX];
	int n;
};

/**
 * ppidmap_parse(s, m, why): the list ${s}: pairs "PLAIN:DTLS" (decimal)
 * and names of registered pairs in any case (ngap 60:66, xnap 61:67, f1ap
 * 62:68, e1ap 64:69, diameter 46:47), separated by ',' (white space
 * allowed around ',' and ':'), into *${m}. A PPID may be in one pair only,
 * on either side. 0, or -1 with *${why} saying what is wrong (*${m}
 * unchanged).
 */
int ppidmap_parse(const char *s, struct ppidmap *m, const char **why);

/**
 * ppidmap_to_dtls(m, ppid, out): the PPID over DTLS for the plaintext
 * ${ppid} into *${out}: its pair's, else ${ppid} unchanged. -1 if ${ppid}
 * is the DTLS side of a pair (and not the plaintext side of one): the far
 * end would take it for that pair's plaintext PPID, so it cannot be
 * carried; *${out} is then that plaintext PPID.
 */
int ppidmap_to_dtls(const struct ppidmap *m, uint32_t ppid, uint32_t *out);

/**
 * ppidmap_to_plain(m, ppid, out): the plaintext PPID for the DTLS ${ppid}
 * into *${out}: its pair's, else ${ppid} unchanged. -1 if ${ppid} is the
 * plaintext side of a pair (and not the DTLS side of one): on the way back
 * it would become that pair's DTLS PPID; *${out} is then that DTLS PPID.
 */
int ppidmap_to_plain(const struct ppidmap *m, uint32_t ppid, uint32_t *out);

#endif
