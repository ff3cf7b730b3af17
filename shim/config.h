/*
 * The shim's configuration: what the BINDWATCH_* variables ask for, read
 * once from the environment (config.c).
 */
#ifndef BW_CONFIG_H
#define BW_CONFIG_H

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
	uint64_t		seccomp_cookie;	/* 0: no filter to pass */
	int			local_ends;	/* read a connect's local end */
	struct sockaddr_un	handoff;	/* sun_path "": no exec filter */
};

int	 bw_config_wanted(void);
int	 bw_config_read(struct bw_conf *, int);
int	 bw_config_refuse(const char *, const char *, const char *, int);

#endif
