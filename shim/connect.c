/*
 * connect: one event per TCP connect over IPv4/IPv6, with its outcome.
 * Only stream sockets: a UDP connect sends nothing and every DNS query
 * makes one (libc's resolver connects its UDP socket to the name server),
 * so reporting them would bury the program's own connections.  AF_UNIX
 * and other families pass untouched and unreported.
 *
 * A blocking connect reports its result.  A non-blocking one (EINPROGRESS;
 * or EINTR, after which the kernel goes on connecting) is remembered as
 * pending, by descriptor, and reported once its outcome is known: when the
 * program reads it with getsockopt(SO_ERROR), tries connect again (EISCONN,
 * or the error), or closes the descriptor (or dup2/dup3 over it) first.
 * The event then says "async".
 *
 * The hooks only record the endpoints: the local one by getsockname, on
 * success only, and only where it is shown (JSON): a system call, the
 * largest part of a connect event's cost.  Who accepted is for the CLI
 * to find (tools/peer.c).
 *
 * The pending set: one bit per descriptor, so that the getsockopt and
 * close hooks cost a load when nothing is pending, and a small table of
 * destinations.  Hooks run in any thread and in signal handlers: no locks,
 * and each pending connect is claimed by one atomic exchange, so it is
 * reported once.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "connect.h"
#include "emit.h"
#include "init.h"
#include "real.h"
#include "sock.h"
#include "sockcache.h"

#define MAX_PENDING	256
#define SLOT_FREE	0
#define SLOT_BUSY	(-1)	/* being written or claimed */

struct pending {
	atomic_int	key;	/* fd + 1, or SLOT_FREE / SLOT_BUSY */
	struct bw_sa	dst;
};

struct pendstate {
	_Atomic uint32_t bits[BW_SOCKCACHE_FDS / 32];
	struct pending	 slot[MAX_PENDING];
};

static _Atomic(void *) state;	/* struct pendstate, in the arena */

int
bw_connect_setup(void)
{
	return bw_arena_take(&state, sizeof(struct pendstate));
}

static struct pendstate *
pstate(void)
{
	return atomic_load_explicit(&state, memory_order_acquire);
}

/* Is a connect pending on fd?  The fast path of every hook here. */
static int
pending(const struct pendstate *ps, int fd)
{
	return ps != NULL && fd >= 0 && fd < BW_SOCKCACHE_FDS &&
	    (atomic_load_explicit(&ps->bits[fd / 32], memory_order_relaxed) &
	    (1u << (fd % 32))) != 0;
}

/* Remember a pending connect; -1 when it cannot be (no room). */
static int
remember(struct pendstate *ps, int fd, const struct bw_sa *dst)
{
	size_t i;
	int expect;

	if (ps == NULL || fd < 0 || fd >= BW_SOCKCACHE_FDS)
		return -1;
	for (i = 0; i < MAX_PENDING; i++) {
		expect = SLOT_FREE;
		if (!atomic_compare_exchange_strong(&ps->slot[i].key, &expect,
		    SLOT_BUSY))
			continue;
		ps->slot[i].dst = *dst;
		atomic_store_explicit(&ps->slot[i].key, fd + 1,
		    memory_order_release);
		atomic_fetch_or_explicit(&ps->bits[fd / 32], 1u << (fd % 32),
		    memory_order_release);
		return 0;
	}
	return -1;
}

/* Take fd's pending connect: 0 and its destination, once; -1 if none. */
static int
claim(struct pendstate *ps, int fd, struct bw_sa *dst)
{
	size_t i;
	int expect;

	atomic_fetch_and_explicit(&ps->bits[fd / 32], ~(1u << (fd % 32)),
	    memory_order_acq_rel);
	for (i = 0; i < MAX_PENDING; i++) {
		expect = fd + 1;
		if (!atomic_compare_exchange_strong(&ps->slot[i].key, &expect,
		    SLOT_BUSY))
			continue;
		*dst = ps->slot[i].dst;
		atomic_store_explicit(&ps->slot[i].key, SLOT_FREE,
		    memory_order_release);
		return 0;
	}
	return -1;
}

static void
report(const struct bw_conf *c, int fd, const struct bw_sa *dst, int err,
    int async)
{
	struct bw_event e;

	memset(&e, 0, sizeof(e));
	e.type = BW_EV_CONNECT;
	e.proto = BW_PROTO_TCP;
	e.opts = async ? BW_CONN_ASYNC : 0;
	e.fd = fd;
	e.alias_fd = -1;
	e.req = *dst;
	e.ret = err == 0 ? 0 : -1;
	e.err = err;
	if (err == 0 && c->local_ends)
		bw_sock_local(fd, &e.bound);
	bw_emit(c, &e);
}

/*
 * Report fd's pending connect with outcome err (0: connected).  An err of
 * -1: not known yet; ask the socket (before a close), and an unfinished
 * connect is reported as still in progress, which it was when abandoned.
 */
static void
settle(int fd, int err)
{
	const struct bw_conf *c = bw_ready();
	struct pendstate *ps = pstate();
	struct sockaddr_storage ss;
	struct bw_sa dst;
	socklen_t len;
	int saved = errno, v = 0;

	if (c == NULL || ps == NULL || claim(ps, fd, &dst) == -1)
		return;
	if (err == -1) {
		/* Connected, the common case, costs one call; SO_ERROR only
		 * for a connect that has no peer (failed, or unfinished). */
		len = sizeof(ss);
		if (getpeername(fd, (struct sockaddr *)&ss, &len) == 0)
			v = 0;
		else if (errno != ENOTCONN)
			v = errno;
		else {
			len = sizeof(v);
			if (real_getsockopt(fd, SOL_SOCKET, SO_ERROR, &v,
			    &len) == -1)
				v = errno;
			else if (v == 0)
				v = EINPROGRESS;
		}
		err = v;
	}
	report(c, fd, &dst, err, 1);
	errno = saved;
}

/* A TCP socket of IPv4/IPv6, as the kernel accepted its address family. */
static int
tcp_socket(int fd)
{
	struct bw_sockfacts f;
	socklen_t len = sizeof(int);
	int type = 0;

	if (bw_sockcache_get(fd, &f) == 0)
		return f.proto == BW_PROTO_TCP;
	return real_getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 &&
	    type == SOCK_STREAM;
}

int
bw_connect(const struct bw_conf *c, int fd, const struct sockaddr *addr,
    socklen_t len, bw_connect_call call)
{
	struct pendstate *ps;
	struct bw_sa dst;
	int saved = errno, ret, err;

	ret = call(fd, addr, len);
	err = errno;
	/* The kernel read the whole address unless it said EFAULT. */
	if (c == NULL || (ret == -1 && err == EFAULT) || addr == NULL ||
	    len < sizeof(sa_family_t) ||
	    (addr->sa_family != AF_INET && addr->sa_family != AF_INET6) ||
	    len > sizeof(struct sockaddr_storage) ||
	    bw_sa_from_sockaddr(&dst, addr, len) == -1 || !tcp_socket(fd)) {
		errno = err;
		return ret;
	}
	ps = pstate();
	if (pending(ps, fd)) {
		/* Asked again: the answer settles the first connect. */
		if (ret == 0 || err == EISCONN)
			settle(fd, 0);
		else if (err != EALREADY && err != EINPROGRESS && err != EINTR)
			settle(fd, err);
	} else if (ret == -1 && (err == EINPROGRESS || err == EINTR)) {
		if (remember(ps, fd, &dst) == -1)
			report(c, fd, &dst, err, 1);
	} else
		report(c, fd, &dst, ret == 0 ? 0 : err, 0);
	errno = ret == -1 ? err : saved;
	return ret;
}

/* getsockopt(SO_ERROR) on a pending connect: the program learns it now. */
int
bw_connect_getsockopt(int fd, int level, int name, void *val,
    socklen_t *len)
{
	struct sockaddr_storage ss;
	socklen_t slen = sizeof(ss);
	int ret, err, v;

	ret = real_getsockopt(fd, level, name, val, len);
	if (level != SOL_SOCKET || name != SO_ERROR || !pending(pstate(), fd) ||
	    ret == -1 || val == NULL || len == NULL || *len < sizeof(int))
		return ret;
	err = errno;
	memcpy(&v, val, sizeof(v));
	/* 0 also while the handshake goes on: connected only with a peer. */
	if (v != 0)
		settle(fd, v);
	else if (getpeername(fd, (struct sockaddr *)&ss, &slen) == 0)
		settle(fd, 0);
	errno = err;
	return ret;
}

/* fd is about to be closed or replaced: a pending connect settles now. */
void
bw_connect_closing(int fd)
{
	if (pending(pstate(), fd))
		settle(fd, -1);
}

void
bw_connect_closing_from(unsigned int first, unsigned int last)
{
	struct pendstate *ps = pstate();
	size_t i;
	int k;

	if (ps == NULL)
		return;
	for (i = 0; i < MAX_PENDING; i++) {
		k = atomic_load_explicit(&ps->slot[i].key,
		    memory_order_acquire);
		if (k > 0 && (unsigned int)(k - 1) >= first &&
		    (unsigned int)(k - 1) <= last)
			bw_connect_closing(k - 1);
	}
}

/* A fork child does not report its parent's connects: forgotten. */
void
bw_connect_forked(void)
{
	struct pendstate *ps = pstate();
	size_t i;

	if (ps == NULL)
		return;
	for (i = 0; i < BW_SOCKCACHE_FDS / 32; i++)
		if (atomic_load_explicit(&ps->bits[i], memory_order_relaxed))
			atomic_store_explicit(&ps->bits[i], 0,
			    memory_order_relaxed);
	for (i = 0; i < MAX_PENDING; i++)
		atomic_store_explicit(&ps->slot[i].key, SLOT_FREE,
		    memory_order_relaxed);
}
