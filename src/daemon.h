#ifndef DAEMON_H
#define DAEMON_H

/*
 * foreground = no: leaving the terminal in a way a script can trust. The
 * command returns only once the services are up (status 0) or could not
 * start (status 1, with the errors on its stderr).
 */

/**
 * daemon_detach(notify): fork; the parent waits for the child's word and
 * exits with 0 if the child reported its services up (daemon_ready()),
 * else 1 (the child ended first; it wrote its errors to stderr, which it
 * shares, also when it logs to a file or syslog). The child leaves the
 * terminal's session (setsid), keeps its working directory (relative
 * paths in the file work on reload too), and returns 0 with
 * *${notify} the descriptor to report on; -1 if it cannot fork (logged).
 */
int daemon_detach(int *notify);

/**
 * daemon_ready(notify): the services are up: stdin, stdout and stderr go
 * to /dev/null, and the parent waiting on ${notify} (if not -1) exits 0;
 * in the foreground (${notify} -1) warnings are no longer copied to stderr
 * (run_config() copies start-up errors there).
 */
void daemon_ready(int notify);

/**
 * daemon_quiet(void): stdin, stdout and stderr to /dev/null; warnings no
 * longer copied to stderr.
 */
void daemon_quiet(void);

/**
 * daemon_pid(path): write this process's id to the file ${path}. 0, or -1
 * (logged).
 */
int daemon_pid(const char *path);

#endif
