/*
 * The shim's larger state, in one mapping made when the shim initialises,
 * handed out in slices (arena.c).  A process that never calls a hook never
 * maps it.
 */
#ifndef BW_ARENA_H
#define BW_ARENA_H

#include <stddef.h>

void	*bw_arena_slice(size_t);
int	 bw_arena_take(_Atomic(void *) *, size_t);

#endif
