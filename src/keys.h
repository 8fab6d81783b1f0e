#ifndef KEYS_H
#define KEYS_H

#include <stddef.h>

/*
 * The configuration keys as one table (keys.c): per key its name, whether
 * it is global or per service, where its value goes, its bounds, its
 * default and the setter that checks and stores it, and the flag of the
 * echo modes that sets it too. The configuration file (config.c) and the
 * command line (main.c) both set keys through it: the same checks, the
 * same messages, the defaults in one place.
 */

struct key;

/** key_find(name): the key called ${name}, or NULL. */
const struct key *key_find(const char *name);

/** key_by_flag(flag): the key the echo modes' ${flag} sets, or NULL. */
const struct key *key_by_flag(const char *flag);

/** key_count(void): how many keys there are (for per-key arrays). */
int key_count(void);

/** key_index(k): the position of ${k} in the table, 0..key_count()-1. */
int key_index(const struct key *k);

/** key_name(k): the name of ${k} as written in the file. */
const char *key_name(const struct key *k);

/** key_global(k): non-zero if ${k} is a global option (else a service's). */
int key_global(const struct key *k);

/** key_flag(k): the echo modes' command-line flag for ${k}, or NULL. */
const char *key_flag(const struct key *k);

/**
 * key_set(k, obj, v, line, why): check the value ${v} of ${k} and store it
 * in ${obj} (a struct config for a global key, a struct svc_conf for a
 * service's), given at ${line}. 0, or -1 with *${why} saying what is
 * expected (nothing stored).
 */
int key_set(
    const struct key *k, void *obj, const char *v, int line, const char **why);

/**
 * key_defaults(obj, global): every global (${global}) or service key of
 * ${obj} at its default.
 */
void key_defaults(void *obj, int global);

#endif
