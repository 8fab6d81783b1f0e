/*
 * cpus.c: the CPUs this process can use, for workers = auto: its affinity
 * mask and its cgroup's CPU quota (a Kubernetes CPU limit is a quota, not
 * an affinity mask).
 */
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cpus.h"

/* CPUs allowed by the quota file(s) in ${dir}, or 0 for none. */
static int
dir_quota(const char *dir, int v2)
{
	char path[PATH_MAX];
	long long quota = -1, period = 0;
	char word[32];
	FILE *f;

	if (snprintf(path, sizeof(path), "%s/%s", dir,
	        v2 ? "cpu.max" : "cpu.cfs_quota_us") >= (int)sizeof(path) ||
	    (f = fopen(path, "r")) == NULL)
		return 0;
	if (v2 && fscanf(f, "%31s %lld", word, &period) == 2 &&
	    strcmp(word, "max") != 0)
		sscanf(word, "%lld", &quota);
	if (!v2 && fscanf(f, "%lld", &quota) != 1)
		quota = -1;
	fclose(f);
	if (!v2) {
		if (snprintf(path, sizeof(path), "%s/cpu.cfs_period_us", dir) >=
		        (int)sizeof(path) ||
		    (f = fopen(path, "r")) == NULL)
			return 0;
		if (fscanf(f, "%lld", &period) != 1)
			period = 0;
		fclose(f);
	}
	if (quota <= 0 || period <= 0)
		return 0;
	return (int)((quota + period - 1) / period);
}

/* The smallest quota from ${base}${cgroup} up to ${base}. */
static int
path_quota(const char *base, const char *cgroup, int v2)
{
	char dir[PATH_MAX], path[PATH_MAX];
	int q, best = 0;
	char *slash;

	snprintf(path, sizeof(path), "%s", cgroup);
	for (;;) {
		q = snprintf(dir, sizeof(dir), "%s%s", base, path) <
		        (int)sizeof(dir)
		    ? dir_quota(dir, v2)
		    : 0;
		if (q > 0 && (best == 0 || q < best))
			best = q;
		if ((slash = strrchr(path, '/')) == NULL)
			break;
		*slash = '\0';
	}
	return best;
}

/**
 * cpus_quota(root, self): the cgroup CPU quota of the process whose
 * /proc/PID/cgroup file is ${self}, with the cgroup file systems mounted
 * under ${root} ("/sys/fs/cgroup"): quota / period rounded up, the
 * smallest along the cgroup's path; 0 when there is none.
 */
int
cpus_quota(const char *root, const char *self)
{
	static const char *const v1[] = {"cpu", "cpu,cpuacct", "cpuacct,cpu"};
	char line[PATH_MAX], base[PATH_MAX], *ctl, *path;
	int q, best = 0;
	size_t i;
	FILE *f;

	if ((f = fopen(self, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if ((ctl = strchr(line, ':')) == NULL ||
		    (path = strchr(ctl + 1, ':')) == NULL)
			continue;
		*path++ = '\0';
		ctl++;
		q = 0;
		if (*ctl == '\0') {
			q = path_quota(root, path, 1);
		} else if (strcmp(ctl, "cpu") == 0 ||
		    strcmp(ctl, "cpu,cpuacct") == 0 ||
		    strcmp(ctl, "cpuacct,cpu") == 0) {
			for (i = 0; i < sizeof(v1) / sizeof(v1[0]) && q == 0;
			     i++) {
				if (snprintf(base, sizeof(base), "%s/%s", root,
				        v1[i]) < (int)sizeof(base))
					q = path_quota(base, path, 0);
			}
		}
		if (q > 0 && (best == 0 || q < best))
			best = q;
	}
	fclose(f);
	return best;
}

/**
 * cpus_usable(void): the CPUs this process may run on, at most its cgroup
 * quota; at least 1.
 */
int
cpus_usable(void)
{
	cpu_set_t set;
	long n;
	int q;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		n = CPU_COUNT(&set);
	else
		n = sysconf(_SC_NPROCESSORS_ONLN);
	q = cpus_quota("/sys/fs/cgroup", "/proc/self/cgroup");
	if (q > 0 && q < n)
		n = q;
	return n < 1 ? 1 : (int)n;
}
