/*
 * notify.c: sd_notify(3) through libsystemd: readiness, reloads, stops,
 * a status line, and the watchdog pings on a libev timer (so that they
 * stop when the loop stops turning).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <systemd/sd-daemon.h>

#include "log.h"
#include "notify.h"

struct notify {
	struct ev_loop *loop;
	ev_timer wd; /* WATCHDOG=1 */
	int on; /* the timer runs */
};

static void
send_state(const char *state)
{
	int r = sd_notify(0, state);

	if (r < 0)
		log_warn(NULL, "sd_notify: %d", r);
}

static void
on_watchdog(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
	send_state("WATCHDOG=1");
}

/**
 * notify_new(loop): the notifier, its watchdog timer started on ${loop}
 * if the service manager asks for pings. NULL if out of memory (logged).
 */
struct notify *
notify_new(struct ev_loop *loop)
{
	struct notify *n;
	uint64_t usec = 0;

	if ((n = calloc(1, sizeof(*n))) == NULL) {
		log_err(NULL, "out of memory");
		return NULL;
	}
	n->loop = loop;
	if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
		ev_timer_init(&n->wd, on_watchdog, 0, (double)usec / 2e6);
		ev_timer_again(loop, &n->wd);
		ev_unref(loop); /* the pings alone keep no loop alive */
		n->on = 1;
		log_info(
		    NULL, "watchdog: a ping every %.3fs", (double)usec / 2e6);
		send_state("WATCHDOG=1");
	}
	return n;
}

/** notify_ready(n, status): READY=1 with the one-line STATUS=${status}. */
void
notify_ready(struct notify *n, const char *status)
{
	char msg[512];

	if (n == NULL)
		return;
	snprintf(msg, sizeof(msg), "READY=1\nSTATUS=%s", status);
	send_state(msg);
}

/** notify_reloading(n): RELOADING=1 with MONOTONIC_USEC (now, in us). */
void
notify_reloading(struct notify *n)
{
	struct timespec ts;
	char msg[128];

	if (n == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(msg, sizeof(msg),
	    "RELOADING=1\nSTATUS=reloading\nMONOTONIC_USEC=%llu",
	    (unsigned long long)ts.tv_sec * 1000000ULL +
	        (unsigned long long)ts.tv_nsec / 1000ULL);
	send_state(msg);
}

/** notify_stopping(n, status): STOPPING=1 with STATUS=${status}. */
void
notify_stopping(struct notify *n, const char *status)
{
	char msg[512];

	if (n == NULL)
		return;
	snprintf(msg, sizeof(msg), "STOPPING=1\nSTATUS=%s", status);
	send_state(msg);
}

/** notify_free(n): stop the watchdog timer; a no-op for NULL. */
void
notify_free(struct notify *n)
{
	if (n == NULL)
		return;
	if (n->on) {
		ev_ref(n->loop);
		ev_timer_stop(n->loop, &n->wd);
	}
	free(n);
}
