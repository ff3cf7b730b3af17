/* Before an exec: a filter for an image the shim cannot see (exec.c). */
#ifndef BW_EXEC_H
#define BW_EXEC_H

#include "config.h"

void	 bw_exec_file(const struct bw_conf *, const char *, int);
void	 bw_exec_fd(const struct bw_conf *, int);
void	 bw_exec_at(const struct bw_conf *, int, const char *, int);

#endif
