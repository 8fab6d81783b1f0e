/*
 * test_watch.c: the certificate watch (src/watch.c): a file rewritten in
 * place, a Kubernetes-style "..data" symlink swap, nothing reported when
 * nothing changed, and a change only polling can see (its directory did
 * not exist when the watch began, so inotify has no watch on it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <ev.h>

#include "config.h"
#include "watch.h"

struct fx {
	char dir[64];
	struct ev_loop *loop;
	struct config cfg;
	struct svc_conf sc;
	int changes;
	char what[256];
};

static void
on_change(void *arg, const char *what)
{
	struct fx *x = arg;

	x->changes++;
	snprintf(x->what, sizeof(x->what), "%s", what);
}

/* Turn the loop until a change is reported, or ${secs} went by. */
static void
turn(struct fx *x, double secs)
{
	ev_tstamp end = ev_time() + secs;

	while (x->changes == 0 && ev_time() < end) {
		ev_run(x->loop, EVRUN_NOWAIT);
		usleep(10000);
	}
}

static void
put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *
in(struct fx *x, const char *name)
{
	char *p = NULL;

	assert_true(asprintf(&p, "%s/%s", x->dir, name) > 0);
	return p;
}

static int
setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));

	assert_non_null(x);
	strcpy(x->dir, "/tmp/test_watch.XXXXXX");
	assert_non_null(mkdtemp(x->dir));
	x->loop = ev_loop_new(EVFLAG_AUTO);
	config_service_defaults(&x->sc, "gw");
	x->cfg.svcs = &x->sc;
	x->cfg.nsvcs = 1;
	x->cfg.cert_watch = 1;
	*state = x;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *x = *state;
	char cmd[128];

	config_service_free(&x->sc);
	ev_loop_destroy(x->loop);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", x->dir);
	assert_int_equal(system(cmd), 0);
	free(x);
	return 0;
}

/* A file written again in place is a change; no change, no report. */
static void
test_rewrite(void **state)
{
	struct fx *x = *state;
	struct watch *w;

	x->sc.cert = in(x, "cert.pem");
	x->sc.key = in(x, "key.pem");
	put(x->sc.cert, "one");
	put(x->sc.key, "key");
	w = watch_new(x->loop, &x->cfg, on_change, x);
	assert_non_null(w);
	turn(x, 1.5);
	assert_int_equal(x->changes, 0);
	put(x->sc.cert, "two, longer");
	turn(x, 10);
	assert_int_equal(x->changes, 1);
	assert_string_equal(x->what, x->sc.cert);
	watch_free(w);
}

/* The ..data swap of a Secret volume: the path leads to a new file. */
static void
test_symlink_swap(void **state)
{
	struct fx *x = *state;
	char *v1 = in(x, "..v1"), *v2 = in(x, "..v2"), *tmp = in(x, "..tmp");
	char *data = in(x, "..data"), *f;
	struct watch *w;

	assert_int_equal(mkdir(v1, 0700), 0);
	assert_int_equal(mkdir(v2, 0700), 0);
	f = in(x, "..v1/tls.crt");
	put(f, "old");
	free(f);
	f = in(x, "..v2/tls.crt");
	put(f, "new");
	free(f);
	assert_int_equal(symlink("..v1", data), 0);
	x->sc.cert = in(x, "tls.crt");
	assert_int_equal(symlink("..data/tls.crt", x->sc.cert), 0);
	w = watch_new(x->loop, &x->cfg, on_change, x);
	assert_non_null(w);
	assert_int_equal(symlink("..v2", tmp), 0);
	assert_int_equal(rename(tmp, data), 0);
	turn(x, 10);
	assert_int_equal(x->changes, 1);
	watch_free(w);
	free(v1);
	free(v2);
	free(tmp);
	free(data);
}

/* A directory made after the watch began: only polling sees it. */
static void
test_poll(void **state)
{
	struct fx *x = *state;
	char *sub = in(x, "later");
	struct watch *w;

	x->sc.ca = in(x, "later/ca.pem");
	x->cfg.reload_check = 0.2;
	w = watch_new(x->loop, &x->cfg, on_change, x);
	assert_non_null(w);
	assert_int_equal(mkdir(sub, 0700), 0);
	put(x->sc.ca, "ca");
	turn(x, 10);
	assert_int_equal(x->changes, 1);
	assert_string_equal(x->what, x->sc.ca);
	watch_free(w);
	free(sub);
}

/* cert_watch = no, or no file at all: nothing is watched. */
static void
test_off(void **state)
{
	struct fx *x = *state;

	assert_null(watch_new(x->loop, &x->cfg, on_change, x));
	x->sc.cert = in(x, "cert.pem");
	x->cfg.cert_watch = 0;
	assert_null(watch_new(x->loop, &x->cfg, on_change, x));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_rewrite, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_symlink_swap, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_poll, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_off, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
