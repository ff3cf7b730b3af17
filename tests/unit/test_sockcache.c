/*
 * The socket cache: what a new socket is known to be, learning and
 * forgetting options, epochs, forks, and descriptors beyond the table;
 * and the arena its table is a slice of.
 */
#include <criterion/criterion.h>

#include <sys/socket.h>
#include <netinet/in.h>

#include <stdint.h>

#include "arena.h"
#include "sockcache.h"

#define ALL_OPTS	(BW_OPT_REUSEADDR | BW_OPT_REUSEPORT | BW_OPT_V6ONLY | \
			    BW_OPT_FREEBIND)

Test(sockcache, new_sockets)
{
	struct bw_sockfacts f;

	cr_assert_eq(bw_sockcache_decode(bw_sockcache_word(AF_INET,
	    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 7), 7, &f), 0);
	cr_expect_eq(f.domain, AF_INET);
	cr_expect_eq(f.proto, BW_PROTO_TCP);
	/* Off at creation, except v6only, which only the kernel knows. */
	cr_expect_eq(f.known, BW_OPT_REUSEADDR | BW_OPT_REUSEPORT | BW_OPT_FREEBIND);
	cr_expect_eq(f.opts, 0);

	cr_assert_eq(bw_sockcache_decode(bw_sockcache_word(AF_INET6, SOCK_DGRAM, 0),
	    0, &f), 0);
	cr_expect_eq(f.domain, AF_INET6);
	cr_expect_eq(f.proto, BW_PROTO_UDP);
	cr_expect_eq(f.known & BW_OPT_V6ONLY, 0);

	cr_assert_eq(bw_sockcache_decode(bw_sockcache_word(AF_INET, SOCK_RAW, 0),
	    0, &f), 0);
	cr_expect_eq(f.proto, BW_PROTO_OTHER);

	/* Not IP: known to pass through. */
	cr_assert_eq(bw_sockcache_decode(bw_sockcache_word(AF_UNIX, SOCK_STREAM, 0),
	    0, &f), 0);
	cr_expect_eq(f.domain, AF_UNSPEC);

	cr_expect_eq(bw_sockcache_decode(0, 0, &f), -1);
}

Test(sockcache, learn_and_epochs)
{
	struct bw_sockfacts f;
	uint32_t w = bw_sockcache_word(AF_INET6, SOCK_STREAM, 3);

	w = bw_sockcache_learn(w, 3, BW_OPT_V6ONLY, 1);
	w = bw_sockcache_learn(w, 3, BW_OPT_REUSEADDR, 1);
	cr_assert_eq(bw_sockcache_decode(w, 3, &f), 0);
	cr_expect_eq(f.known, ALL_OPTS);
	cr_expect_eq(f.opts, BW_OPT_V6ONLY | BW_OPT_REUSEADDR);
	w = bw_sockcache_learn(w, 3, BW_OPT_REUSEADDR, 0);
	cr_assert_eq(bw_sockcache_decode(w, 3, &f), 0);
	cr_expect_eq(f.opts, BW_OPT_V6ONLY);

	/* Another epoch: nothing known, the type still is. */
	cr_assert_eq(bw_sockcache_decode(w, 4, &f), 0);
	cr_expect_eq(f.known, 0);
	cr_expect_eq(f.opts, 0);
	cr_expect_eq(f.proto, BW_PROTO_TCP);
	/* Learning in the new epoch keeps only what was learnt there. */
	w = bw_sockcache_learn(w, 4, BW_OPT_REUSEPORT, 1);
	cr_assert_eq(bw_sockcache_decode(w, 4, &f), 0);
	cr_expect_eq(f.known, BW_OPT_REUSEPORT);
	cr_expect_eq(f.opts, BW_OPT_REUSEPORT);
	/* The epoch wraps in its 17 bits, as the counter is cut. */
	cr_expect_eq(bw_sockcache_decode(w, 4 + (1u << 17), &f), 0);
	cr_expect_eq(f.known, BW_OPT_REUSEPORT);

	cr_expect_eq(bw_sockcache_learn(0, 4, BW_OPT_REUSEPORT, 1), 0);
}

Test(sockcache, optbits)
{
	cr_expect_eq(bw_sockcache_optbit(SOL_SOCKET, SO_REUSEADDR), BW_OPT_REUSEADDR);
	cr_expect_eq(bw_sockcache_optbit(SOL_SOCKET, SO_REUSEPORT), BW_OPT_REUSEPORT);
	cr_expect_eq(bw_sockcache_optbit(IPPROTO_IPV6, IPV6_V6ONLY), BW_OPT_V6ONLY);
	cr_expect_eq(bw_sockcache_optbit(IPPROTO_IP, IP_FREEBIND), BW_OPT_FREEBIND);
	cr_expect_eq(bw_sockcache_optbit(IPPROTO_IPV6, 78), BW_OPT_FREEBIND);
	cr_expect_eq(bw_sockcache_optbit(SOL_SOCKET, SO_KEEPALIVE), 0);
	cr_expect_eq(bw_sockcache_optbit(IPPROTO_TCP, SO_REUSEADDR), 0);
}

/* The table itself: setsockopt, forget, fork, dup, the edges. */
Test(sockcache, table)
{
	struct bw_sockfacts f;

	/* Before the shim initialised there is no table: nothing known. */
	bw_sockcache_created(40, AF_INET, SOCK_STREAM);
	cr_expect_eq(bw_sockcache_get(40, &f), -1);
	bw_sockcache_forget(40);
	bw_sockcache_forked();
	cr_assert_eq(bw_sockcache_setup(), 0);

	bw_sockcache_created(40, AF_INET, SOCK_STREAM);
	cr_assert_eq(bw_sockcache_get(40, &f), 0);
	cr_expect_eq(f.known & BW_OPT_REUSEADDR, BW_OPT_REUSEADDR);
	bw_sockcache_setopt(40, SOL_SOCKET, SO_REUSEADDR);
	cr_assert_eq(bw_sockcache_get(40, &f), 0);
	cr_expect_eq(f.known & BW_OPT_REUSEADDR, 0, "set: must be read back");
	bw_sockcache_learned(40, BW_OPT_REUSEADDR, 1);
	cr_assert_eq(bw_sockcache_get(40, &f), 0);
	cr_expect_eq(f.opts & BW_OPT_REUSEADDR, BW_OPT_REUSEADDR);
	/* An option no event reports changes nothing. */
	bw_sockcache_setopt(40, SOL_SOCKET, SO_KEEPALIVE);
	cr_assert_eq(bw_sockcache_get(40, &f), 0);
	cr_expect_eq(f.known & BW_OPT_REUSEADDR, BW_OPT_REUSEADDR);

	/* setsockopt on an untracked descriptor (a dup?) forgets options. */
	bw_sockcache_setopt(41, SOL_SOCKET, SO_REUSEPORT);
	cr_assert_eq(bw_sockcache_get(40, &f), 0);
	cr_expect_eq(f.known, 0);
	cr_expect_eq(f.proto, BW_PROTO_TCP);

	/* A fork: shared sockets are never trusted again, new ones are. */
	bw_sockcache_learned(40, BW_OPT_REUSEPORT, 0);
	bw_sockcache_forked();
	bw_sockcache_learned(40, BW_OPT_REUSEPORT, 0);
	cr_assert_eq(bw_sockcache_get(40, &f), 0);
	cr_expect_eq(f.known, 0);
	bw_sockcache_created(42, AF_INET6, SOCK_DGRAM);
	cr_assert_eq(bw_sockcache_get(42, &f), 0);
	cr_expect_neq(f.known, 0);

	bw_sockcache_forget(40);
	cr_expect_eq(bw_sockcache_get(40, &f), -1);
	bw_sockcache_forget_from(41, ~0u);
	cr_expect_eq(bw_sockcache_get(42, &f), -1);

	/* Out of range: nothing cached, nothing touched. */
	bw_sockcache_created(BW_SOCKCACHE_FDS, AF_INET, SOCK_STREAM);
	cr_expect_eq(bw_sockcache_get(BW_SOCKCACHE_FDS, &f), -1);
	bw_sockcache_created(-1, AF_INET, SOCK_STREAM);
	cr_expect_eq(bw_sockcache_get(-1, &f), -1);
	bw_sockcache_forget(-5);
	bw_sockcache_forget_from(0x7fffffffu, ~0u);
}

/* Slices: zero-filled, aligned, one after another, none past the room. */
Test(arena, slices)
{
	unsigned char *a, *b;
	size_t i;

	cr_assert_not_null(a = bw_arena_slice(100));
	cr_assert_not_null(b = bw_arena_slice(10));
	cr_expect((uintptr_t)b >= (uintptr_t)a + 100, "slices overlap");
	cr_expect_eq((uintptr_t)a % 64, 0);
	cr_expect_eq((uintptr_t)b % 64, 0);
	for (i = 0; i < 100; i++)
		cr_expect_eq(a[i], 0);
	cr_expect_null(bw_arena_slice(SIZE_MAX));
	cr_expect_null(bw_arena_slice(1024 * 1024), "more than its room");
	cr_expect_not_null(bw_arena_slice(10), "a refused slice took room");
}
