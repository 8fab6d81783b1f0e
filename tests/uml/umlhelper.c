/*
 * umlhelper: the two things the UML test harness (tests/uml/run) needs
 * inside the UML machine that a shell cannot do:
 *
 *   umlhelper insmod FILE...       load kernel modules (no kmod inside)
 *   umlhelper poweroff             sync and power the UML machine off
 *
 * (busybox-static would do both, but needs the xstate.so shim to run at
 * all on hosts with AVX-512; this keeps the harness independent of it.)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>

static int
insmod(char **files)
{
	int rc = 0;

	for (; *files != NULL; files++) {
		int fd = open(*files, O_RDONLY | O_CLOEXEC);

		if (fd == -1 || syscall(SYS_finit_module, fd, "", 0) != 0) {
			if (errno != EEXIST) {
				fprintf(stderr, "umlhelper: insmod %s: %s\n",
				    *files, strerror(errno));
				rc = 1;
			}
		}
		if (fd != -1)
			close(fd);
	}
	return rc;
}

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "insmod") == 0)
		return insmod(argv + 2);
	if (argc == 2 && strcmp(argv[1], "poweroff") == 0) {
		sync();
		reboot(RB_POWER_OFF);
		perror("umlhelper: reboot");
		return 1;
	}
	fprintf(stderr, "usage: umlhelper insmod FILE... | poweroff\n");
	return 2;
}
