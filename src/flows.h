#ifndef FLOWS_H
#define FLOWS_H

#include <sys/socket.h>

/*
 * The UDP flows of a listener: the client address of each datagram, as
 * it came (struct sockaddr, length), mapped to its flow (the owner's
 * pointer). A hash table of fixed size; one flow per address.
 */
struct flows;
struct flow_entry; /* one client address in the table */

/** flows_new(void): an empty table, or NULL if out of memory. */
struct flows *flows_new(void);

/** flows_free(t): free ${t} (not the flows it names); NULL is a no-op. */
void flows_free(struct flows *t);

/**
 * flows_find(t, sa, len): the flow of the client address ${sa} (${len}
 * bytes), or NULL.
 */
void *flows_find(
    const struct flows *t, const struct sockaddr *sa, socklen_t len);

/**
 * flows_add(t, sa, len, flow): ${flow} (not NULL) is the flow of the
 * client address ${sa} (${len} bytes, copied; none yet). Its entry, for
 * flows_remove(), or NULL if out of memory or ${len} is too long.
 */
struct flow_entry *flows_add(
    struct flows *t, const struct sockaddr *sa, socklen_t len, void *flow);

/** flows_remove(t, e): forget the entry ${e} of ${t}; NULL is a no-op. */
void flows_remove(struct flows *t, struct flow_entry *e);

#endif
