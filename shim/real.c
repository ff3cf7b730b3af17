/*
 * The real libc functions.  Resolved lazily with dlsym(RTLD_NEXT) on first
 * use (a hooked call may come from another library's constructor, before
 * ours ran), cached in an atomic pointer, and checked never to be our own
 * hook.  When resolution fails the call fails with ENOSYS rather than
 * recursing into ourselves.
 */
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

/* Our exported hooks, to refuse them if the loader ever hands them back. */
extern int	 bind(int, const struct sockaddr *, socklen_t);
extern int	 listen(int, int);
extern long	 syscall(long, ...);

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

int
real_bind(int fd, const struct sockaddr *sa, socklen_t len)
{
	bind_fn f = (bind_fn)resolve(&p_bind, "bind", (void *)bind);

	if (f == NULL) {
		errno = ENOSYS;
		return -1;
	}
	return f(fd, sa, len);
}

int
real_listen(int fd, int backlog)
{
	listen_fn f = (listen_fn)resolve(&p_listen, "listen", (void *)listen);

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
	gai_fn f = (gai_fn)resolve(&p_gai, "getaddrinfo", (void *)getaddrinfo);

	if (f == NULL) {
		errno = ENOSYS;
		return EAI_SYSTEM;
	}
	return f(node, service, hints, res);
}

void
real_freeaddrinfo(struct addrinfo *ai)
{
	fai_fn f = (fai_fn)resolve(&p_fai, "freeaddrinfo", (void *)freeaddrinfo);

	if (f != NULL)
		f(ai);
}

long
real_syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	syscall_fn s = (syscall_fn)resolve(&p_syscall, "syscall", (void *)syscall);

	if (s == NULL) {
		errno = ENOSYS;
		return -1;
	}
	return s(n, a, b, c, d, e, f);
}
