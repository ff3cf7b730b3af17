/* The seccomp side of a run: decided before the spawn, handed over after. */
#ifndef BW_SC_ATTACH_H
#define BW_SC_ATTACH_H

#include <pthread.h>
#include <stdint.h>

#include "model.h"
#include "seccomp.h"
#include "supervise.h"

struct bw_sc_handoff;

struct bw_sc_run {
	int			 active;	/* the command gets the filter */
	int			 sock[2];	/* child -> us: status, listener */
	int			 responder;	/* the stand-in's socket, or -1 */
	int			 standin;	/* the thread starts it (attach) */
	struct bw_sc_fopts	 fo;
	struct bw_sc_sup	 sup;
	int			 have_sup;
	int			 posts[2];	/* the thread's posts to us */
	int			 threaded;	/* the thread serves sup */
	int			 ended;		/* and has returned */
	pthread_t		 th;
	pthread_mutex_t		 qlock;		/* the queue of posts */
	struct bw_sc_post	*qhead, *qtail;
	struct bw_sc_handoff	*ho;		/* listeners from the shim */
};

void	 bw_sc_prepare(struct bw_sc_run *, int mode, int no_io_uring,
	    const char *cmd, const char *shimbase, const char *dir,
	    struct bw_model *);
void	 bw_sc_in_child(struct bw_sc_run *);
void	 bw_sc_attach(struct bw_sc_run *, int epfd, uint64_t tag,
	    const struct bw_policy *, bw_event_cb, bw_sc_warn_cb, void *,
	    struct bw_model *);
int	 bw_sc_serve(struct bw_sc_run *, int lfd, int epfd, uint64_t tag,
	    const struct bw_policy *, bw_event_cb, bw_sc_warn_cb, void *);
void	 bw_sc_say(struct bw_model *, int status, int err);
void	 bw_sc_on_ready(struct bw_sc_run *, int epfd, uint32_t events);
void	 bw_sc_drain(struct bw_sc_run *, int gone);
void	 bw_sc_finish(struct bw_sc_run *);

#endif
