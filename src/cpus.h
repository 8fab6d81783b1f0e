#ifndef CPUS_H
#define CPUS_H

/*
 * How many CPUs this process can use: the CPUs it may run on (affinity)
 * and the CPU time its cgroup allows (cgroup v2 cpu.max, v1
 * cpu.cfs_quota_us / cpu.cfs_period_us).
 */

/**
 * cpus_quota(root, self): the cgroup CPU quota of the process whose
 * /proc/PID/cgroup file is ${self}, with the cgroup file systems mounted
 * under ${root} ("/sys/fs/cgroup"): quota / period rounded up, the
 * smallest along the cgroup's path; 0 when there is none.
 */
int cpus_quota(const char *root, const char *self);

/**
 * cpus_usable(void): the CPUs this process may run on, at most its cgroup
 * quota; at least 1.
 */
int cpus_usable(void);

#endif
