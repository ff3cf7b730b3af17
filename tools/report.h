/*
 * The picture of a run: processes, what they bound and listened on, what
 * failed and who held it, what policies rewrote, and the warnings that
 * follow.  Pure: fed with events and kernel snapshots by run.c, rendered
 * as text or JSON.
 */
#ifndef BW_REPORT_H
#define BW_REPORT_H

#include <stdio.h>
#include <sys/types.h>

#include "event.h"
#include "netstate.h"

#define BW_MAX_HOLDERS	4

struct bw_rproc {
	pid_t		pid, ppid;
	uint64_t	boot;		/* of its latest image, 0 unknown */
	char		comm[BINDWATCH_MAX_COMM];
	char		exe[BINDWATCH_MAX_NAME];
	int		exited;
	int		status;		/* exit code, or -signal */
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
};

struct bw_rlisten {
	pid_t		pid;
	int		fd;
	uint8_t		proto, opts, action;
	struct bw_sa	addr;
	int		autobound;
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
};

struct bw_report {
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
	struct bw_sa		 client[BINDWATCH_MAX_ADDRS];	/* "localhost" */
	size_t			 nclient;
	int			 have_kernel;
	int			 hidden;	/* some owners could not be seen */
	uint64_t		 received, lost, malformed, rejected;
};

void	 bw_report_init(struct bw_report *);
void	 bw_report_free(struct bw_report *);
ssize_t	 bw_report_event(struct bw_report *, const struct bw_event *);
void	 bw_report_holders(struct bw_report *, size_t, const struct bw_netstate *);
void	 bw_report_kernel(struct bw_report *, const struct bw_netstate *,
	    const pid_t *, size_t);
void	 bw_report_exit(struct bw_report *, pid_t, const char *, int);
void	 bw_report_note(struct bw_report *, const char *, const char *);
const struct bw_rproc *bw_report_proc(const struct bw_report *, pid_t);
void	 bw_report_text(const struct bw_report *, FILE *, int, int);
void	 bw_report_json(const struct bw_report *, FILE *, int);
int	 bw_report_split(const struct bw_report *);
size_t	 bw_report_ports(const struct bw_report *, int, uint16_t *, size_t);
int	 bw_report_wants_owners(const struct bw_report *,
	    const struct bw_netstate *);
int	 bw_accepts(const struct bw_sa *, int, const struct bw_sa *);

#endif
