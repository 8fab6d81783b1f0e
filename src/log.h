#ifndef LOG_H
#define LOG_H

#include <stddef.h>

/* Log levels, most severe first (syslog order). */
enum log_level {
	LOG_LVL_ERROR = 0,
	LOG_LVL_WARNING,
	LOG_LVL_NOTICE,
	LOG_LVL_INFO,
	LOG_LVL_DEBUG,
};

/** log_level_parse(s): the level named ${s} ("error".."debug"), or -1. */
int log_level_parse(const char *s);

/**
 * log_open(dest, level, ident): send messages up to ${level} to ${dest}:
 * "stderr", "syslog" (with ${ident}) or a file path (appended). Returns 0 or
 * -1 (an error printed to stderr).
 */
int log_open(const char *dest, int level, const char *ident);

/** log_reopen(void): reopen the log file (after rotation); 0 or -1. */
int log_reopen(void);

/** log_close(void): close the log destination; a no-op if none. */
void log_close(void);

/**
 * log_tee(on): while ${on}, warnings and errors also go to stderr when the
 * destination is syslog or a file (a daemon starting in the background).
 */
void log_tee(int on);

/** log_enabled(level): non-zero if messages at ${level} are written. */
int log_enabled(int level);

/**
 * log_msg(level, prefix, fmt, ...): write one line "prefix: message", or
 * just the message if ${prefix} is NULL.
 */
void log_msg(int level, const char *prefix, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/**
 * log_ssl(level, prefix, what): log ${what} followed by every entry of the
 * OpenSSL error queue, draining it. The one place that reads the queue.
 */
void log_ssl(int level, const char *prefix, const char *what);

/**
 * log_safe(s, buf, size): ${s}, text from the network or a file, made safe
 * to log in ${buf} (every byte outside printable ASCII becomes '?');
 * returns ${buf}.
 */
const char *log_safe(const char *s, char *buf, size_t size);

#define log_err(p, ...) log_msg(LOG_LVL_ERROR, (p), __VA_ARGS__)
#define log_warn(p, ...) log_msg(LOG_LVL_WARNING, (p), __VA_ARGS__)
#define log_notice(p, ...) log_msg(LOG_LVL_NOTICE, (p), __VA_ARGS__)
#define log_info(p, ...) log_msg(LOG_LVL_INFO, (p), __VA_ARGS__)
#define log_debug(p, ...) log_msg(LOG_LVL_DEBUG, (p), __VA_ARGS__)

#endif
