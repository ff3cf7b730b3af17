/*
 * The event ring.  Layout: a 64-byte header, then size bytes of data.  A
 * record is an 8-byte slot word (length << 32 | committed) followed by the
 * record, padded to 8 bytes, wrapping around the end of the data.  The
 * consumer zeroes what it consumed, so a slot word it reads is either 0
 * (not yet committed) or written by the producer that reserved it.
 */
#include <string.h>

#include "ring.h"

#define COMMITTED	1u
#define PAD8(n)		(((uint64_t)(n) + 7) & ~(uint64_t)7)

static uint8_t *
data(void *base)
{
	return (uint8_t *)base + BW_RING_HDR;
}

/*
 * Lay a ring out over len bytes (header included), whose data must be
 * zero already (a fresh memfd is): touching it all would cost every
 * short-lived process its page faults.  0, or -1.
 */
int
bw_ring_init(void *base, size_t len)
{
	struct bw_ring *r = base;
	size_t size = 1;

	if (len < BW_RING_HDR + 4096)
		return -1;
	while (size * 2 <= len - BW_RING_HDR)
		size *= 2;
	memset(base, 0, BW_RING_HDR);
	r->magic = BW_RING_MAGIC;
	r->size = (uint32_t)size;
	return 0;
}

static void
copy_in(uint8_t *d, uint64_t size, uint64_t pos, const void *src, size_t n)
{
	size_t off = (size_t)(pos & (size - 1)), first = size - off;

	if (first >= n)
		memcpy(d + off, src, n);
	else {
		memcpy(d + off, src, first);
		memcpy(d, (const uint8_t *)src + first, n - first);
	}
}

static void
copy_out(const uint8_t *d, uint64_t size, uint64_t pos, void *dst, size_t n)
{
	size_t off = (size_t)(pos & (size - 1)), first = size - off;

	if (first >= n)
		memcpy(dst, d + off, n);
	else {
		memcpy(dst, d + off, first);
		memcpy((uint8_t *)dst + first, d, n - first);
	}
}

static void
zero(uint8_t *d, uint64_t size, uint64_t pos, size_t n)
{
	size_t off = (size_t)(pos & (size - 1)), first = size - off;

	if (first >= n)
		memset(d + off, 0, n);
	else {
		memset(d + off, 0, first);
		memset(d, 0, n - first);
	}
}

/*
 * Producer: append one record.  Returns 0, or -1 when it does not fit now
 * (the caller sends it another way).  *ring says the consumer asked to be
 * woken: the caller then rings the doorbell.
 */
int
bw_ring_put(void *base, const void *rec, uint32_t len, int *ring)
{
	struct bw_ring *r = base;
	uint64_t h, t, need = 8 + PAD8(len), size = r->size;
	_Atomic uint64_t *slot;

	*ring = 0;
	if (len == 0 || need > size / 4)
		return -1;
	h = atomic_load_explicit(&r->head, memory_order_relaxed);
	do {
		t = atomic_load_explicit(&r->tail, memory_order_acquire);
		if (h + need - t > size)
			return -1;
	} while (!atomic_compare_exchange_weak_explicit(&r->head, &h, h + need,
	    memory_order_acq_rel, memory_order_relaxed));
	copy_in(data(base), size, h + 8, rec, len);
	slot = (_Atomic uint64_t *)(void *)(data(base) + (h & (size - 1)));
	atomic_store_explicit(slot, ((uint64_t)len << 32) | COMMITTED,
	    memory_order_release);
	/* Pairs with the fence in bw_ring_arm: one of us sees the other. */
	atomic_thread_fence(memory_order_seq_cst);
	// NOLINTBEGIN(bugprone-branch-clone): two reasons to ring, each with its comment
	if (atomic_load_explicit(&r->waiting, memory_order_relaxed) &&
	    atomic_exchange(&r->waiting, 0))
		*ring = 1;
	/* A busy consumer polls on a timer; half full, it is hurried, once. */
	else if (h + need - t > size / 2 &&
	    !atomic_load_explicit(&r->nudged, memory_order_relaxed) &&
	    !atomic_exchange(&r->nudged, 1))
		*ring = 1;
	// NOLINTEND(bugprone-branch-clone)
	return 0;
}

/*
 * Consumer, once: the data size of a ring mapped over mapped bytes, or 0
 * when it is not a ring.  The consumer keeps its own copy of the size: the
 * producer could change the header's afterwards.
 */
uint32_t
bw_ring_check(const void *base, size_t mapped)
{
	const struct bw_ring *r = base;
	uint32_t size;

	if (mapped < BW_RING_HDR + 4096 || r->magic != BW_RING_MAGIC)
		return 0;
	size = r->size;
	if (size < 4096 || (size & (size - 1)) || size > mapped - BW_RING_HDR)
		return 0;
	return size;
}

/*
 * Consumer: take the next committed record into buf.  Returns 1 with *len,
 * 0 when there is none (yet), -1 when the ring is corrupt (bad lengths:
 * the producer is not to be trusted).  size is from bw_ring_check.
 */
int
bw_ring_get(void *base, uint32_t size32, void *buf, size_t cap, uint32_t *len)
{
	struct bw_ring *r = base;
	uint64_t h, t, w, need, size = size32;
	_Atomic uint64_t *slot;

	t = atomic_load_explicit(&r->tail, memory_order_relaxed);
	h = atomic_load_explicit(&r->head, memory_order_acquire);
	if (h == t)
		return 0;
	if (h - t > size || (t & 7))
		return -1;
	slot = (_Atomic uint64_t *)(void *)(data(base) + (t & (size - 1)));
	w = atomic_load_explicit(slot, memory_order_acquire);
	if (!(w & COMMITTED))
		return 0;
	*len = (uint32_t)(w >> 32);
	need = 8 + PAD8(*len);
	if (*len == 0 || *len > cap || need > h - t)
		return -1;
	copy_out(data(base), size, t + 8, buf, *len);
	zero(data(base), size, t, (size_t)need);
	atomic_store_explicit(&r->tail, t + need, memory_order_release);
	return 1;
}

/* How far the consumer got: a producer waiting for room watches it move. */
uint64_t
bw_ring_tail(void *base)
{
	struct bw_ring *r = base;

	return atomic_load_explicit(&r->tail, memory_order_acquire);
}

/*
 * Producer: a record given up on (the consumer stalled).  Counted where
 * the consumer can see it even if this producer never writes again.
 */
void
bw_ring_dropped(void *base)
{
	struct bw_ring *r = base;

	atomic_fetch_add_explicit(&r->dropped, 1, memory_order_relaxed);
}

uint64_t
bw_ring_ndropped(const void *base)
{
	const struct bw_ring *r = base;

	return atomic_load_explicit(&r->dropped, memory_order_relaxed);
}

/* Consumer, before sleeping: producers, ring the doorbell. */
void
bw_ring_arm(void *base)
{
	struct bw_ring *r = base;

	atomic_store(&r->waiting, 1);
	atomic_thread_fence(memory_order_seq_cst);
}

/* Consumer, after draining: the next half-full ring may hurry it again. */
void
bw_ring_polled(void *base)
{
	struct bw_ring *r = base;

	if (atomic_load_explicit(&r->nudged, memory_order_relaxed))
		atomic_store_explicit(&r->nudged, 0, memory_order_relaxed);
}

void
bw_ring_disarm(void *base)
{
	struct bw_ring *r = base;

	atomic_store_explicit(&r->waiting, 0, memory_order_relaxed);
}
