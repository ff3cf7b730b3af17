/*
 * bind and listen: gather the facts (socket family and type, options that
 * decide sharing, the address asked for and the one obtained), ask the
 * policy, make the real call, emit one event, restore errno.  Sockets that
 * are not IPv4/IPv6 pass through untouched and unreported.
 */
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "alias.h"
#include "config.h"
#include "emit.h"
#include "init.h"
#include "real.h"
#include "sock.h"
#include "sockcache.h"

/* At initialisation: -1 if the arena has no room. */
int
bw_sock_setup(void)
{
	return bw_alias_setup();
}

static int
ip_domain(int fd)
{
	struct bw_sockfacts f;
	socklen_t len = sizeof(int);
	int d;

	if (bw_sockcache_get(fd, &f) == 0)
		return f.domain == AF_UNSPEC ? -1 : f.domain;
	if (real_getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &d, &len) == -1)
		return -1;
	return d == AF_INET || d == AF_INET6 ? d : -1;
}

/* One option: from the cache when known, else from the kernel (and
 * remembered). */
static void
opt(int fd, const struct bw_sockfacts *f, int level, int name, uint8_t bit,
    struct bw_event *e)
{
	socklen_t len = sizeof(int);
	int v = 0;

	if (f->known & bit) {
		e->opts |= f->opts & bit;
		return;
	}
	if (real_getsockopt(fd, level, name, &v, &len) == -1)
		return;
	if (v != 0)
		e->opts |= bit;
	bw_sockcache_learned(fd, bit, v != 0);
}

/*
 * The socket's type and the options that decide sharing.  Each costs a
 * getsockopt, a system call, unless the socket cache knows it, so
 * IP_FREEBIND, which matters only for an address that is not local, is
 * read only when asked for.
 */
static void
gather(int fd, int domain, struct bw_event *e, int freebind)
{
	struct bw_sockfacts f;
	socklen_t len = sizeof(int);
	int type = 0;

	if (bw_sockcache_get(fd, &f) == 0)
		e->proto = (uint8_t)f.proto;
	else {
		memset(&f, 0, sizeof(f));
		if (real_getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0)
			e->proto = type == SOCK_STREAM ? BW_PROTO_TCP :
			    type == SOCK_DGRAM ? BW_PROTO_UDP : BW_PROTO_OTHER;
	}
	e->opts = 0;
	opt(fd, &f, SOL_SOCKET, SO_REUSEADDR, BW_OPT_REUSEADDR, e);
	opt(fd, &f, SOL_SOCKET, SO_REUSEPORT, BW_OPT_REUSEPORT, e);
	if (domain == AF_INET6)
		opt(fd, &f, IPPROTO_IPV6, IPV6_V6ONLY, BW_OPT_V6ONLY, e);
	if (freebind)
		opt(fd, &f, IPPROTO_IP, IP_FREEBIND, BW_OPT_FREEBIND, e);
}

/* A bind to a specific IPv6 address sets IPV6_V6ONLY in the kernel. */
static void
v6only_may_change(int fd, int domain)
{
	if (domain == AF_INET6)
		bw_sockcache_unknown(fd, BW_OPT_V6ONLY);
}

/* The socket's own address (getsockname), or a zero one. */
void
bw_sock_local(int fd, struct bw_sa *sa)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1 ||
	    bw_sa_from_sockaddr(sa, (struct sockaddr *)&ss, len) == -1)
		memset(sa, 0, sizeof(*sa));
}

/*
 * Copy the caller's sockaddr without ever faulting: a bad pointer must
 * give the program EFAULT from the kernel, not a crash in our code.
 */
static int
safe_copy(const struct sockaddr *a, socklen_t len, struct sockaddr_storage *ss)
{
	struct iovec l, r;
	ssize_t n;

	if (a == NULL || len == 0 || len > sizeof(*ss))
		return -1;
	l.iov_base = ss;
	l.iov_len = len;
	r.iov_base = (void *)(uintptr_t)a;
	r.iov_len = len;
	n = process_vm_readv(getpid(), &l, 1, &r, 1, 0);
	if (n == (ssize_t)len)
		return 0;
	if (n == -1 && (errno == ENOSYS || errno == EPERM)) {
		/* Filtered (seccomp): fall back to a plain read. */
		memcpy(ss, a, len);
		return 0;
	}
	return -1;
}

/* IPV6_V6ONLY off on the program's socket, noted as its hook would. */
static int
v6only_off(int fd)
{
	int off = 0;

	if (real_setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off,
	    sizeof(off)) == -1)
		return -1;
	bw_sockcache_setopt(fd, IPPROTO_IPV6, IPV6_V6ONLY);
	return 0;
}

/*
 * Confine fd to the loopback device.  Unprivileged since Linux 5.7; where
 * the kernel refuses, the decision falls back to its plain rewrite.
 */
static int
confine(int fd, struct bw_bind_decision *d)
{
	if (real_setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE,
	    BINDWATCH_LOOPBACK_DEVICE, sizeof(BINDWATCH_LOOPBACK_DEVICE)) == 0)
		return 0;
	return bw_policy_unconfined(d);
}

/* The policy's view of fd in this phase. */
static void
bind_ctx(int domain, const struct bw_event *e, int phase,
    struct bw_bind_ctx *ctx)
{
	ctx->family = domain;
	ctx->proto = e->proto;
	ctx->v6only = (e->opts & BW_OPT_V6ONLY) != 0;
	ctx->phase = phase;
}

static int
bind_policy(const struct bw_conf *c, int fd, int domain,
    const struct sockaddr *addr, socklen_t len, bw_bind_call call,
    struct bw_event *e, int *err)
{
	struct bw_bind_decision d;
	struct bw_bind_ctx ctx;
	struct sockaddr_storage ss;
	size_t nlen;
	int ret, rewrote, holder;

	if (safe_copy(addr, len, &ss) == -1 ||
	    bw_sa_from_sockaddr(&e->req, (struct sockaddr *)&ss, len) == -1) {
		/* Unreadable or not IP: the kernel says what it thinks of it. */
		ret = call(fd, addr, len);
		*err = errno;
		return ret;
	}
	e->used = e->req;
	bind_ctx(domain, e, BW_PHASE_BIND, &ctx);
	bw_policy_socket(&c->policy, &ctx, &e->req, &d);
	if (d.action == BW_ACT_CONFINE && confine(fd, &d) == -1) {
		*err = errno;
		return -1;
	}
	e->action = (uint8_t)d.action;
	if (d.action == BW_ACT_DENY) {
		if (d.addr.family != 0)
			e->used = d.addr;
		*err = d.err;
		return -1;
	}
	if (d.action == BW_ACT_PASS || (d.action == BW_ACT_CONFINE &&
	    bw_sa_equal(&d.addr, &e->req, 1))) {
		ret = call(fd, addr, len);
		*err = errno;
	} else {
		e->used = d.addr;
		if (d.clear_v6only && v6only_off(fd) == -1) {
			*err = errno;
			return -1;
		}
		nlen = bw_sa_to_sockaddr(&d.addr, &ss);
		ret = call(fd, (struct sockaddr *)&ss, (socklen_t)nlen);
		*err = errno;
	}
	rewrote = d.action == BW_ACT_REWRITE;
	if (ret == 0)
		bw_alias_remember(fd, e->proto, &e->used, rewrote,
		    d.action == BW_ACT_PASS && !d.client && e->req.port == 0);
	else if (*err == EADDRINUSE &&
	    bw_alias_bind(fd, e->proto, &e->used, rewrote, &holder) == 0) {
		e->action = BW_ACT_REWRITE;
		e->alias_fd = holder;
		ret = 0;
		*err = 0;
	}
	return ret;
}

/*
 * Without a policy the real call comes first, and the socket's family is
 * read from the address the kernel accepted: an IPv4/IPv6 socket accepts
 * only its own family, so a successful bind costs no SO_DOMAIN query and
 * an AF_UNIX bind costs nothing at all.
 */
static int
observed_domain(int fd, const struct sockaddr *addr, socklen_t len, int ret,
    int err)
{
	int fam;

	/* The kernel copies the whole address before any check that could
	 * fail, so unless it said EFAULT the bytes were readable. */
	if ((ret == -1 && err == EFAULT) || addr == NULL ||
	    len < sizeof(sa_family_t) || len > sizeof(struct sockaddr_storage))
		return ip_domain(fd);
	fam = addr->sa_family;
	if (fam != AF_INET && fam != AF_INET6)
		return ret == 0 && fam != AF_UNSPEC ? -1 : ip_domain(fd);
	/* These say the address did not suit the socket: ask the socket.
	 * Not a socket, or not open: whatever the cache held is stale (a
	 * descriptor closed behind libc's back). */
	if (ret == -1 && (err == ENOTSOCK || err == EBADF))
		bw_sockcache_forget(fd);
	if (ret == -1 && (err == EINVAL || err == EAFNOSUPPORT ||
	    err == ENOTSOCK || err == EBADF || err == EOPNOTSUPP))
		return ip_domain(fd);
	return fam;
}

int
bw_bind(const struct bw_conf *c, int fd, const struct sockaddr *addr,
    socklen_t len, bw_bind_call call)
{
	struct bw_event e;
	int saved = errno, domain, ret, err;

	if (c == NULL)
		return call(fd, addr, len);
	memset(&e, 0, sizeof(e));
	e.type = BW_EV_BIND;
	e.fd = fd;
	e.alias_fd = -1;
	if (c->policy_active) {
		if ((domain = ip_domain(fd)) == -1) {
			errno = saved;
			return call(fd, addr, len);
		}
		gather(fd, domain, &e, 1);
		errno = saved;
		ret = bind_policy(c, fd, domain, addr, len, call, &e, &err);
		/* The kernel's view after the bind, as on the plain path. */
		if (ret == 0) {
			v6only_may_change(fd, domain);
			gather(fd, domain, &e, 1);
		}
	} else {
		errno = saved;
		ret = call(fd, addr, len);
		err = errno;
		if ((domain = observed_domain(fd, addr, len, ret, err)) == -1) {
			errno = err;
			return ret;
		}
		if (ret == 0)
			v6only_may_change(fd, domain);
		if (err != EFAULT && len > 0 &&
		    len <= sizeof(struct sockaddr_storage) &&
		    bw_sa_from_sockaddr(&e.req, addr, len) == 0)
			e.used = e.req;
		gather(fd, domain, &e, e.used.family == 0 ||
		    bw_sa_class(&e.used) == BW_CLASS_OTHER);
	}
	e.ret = ret;
	e.err = ret == -1 ? err : 0;
	/* A fixed port is bound as asked: only port 0 (and an alias, which
	 * is the other socket) needs getsockname. */
	if (ret == 0 && e.used.family != 0 && e.used.port != 0 && e.alias_fd < 0)
		e.bound = e.used;
	else if (ret == 0)
		bw_sock_local(fd, &e.bound);
	bw_emit(c, &e);
	errno = ret == -1 ? err : saved;
	return ret;
}

/*
 * listen on a socket that was never bound binds it to the wildcard and an
 * ephemeral port: under force / loopback-only that implicit bind is
 * rewritten like an explicit one.
 */
static int
listen_autobind_policy(const struct bw_conf *c, int fd, int domain,
    struct bw_event *e, int *err)
{
	struct bw_bind_decision d;
	struct bw_bind_ctx ctx;
	struct sockaddr_storage ss;
	struct bw_sa any;
	size_t nlen;

	memset(&any, 0, sizeof(any));
	any.family = (uint16_t)domain;
	bind_ctx(domain, e, BW_PHASE_AUTOBIND, &ctx);
	bw_policy_socket(&c->policy, &ctx, &any, &d);
	if (d.action == BW_ACT_CONFINE && confine(fd, &d) == -1) {
		*err = errno;
		return -1;
	}
	if (d.action == BW_ACT_DENY) {
		*err = d.err;
		e->action = BW_ACT_DENY;
		return -1;
	}
	if (d.action == BW_ACT_CONFINE) {
		/* listen binds the wildcard itself, on the device now. */
		e->action = BW_ACT_CONFINE;
		return 0;
	}
	if (d.action != BW_ACT_REWRITE)
		return 0;
	if (d.clear_v6only && v6only_off(fd) == 0)
		e->opts &= (uint8_t)~BW_OPT_V6ONLY;
	nlen = bw_sa_to_sockaddr(&d.addr, &ss);
	if (real_bind(fd, (struct sockaddr *)&ss, (socklen_t)nlen) == -1) {
		*err = errno;
		return -1;
	}
	e->action = BW_ACT_REWRITE;
	e->req = any;
	e->used = d.addr;
	return 0;
}

/* Is fd bound to a network device already (its own choice, or ours)? */
static int
on_device(int fd)
{
	char dev[64];
	socklen_t len = sizeof(dev);

	return real_getsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev, &len) == 0 &&
	    len > 0 && dev[0] != '\0';
}

/*
 * listen on a socket this process bound to port 0, which the policy left
 * alone then (it may have been a client's): now it is a server, bound
 * where it is, so it can only be confined to the loopback device.  A
 * socket bound elsewhere (inherited) is not the program's bind: untouched.
 */
static int
listen_bound_policy(const struct bw_conf *c, int fd, int domain,
    const struct bw_sa *bound, struct bw_event *e, int *err)
{
	struct bw_bind_decision d;
	struct bw_bind_ctx ctx;

	bind_ctx(domain, e, BW_PHASE_BOUND, &ctx);
	bw_policy_socket(&c->policy, &ctx, bound, &d);
	if (d.action == BW_ACT_DENY) {
		*err = d.err;
		e->action = BW_ACT_DENY;
		return -1;
	}
	if (d.action != BW_ACT_CONFINE || on_device(fd))
		return 0;
	/* No fallback at this point (the address is taken), and a kernel
	 * that refuses leaves the server as it would have run. */
	d.fallback.family = 0;
	if (confine(fd, &d) == -1)
		return 0;
	e->action = BW_ACT_CONFINE;
	e->req = e->used = *bound;
	return 0;
}

int
bw_listen(const struct bw_conf *c, int fd, int backlog, bw_listen_call call)
{
	struct bw_event e;
	struct bw_sa before;
	int saved = errno, domain, ret, err = 0;

	if (c == NULL || (domain = ip_domain(fd)) == -1) {
		errno = saved;
		return call(fd, backlog);
	}
	memset(&e, 0, sizeof(e));
	e.type = BW_EV_LISTEN;
	e.fd = fd;
	e.alias_fd = -1;
	e.backlog = backlog;
	bw_sock_local(fd, &before);
	gather(fd, domain, &e, 0);
	ret = 0;
	if (c->policy_active && before.port == 0 && e.proto == BW_PROTO_TCP)
		ret = listen_autobind_policy(c, fd, domain, &e, &err);
	else if (c->policy_active && before.family != 0 &&
	    e.proto == BW_PROTO_TCP && bw_alias_deferred(fd))
		ret = listen_bound_policy(c, fd, domain, &before, &e, &err);
	if (ret == 0) {
		errno = saved;
		ret = call(fd, backlog);
		err = errno;
	}
	if (ret == -1 && (err == ENOTSOCK || err == EBADF)) {
		/* A stale cache entry called it an IP socket: it is none. */
		bw_sockcache_forget(fd);
		errno = err;
		return ret;
	}
	bw_sock_local(fd, &e.bound);
	if (ret == -1 && err == EADDRINUSE && c->policy_active &&
	    bw_alias_listen(fd, &e.bound, &e.alias_fd) == 0) {
		e.action = BW_ACT_REWRITE;
		ret = 0;
		bw_sock_local(fd, &e.bound);
	}
	e.autobound = before.port == 0 && e.bound.port != 0;
	if (ret == 0)
		bw_sockcache_served(fd);
	e.ret = ret;
	e.err = ret == -1 ? err : 0;
	bw_emit(c, &e);
	errno = ret == -1 ? err : saved;
	return ret;
}

/*
 * close of a socket this process listened on is reported, so that the
 * summary lists it as closed, not as listening (the CLI asks the kernel
 * whether a dup or a fork still holds it).  Any other close costs what it
 * did: one load from the socket cache.  The address is read before the
 * call, the event sent after it.
 */
int
bw_close(int fd, bw_close_call call)
{
	const struct bw_conf *c;
	struct bw_event e;
	int saved = errno, ret, err;

	/* Only then is the shim asked for its state: bw_ready. */
	if (!bw_sockcache_forget(fd) || (c = bw_ready()) == NULL)
		return call(fd);
	memset(&e, 0, sizeof(e));
	e.type = BW_EV_CLOSE;
	e.fd = fd;
	e.alias_fd = -1;
	e.proto = BW_PROTO_TCP;		/* only TCP sockets listen */
	bw_sock_local(fd, &e.bound);
	errno = saved;
	ret = call(fd);
	err = errno;
	/* Linux closes the descriptor even when close reports an error. */
	if (e.bound.family != 0 && (ret == 0 || err != EBADF))
		bw_emit(c, &e);
	errno = ret == -1 ? err : saved;
	return ret;
}
