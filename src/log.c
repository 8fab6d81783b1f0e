/* log.c: one line per message, to stderr, syslog or a file. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>

#include "log.h"

/*
 * The log destination is process state, like stderr itself; it is set up
 * once at start-up and by SIGUSR1.
 */
static struct {
	int level;
	int syslog;
	FILE *file; /* NULL: stderr. */
	char path[4096];
	int tee; /* warnings and errors also to stderr */
} logstate = {LOG_LVL_INFO, 0, NULL, "", 0};

static const char *const level_names[] = {
    "error", "warning", "notice", "info", "debug"};
static const int syslog_prio[] = {
    LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_INFO, LOG_DEBUG};

/** log_level_parse(s): the level named ${s} ("error".."debug"), or -1. */
int
log_level_parse(const char *s)
{
	int i;

	for (i = 0; i <= LOG_LVL_DEBUG; i++)
		if (strcmp(s, level_names[i]) == 0)
			return i;
	return -1;
}

/**
 * log_open(dest, level, ident): send messages up to ${level} to ${dest}:
 * "stderr", "syslog" (with ${ident}) or a file path (appended). Returns 0 or
 * -1 (an error printed to stderr).
 */
int
log_open(const char *dest, int level, const char *ident)
{
	FILE *f = NULL;

	if (strcmp(dest, "stderr") != 0 && strcmp(dest, "syslog") != 0) {
		if (strlen(dest) >= sizeof(logstate.path)) {
			fprintf(stderr, "log file name too long: %s\n", dest);
			goto err0;
		}
		if ((f = fopen(dest, "a")) == NULL) {
			fprintf(stderr, "cannot open log file %s: %s\n", dest,
			    strerror(errno));
			goto err0;
		}
		setvbuf(f, NULL, _IOLBF, 0);
	}
	log_close();
	logstate.level = level;
	if (strcmp(dest, "syslog") == 0) {
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
		logstate.syslog = 1;
	} else if (f != NULL) {
		logstate.file = f;
		snprintf(logstate.path, sizeof(logstate.path), "%s", dest);
	}
	return 0;

err0:
	return -1;
}

/** log_reopen(void): reopen the log file (after rotation); 0 or -1. */
int
log_reopen(void)
{
	FILE *f;

	if (logstate.file == NULL)
		return 0;
	if ((f = fopen(logstate.path, "a")) == NULL) {
		log_err(NULL, "cannot reopen log file %s: %s", logstate.path,
		    strerror(errno));
		return -1;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	fclose(logstate.file);
	logstate.file = f;
	return 0;
}

/** log_close(void): close the log destination; a no-op if none. */
void
log_close(void)
{
	if (logstate.file != NULL)
		fclose(logstate.file);
	if (logstate.syslog)
		closelog();
	logstate.file = NULL;
	logstate.syslog = 0;
	logstate.path[0] = '\0';
}

/**
 * log_tee(on): while ${on}, warnings and errors also go to stderr when the
 * destination is syslog or a file (a daemon starting in the background).
 */
void
log_tee(int on)
{
	logstate.tee = on;
}

/** log_enabled(level): non-zero if messages at ${level} are written. */
int
log_enabled(int level)
{
	return level <= logstate.level;
}

static void
log_vmsg(int level, const char *prefix, const char *fmt, va_list ap)
{
	char msg[2048];
	char ts[32];
	struct timespec now;
	struct tm tm;
	FILE *out;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (logstate.tee && level <= LOG_LVL_WARNING &&
	    (logstate.syslog || logstate.file != NULL))
		fprintf(stderr, "sctp-dtls: %s: %s%s%s\n", level_names[level],
		    prefix != NULL ? prefix : "", prefix != NULL ? ": " : "",
		    msg);
	if (logstate.syslog) {
		if (prefix != NULL)
			syslog(syslog_prio[level], "%s: %s", prefix, msg);
		else
			syslog(syslog_prio[level], "%s", msg);
		return;
	}
	out = logstate.file != NULL ? logstate.file : stderr;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(out, "%s.%03ldZ sctp-dtls[%ld] %s: %s%s%s\n", ts,
	    now.tv_nsec / 1000000, (long)getpid(), level_names[level],
	    prefix != NULL ? prefix : "", prefix != NULL ? ": " : "", msg);
}

/**
 * log_msg(level, prefix, fmt, ...): write one line "prefix: message", or
 * just the message if ${prefix} is NULL.
 */
void
log_msg(int level, const char *prefix, const char *fmt, ...)
{
	va_list ap;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	log_vmsg(level, prefix, fmt, ap);
	va_end(ap);
}

/**
 * log_ssl(level, prefix, what): log ${what} followed by every entry of the
 * OpenSSL error queue, draining it. The one place that reads the queue.
 */
void
log_ssl(int level, const char *prefix, const char *what)
{
	char reasons[1024];
	char buf[256];
	size_t used = 0;
	unsigned long e;
	const char *data;
	int flags;

	reasons[0] = '\0';
	while ((e = ERR_get_error_all(NULL, NULL, NULL, &data, &flags)) != 0) {
		ERR_error_string_n(e, buf, sizeof(buf));
		/* Keep the reason (last field) and any extra data. */
		const char *r = strrchr(buf, ':');
		int n = snprintf(reasons + used, sizeof(reasons) - used,
		    "%s%s%s%s", used ? "; " : "", r ? r + 1 : buf,
		    (flags & ERR_TXT_STRING) && data[0] ? " " : "",
		    (flags & ERR_TXT_STRING) ? data : "");
		if (n > 0 && (size_t)n < sizeof(reasons) - used)
			used += (size_t)n;
	}
	if (used > 0)
		log_msg(level, prefix, "%s: %s", what, reasons);
	else
		log_msg(level, prefix, "%s", what);
}

/**
 * log_safe(s, buf, size): ${s}, text from the network or a file, made safe
 * to log in ${buf} (every byte outside printable ASCII becomes '?');
 * returns ${buf}.
 */
const char *
log_safe(const char *s, char *buf, size_t size)
{
	size_t i;

	for (i = 0; s != NULL && s[i] != '\0' && i + 1 < size; i++)
		buf[i] =
		    (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f
		    ? s[i]
		    : '?';
	if (size > 0)
		buf[i] = '\0';
	return buf;
}
