/*
 * The exported symbols.  Thin on purpose: each forwards to one bw_*
 * function with the real call it should make.  Nothing else in the
 * library is exported (shim.map).
 */
#include <sys/socket.h>
#include <sys/syscall.h>

#include <netdb.h>
#include <stdarg.h>
#include <unistd.h>

#include "gai.h"
#include "real.h"
#include "sock.h"

#define EXPORT	__attribute__((visibility("default")))

EXPORT int
bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	return bw_bind(fd, addr, len, real_bind);
}

EXPORT int
listen(int fd, int backlog)
{
	return bw_listen(fd, backlog, real_listen);
}

EXPORT int
getaddrinfo(const char *node, const char *service,
    const struct addrinfo *hints, struct addrinfo **res)
{
	return bw_getaddrinfo(node, service, hints, res);
}

EXPORT void
freeaddrinfo(struct addrinfo *ai)
{
	bw_freeaddrinfo(ai);
}

/* syscall(SYS_bind / SYS_listen, ...) is observed like the libc calls. */
static int
sys_bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	return (int)real_syscall6(SYS_bind, fd, (long)addr, (long)len, 0, 0, 0);
}

static int
sys_listen(int fd, int backlog)
{
	return (int)real_syscall6(SYS_listen, fd, backlog, 0, 0, 0, 0);
}

EXPORT long
syscall(long n, ...)
{
	va_list ap;
	long a[6];
	int i;

	/* Like libc's own syscall(3): six argument words, used or not. */
	va_start(ap, n);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (n == SYS_bind)
		return bw_bind((int)a[0], (const struct sockaddr *)a[1],
		    (socklen_t)a[2], sys_bind);
	if (n == SYS_listen)
		return bw_listen((int)a[0], (int)a[1], sys_listen);
	return real_syscall6(n, a[0], a[1], a[2], a[3], a[4], a[5]);
}
