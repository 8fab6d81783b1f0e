/*
 * test_status.c: the status listener (src/status.c) through the steps of
 * the daemon's life (src/ops.c), on a unix socket, driven by a libev loop
 * in this process: /healthz starting -> ok -> failed reload -> ok ->
 * draining, /livez, /metrics, /status, and bad requests.
 */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>
#include <ev.h>

#include "config.h"
#include "metrics.h"
#include "ops.h"
#include "shared.h"

struct fx {
	int fds; /* open before the listener */
	char dir[64], path[128], where[140];
	struct ev_loop *loop;
	struct config cfg;
	struct svc_conf sc;
	struct shared *sh;
	struct ops *ops;
	char resp[65536];
};

/* How many descriptors this process has open. */
static int
open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(d);
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

static int
setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));

	assert_non_null(x);
	x->fds = open_fds();
	strcpy(x->dir, "/tmp/test_status.XXXXXX");
	assert_non_null(mkdtemp(x->dir));
	snprintf(x->path, sizeof(x->path), "%s/s.sock", x->dir);
	snprintf(x->where, sizeof(x->where), "unix:%s", x->path);
	x->loop = ev_loop_new(EVFLAG_AUTO);
	config_service_defaults(&x->sc, "gw");
	x->cfg.file = "test.conf";
	x->cfg.status = x->where;
	x->cfg.workers = 1;
	x->cfg.svcs = &x->sc;
	x->cfg.nsvcs = 1;
	x->cfg.cert_watch = 0;
	x->sh = shared_new(1);
	assert_non_null(x->sh);
	x->ops = ops_new(x->loop, &x->cfg, x->sh, NULL);
	assert_non_null(x->ops);
	*state = x;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *x = *state;

	ops_free(x->ops);
	shared_free(x->sh);
	config_service_free(&x->sc);
	ev_loop_destroy(x->loop);
	assert_int_equal(access(x->path, F_OK), -1); /* socket removed */
	assert_int_equal(open_fds(), x->fds); /* and every descriptor closed */
	rmdir(x->dir);
	free(x);
	return 0;
}

/* Send ${req} (${len} bytes), turning the loop until the server closes. */
static const char *
ask_raw(struct fx *x, const char *req, size_t len)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct pollfd p;
	size_t got = 0, sent = 0;
	ssize_t n;
	int fd, i;

	strcpy(sa.sun_path, x->path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	for (i = 0; i < 2000; i++) {
		ev_run(x->loop, EVRUN_NOWAIT);
		if (sent < len &&
		    (n = send(fd, req + sent, len - sent, MSG_NOSIGNAL)) > 0)
			sent += (size_t)n;
		p.fd = fd;
		p.events = POLLIN;
		if (poll(&p, 1, 5) == 1) {
			n = read(fd, x->resp + got, sizeof(x->resp) - 1 - got);
			if (n <= 0)
				break;
			got += (size_t)n;
		}
	}
	close(fd);
	x->resp[got] = '\0';
	return x->resp;
}

static const char *
ask(struct fx *x, const char *method, const char *path)
{
	char req[256];

	snprintf(req, sizeof(req),
	    "%s %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", method,
	    path);
	return ask_raw(x, req, strlen(req));
}

static void
starts(const char *resp, const char *want)
{
	if (strncmp(resp, want, strlen(want)) != 0)
		fail_msg("expected '%s', got:\n%s", want, resp);
}

/* /healthz: starting, ok, failed reload, ok again, draining. */
static void
test_health(void **state)
{
	struct fx *x = *state;

	starts(ask(x, "GET", "/healthz"), "HTTP/1.1 503");
	assert_non_null(strstr(x->resp, "\r\n\r\nstarting\n"));
	ops_ready(x->ops, &x->cfg);
	starts(ask(x, "GET", "/healthz"), "HTTP/1.1 200");
	assert_non_null(strstr(x->resp, "\r\n\r\nok\n"));
	ops_reloading(x->ops);
	ops_reloaded(x->ops, &x->cfg, 0);
	starts(ask(x, "GET", "/healthz"), "HTTP/1.1 503");
	assert_non_null(strstr(x->resp, "reload of test.conf failed"));
	ops_reloaded(x->ops, &x->cfg, 1);
	starts(ask(x, "GET", "/healthz"), "HTTP/1.1 200");
	ops_stopping(x->ops, "SIGTERM");
	starts(ask(x, "GET", "/healthz"), "HTTP/1.1 503");
	assert_non_null(strstr(x->resp, "draining (SIGTERM)"));
	starts(ask(x, "GET", "/livez"), "HTTP/1.1 200");
}

/* /metrics and /status show the shared counters and the reloads. */
static void
test_numbers(void **state)
{
	struct fx *x = *state;
	struct shared_svc *s = shared_svc(x->sh, "gw");

	shared_add(s, M_BYTES_UP, 12345);
	shared_add(s, M_CLOSED + R_IDLE_TIMEOUT, 2);
	ops_ready(x->ops, &x->cfg);
	ops_reloaded(x->ops, &x->cfg, 1);
	starts(ask(x, "GET", "/metrics"), "HTTP/1.1 200");
	assert_non_null(strstr(x->resp, "text/plain; version=0.0.4"));
	assert_non_null(strstr(x->resp,
	    "\nsctp_dtls_relayed_bytes_total{service=\"gw\",direction=\"up\"} "
	    "12345\n"));
	assert_non_null(strstr(x->resp,
	    "\nsctp_dtls_connections_closed_total{service=\"gw\",reason="
	    "\"idle_timeout\"} 2\n"));
	assert_non_null(
	    strstr(x->resp, "\nsctp_dtls_reloads_total{result=\"ok\"} 1\n"));
	starts(ask(x, "GET", "/status"), "HTTP/1.1 200");
	assert_non_null(strstr(x->resp, "application/json"));
	assert_non_null(strstr(x->resp, "\"relayed_bytes_up\":12345"));
	assert_non_null(strstr(x->resp, "\"connections\":null"));
	/* HEAD: the headers only. */
	starts(ask(x, "HEAD", "/metrics"), "HTTP/1.1 200");
	assert_null(strstr(x->resp, "sctp_dtls_"));
}

/* Bad requests: proper errors, and the listener still answers. */
static void
test_bad(void **state)
{
	struct fx *x = *state;
	static const char garbage[] = "\x16\x03\x01 \xff\xfe nonsense\r\n\r\n";
	char *big;
	size_t n = 1 << 20;

	starts(ask(x, "GET", "/nothing"), "HTTP/1.1 404");
	starts(ask(x, "POST", "/metrics"), "HTTP/1.1 405");
	assert_non_null(strstr(x->resp, "Allow: GET, HEAD"));
	starts(ask(x, "DELETE", "/healthz"), "HTTP/1.1 405");
	starts(ask_raw(x, garbage, sizeof(garbage) - 1), "HTTP/1.1 400");
	big = malloc(n + 64);
	assert_non_null(big);
	memcpy(big, "GET /metrics HTTP/1.1\r\nX-Big: ", 30);
	memset(big + 30, 'a', n);
	memcpy(big + 30 + n, "\r\n\r\n", 4);
	ask_raw(x, big, 30 + n + 4);
	free(big);
	if (x->resp[0] != '\0')
		starts(x->resp, "HTTP/1.1 431");
	starts(ask(x, "GET", "/livez"), "HTTP/1.1 200");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_health, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_numbers, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
