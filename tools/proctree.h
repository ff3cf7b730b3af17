/* The processes below a root pid, from /proc/PID/stat. */
#ifndef BW_PROCTREE_H
#define BW_PROCTREE_H

#include <stddef.h>
#include <sys/types.h>

int	 bw_stat_ppid(const char *, size_t, pid_t *);
int	 bw_proctree(const char *, pid_t, pid_t **, size_t *);
pid_t	 bw_proc_ppid(const char *, pid_t);
int	 bw_children_parse(const char *, size_t, pid_t **, size_t *, size_t *);

#endif
