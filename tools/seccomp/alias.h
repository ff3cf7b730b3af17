/* nginx's `listen P; listen [::]:P` under --force: the second socket
 * becomes the first (SECCOMP_IOCTL_NOTIF_ADDFD), as the shim's alias. */
#ifndef BW_SC_ALIAS_H
#define BW_SC_ALIAS_H

#include <sys/types.h>

#include "event.h"
#include "supervise.h"

void	 bw_sc_remember(struct bw_sc_sup *, pid_t tgid, int fd, int dup,
	    const struct bw_event *);
int	 bw_sc_alias(struct bw_sc_sup *, uint64_t id, pid_t tgid, pid_t tid,
	    int fd, struct bw_event *);
int	 bw_sc_deferred(const struct bw_sc_sup *, pid_t tgid, int fd, int dup);

#endif
