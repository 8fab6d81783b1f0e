/* test_cpus.c: the CPUs workers = auto counts (src/cpus.c). */
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

#include "cpus.h"

/* Write ${text} to ${dir}/${name}, making the directories. */
static void
put(const char *dir, const char *name, const char *text)
{
	char path[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	for (p = path + strlen(dir) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		(void)mkdir(path, 0700);
		*p = '/';
	}
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void
test_quota(void **state)
{
	char dir[] = "/tmp/test_cpus.XXXXXX", self[600], cmd[700];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(self, sizeof(self), "%s/self", dir);
	/* No cgroup file, none mounted: no quota. */
	assert_int_equal(cpus_quota(dir, "/nonexistent"), 0);
	/* cgroup v2: 1.5 CPUs in the pod, none above: 2 workers. */
	put(dir, "self", "0::/kubepods/pod1\n");
	put(dir, "kubepods/pod1/cpu.max", "150000 100000\n");
	put(dir, "kubepods/cpu.max", "max 100000\n");
	assert_int_equal(cpus_quota(dir, self), 2);
	/* The smallest limit along the path wins. */
	put(dir, "kubepods/cpu.max", "100000 100000\n");
	assert_int_equal(cpus_quota(dir, self), 1);
	/* No limit anywhere. */
	put(dir, "kubepods/pod1/cpu.max", "max 100000\n");
	put(dir, "kubepods/cpu.max", "max 100000\n");
	assert_int_equal(cpus_quota(dir, self), 0);
	/* cgroup v1, cpu and cpuacct mounted together: 4 CPUs. */
	put(dir, "self", "4:memory:/x\n3:cpu,cpuacct:/docker/c1\n");
	put(dir, "cpu,cpuacct/docker/c1/cpu.cfs_quota_us", "400000\n");
	put(dir, "cpu,cpuacct/docker/c1/cpu.cfs_period_us", "100000\n");
	assert_int_equal(cpus_quota(dir, self), 4);
	/* -1: no quota. */
	put(dir, "cpu,cpuacct/docker/c1/cpu.cfs_quota_us", "-1\n");
	assert_int_equal(cpus_quota(dir, self), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	/* This process: at least one CPU. */
	assert_true(cpus_usable() >= 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_quota),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
