/*
 * The exported symbols.  Thin on purpose: each forwards to one bw_*
 * function with the configuration (NULL: pass straight through) and the
 * real call it should make.  Nothing else in the library is exported
 * (shim.map).
 */
#include <sys/socket.h>
#include <sys/syscall.h>

#include <netdb.h>
#include <stdarg.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC	(1U << 2)
#endif

/* Not in every libc's headers (musl): ours to declare. */
int	close_range(unsigned int, unsigned int, int);
void	closefrom(int);

#include "connect.h"
#include "gai.h"
#include "init.h"
#include "real.h"
#include "sock.h"
#include "sockcache.h"

/* Each hook is defined under its hidden name (real.h), exported by alias. */
#define EXPORT_AS(name) \
	extern __typeof__(bw_hook_##name) (name) \
	    __attribute__((alias("bw_hook_" #name), visibility("default")))

int
bw_hook_bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	return bw_bind(bw_ready(), fd, addr, len, real_bind);
}
EXPORT_AS(bind);

int
bw_hook_listen(int fd, int backlog)
{
	return bw_listen(bw_ready(), fd, backlog, real_listen);
}
EXPORT_AS(listen);

int
bw_hook_connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	return bw_connect(bw_ready(), fd, addr, len, real_connect);
}
EXPORT_AS(connect);

/* Forwarded at once unless it is SO_ERROR of a pending connect. */
int
bw_hook_getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	return bw_connect_getsockopt(fd, level, name, val, len);
}
EXPORT_AS(getsockopt);

int
bw_hook_getaddrinfo(const char *node, const char *service,
    const struct addrinfo *hints, struct addrinfo **res)
{
	return bw_getaddrinfo(bw_ready(), node, service, hints, res);
}
EXPORT_AS(getaddrinfo);

void
bw_hook_freeaddrinfo(struct addrinfo *ai)
{
	bw_freeaddrinfo(ai);
}
EXPORT_AS(freeaddrinfo);

/*
 * Creation, option changes and every way a descriptor closes keep the
 * socket cache (sockcache.c) true.  Bookkeeping only: nothing reported,
 * errno untouched, the call made exactly as asked.
 */
/* A new socket: cached once we are initialised, which also watches forks. */
static void
created(int fd, int domain, int type)
{
	if (fd >= 0 && bw_ready() != NULL)
		bw_sockcache_created(fd, domain, type);
}

int
bw_hook_socket(int domain, int type, int protocol)
{
	int fd = real_socket(domain, type, protocol);

	created(fd, domain, type);
	return fd;
}
EXPORT_AS(socket);

int
bw_hook_setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	int ret = real_setsockopt(fd, level, name, val, len);

	if (ret == 0)
		bw_sockcache_setopt(fd, level, name);
	return ret;
}
EXPORT_AS(setsockopt);

/* Forget before the call: once it returns the number may be reused.  The
 * close of a listener is reported (sock.c). */
int
bw_hook_close(int fd)
{
	bw_connect_closing(fd);
	return bw_close(fd, real_close);
}
EXPORT_AS(close);

/* fd is being closed or replaced: a pending connect settles, and what
 * the cache knew of the socket goes. */
static void
fd_gone(int fd)
{
	bw_connect_closing(fd);
	bw_sockcache_forget(fd);
}

static void
fds_gone(unsigned int first, unsigned int last)
{
	bw_connect_closing_from(first, last);
	bw_sockcache_forget_from(first, last);
}

int
bw_hook_dup2(int from, int to)
{
	if (from != to)
		fd_gone(to);
	return real_dup2(from, to);
}
EXPORT_AS(dup2);

int
bw_hook_dup3(int from, int to, int flags)
{
	if (from != to)
		fd_gone(to);
	return real_dup3(from, to, flags);
}
EXPORT_AS(dup3);

int
bw_hook_close_range(unsigned int first, unsigned int last, int flags)
{
	if (!(flags & CLOSE_RANGE_CLOEXEC))
		fds_gone(first, last);
	return real_close_range(first, last, flags);
}
EXPORT_AS(close_range);

void
bw_hook_closefrom(int lowfd)
{
	if (lowfd >= 0)
		fds_gone((unsigned int)lowfd, ~0u);
	real_closefrom(lowfd);
}
EXPORT_AS(closefrom);

/* The same calls made through syscall(2). */
static void
sys_bookkeeping(long n, const long *a, long ret)
{
	if (n == SYS_socket && ret >= 0)
		created((int)ret, (int)a[0], (int)a[1]);
	else if (n == SYS_setsockopt && ret == 0)
		bw_sockcache_setopt((int)a[0], (int)a[1], (int)a[2]);
}

static void
sys_forget(long n, const long *a)
{
	int dup_onto = n == SYS_dup3;

#ifdef SYS_dup2
	dup_onto |= n == SYS_dup2 && a[0] != a[1];
#endif
	if (dup_onto)
		fd_gone((int)a[1]);
	else if (n == SYS_close_range && !(a[2] & CLOSE_RANGE_CLOEXEC))
		fds_gone((unsigned int)a[0], (unsigned int)a[1]);
}

/* syscall(SYS_bind / SYS_listen, ...) is observed like the libc calls. */
static int
sys_bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	return real_bind(fd, addr, len);	/* the same system call */
}

static int
sys_listen(int fd, int backlog)
{
	return real_listen(fd, backlog);
}

static int
sys_close(int fd)
{
	return (int)real_syscall6(SYS_close, fd, 0, 0, 0, 0, 0);
}

long
bw_hook_syscall(long n, ...)
{
	va_list ap;
	long a[6], ret;
	int i;

	/* Like libc's own syscall(3): six argument words, used or not. */
	va_start(ap, n);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (n == SYS_bind)
		return bw_bind(bw_ready(), (int)a[0],
		    (const struct sockaddr *)a[1], (socklen_t)a[2], sys_bind);
	if (n == SYS_listen)
		return bw_listen(bw_ready(), (int)a[0], (int)a[1], sys_listen);
	if (n == SYS_close) {
		bw_connect_closing((int)a[0]);
		return bw_close((int)a[0], sys_close);
	}
	sys_forget(n, a);
	ret = real_syscall6(n, a[0], a[1], a[2], a[3], a[4], a[5]);
	sys_bookkeeping(n, a, ret);
	return ret;
}
EXPORT_AS(syscall);

