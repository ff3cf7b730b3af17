/*
 * What this process knows about its own sockets, by descriptor, so that a
 * bind or listen event costs no getsockopt: each is a system call (its
 * cost: bench/RESULTS.md, "Figures once quoted in the source") and a bind
 * needs up to four of them.
 *
 * A socket's family and type never change, so what socket() returned is
 * kept until the descriptor is closed or replaced (close, dup2, dup3,
 * close_range, closefrom: all hooked).  Options can change, so each is
 * either known (read from the kernel once, or zero at creation) or not;
 * setsockopt of one makes it unknown again and the next event reads it
 * back.  Options set through another descriptor of the same socket in
 * this process (a dup) are caught by an epoch: a setsockopt on a
 * descriptor we do not track forgets all known options.  A socket that
 * existed at a fork is shared with another process, whose setsockopt we
 * cannot see: its options are read from the kernel at every event.
 *
 * One 32-bit word per descriptor, updated atomically: hooks run in any
 * thread and in signal handlers, so no locks.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdatomic.h>
#include <stdint.h>

#include "arena.h"
#include "sockcache.h"

#ifndef IPV6_FREEBIND
#define IPV6_FREEBIND	78	/* linux/in6.h; not in libc's headers */
#endif

#define SC_VALID	0x80000000u
#define SC_SHARED	0x40000000u	/* since a fork: options never cached */
#define SC_DOM_SHIFT	0		/* 2 bits: enum below */
#define SC_PROTO_SHIFT	2		/* 2 bits: BW_PROTO_* */
#define SC_OPTS_SHIFT	4		/* 4 bits: BW_OPT_* values */
#define SC_KNOWN_SHIFT	8		/* 4 bits: which of them are known */
#define SC_EPOCH_SHIFT	12		/* 17 bits, up to the served bit */
#define SC_EPOCH_MASK	0x1ffffu
#define SC_SERVED	0x20000000u	/* it listened: its close is news */

enum { SC_DOM_NONE, SC_DOM_INET, SC_DOM_INET6, SC_DOM_OTHER };

/* The table (_Atomic uint32_t words) in the arena: before initialisation,
 * nothing is known. */
static _Atomic(void *) table;
static atomic_uint epoch;
static atomic_int highest = -1;	/* bounds close_range's walk */

/* Pure: the word for a socket socket(domain, type, ...) just returned. */
uint32_t
bw_sockcache_word(int domain, int type, unsigned int ep)
{
	uint32_t w = SC_VALID | ((ep & SC_EPOCH_MASK) << SC_EPOCH_SHIFT);
	int proto;

	switch (type & 0xf) {	/* without SOCK_NONBLOCK, SOCK_CLOEXEC */
	case SOCK_STREAM:
		proto = BW_PROTO_TCP;
		break;
	case SOCK_DGRAM:
		proto = BW_PROTO_UDP;
		break;
	default:
		proto = BW_PROTO_OTHER;
		break;
	}
	if (domain == AF_INET)
		w |= SC_DOM_INET;
	else if (domain == AF_INET6)
		w |= SC_DOM_INET6;
	else
		return w | SC_DOM_OTHER;
	w |= (uint32_t)proto << SC_PROTO_SHIFT;
	/* A new socket has these off; IPV6_V6ONLY starts at the netns'
	 * net.ipv6.bindv6only, which only the socket can tell. */
	w |= (uint32_t)(BW_OPT_REUSEADDR | BW_OPT_REUSEPORT | BW_OPT_FREEBIND) <<
	    SC_KNOWN_SHIFT;
	return w;
}

/* Pure: the facts a word holds under the current epoch; -1 if none. */
int
bw_sockcache_decode(uint32_t w, unsigned int ep, struct bw_sockfacts *f)
{
	if (!(w & SC_VALID))
		return -1;
	switch ((w >> SC_DOM_SHIFT) & 3) {
	case SC_DOM_INET:
		f->domain = AF_INET;
		break;
	case SC_DOM_INET6:
		f->domain = AF_INET6;
		break;
	default:
		f->domain = AF_UNSPEC;	/* not IP: passes through */
		break;
	}
	f->proto = (int)((w >> SC_PROTO_SHIFT) & 3);
	if (!(w & SC_SHARED) &&
	    ((w >> SC_EPOCH_SHIFT) & SC_EPOCH_MASK) == (ep & SC_EPOCH_MASK)) {
		f->known = (uint8_t)((w >> SC_KNOWN_SHIFT) & 0xf);
		f->opts = (uint8_t)((w >> SC_OPTS_SHIFT) & f->known);
	} else
		f->known = f->opts = 0;
	return 0;
}

/* Pure: w with option bit opt learnt as on (or off) under epoch ep. */
uint32_t
bw_sockcache_learn(uint32_t w, unsigned int ep, uint8_t opt, int on)
{
	uint32_t known;

	if (!(w & SC_VALID) || (w & SC_SHARED))
		return w;
	if (((w >> SC_EPOCH_SHIFT) & SC_EPOCH_MASK) != (ep & SC_EPOCH_MASK)) {
		/* Everything known before is forgotten. */
		w &= ~((0xffu << SC_OPTS_SHIFT) |
		    (SC_EPOCH_MASK << SC_EPOCH_SHIFT));
		w |= (ep & SC_EPOCH_MASK) << SC_EPOCH_SHIFT;
	}
	known = (uint32_t)opt << SC_KNOWN_SHIFT;
	w |= known;
	if (on)
		w |= (uint32_t)opt << SC_OPTS_SHIFT;
	else
		w &= ~((uint32_t)opt << SC_OPTS_SHIFT);
	return w;
}

/* Pure: the option bit a setsockopt(level, name) changes, or 0. */
uint8_t
bw_sockcache_optbit(int level, int name)
{
	if (level == SOL_SOCKET && name == SO_REUSEADDR)
		return BW_OPT_REUSEADDR;
	if (level == SOL_SOCKET && name == SO_REUSEPORT)
		return BW_OPT_REUSEPORT;
	if (level == IPPROTO_IPV6 && name == IPV6_V6ONLY)
		return BW_OPT_V6ONLY;
	if ((level == IPPROTO_IP && name == IP_FREEBIND) ||
	    (level == IPPROTO_IPV6 && name == IPV6_FREEBIND))
		return BW_OPT_FREEBIND;
	return 0;
}

/* At initialisation: the table, one word per descriptor; -1 if no room. */
int
bw_sockcache_setup(void)
{
	return bw_arena_take(&table,
	    BW_SOCKCACHE_FDS * sizeof(_Atomic uint32_t));
}

static _Atomic uint32_t *
slot(int fd)
{
	_Atomic uint32_t *t;

	if (fd < 0 || fd >= BW_SOCKCACHE_FDS ||
	    (t = atomic_load_explicit(&table, memory_order_acquire)) == NULL)
		return NULL;
	return &t[fd];
}

void
bw_sockcache_created(int fd, int domain, int type)
{
	_Atomic uint32_t *s = slot(fd);
	int h;

	if (s == NULL)
		return;
	atomic_store_explicit(s, bw_sockcache_word(domain, type,
	    atomic_load_explicit(&epoch, memory_order_relaxed)),
	    memory_order_relaxed);
	h = atomic_load_explicit(&highest, memory_order_relaxed);
	while (fd > h && !atomic_compare_exchange_weak_explicit(&highest, &h,
	    fd, memory_order_relaxed, memory_order_relaxed))
		;
}

/* Returns 1 when fd was a socket that listened (bw_sockcache_served). */
int
bw_sockcache_forget(int fd)
{
	_Atomic uint32_t *s = slot(fd);
	uint32_t w;

	/* Read first: most closes are not of sockets, and a store would
	 * dirty a page of the table for nothing. */
	if (s == NULL || (w = atomic_load_explicit(s, memory_order_relaxed)) == 0)
		return 0;
	atomic_store_explicit(s, 0, memory_order_relaxed);
	return (w & (SC_VALID | SC_SERVED)) == (SC_VALID | SC_SERVED);
}

/* fd listens: its close will be reported. */
void
bw_sockcache_served(int fd)
{
	_Atomic uint32_t *s = slot(fd);
	uint32_t w;

	if (s == NULL)
		return;
	w = atomic_load_explicit(s, memory_order_relaxed);
	while ((w & SC_VALID) && !(w & SC_SERVED) &&
	    !atomic_compare_exchange_weak_explicit(s, &w, w | SC_SERVED,
	    memory_order_relaxed, memory_order_relaxed))
		;
}

void
bw_sockcache_forget_from(unsigned int first, unsigned int last)
{
	int h = atomic_load_explicit(&highest, memory_order_relaxed);
	unsigned int fd;

	if (h < 0 || first > (unsigned int)h)
		return;
	if (last > (unsigned int)h)
		last = (unsigned int)h;
	for (fd = first; fd <= last; fd++)
		(void)bw_sockcache_forget((int)fd);
}

void
bw_sockcache_setopt(int fd, int level, int name)
{
	_Atomic uint32_t *s = slot(fd);
	uint8_t bit = bw_sockcache_optbit(level, name);

	if (bit == 0)
		return;
	if (s == NULL || !(atomic_load_explicit(s, memory_order_relaxed) &
	    SC_VALID)) {
		/* Maybe another descriptor of a socket we track. */
		bw_sockcache_new_epoch();
		return;
	}
	/* The kernel's value is read back at the next event: it may not
	 * be what the caller passed (a char-sized IP option, BPF). */
	bw_sockcache_unknown(fd, bit);
}

void
bw_sockcache_unknown(int fd, uint8_t bit)
{
	_Atomic uint32_t *s = slot(fd);
	uint32_t w;

	if (s == NULL)
		return;
	w = atomic_load_explicit(s, memory_order_relaxed);
	while ((w & SC_VALID) && !atomic_compare_exchange_weak_explicit(s, &w,
	    w & ~((uint32_t)bit << SC_KNOWN_SHIFT), memory_order_relaxed,
	    memory_order_relaxed))
		;
}

int
bw_sockcache_get(int fd, struct bw_sockfacts *f)
{
	_Atomic uint32_t *s = slot(fd);

	if (s == NULL)
		return -1;
	return bw_sockcache_decode(atomic_load_explicit(s, memory_order_relaxed),
	    atomic_load_explicit(&epoch, memory_order_relaxed), f);
}

void
bw_sockcache_learned(int fd, uint8_t opt, int on)
{
	_Atomic uint32_t *s = slot(fd);
	unsigned int ep = atomic_load_explicit(&epoch, memory_order_relaxed);
	uint32_t w, nw;

	if (s == NULL)
		return;
	w = atomic_load_explicit(s, memory_order_relaxed);
	do {
		if (!(w & SC_VALID))
			return;
		nw = bw_sockcache_learn(w, ep, opt, on);
	} while (!atomic_compare_exchange_weak_explicit(s, &w, nw,
	    memory_order_relaxed, memory_order_relaxed));
}

/* Both sides of a fork: every socket open now is shared. */
void
bw_sockcache_forked(void)
{
	int fd, h = atomic_load_explicit(&highest, memory_order_relaxed);
	_Atomic uint32_t *s;
	uint32_t w;

	for (fd = 0; fd <= h && (s = slot(fd)) != NULL; fd++) {
		w = atomic_load_explicit(s, memory_order_relaxed);
		while ((w & SC_VALID) && !(w & SC_SHARED) &&
		    !atomic_compare_exchange_weak_explicit(s, &w,
		    (w | SC_SHARED) & ~(0xffu << SC_OPTS_SHIFT),
		    memory_order_relaxed, memory_order_relaxed))
			;
	}
}

void
bw_sockcache_new_epoch(void)
{
	atomic_fetch_add_explicit(&epoch, 1, memory_order_relaxed);
}
