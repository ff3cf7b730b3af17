/*
 * A shared-memory ring of event records: many producers (the threads and
 * forked children of one process image, the shim), one consumer (the
 * collector).  A record costs a compare-and-swap and a copy, no system
 * call; the consumer is woken by a doorbell only when it said it sleeps.
 * The consumer treats the ring as untrusted: every length is checked.
 */
#ifndef BW_RING_H
#define BW_RING_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define BW_RING_MAGIC	0x62777231u	/* "bwr1" */
#define BW_RING_HDR	64		/* data starts a cache line in */

struct bw_ring {
	uint32_t		magic;
	uint32_t		size;		/* data bytes: a power of two */
	_Atomic uint64_t	head;		/* bytes reserved by producers */
	_Atomic uint64_t	tail;		/* bytes consumed */
	_Atomic uint32_t	waiting;	/* the consumer sleeps: ring */
	_Atomic uint32_t	nudged;		/* half full: rung once already */
	_Atomic uint64_t	dropped;	/* records producers gave up on */
};

int	 bw_ring_init(void *, size_t);
int	 bw_ring_put(void *, const void *, uint32_t, int *);
uint32_t bw_ring_check(const void *, size_t);
int	 bw_ring_get(void *, uint32_t, void *, size_t, uint32_t *);
uint64_t bw_ring_tail(void *);
void	 bw_ring_dropped(void *);
uint64_t bw_ring_ndropped(const void *);
void	 bw_ring_arm(void *);
void	 bw_ring_disarm(void *);
void	 bw_ring_polled(void *);

#endif
