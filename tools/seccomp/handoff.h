/*
 * Listeners handed over by the shim's exec hooks (handoff.c): one socket
 * in the collector's directory, each listener then served like the
 * command's own.
 */
#ifndef BW_SC_HANDOFF_H
#define BW_SC_HANDOFF_H

#include <stddef.h>
#include <stdint.h>

#include "attach.h"

/* The loop's tags: the socket itself, and each listener's posts. */
#define BW_SC_HO_TAG	(1ull << 44)

struct bw_sc_handoff {
	int			 lsock;
	char			 path[108];
	int			 epfd;
	int			 responder;	/* the stand-in's socket, or -1 */
	int			 started;	/* the stand-in was tried */
	const struct bw_policy	*pol;
	bw_event_cb		 cb;
	bw_sc_warn_cb		 warn;
	void			*arg;
	struct bw_model		*m;
	struct bw_sc_run	**kids;		/* one per listener */
	size_t			 nkids;
	int			 said_nnp;	/* said once for the run */
	int			 said_fail;
};

struct bw_sc_handoff	*bw_sc_handoff_open(const char *dir);
void	 bw_sc_handoff_attach(struct bw_sc_handoff *, int epfd,
	    const struct bw_policy *, bw_event_cb, bw_sc_warn_cb, void *,
	    struct bw_model *);
int	 bw_sc_handoff_owns(uint64_t);
void	 bw_sc_handoff_ready(struct bw_sc_handoff *, uint64_t, uint32_t);
void	 bw_sc_handoff_drain(struct bw_sc_handoff *, int gone);
void	 bw_sc_handoff_finish(struct bw_sc_handoff *);

#endif
