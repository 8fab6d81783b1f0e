/* flows.c: the UDP flows of a listener by client address (flows.h). */
#include <stdlib.h>
#include <string.h>

#include "flows.h"

#define FLOW_BUCKETS 256 /* hash buckets */

/* One client address and its flow. */
struct flow_entry {
	struct flow_entry *next; /* in its bucket */
	struct sockaddr_storage sa;
	socklen_t len;
	void *flow;
};

struct flows {
	struct flow_entry *b[FLOW_BUCKETS];
};

/* FNV-1a of the address bytes. */
static unsigned
hash(const struct sockaddr *sa, socklen_t len)
{
	const unsigned char *p = (const unsigned char *)sa;
	unsigned h = 2166136261u;
	socklen_t i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	return h % FLOW_BUCKETS;
}

/** flows_new(void): an empty table, or NULL if out of memory. */
struct flows *
flows_new(void)
{
	return calloc(1, sizeof(struct flows));
}

/** flows_free(t): free ${t} (not the flows it names); NULL is a no-op. */
void
flows_free(struct flows *t)
{
	struct flow_entry *e, *next;
	int i;

	if (t == NULL)
		return;
	for (i = 0; i < FLOW_BUCKETS; i++) {
		for (e = t->b[i]; e != NULL; e = next) {
			next = e->next;
			free(e);
		}
	}
	free(t);
}

/**
 * flows_find(t, sa, len): the flow of the client address ${sa} (${len}
 * bytes), or NULL.
 */
void *
flows_find(const struct flows *t, const struct sockaddr *sa, socklen_t len)
{
	const struct flow_entry *e;

	for (e = t->b[hash(sa, len)]; e != NULL; e = e->next)
		if (e->len == len && memcmp(&e->sa, sa, len) == 0)
			return e->flow;
	return NULL;
}

/**
 * flows_add(t, sa, len, flow): ${flow} (not NULL) is the flow of the
 * client address ${sa} (${len} bytes, copied; none yet). Its entry, for
 * flows_remove(), or NULL if out of memory or ${len} is too long.
 */
struct flow_entry *
flows_add(struct flows *t, const struct sockaddr *sa, socklen_t len, void *flow)
{
	struct flow_entry *e;
	unsigned h;

	if (len > sizeof(e->sa) || (e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	memcpy(&e->sa, sa, len);
	e->len = len;
	e->flow = flow;
	h = hash(sa, len);
	e->next = t->b[h];
	t->b[h] = e;
	return e;
}

/** flows_remove(t, e): forget the entry ${e} of ${t}; NULL is a no-op. */
void
flows_remove(struct flows *t, struct flow_entry *e)
{
	struct flow_entry **pp;

	if (e == NULL)
		return;
	pp = &t->b[hash((const struct sockaddr *)&e->sa, e->len)];
	for (; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	}
	free(e);
}
