/*
 * The shared-memory event ring: round trips across the wrap, full and
 * corrupt rings, the doorbell handshake, and many producer threads against
 * one consumer with every record checked.
 */
#include <criterion/criterion.h>

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "ring.h"

#define RING_LEN	(BW_RING_HDR + 8192)

static _Alignas(64) unsigned char ring_mem[RING_LEN];

Test(ring, round_trip_across_the_wrap)
{
	unsigned char in[300], out[2048];
	uint32_t size, len;
	int bell, i, k;

	cr_assert_eq((memset(ring_mem, 0, RING_LEN), bw_ring_init(ring_mem, RING_LEN)), 0);
	size = bw_ring_check(ring_mem, RING_LEN);
	cr_assert_eq(size, 8192);
	for (k = 0; k < 200; k++) {
		size_t n = 1 + (size_t)(k * 37) % sizeof(in);

		for (i = 0; i < (int)n; i++)
			in[i] = (unsigned char)(k + i);
		cr_assert_eq(bw_ring_put(ring_mem, in, (uint32_t)n, &bell), 0);
		cr_assert_eq(bell, 0);
		cr_assert_eq(bw_ring_get(ring_mem, size, out, sizeof(out), &len), 1);
		cr_assert_eq(len, n);
		cr_assert_eq(memcmp(in, out, n), 0, "record %d", k);
	}
	cr_assert_eq(bw_ring_get(ring_mem, size, out, sizeof(out), &len), 0);
}

Test(ring, full_then_room_again)
{
	unsigned char rec[1000] = { 1 }, out[2048];
	uint32_t size, len;
	int bell, n = 0;

	(memset(ring_mem, 0, RING_LEN), bw_ring_init(ring_mem, RING_LEN));
	size = bw_ring_check(ring_mem, RING_LEN);
	while (bw_ring_put(ring_mem, rec, sizeof(rec), &bell) == 0)
		n++;
	cr_assert_eq(n, 8192 / 1008, "8-byte slot word, padded");
	cr_assert_eq(bw_ring_get(ring_mem, size, out, sizeof(out), &len), 1);
	cr_assert_eq(bw_ring_put(ring_mem, rec, sizeof(rec), &bell), 0);
	cr_assert_eq(bw_ring_put(ring_mem, rec, 3000, &bell), -1, "over a quarter");
	cr_assert_eq(bw_ring_put(ring_mem, rec, 0, &bell), -1);
}

Test(ring, doorbell_only_when_armed)
{
	unsigned char out[64];
	uint32_t size, len;
	int bell;

	(memset(ring_mem, 0, RING_LEN), bw_ring_init(ring_mem, RING_LEN));
	size = bw_ring_check(ring_mem, RING_LEN);
	bw_ring_put(ring_mem, "a", 1, &bell);
	cr_assert_eq(bell, 0);
	bw_ring_arm(ring_mem);
	bw_ring_put(ring_mem, "b", 1, &bell);
	cr_assert_eq(bell, 1, "armed: the first producer rings");
	bw_ring_put(ring_mem, "c", 1, &bell);
	cr_assert_eq(bell, 0, "and only the first");
	while (bw_ring_get(ring_mem, size, out, sizeof(out), &len) == 1)
		;
}

Test(ring, hostile_headers_are_refused)
{
	struct bw_ring *r = (struct bw_ring *)(void *)ring_mem;
	unsigned char out[64];
	uint32_t size, len;
	int bell;

	(memset(ring_mem, 0, RING_LEN), bw_ring_init(ring_mem, RING_LEN));
	size = bw_ring_check(ring_mem, RING_LEN);
	cr_assert_eq(bw_ring_check(ring_mem, RING_LEN - 1), 0, "size beyond the mapping");
	r->magic = 0;
	cr_assert_eq(bw_ring_check(ring_mem, RING_LEN), 0);
	(memset(ring_mem, 0, RING_LEN), bw_ring_init(ring_mem, RING_LEN));
	r->size = 5000;
	cr_assert_eq(bw_ring_check(ring_mem, RING_LEN), 0, "not a power of two");

	(memset(ring_mem, 0, RING_LEN), bw_ring_init(ring_mem, RING_LEN));
	atomic_store(&r->head, 100000);
	cr_assert_eq(bw_ring_get(ring_mem, size, out, sizeof(out), &len), -1, "head too far");

	(memset(ring_mem, 0, RING_LEN), bw_ring_init(ring_mem, RING_LEN));
	bw_ring_put(ring_mem, "abc", 3, &bell);
	/* A slot word claiming a longer record than was reserved. */
	*(uint64_t *)(void *)(ring_mem + BW_RING_HDR) = ((uint64_t)4000 << 32) | 1;
	cr_assert_eq(bw_ring_get(ring_mem, size, out, sizeof(out), &len), -1);
}

#define PRODUCERS	4
#define PER_PRODUCER	50000

static unsigned char big_ring[BW_RING_HDR + 65536];

static void *
ring_producer(void *arg)
{
	uint32_t id = (uint32_t)(uintptr_t)arg, i, rec[4];
	int bell;

	for (i = 0; i < PER_PRODUCER; i++) {
		rec[0] = id;
		rec[1] = i;
		rec[2] = id ^ i;
		rec[3] = ~i;
		while (bw_ring_put(big_ring, rec, 8 + (i % 3) * 4, &bell) == -1)
			sched_yield();
	}
	return NULL;
}

Test(ring, many_producers_one_consumer)
{
	pthread_t t[PRODUCERS];
	uint32_t next[PRODUCERS] = { 0 }, rec[8], size, len, total = 0;
	uintptr_t k;
	int r;

	memset(big_ring, 0, sizeof(big_ring));
	cr_assert_eq(bw_ring_init(big_ring, sizeof(big_ring)), 0);
	size = bw_ring_check(big_ring, sizeof(big_ring));
	for (k = 0; k < PRODUCERS; k++)
		pthread_create(&t[k], NULL, ring_producer, (void *)k);
	while (total < PRODUCERS * PER_PRODUCER) {
		r = bw_ring_get(big_ring, size, rec, sizeof(rec), &len);
		cr_assert_neq(r, -1);
		if (r == 0) {
			sched_yield();
			continue;
		}
		cr_assert(rec[0] < PRODUCERS);
		/* Each producer's records arrive in its own order, intact. */
		cr_assert_eq(rec[1], next[rec[0]]);
		cr_assert_eq(len, 8 + (rec[1] % 3) * 4);
		if (len >= 12)
			cr_assert_eq(rec[2], rec[0] ^ rec[1]);
		next[rec[0]]++;
		total++;
	}
	for (k = 0; k < PRODUCERS; k++)
		pthread_join(t[k], NULL);
	cr_assert_eq(bw_ring_get(big_ring, size, rec, sizeof(rec), &len), 0);
}
