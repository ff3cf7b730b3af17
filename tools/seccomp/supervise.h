/*
 * The supervisor: one notification at a time, answered from bindwatch's
 * own epoll loop (run.c), so its events enter the model like the shim's.
 */
#ifndef BW_SC_SUPERVISE_H
#define BW_SC_SUPERVISE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "addr.h"
#include "mem.h"
#include "collect.h"
#include "policy.h"

#define BW_SC_MAX_BOUND	64

/* A socket bound by the supervisor, for the alias of a later collision. */
struct bw_sc_bound {
	pid_t		tgid;
	int		fd;
	uint64_t	ino;
	int		proto;
	int		rewrote;
	int		deferred;	/* port 0: the policy decides at listen */
	struct bw_sa	sa;		/* unmapped */
};

/*
 * A call answered, handed on: the event's details are read from the
 * duplicate and /proc by whoever takes it (bw_sc_details), or a warning.
 */
struct bw_sc_post {
	struct bw_sc_post	*next;		/* queued */
	struct bw_event		 e;
	pid_t			 tid;		/* the caller */
	struct bw_sc_proc	 p;		/* as first seen */
	int			 dup;		/* the target's socket, or -1 */
	int			 domain;
	int			 freebind;	/* IP_FREEBIND matters */
	int			 from_dup;	/* bound: the dup's address */
	int			 before0;	/* listen on an unbound socket */
	char			 kind[32];	/* a warning: its kind, */
	char			 msg[200];	/* and text */
};

typedef void	(*bw_sc_post_cb)(struct bw_sc_post *, void *);
typedef void	(*bw_sc_warn_cb)(void *, const char *kind, const char *msg);

struct bw_sc_sup {
	int			 fd;		/* the listener */
	const struct bw_policy	*pol;		/* &polcopy, or NULL */
	struct bw_policy	 polcopy;	/* ours: the thread may outlive
						 * the caller's */
	int			 policy;	/* a policy is active */
	void			*req, *resp;	/* sized by the kernel */
	size_t			 reqsz, respsz;
	int			 unpriv_port;	/* ip_unprivileged_port_start */
	bw_event_cb		 cb;
	bw_sc_warn_cb		 warn;
	void			*arg;
	bw_sc_post_cb		 post;		/* to the main thread, or */
	void			*post_arg;	/* NULL: details done here */
	int			 warned_mem;
	int			 busy;		/* between receiving a call and
						 * handing its post on (atomic) */
	uint64_t		 handled;
	struct bw_sc_bound	 bound[BW_SC_MAX_BOUND];
};

int	 bw_sc_open(struct bw_sc_sup *, int fd, const struct bw_policy *,
	    bw_event_cb, bw_sc_warn_cb, void *);
int	 bw_sc_ready(struct bw_sc_sup *);
void	 bw_sc_close(struct bw_sc_sup *);

void	 bw_sc_gather(int, int, struct bw_event *, int);
void	 bw_sc_local_addr(int, struct bw_sa *);
void	 bw_sc_post(struct bw_sc_sup *, struct bw_sc_post *);
void	 bw_sc_post_warn(struct bw_sc_sup *, const char *, const char *);
void	 bw_sc_details(const struct bw_sc_sup *, struct bw_sc_post *);

#endif
