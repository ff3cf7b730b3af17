/*
 * The kernel as a run asks it (bw_kernel_ops): the tree, the sockets,
 * the listener that took a connection.  What each call returns is the
 * run's until the same question is asked again.
 */
#ifndef BW_RUNKERNEL_H
#define BW_RUNKERNEL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "netstate.h"

struct bw_kernel_ops;
struct bw_peers;

struct bw_runk {
	int			 gone;		/* no process of the tree left */
	pid_t			*tree;		/* the last look at the tree */
	size_t			 ntree;
	struct bw_netstate	 snap_ns;	/* the last snapshot */
	int			 have_snap_ns;
	struct bw_netstate	 holders_ns;
	int64_t			 holders_at;
	int			 have_holders_ns;
	struct bw_peers		*peers;		/* who accepted a connect */
};

void	 bw_runk_init(struct bw_runk *, struct bw_kernel_ops *);
void	 bw_runk_free(struct bw_runk *);
int64_t	 bw_now_ms(void);

#endif
