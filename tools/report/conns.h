/*
 * The clients' facts of a run (conns.c): each process's connects, folded
 * by destination, outcome and peer, and what its getaddrinfo calls said,
 * to tell which addresses belong to one name.  Part of the model
 * (model.h), changed only through these functions.
 */
#ifndef BW_CONNS_H
#define BW_CONNS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "event.h"

struct bw_rconn {
	pid_t		pid;
	char		comm[BINDWATCH_MAX_COMM];
	struct bw_sa	dst;
	int		err;		/* 0: connected */
	pid_t		peer;		/* 0: not known */
	char		peer_comm[BINDWATCH_MAX_COMM];
	uint64_t	count;
};

/* A name as one process resolved it: its addresses, in order. */
struct bw_rname {
	pid_t		pid;
	char		node[BINDWATCH_MAX_NAME];
	struct bw_sa	addrs[BINDWATCH_MAX_ADDRS];
	size_t		naddrs;
};

struct bw_rconns {
	struct bw_rconn	*conns;
	size_t		 nconns;
	struct bw_rname	*names;
	size_t		 nnames;
};

void	 bw_rconns_event(struct bw_rconns *, const struct bw_event *);
void	 bw_rconns_free(struct bw_rconns *);

#endif
