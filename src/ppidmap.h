#ifndef PPIDMAP_H
#define PPIDMAP_H

#include <stdint.h>

/*
 * Translating SCTP payload protocol identifiers between a plaintext SCTP
 * association and its DTLS/SCTP one: the registered pairs differ (NGAP is
 * 60 in the clear and 66 over DTLS, Diameter 46 and 47), and receivers
 * check them. A PPID without a pair passes unchanged.
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
 * and names of registered pairs (ngap 60:66, xnap 61:67, f1ap 62:68, e1ap
 * 64:69, diameter 46:47), separated by ',' (white space allowed), into
 * *${m}. 0, or -1 with *${why} saying what is wrong (*${m} unchanged).
 */
int ppidmap_parse(const char *s, struct ppidmap *m, const char **why);

/** ppidmap_to_dtls(m, ppid): the PPID over DTLS for the plaintext ${ppid}. */
uint32_t ppidmap_to_dtls(const struct ppidmap *m, uint32_t ppid);

/** ppidmap_to_plain(m, ppid): the plaintext PPID for the DTLS ${ppid}. */
uint32_t ppidmap_to_plain(const struct ppidmap *m, uint32_t ppid);

#endif
