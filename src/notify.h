#ifndef NOTIFY_H
#define NOTIFY_H

#include <ev.h>

/*
 * The service manager's notifications (sd_notify(3) through libsystemd),
 * sent by the process that owns the signals: READY=1, RELOADING=1 with
 * MONOTONIC_USEC, STOPPING=1, STATUS= lines, and WATCHDOG=1 every half
 * of WATCHDOG_USEC when the unit sets WatchdogSec. Without NOTIFY_SOCKET
 * each call does nothing.
 */

struct notify;

/**
 * notify_new(loop): the notifier, its watchdog timer started on ${loop}
 * if the service manager asks for pings. NULL if out of memory (logged).
 */
struct notify *notify_new(struct ev_loop *loop);

/** notify_ready(n, status): READY=1 with the one-line STATUS=${status}. */
void notify_ready(struct notify *n, const char *status);

/** notify_reloading(n): RELOADING=1 with MONOTONIC_USEC (now, in us). */
void notify_reloading(struct notify *n);

/** notify_stopping(n, status): STOPPING=1 with STATUS=${status}. */
void notify_stopping(struct notify *n, const char *status);

/** notify_free(n): stop the watchdog timer; a no-op for NULL. */
void notify_free(struct notify *n);

#endif
