/*
 * Where the shim keeps its larger state: the configuration, the socket
 * cache, the lists it allocated, the sockets a policy bound.  Not in .bss:
 * a .bss that spills past the last page of the data segment makes the
 * loader map it separately, ~5 us in every process at start here
 * (bench/spawnpair, 3,000 rounds), and most processes never call a hook.
 * One anonymous mapping instead, made when the shim initialises; a fork
 * inherits a copy of it, as it would .bss.
 */
#include <sys/mman.h>

#include <stdatomic.h>
#include <stddef.h>

#include "arena.h"

static _Atomic(struct bw_arena *) arena;

/* The state, or NULL before the shim initialised (nothing to look up). */
struct bw_arena *
bw_arena(void)
{
	return atomic_load_explicit(&arena, memory_order_acquire);
}

/*
 * Map it, once; NULL if that fails.  Async-signal-safe, and safe to race:
 * the loser unmaps its copy.
 */
struct bw_arena *
bw_arena_map(void)
{
	struct bw_arena *a = bw_arena(), *expect = NULL;

	if (a != NULL)
		return a;
	a = mmap(NULL, sizeof(*a), PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED)
		return NULL;
	if (!atomic_compare_exchange_strong(&arena, &expect, a)) {
		munmap(a, sizeof(*a));
		return expect;
	}
	return a;
}
