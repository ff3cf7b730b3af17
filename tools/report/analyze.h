/*
 * The findings of a run, each computed once from the model: what the
 * summary lists and what it warns about, as plain data that text.c and
 * json.c print and unit tests assert on.  Strings point into the model:
 * findings live no longer than their model.
 */
#ifndef BW_ANALYZE_H
#define BW_ANALYZE_H

#include "kernelrules.h"
#include "clients.h"
#include "model.h"

#define BW_MAX_HELD	8	/* held_by entries of a listener */
#define BW_MAX_SIDE	8	/* holders named per side of a split */
#define BW_MAX_SPLITS	64	/* ports looked at for a split */

/* A process holding an address. */
struct bw_fholder {
	pid_t		 pid;		/* 0: an unknown process */
	const char	*comm;
	int		 in_run;	/* of the tree: 1, 0, -1 not known */
};

struct bw_fproc {
	pid_t		 pid, ppid;
	const char	*comm, *exe;
	int		 exited;
	int		 status;	/* exit code, or -signal */
	int		 quiet;		/* its pid bound and listened on nothing */
};

struct bw_flisten {
	pid_t		 pid;
	const char	*comm;
	uint8_t		 proto;
	struct bw_sa	 addr;
	const char	*opts[4];	/* the names of its options */
	size_t		 nopts;
	/* The tree's processes the kernel last saw holding it; moved: not
	 * only the one that listened (a fork, a daemon's exit). */
	struct bw_fholder held[BW_MAX_HELD];
	size_t		 nheld;
	int		 moved;
	int		 confined;	/* on the loopback device (policy) */
};

/* What a bind was: bw_fbind kind */
#define BW_FB_FAILED	0x01
#define BW_FB_UDP	0x02	/* a UDP socket bound */
#define BW_FB_POLICY	0x04	/* a policy rewrote or refused it */
#define BW_FB_REWRITTEN	0x08	/* a policy rewrote it, and it bound */
#define BW_FB_DENIED	0x10	/* a policy refused it */
#define BW_FB_FELL_BACK	0x20	/* failed; the same image then bound the
				 * port on another address: fallback */
#define BW_FB_CONFINED	0x40	/* a policy confined it to the loopback
				 * device, its address kept */
#define BW_FB_CLIENT	0x80	/* UDP on port 0: a client's, no policy's */
#define BW_FB_LISTEN	0x100	/* not a bind: a listen that failed */

/* A bind, folded with its identical repeats. */
struct bw_fbind {
	pid_t		 pid;
	const char	*comm;
	uint8_t		 proto;
	int		 kind;		/* BW_FB_* */
	uint64_t	 count;
	int		 ret, err;
	struct bw_sa	 req, used, bound, fallback;
	int		 alias_fd;	/* made an alias of this descriptor, or -1 */
	struct bw_fholder holders[BW_MAX_HOLDERS];	/* when in use */
	size_t		 nholders;
	struct bw_kr_inuse inuse;	/* why it failed (cause.c) */
};

struct bw_fnote {
	const char	*kind, *msg;
};

/* [::1]:port and 127.0.0.1:port held by different processes. */
struct bw_fsplit {
	uint16_t	 port;
	struct bw_fholder v6[BW_MAX_SIDE], v4[BW_MAX_SIDE];
	size_t		 n6, n4;
	int		 reached_known;
	struct bw_fholder reached;	/* whom a client of localhost reaches, */
	struct bw_sa	 reached_addr;	/* trying this address first */
	/* Whom each kind of client reaches (bw_kr_client_order), at which
	 * address; reached is the first's. */
	struct {
		const char	*client;	/* bw_kr_client_name */
		struct bw_fholder who;
		struct bw_sa	 addr;
	} reached_by[BW_KR_NCLIENTS];
	size_t		 nreached_by;
};

/* A listener of the tree: exposed, or unseen by the shim. */
struct bw_fsock {
	pid_t		 pid;
	const char	*comm;
	uint8_t		 proto;
	struct bw_sa	 addr;
	/* policy-not-applied: what the policy would have done, and why. */
	int		 action;	/* BW_ACT_* */
	struct bw_sa	 want;
	const char	*why;
};

/* One socket's holder and its address, in a sharing warning. */
struct bw_fend {
	struct bw_fholder who;
	struct bw_sa	 addr;
};

/* reuseport-shared: one SO_REUSEPORT group held by several processes. */
struct bw_fshare {
	uint8_t		 proto;
	struct bw_sa	 addr;
	struct bw_fholder procs[BW_MAX_SIDE];	/* the tree's first */
	size_t		 nprocs;		/* all of them, past the max */
	size_t		 nsockets;
};

/* exact-beats-wildcard: one destination, who gets it, who is passed over. */
struct bw_fexact {
	struct bw_sa	 dst;
	struct bw_fend	 to[BW_MAX_SIDE], passed[BW_MAX_SIDE];
	size_t		 nto, npassed;
};

struct bw_findings {
	struct bw_fproc		*procs;
	size_t			 nprocs, nquiet;
	struct bw_flisten	*listens;
	size_t			 nlistens;
	struct bw_fbind		*binds;
	size_t			 nbinds;
	/* The warnings, in this order. */
	struct bw_fnote		*notes;
	size_t			 nnotes;
	struct bw_fsplit	*splits;
	size_t			 nsplits;
	struct bw_fsock		*exposed, *unseen;
	size_t			 nexposed, nunseen;
	/* Unseen sockets the run's policy would have changed. */
	struct bw_fsock		*notapplied;
	size_t			 nnotapplied;
	struct bw_fshare	*shares;	/* sharing.c */
	size_t			 nshares;
	struct bw_fexact	*exacts;
	size_t			 nexacts;
	int			 incomplete;	/* events lost or refused */
	size_t			 nwarnings;	/* all of them */
	int			 hidden;	/* some owners could not be seen */
	struct bw_counts	 counts;
	int			 timed_out;	/* --timeout ended the run */
	int			 not_run;	/* the command could not be run */
	struct bw_fsock		*closed;	/* listeners the program closed */
	size_t			 nclosed;
	struct bw_fclients	 clients;	/* connections (clients.h) */
};

void	 bw_analyze(const struct bw_model *, const struct bw_kernel_ops *,
	    struct bw_findings *);
void	 bw_findings_free(struct bw_findings *);
/* unseen.c: the sockets the shim never saw, as the analysis takes them. */
void	 bw_find_unseen(const struct bw_model *, struct bw_findings *);
int	 bw_accepts(const struct bw_sa *, int, const struct bw_sa *);

/* split.c: split localhost. */
void	 bw_find_splits(const struct bw_model *, const struct bw_kernel_ops *,
	    struct bw_findings *);

/* sharing.c: reuseport-shared and exact-beats-wildcard. */
void	 bw_find_sharing(const struct bw_model *, struct bw_findings *);

/* cause.c: why a bind failed, as the model saw it (bw_kr_inuse). */
void	 bw_failed_cause(const struct bw_rbind *, struct bw_kr_inuse *);

#endif
