/*
 * Who accepted a connection: the owner of the listener the kernel picks
 * for its destination (peer.c), remembered for a moment per destination.
 */
#ifndef BW_PEER_H
#define BW_PEER_H

#include <sys/types.h>

#include "addr.h"
#include "netstate.h"

struct bw_peers;

struct bw_peers *bw_peers_new(void);
void	 bw_peers_free(struct bw_peers *);
/* The tree listened or a process exited: forget what was found. */
void	 bw_peers_changed(struct bw_peers *);
/* 1 and *out when the accepting process is known, else 0. */
int	 bw_peers_find(struct bw_peers *, const struct bw_sa *,
	    struct bw_owner *);

#endif
