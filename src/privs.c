/*
 * privs.c: least privilege: the user, group and chroot of the
 * configuration taken once the daemon holds what it needs (privs.h).
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "privs.h"

/* A user or group given by name or number. */
static int
lookup_id(const char *s, int group, uid_t *uid, gid_t *gid)
{
	struct passwd *pw;
	struct group *gr;
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (group) {
		if ((gr = getgrnam(s)) != NULL)
			*gid = gr->gr_gid;
		else if (*end == '\0' && errno == 0)
			*gid = (gid_t)n;
		else
			return -1;
		return 0;
	}
	if ((pw = getpwnam(s)) != NULL) {
		*uid = pw->pw_uid;
		*gid = pw->pw_gid;
	} else if (*end == '\0' && errno == 0) {
		*uid = (uid_t)n;
		*gid = (gid_t)n;
	} else {
		return -1;
	}
	return 0;
}

/**
 * privs_drop(cfg): least privilege, once every listener is bound and every
 * key loaded: chroot, then the group, then the user of ${cfg}. 0, or -1
 * (logged): the daemon never goes on as root when told not to.
 */
int
privs_drop(const struct config *cfg)
{
	uid_t uid = 0;
	gid_t gid = 0;

	if (cfg->setuid != NULL && lookup_id(cfg->setuid, 0, &uid, &gid) != 0) {
		log_err(NULL, "setuid: no such user: %s", cfg->setuid);
		goto err0;
	}
	if (cfg->setgid != NULL && lookup_id(cfg->setgid, 1, &uid, &gid) != 0) {
		log_err(NULL, "setgid: no such group: %s", cfg->setgid);
		goto err0;
	}
	if (cfg->chroot != NULL &&
	    (chroot(cfg->chroot) != 0 || chdir("/") != 0)) {
		log_err(NULL, "chroot %s: %s", cfg->chroot, strerror(errno));
		goto err0;
	}
	if (cfg->setgid != NULL || cfg->setuid != NULL) {
		if (setgroups(1, &gid) != 0 || setresgid(gid, gid, gid) != 0) {
			log_err(NULL, "setgid %lu: %s", (unsigned long)gid,
			    strerror(errno));
			goto err0;
		}
	}
	if (cfg->setuid != NULL) {
		if (setresuid(uid, uid, uid) != 0) {
			log_err(NULL, "setuid %lu: %s", (unsigned long)uid,
			    strerror(errno));
			goto err0;
		}
		/* Make sure there is no way back. */
		if (uid != 0 && (setuid(0) == 0 || geteuid() == 0)) {
			log_err(NULL, "setuid: still able to become root");
			goto err0;
		}
	}
	if (cfg->setuid != NULL || cfg->setgid != NULL || cfg->chroot != NULL)
		log_notice(NULL, "running as uid %lu, gid %lu%s%s",
		    (unsigned long)getuid(), (unsigned long)getgid(),
		    cfg->chroot != NULL ? ", chroot " : "",
		    cfg->chroot != NULL ? cfg->chroot : "");
	return 0;

err0:
	return -1;
}
