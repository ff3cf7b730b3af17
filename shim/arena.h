/*
 * The shim's larger state, in one mapping made when the shim initialises
 * (arena.c).  A process that never calls a hook never maps it.
 */
#ifndef BW_ARENA_H
#define BW_ARENA_H

#include <stdint.h>

#include "sock.h"
#include "sockcache.h"
#include "config.h"

#define BW_GAI_MAX_OWNED	4096	/* lists of ours alive at once */

struct bw_arena {
	struct bw_conf		conf;
	_Atomic uint32_t	sockcache[BW_SOCKCACHE_FDS];
	_Atomic(void *)		gai_owned[BW_GAI_MAX_OWNED];
	struct bw_rewritten	rewritten[BW_MAX_REWRITTEN];
};

struct bw_arena	*bw_arena(void);
struct bw_arena	*bw_arena_map(void);

#endif
