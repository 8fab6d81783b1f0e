#ifndef CFGMSG_H
#define CFGMSG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/*
 * The problems found in one configuration file, kept while the whole file
 * is read and then printed as "FILE:LINE: what is wrong", in line order
 * (those of one line in the order found); warnings only when asked for.
 */
struct cfgmsg;

/**
 * cfgmsg_new(path, warnings): an empty list for the file ${path} (which
 * must outlive it); warnings are printed too if ${warnings}. NULL if out
 * of memory.
 */
struct cfgmsg *cfgmsg_new(const char *path, int warnings);

/** cfgmsg_free(m): free ${m} and its messages; a no-op for NULL. */
void cfgmsg_free(struct cfgmsg *m);

/**
 * cfgmsg_add(m, line, warning, text): note ${text} (now owned; NULL: a
 * message lost for want of memory) at ${line}, a warning if ${warning}.
 */
void cfgmsg_add(struct cfgmsg *m, int line, int warning, char *text);

/**
 * cfgmsg_vadd(m, line, warning, fmt, ap): cfgmsg_add() of the text that
 * ${fmt} and ${ap} make.
 */
void cfgmsg_vadd(
    struct cfgmsg *m, int line, int warning, const char *fmt, va_list ap);

/** cfgmsg_lost(m): count one message lost for want of memory. */
void cfgmsg_lost(struct cfgmsg *m);

/** cfgmsg_nomem(m): how many messages were lost for want of memory. */
int cfgmsg_nomem(const struct cfgmsg *m);

/** cfgmsg_has(m, line): non-zero if a message was noted for ${line}. */
int cfgmsg_has(const struct cfgmsg *m, int line);

/**
 * cfgmsg_flush(m, err): print the errors (and the warnings, if asked for)
 * to ${err} in line order; returns how many errors (lost ones included).
 */
size_t cfgmsg_flush(struct cfgmsg *m, FILE *err);

#endif
