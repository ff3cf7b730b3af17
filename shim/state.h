/*
 * The shim's configuration (read once from the environment) and the
 * per-thread guard that keeps our own work from being observed.
 */
#ifndef BW_STATE_H
#define BW_STATE_H

#include <stdint.h>
#include <sys/un.h>

#include "policy.h"

enum bw_out { BW_OUT_STDERR, BW_OUT_FILE, BW_OUT_COLLECTOR };

/* What every event reads comes first: one page of a process touched. */
struct bw_conf {
	int			json;
	int			out;		/* enum bw_out */
	int			policy_active;
	struct sockaddr_un	collector;
	int			chan_fd;	/* inherited connection... */
	uint64_t		chan_ino;	/* ...if still this socket; 0: none */
	char			logpath[4096];
	struct bw_policy	policy;
};

const struct bw_conf	*bw_conf(void);
uint64_t		 bw_boot(void);
void			 bw_self(int32_t *, int32_t *, char *, size_t);
uint32_t		 bw_next_seq(void);

#endif
