/*
 * The facts of a run: its processes, what they bound and listened on, who
 * held what a bind found in use, the kernel's view of the tree's sockets
 * and of others' on its ports, and the warnings found before it.  Changed
 * only through bw_model_*; the kernel is asked through bw_kernel_ops.
 */
#ifndef BW_MODEL_H
#define BW_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "conns.h"
#include "event.h"
#include "netstate.h"
#include "policy.h"

#define BW_MAX_HOLDERS	4

struct bw_rproc {
	pid_t		pid, ppid;
	uint64_t	boot;		/* of its latest image, 0 unknown */
	char		comm[BINDWATCH_MAX_COMM];
	char		exe[BINDWATCH_MAX_NAME];
	int		exited;
	int		status;		/* exit code, or -signal */
	uint32_t	last_seq;	/* of its latest image's events */
};

struct bw_rbind {
	pid_t		pid;
	uint64_t	boot;
	uint32_t	seq;		/* of the first such bind */
	uint64_t	count;		/* identical binds folded into this one */
	int		fd;
	uint8_t		proto, opts, action;
	int		ret, err;
	struct bw_sa	req, used, bound;
	int		alias_fd;
	size_t		nholders;
	struct bw_owner	holders[BW_MAX_HOLDERS];
	struct bw_kr_inuse inuse;	/* why EADDRINUSE (bw_kr_inuse) */
	int		listen;		/* a listen that failed, not a bind */
};

struct bw_rlisten {
	pid_t		pid;
	int		fd;
	uint8_t		proto, opts, action;
	struct bw_sa	addr;
	int		autobound;
	int		confined;	/* on the loopback device (policy) */
	uint32_t	close_seq;	/* closed by the program: its close's
					 * seq; 0 none (closes.c) */
	uint64_t	boot;		/* of the image that closed it */
};

/* What came in, and what did not. */
struct bw_counts {
	uint64_t	received;	/* events */
	uint64_t	lost, malformed;	/* records */
	uint64_t	rejected;	/* connections from another user */
};

/* A socket the kernel showed: the tree's own, or another process's on a
 * port the tree uses. */
struct bw_ksock {
	pid_t		pid;
	char		comm[BINDWATCH_MAX_COMM];
	uint8_t		proto;
	struct bw_sa	addr;
	uid_t		uid;		/* the socket's */
	int		tree;
	int		v6only;		/* IPV6_V6ONLY: 1, 0, -1 unknown */
	uint64_t	inode;		/* which socket; 0 not known */
	int		reuseport;	/* 1 inferred (netstate.c), -1 unknown */
};

struct bw_model {
	struct bw_rproc		*procs;
	size_t			 nprocs;
	uint32_t		*pidx;		/* pid -> newest procs index + 1 */
	size_t			 pidcap;	/* a power of two, or 0 */
	struct bw_rbind		*binds;
	size_t			 nbinds;
	struct bw_rlisten	*listens;
	size_t			 nlistens;
	struct bw_ksock		*ksocks;
	size_t			 nksocks;
	size_t			 ngai;
	char			**notes;	/* warnings found before the run */
	char			**note_kinds;
	size_t			 nnotes;
	int			 have_kernel;
	int			 hidden;	/* some owners could not be seen */
	struct bw_counts	 counts;
	int			 timed_out;	/* --timeout ended the run */
	int			 not_run;	/* the command could not be run */
	struct bw_rlisten	*closed;	/* closed while the run went on */
	size_t			 nclosed;
	/* The run's policy (the caller's), or NULL: what the shim applied
	 * and what it could not apply to sockets it never saw. */
	const struct bw_policy	*policy;
	struct bw_rconns	 conns;		/* the clients' (conns.h) */
};

/*
 * The kernel, as the model and the analysis ask it: run.c reads /proc,
 * netlink and the resolver, unit tests pass a fake.  What a member returns
 * stays valid until that member is called again.
 */
struct bw_kernel_ops {
	void	*arg;
	/* The processes of the tree now; -1 when they cannot be known. */
	int	(*tree)(void *, const pid_t **, size_t *);
	/* The listening sockets now (bw_netstate_read flags), or NULL. */
	const struct bw_netstate *(*sockets)(void *, int);
	/* Every socket (BW_NS_ALL: TIME_WAIT, connections, bound ones), a
	 * moment old at most, for why an address is in use: a burst of
	 * failing binds reads the kernel once. */
	const struct bw_netstate *(*recent)(void *);
	/* Does a TCP socket listen at this address?  1, 0, -1 unknown. */
	int	(*listener_at)(void *, const struct bw_sa *);
	/* The addresses a client of "localhost" tries, in order: how many. */
	size_t	(*client_order)(void *, struct bw_sa *, size_t);
	/* The parent of a process, 0 when not known.  May be NULL. */
	pid_t	(*ppid)(void *, pid_t);
	/* The process that accepts a TCP connection to this destination
	 * (its listener's owner): 1 and the owner, 0 none known. */
	int	(*peer)(void *, const struct bw_sa *, struct bw_owner *);
};

/* With a NULL bw_kernel_ops, the kernel is not asked. */
void	 bw_model_init(struct bw_model *);
void	 bw_model_free(struct bw_model *);
void	 bw_model_event(struct bw_model *, const struct bw_event *,
	    const struct bw_kernel_ops *);
void	 bw_model_exit(struct bw_model *, pid_t, const char *, int);
void	 bw_model_note(struct bw_model *, const char *, const char *);
void	 bw_model_policy(struct bw_model *, const struct bw_policy *);
void	 bw_model_losses(struct bw_model *, uint64_t, uint64_t, uint64_t);
void	 bw_model_snapshot(struct bw_model *, const struct bw_kernel_ops *);
void	 bw_model_finish(struct bw_model *, const struct bw_kernel_ops *);
const struct bw_rproc *bw_model_proc(const struct bw_model *, pid_t);
const char *bw_model_comm(const struct bw_model *, pid_t);
/* procs.c: the entry of pid, made or brought up to date (model.c's). */
struct bw_rproc *bw_model_proc_at(struct bw_model *, pid_t, pid_t,
	    const char *, uint64_t, int);
/* closes.c */
void	 bw_model_close(struct bw_model *, const struct bw_event *,
	    const struct bw_kernel_ops *);
void	 bw_model_closes_settle(struct bw_model *);

#endif
