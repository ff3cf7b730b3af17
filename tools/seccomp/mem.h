/* The target of a notification: its memory, descriptors and identity. */
#ifndef BW_SC_MEM_H
#define BW_SC_MEM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "contract.h"

struct bw_sc_proc {
	pid_t		tgid, ppid;
	uint64_t	capeff;
	char		comm[BINDWATCH_MAX_COMM];
};

int	 bw_sc_read(pid_t, uint64_t, void *, size_t);
int	 bw_sc_getfd(pid_t tid, pid_t tgid, int fd);
int	 bw_sc_proc(pid_t, struct bw_sc_proc *);
void	 bw_sc_mem_forget(void);
int	 bw_sc_proc_kept(pid_t, struct bw_sc_proc *);

#endif
