#ifndef PRIVS_H
#define PRIVS_H

struct config;

/**
 * privs_drop(cfg): least privilege, once every listener is bound and every
 * key loaded: chroot, then the group, then the user of ${cfg}. 0, or -1
 * (logged): the daemon never goes on as root when told not to.
 */
int privs_drop(const struct config *cfg);

#endif
