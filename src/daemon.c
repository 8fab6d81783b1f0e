/*
 * daemon.c: foreground = no: detach with a report of success or failure
 * to the command that started the daemon.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"

/**
 * daemon_detach(notify): fork; the parent waits for the child's word and
 * exits with 0 if the child reported its services up (daemon_ready()),
 * else 1 (the child ended first; it wrote its errors to stderr, which it
 * shares, also when it logs to a file or syslog). The child leaves the
 * terminal's session (setsid), keeps its working directory (relative
 * paths in the file work on reload too), and returns 0 with
 * *${notify} the descriptor to report on; -1 if it cannot fork (logged).
 */
int
daemon_detach(int *notify)
{
	int pfd[2];
	ssize_t n;
	pid_t pid;
	char c;

	if (pipe2(pfd, O_CLOEXEC) != 0 || (pid = fork()) == -1) {
		log_err(NULL, "cannot detach: %s", strerror(errno));
		return -1;
	}
	if (pid > 0) {
		close(pfd[1]);
		while ((n = read(pfd[0], &c, 1)) == -1 && errno == EINTR)
			;
		_exit(n == 1 && c == 0 ? 0 : 1);
	}
	close(pfd[0]);
	(void)setsid();
	*notify = pfd[1];
	log_tee(1);
	return 0;
}

/**
 * daemon_quiet(void): stdin, stdout and stderr to /dev/null; warnings no
 * longer copied to stderr.
 */
void
daemon_quiet(void)
{
	int fd;

	log_tee(0);
	if ((fd = open("/dev/null", O_RDWR)) == -1)
		return;
	(void)dup2(fd, 0);
	(void)dup2(fd, 1);
	(void)dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

/**
 * daemon_ready(notify): the services are up: stdin, stdout and stderr go
 * to /dev/null, and the parent waiting on ${notify} (if not -1) exits 0;
 * in the foreground (${notify} -1) warnings are no longer copied to stderr
 * (run_config() copies start-up errors there).
 */
void
daemon_ready(int notify)
{
	char c = 0;

	if (notify == -1) {
		log_tee(0); /* in the foreground: the log file alone now */
		return;
	}
	daemon_quiet();
	if (write(notify, &c, 1) != 1)
		log_warn(NULL, "cannot tell the starting command: %s",
		    strerror(errno));
	close(notify);
}

/**
 * daemon_pid(path): write this process's id to the file ${path}. 0, or -1
 * (logged).
 */
int
daemon_pid(const char *path)
{
	FILE *f;

	if ((f = fopen(path, "w")) == NULL ||
	    fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) != 0) {
		log_err(NULL, "cannot write pid file %s: %s", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}
