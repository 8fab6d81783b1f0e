/*
 * test_hostcheck.c: what the configuration asks of this host, found when
 * the file is read (src/hostcheck.c through config_load()), so that -t
 * finds what start-up or the first reload would: users, directories,
 * scope ids, files readable after the privilege drop.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
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

#include "config.h"

/* A directory others may enter, with a key file and a jail. */
struct fx {
	char dir[64];
	char conf[128];
	char psk[128];
};

/* A DTLS/SCTP service on pre-shared keys: no certificate needed. */
#define SVC_PSK                                                                \
	"accept = dtls+sctp://*:1\n"                                           \
	"connect = echo\n"                                                     \
	"psk_secrets = $P\n"

/* ${t} with "$D" the directory, "$F" the file, "$P" the key file. */
static char *
subst(const struct fx *f, const char *t)
{
	char *out = NULL;
	size_t size;
	FILE *m;

	if ((m = open_memstream(&out, &size)) == NULL)
		return NULL;
	for (; *t != '\0'; t++) {
		if (t[0] == '$' &&
		    (t[1] == 'D' || t[1] == 'F' || t[1] == 'P')) {
			fputs(t[1] == 'D'     ? f->dir
			        : t[1] == 'F' ? f->conf
			                      : f->psk,
			    m);
			t++;
		} else {
			fputc(*t, m);
		}
	}
	fclose(m);
	return out;
}

static int
write_file(const char *path, const char *text)
{
	FILE *w;

	if ((w = fopen(path, "w")) == NULL)
		return -1;
	fputs(text, w);
	return fclose(w);
}

/* Load ${text}: the configuration, and what config_load() said. */
static struct config *
load(const struct fx *f, const char *text, char **errs)
{
	struct config *c;
	size_t size;
	char *s;
	FILE *m;

	s = subst(f, text);
	assert_non_null(s);
	assert_int_equal(write_file(f->conf, s), 0);
	free(s);
	m = open_memstream(errs, &size);
	assert_non_null(m);
	c = config_load(f->conf, m);
	assert_int_equal(fclose(m), 0);
	return c;
}

/* ${text} must load without a word. */
static void
load_ok(const struct fx *f, const char *text)
{
	struct config *c;
	char *errs;

	c = load(f, text, &errs);
	assert_string_equal(errs, "");
	assert_non_null(c);
	config_free(c);
	free(errs);
}

/* ${text} must fail, saying exactly ${expected}. */
static void
load_fail(const struct fx *f, const char *text, const char *expected)
{
	struct config *c;
	char *errs, *want;

	c = load(f, text, &errs);
	want = subst(f, expected);
	assert_non_null(want);
	assert_string_equal(errs, want);
	assert_null(c);
	free(want);
	free(errs);
}

static int
setup(void **state)
{
	struct fx *f;
	char jail[128];

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_hostcheck.XXXXXX");
	if (mkdtemp(f->dir) == NULL || chmod(f->dir, 0755) != 0)
		return -1;
	snprintf(f->conf, sizeof(f->conf), "%s/test.conf", f->dir);
	snprintf(f->psk, sizeof(f->psk), "%s/keys.psk", f->dir);
	snprintf(jail, sizeof(jail), "%s/jail", f->dir);
	if (write_file(f->psk, "alice:00112233445566778899aabbccddeeff\n") !=
	        0 ||
	    chmod(f->psk, 0600) != 0 || mkdir(jail, 0755) != 0)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char path[160];

	unlink(f->conf);
	unlink(f->psk);
	snprintf(path, sizeof(path), "%s/jail", f->dir);
	rmdir(path);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* A key only its owner reads, and setuid to someone else: refused. */
static void
test_unreadable_after_setuid(void **state)
{
	struct fx *f = *state;
	struct passwd *pw = getpwnam("nobody");
	char want[1024], me[64], mine[64], grp[64];
	uid_t uid;
	gid_t gid;

	if (pw == NULL || getuid() == pw->pw_uid) {
		skip();
		return;
	}
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	snprintf(me, sizeof(me), "%s", getpwuid(getuid())->pw_name);
	snprintf(mine, sizeof(mine), "%s", getgrgid(getgid())->gr_name);
	snprintf(grp, sizeof(grp), "%s", getgrgid(gid)->gr_name);
	assert_int_equal(chmod(f->psk, 0600), 0);
	snprintf(want, sizeof(want),
	    "$F:6: [a]: psk_secrets '$P' will not be readable after the "
	    "privilege drop (uid %lu, gid %lu), when a reload (SIGHUP) reads "
	    "it again: it is %s:%s, mode 0600: make it readable by group %s, "
	    "such as chgrp %s '$P' && chmod 0640 '$P'\n",
	    (unsigned long)uid, (unsigned long)gid, me, mine, grp, grp);
	load_fail(f, "setuid = nobody\n\n[a]\n" SVC_PSK, want);
	/* Group-readable by the group it runs in: fine. */
	if (getuid() == 0) {
		assert_int_equal(chown(f->psk, 0, gid), 0);
		assert_int_equal(chmod(f->psk, 0640), 0);
		load_ok(f, "setuid = nobody\n\n[a]\n" SVC_PSK);
		assert_int_equal(chown(f->psk, 0, 0), 0);
	}
	/* Without a privilege drop nothing is asked of it. */
	assert_int_equal(chmod(f->psk, 0600), 0);
	load_ok(f, "[a]\n" SVC_PSK);
}

/* A directory on the way that the user cannot enter. */
static void
test_directory_closed(void **state)
{
	struct fx *f = *state;
	struct passwd *pw = getpwnam("nobody");
	char *errs;
	struct config *c;

	if (pw == NULL || getuid() == pw->pw_uid) {
		skip();
		return;
	}
	assert_int_equal(chmod(f->psk, 0644), 0);
	assert_int_equal(chmod(f->dir, 0700), 0);
	c = load(f, "setuid = nobody\n[a]\n" SVC_PSK, &errs);
	assert_int_equal(chmod(f->dir, 0755), 0);
	assert_null(c);
	assert_non_null(strstr(errs, "cannot be entered"));
	assert_non_null(strstr(errs, ":5: [a]: psk_secrets"));
	free(errs);
	assert_int_equal(chmod(f->psk, 0600), 0);
}

/* chroot: a reload reads the files inside it. */
static void
test_chroot(void **state)
{
	struct fx *f = *state;

	load_fail(f, "chroot = $D/jail\n[a]\n" SVC_PSK,
	    "$F:5: [a]: psk_secrets '$P' is not inside chroot = $D/jail (as "
	    "'$D/jail$P'), where a reload (SIGHUP) reads it\n");
}

/* The log and pid files must be in directories that exist. */
static void
test_missing_directories(void **state)
{
	load_fail(*state,
	    "log = $D/nodir/sctp-dtls.log\npid = $D/nodir/sctp-dtls.pid\n"
	    "[a]\n" SVC_PSK,
	    "$F:1: log file '$D/nodir/sctp-dtls.log': directory '$D/nodir': "
	    "No such file or directory\n"
	    "$F:2: pid file '$D/nodir/sctp-dtls.pid': directory '$D/nodir': "
	    "No such file or directory\n");
	load_fail(*state, "pid = $P/x.pid\n[a]\n" SVC_PSK,
	    "$F:1: pid file '$P/x.pid': directory '$P': is not a "
	    "directory\n");
	load_ok(*state, "log = $D/sctp-dtls.log\npid = $D/pid\n[a]\n" SVC_PSK);
}

/* An IPv6 scope id must name an interface of this host. */
static void
test_scope_id(void **state)
{
	load_fail(*state,
	    "[a]\n"
	    "accept = dtls+sctp://[fe80::1%nosuchif0]:1\n"
	    "connect = echo\n"
	    "psk_secrets = $P\n"
	    "[b]\n"
	    "accept = tcp://*:2\n"
	    "connect = dtls+sctp://[fe80::2%999999]:2\n"
	    "verify = none\n",
	    "$F:2: [a]: accept: no network interface 'nosuchif0' for the "
	    "scope of fe80::1%nosuchif0\n"
	    "$F:7: [b]: connect: no network interface '999999' for the scope "
	    "of fe80::2%999999\n");
	load_ok(*state,
	    "[a]\n"
	    "accept = dtls+sctp://[fe80::1%lo]:1\n"
	    "connect = echo\n"
	    "psk_secrets = $P\n"
	    "[b]\n"
	    "accept = tcp://*:2\n"
	    "connect = dtls+sctp://[fe80::2%1]:2\n"
	    "verify = none\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_unreadable_after_setuid),
	    cmocka_unit_test(test_directory_closed),
	    cmocka_unit_test(test_chroot),
	    cmocka_unit_test(test_missing_directories),
	    cmocka_unit_test(test_scope_id),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
