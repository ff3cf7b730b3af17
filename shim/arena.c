/*
 * Where the shim keeps its larger state: the configuration, the socket
 * cache, the lists it allocated, the sockets a policy bound.  Not in .bss:
 * a .bss that spills past the last page of the data segment makes the
 * loader map it separately, in every process at start (bench/RESULTS.md,
 * "Figures once quoted in the source"), and most processes never call a
 * hook.
 * One anonymous mapping instead, made when the shim initialises; a fork
 * inherits a copy of it, as it would .bss.  Each module takes a slice of
 * it at initialisation and keeps the pointer: the arena knows sizes, not
 * the modules' types.
 */
#include <sys/mman.h>

#include <stdatomic.h>
#include <stddef.h>

#include "arena.h"

/* Room for every slice initialisation takes (init.c), with some to spare:
 * untouched pages cost nothing.  Should one not fit, the shim stays off as
 * when the mapping fails, which every test run would show. */
#define ARENA_BYTES	((size_t)384 * 1024)
#define SLICE_ALIGN	64

static unsigned char *base;
static size_t used;

/*
 * A zero-filled slice of size bytes, never freed, or NULL when the mapping
 * cannot be made or has no room left.  Only initialisation takes slices,
 * on the one thread that initialises: no lock.
 */
void *
bw_arena_slice(size_t size)
{
	size_t at = (used + SLICE_ALIGN - 1) & ~(size_t)(SLICE_ALIGN - 1);
	void *p;

	if (base == NULL) {
		p = mmap(NULL, ARENA_BYTES, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return NULL;
		base = p;
	}
	if (at > ARENA_BYTES || size > ARENA_BYTES - at)
		return NULL;
	used = at + size;
	return base + at;
}

/*
 * A slice for a module's table, published in *table for its readers on
 * every thread (NULL until then: the shim is not initialised); -1 if none.
 */
int
bw_arena_take(_Atomic(void *) *table, size_t size)
{
	void *p = bw_arena_slice(size);

	if (p == NULL)
		return -1;
	atomic_store_explicit(table, p, memory_order_release);
	return 0;
}
