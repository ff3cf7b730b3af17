/*
 * The real libc functions.  Resolved lazily with dlsym(RTLD_NEXT) on first
 * use (a hooked call may come from another library's constructor, before
 * ours ran), cached in an atomic pointer, and checked never to be our own
 * hook.  When resolution fails the call fails with ENOSYS rather than
 * recursing into ourselves.
 */
#include <sys/syscall.h>

#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>

#include "real.h"

typedef int	(*bind_fn)(int, const struct sockaddr *, socklen_t);
typedef int	(*listen_fn)(int, int);
typedef int	(*gai_fn)(const char *, const char *, const struct addrinfo *,
		    struct addrinfo **);
typedef void	(*fai_fn)(struct addrinfo *);
typedef long	(*syscall_fn)(long, ...);
typedef int	(*socket_fn)(int, int, int);
typedef int	(*setsockopt_fn)(int, int, int, const void *, socklen_t);
typedef int	(*close_fn)(int);
typedef int	(*dup2_fn)(int, int);
typedef int	(*dup3_fn)(int, int, int);
typedef int	(*close_range_fn)(unsigned int, unsigned int, int);
typedef void	(*closefrom_fn)(int);

static void *
resolve(_Atomic(void *) *slot, const char *name, void *self)
{
	void *f = atomic_load_explicit(slot, memory_order_acquire);

	if (f != NULL)
		return f;
	f = dlsym(RTLD_NEXT, name);
	if (f == self)
		f = NULL;
	if (f != NULL)
		atomic_store_explicit(slot, f, memory_order_release);
	return f;
}

static _Atomic(void *) p_bind, p_listen, p_gai, p_fai, p_syscall;
static _Atomic(void *) p_socket, p_setsockopt, p_close, p_dup2, p_dup3;
static _Atomic(void *) p_close_range, p_closefrom;

int
real_bind(int fd, const struct sockaddr *sa, socklen_t len)
{
	bind_fn f = (bind_fn)resolve(&p_bind, "bind", (void *)bw_self_bind);

	if (f == NULL) {
		errno = ENOSYS;
		return -1;
	}
	return f(fd, sa, len);
}

int
real_listen(int fd, int backlog)
{
	listen_fn f = (listen_fn)resolve(&p_listen, "listen",
	    (void *)bw_self_listen);

	if (f == NULL) {
		errno = ENOSYS;
		return -1;
	}
	return f(fd, backlog);
}

int
real_getaddrinfo(const char *node, const char *service,
    const struct addrinfo *hints, struct addrinfo **res)
{
	gai_fn f = (gai_fn)resolve(&p_gai, "getaddrinfo",
	    (void *)bw_self_getaddrinfo);

	if (f == NULL) {
		errno = ENOSYS;
		return EAI_SYSTEM;
	}
	return f(node, service, hints, res);
}

void
real_freeaddrinfo(struct addrinfo *ai)
{
	fai_fn f = (fai_fn)resolve(&p_fai, "freeaddrinfo",
	    (void *)bw_self_freeaddrinfo);

	if (f != NULL)
		f(ai);
}

long
real_syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	syscall_fn s = (syscall_fn)resolve(&p_syscall, "syscall",
	    (void *)bw_self_syscall);

	if (s == NULL) {
		errno = ENOSYS;
		return -1;
	}
	return s(n, a, b, c, d, e, f);
}

int
real_socket(int domain, int type, int protocol)
{
	socket_fn f = (socket_fn)resolve(&p_socket, "socket",
	    (void *)bw_self_socket);

	if (f == NULL) {
		errno = ENOSYS;
		return -1;
	}
	return f(domain, type, protocol);
}

int
real_setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	setsockopt_fn f = (setsockopt_fn)resolve(&p_setsockopt, "setsockopt",
	    (void *)bw_self_setsockopt);

	if (f == NULL) {
		errno = ENOSYS;
		return -1;
	}
	return f(fd, level, name, val, len);
}

int
real_close(int fd)
{
	close_fn f = (close_fn)resolve(&p_close, "close",
	    (void *)bw_self_close);

	if (f == NULL) {
		errno = ENOSYS;
		return -1;
	}
	return f(fd);
}

int
real_dup2(int from, int to)
{
	dup2_fn f = (dup2_fn)resolve(&p_dup2, "dup2", (void *)bw_self_dup2);

	if (f == NULL) {
		errno = ENOSYS;
		return -1;
	}
	return f(from, to);
}

int
real_dup3(int from, int to, int flags)
{
	dup3_fn f = (dup3_fn)resolve(&p_dup3, "dup3", (void *)bw_self_dup3);

	if (f == NULL) {
		errno = ENOSYS;
		return -1;
	}
	return f(from, to, flags);
}

int
real_close_range(unsigned int first, unsigned int last, int flags)
{
	close_range_fn f = (close_range_fn)resolve(&p_close_range,
	    "close_range", (void *)bw_self_close_range);

	/* A libc without it: the kernel has it since 5.9. */
	if (f == NULL)
		return (int)real_syscall6(SYS_close_range, first, last, flags,
		    0, 0, 0);
	return f(first, last, flags);
}

void
real_closefrom(int lowfd)
{
	closefrom_fn f = (closefrom_fn)resolve(&p_closefrom, "closefrom",
	    (void *)bw_self_closefrom);

	if (f != NULL)
		f(lowfd);
	else if (lowfd >= 0)
		(void)real_syscall6(SYS_close_range, lowfd, 0xffffffffL,
		    0, 0, 0, 0);
}

/*
 * close and dup2/dup3 are async-signal-safe and so are called from signal
 * handlers: resolve them before any handler can run, never in one (dlsym
 * is not async-signal-safe).  Under a microsecond at start-up.
 */
void
real_resolve_early(void)
{
	(void)resolve(&p_close, "close", (void *)bw_self_close);
	(void)resolve(&p_dup2, "dup2", (void *)bw_self_dup2);
	(void)resolve(&p_dup3, "dup3", (void *)bw_self_dup3);
}
