#ifndef END_ECHO_H
#define END_ECHO_H

#include "end.h"

/*
 * The built-in echo target as an end: what is written to it is read back,
 * unit by unit, with the stream, PPID and flags it came with; end of input
 * written to it is read back too.
 */

/**
 * end_echo_new(who): an echo end holding one unit of up to 16384 bytes at
 * a time. NULL if out of memory (logged).
 */
struct end *end_echo_new(const char *who);

#endif
