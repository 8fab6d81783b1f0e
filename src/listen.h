#ifndef LISTEN_H
#define LISTEN_H

#include "config.h"
#include "sctp.h"

/*
 * The listening sockets of a configuration, bound once (by the master,
 * before it forks the workers, which inherit them; on reload, new ones go
 * to the workers over their control sockets). With workers, each accept
 * endpoint has one socket per worker sharing the port (SO_REUSEPORT: the
 * kernel spreads new connections over the workers, and a UDP client's
 * datagrams always reach the same worker, which keeps its flow); the
 * master keeps them all, so that a restarted worker takes over the
 * connections waiting on its socket. Keyed by the endpoint as written.
 */

struct lset;

/* A socket set for each new endpoint: lset_each_new()'s callback. */
typedef void lset_fn(void *arg, const char *key, const int *fds, int n);

/** lset_new(slots): an empty set for ${slots} workers; NULL if no memory. */
struct lset *lset_new(int slots);

/** lset_free(ls): close every socket of ${ls}, free it; NULL is a no-op. */
void lset_free(struct lset *ls);

/**
 * lset_bind_svc(ls, sc): bind the accept endpoint of ${sc} unless ${ls}
 * has it. 0, or -1 (logged, naming the service).
 */
int lset_bind_svc(struct lset *ls, const struct svc_conf *sc);

/**
 * lset_bind(ls, cfg): bind the accept endpoint of every service of ${cfg}
 * that ${ls} lacks. 0, or -1 if one could not be bound (logged, naming
 * the service; the others are bound).
 */
int lset_bind(struct lset *ls, const struct config *cfg);

/**
 * lset_take(ls, sc, slot): a new descriptor (close-on-exec) for the
 * socket that worker ${slot} accepts ${sc}'s connections on, or -1 if the
 * set has none.
 */
int lset_take(const struct lset *ls, const struct svc_conf *sc, int slot);

/**
 * lset_put(ls, key, slot, fd): worker ${slot} received the socket ${fd}
 * (now owned) for the endpoint ${key}. 0, or -1 (${fd} closed).
 */
int lset_put(struct lset *ls, const char *key, int slot, int fd);

/**
 * lset_each_new(ls, fn, arg): call ${fn} for each endpoint bound since the
 * last call, with its ${n} sockets (one per worker).
 */
void lset_each_new(struct lset *ls, lset_fn *fn, void *arg);

/** lset_prune(ls, cfg): close the sockets no service of ${cfg} uses. */
void lset_prune(struct lset *ls, const struct config *cfg);

/**
 * lset_sockopts(sc, so, pso): the SCTP socket options of ${sc}'s
 * DTLS/SCTP ends in ${so} and of its plaintext SCTP ends in ${pso} (a
 * listening socket passes them on to the associations it accepts); their
 * tuning points into ${sc}.
 */
void lset_sockopts(const struct svc_conf *sc, struct sctp_sockopts *so,
    struct sctp_sockopts *pso);

#endif
