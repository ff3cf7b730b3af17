/*
 * The owner scan's insides, shared by owners.c (the walk of /proc/PID/fd
 * and what it found) and owners_worker.c (the forked worker that walks
 * with us); netstate.c keeps a struct bw_owners across the read.
 */
#ifndef BW_OWNERS_H
#define BW_OWNERS_H

#include <dirent.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "contract.h"
#include "netstate.h"

/*
 * The wanted sockets by inode, open addressing with linear probing: built
 * in O(S) (sorting took a millisecond with 10,000 sockets) and about one
 * probe per descriptor.  Inode 0 marks a free slot: no descriptor links
 * to a socket without an inode.
 */
struct inoslot {
	uint64_t	inode;
	size_t		sock;		/* index into ns->socks */
};

struct inoset {
	struct inoslot	*slot;		/* NULL: every socket counts */
	size_t		 mask;
	unsigned int	 shift;
};

/*
 * What the scan of one process found, as a record of a flat byte stream:
 * the forked worker streams its records over a pipe, and ours and its
 * are applied by one function.  FOUND_OWNER is followed by ninodes
 * uint64_t socket inodes; the worker's stream ends with FOUND_END.
 */
enum { FOUND_OWNER = 1, FOUND_LATER, FOUND_HIDDEN, FOUND_END };

struct found {
	int32_t		pid;
	uint32_t	what;
	uint32_t	ninodes;
	char		comm[BINDWATCH_MAX_COMM];
};

struct stream {
	unsigned char	*p;
	size_t		 len, cap;
};

/* Room in the shared memory: past it, the worker gives up, or keeps all. */
#define SHARED_PIDS	(1 << 20)
#define SHARED_SLOTS	(1 << 20)

/*
 * Shared with the forked worker: the work counter, the pids it lists for
 * both of us and, once we have read the sockets, the set of their inodes.
 */
struct shared {
	size_t		next;
	char		pad[64 - sizeof(size_t)];	/* next is written often */
	size_t		npids;		/* SIZE_MAX until listed */
	size_t		mask;		/* SIZE_MAX until the set is there */
	unsigned int	shift;
	pid_t		pids[SHARED_PIDS];
	struct inoslot	slot[SHARED_SLOTS];
};

/* One worker's view: which inodes count, where to look, what to skip. */
struct scan {
	struct inoset	 set;
	int		 procfd;
	char		 ournet[64];	/* "net:[N]"; "" when not checked */
	pid_t		 skip;		/* the forked worker */
};

/* The owner scan, started before the sockets are read. */
struct bw_owners {
	const char	*procroot;
	DIR		*proc;
	struct scan	 sc;
	pid_t		*pids;		/* ours, or the worker's in sh */
	size_t		 npids;
	pid_t		*mypids;	/* when we listed them ourselves */
	struct shared	*sh;		/* NULL: no worker */
	pid_t		 kid;
	int		 fd;		/* the worker's stream */
	cpu_set_t	 cpus;		/* ours, the worker's once it runs */
	pid_t		*later;		/* in other network namespaces */
	size_t		 nlater, caplater;
};

/* owners.c: the scan, for netstate.c */
void	 bw_owners_start(struct bw_owners *, const char *);
int	 bw_owners_finish(struct bw_owners *, struct bw_netstate *);
void	 bw_owners_end(struct bw_owners *);

/* owners.c, for owners_worker.c */
int	 bw_owners_mark(struct stream *, pid_t, uint32_t);
int	 bw_owners_parse_pid(const char *, pid_t *);
int	 bw_owners_scan_pid(const struct scan *, pid_t, int, struct stream *);
int	 bw_owners_list_pids(struct bw_owners *);

/* owners_worker.c */
int	 bw_owners_chunk(struct scan *, const pid_t *, size_t, size_t *,
	    struct shared *, struct stream *);
int	 bw_owners_read_stream(int, struct stream *, int);
void	 bw_owners_start_worker(struct bw_owners *);
void	 bw_owners_stop_worker(struct bw_owners *, int);
int	 bw_owners_await_pids(struct bw_owners *);

#endif
