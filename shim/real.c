/*
 * The real libc functions behind our hooks: one table, bound once.  The
 * shim calls every function it also exports through here, never by its
 * name, which would be our own hook (`make lint-shim` checks the library).
 *
 * Bound at the first call, not at load: every process of a tree loads the
 * shim and most never call a hook (README, Loading), and a hooked call may
 * come from another library's constructor, before ours ran.  The first
 * caller binds the whole table with dlsym(RTLD_NEXT), refusing our own
 * hooks.  A caller that finds the binding under way looks up its own entry
 * instead of waiting: the binder may be the very thread a signal handler
 * interrupted, or a thread a fork left behind, and neither ever finishes.
 * A function libc lacks stays unbound: its call fails with ENOSYS (or
 * falls back to the system call) rather than recurse into our hook.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "real.h"

/* The table: each entry is a libc function we export a hook of. */
#define REAL_TABLE(X)							\
	X(bind) X(listen) X(getaddrinfo) X(freeaddrinfo) X(syscall)	\
	X(socket) X(setsockopt) X(close) X(dup2) X(dup3)		\
	X(close_range) X(closefrom) X(connect) X(getsockopt)		\
	X(execve) X(execv) X(execvp) X(execvpe) X(fexecve) X(execveat)

enum real_id {
#define REAL_ID(name)	R_##name,
	REAL_TABLE(REAL_ID)
	R_COUNT
};

/* Arrays, not pointers: nothing for the loader to relocate. */
static const char names[R_COUNT][16] = {
#define REAL_NAME(name)	#name,
	REAL_TABLE(REAL_NAME)
};

static _Atomic(void *) table[R_COUNT];
/* The CLI's seccomp cookie (config.c), or 0. */
static _Atomic(uint64_t) seccomp_cookie;
static atomic_int binding;	/* 0 not yet, 1 under way, 2 done */

/* Our hook of the same name: never to be taken for libc's. */
static void *
own_hook(enum real_id id)
{
	switch (id) {
#define REAL_HOOK(name)	case R_##name: return (void *)bw_hook_##name;
	REAL_TABLE(REAL_HOOK)
	default:
		return NULL;
	}
}

static void
bind_one(enum real_id id)
{
	void *f = dlsym(RTLD_NEXT, names[id]);

	if (f != NULL && f != own_hook(id))
		atomic_store_explicit(&table[id], f, memory_order_release);
}

/* Entry id, bound at the first call of any; NULL if libc lacks it. */
static void *
entry(enum real_id id)
{
	void *f = atomic_load_explicit(&table[id], memory_order_acquire);
	int expect = 0, i;

	if (f != NULL)
		return f;
	/* Read the entry again: the binder may have finished since. */
	if (atomic_load_explicit(&binding, memory_order_acquire) == 2)
		return atomic_load_explicit(&table[id], memory_order_acquire);
	if (atomic_compare_exchange_strong(&binding, &expect, 1)) {
		for (i = 0; i < R_COUNT; i++)
			if (atomic_load_explicit(&table[i],
			    memory_order_relaxed) == NULL)
				bind_one((enum real_id)i);
		atomic_store_explicit(&binding, 2, memory_order_release);
	} else if (expect == 1)
		bind_one(id);
	return atomic_load_explicit(&table[id], memory_order_acquire);
}

/* Entry name, as a pointer to the function it is. */
#define REAL(name)	((__typeof__(&bw_hook_##name))entry(R_##name))

/*
 * close, dup2 and dup3 are async-signal-safe, so programs call them in
 * signal handlers, where dlsym must not run (it is not): from our
 * constructor, before any handler can, they are bound one by one.
 */
void
real_bind_early(void)
{
	bind_one(R_close);
	bind_one(R_dup2);
	bind_one(R_dup3);
}

/* A call of a function libc lacks: -1 with ENOSYS, never our own hook. */
static int
missing(void)
{
	errno = ENOSYS;
	return -1;
}

void
real_set_cookie(uint64_t c)
{
	atomic_store_explicit(&seccomp_cookie, c, memory_order_relaxed);
}

/*
 * Under the CLI's seccomp filter, bind and listen are made as system
 * calls carrying the run's cookie in their unused sixth argument: the
 * filter lets them pass, so they cost nothing more and are reported once,
 * by us.  (On 32 bits the register holds the cookie's low half, which is
 * what the filter checks there.)
 */
int
real_bind(int fd, const struct sockaddr *sa, socklen_t len)
{
	__typeof__(&bw_hook_bind) f = REAL(bind);
	uint64_t c = atomic_load_explicit(&seccomp_cookie, memory_order_relaxed);

	if (c != 0)
		return (int)real_syscall6(SYS_bind, fd, (long)sa, (long)len,
		    0, 0, (long)c);
	return f != NULL ? f(fd, sa, len) : missing();
}

int
real_listen(int fd, int backlog)
{
	__typeof__(&bw_hook_listen) f = REAL(listen);
	uint64_t c = atomic_load_explicit(&seccomp_cookie, memory_order_relaxed);

	if (c != 0)
		return (int)real_syscall6(SYS_listen, fd, backlog, 0, 0, 0,
		    (long)c);
	return f != NULL ? f(fd, backlog) : missing();
}

int
real_getaddrinfo(const char *node, const char *service,
    const struct addrinfo *hints, struct addrinfo **res)
{
	__typeof__(&bw_hook_getaddrinfo) f = REAL(getaddrinfo);

	if (f == NULL) {
		(void)missing();
		return EAI_SYSTEM;
	}
	return f(node, service, hints, res);
}

void
real_freeaddrinfo(struct addrinfo *ai)
{
	__typeof__(&bw_hook_freeaddrinfo) f = REAL(freeaddrinfo);

	if (f != NULL)
		f(ai);
}

long
real_syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	__typeof__(&bw_hook_syscall) s = REAL(syscall);

	return s != NULL ? s(n, a, b, c, d, e, f) : missing();
}

int
real_socket(int domain, int type, int protocol)
{
	__typeof__(&bw_hook_socket) f = REAL(socket);

	return f != NULL ? f(domain, type, protocol) : missing();
}

int
real_setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	__typeof__(&bw_hook_setsockopt) f = REAL(setsockopt);

	return f != NULL ? f(fd, level, name, val, len) : missing();
}

int
real_close(int fd)
{
	__typeof__(&bw_hook_close) f = REAL(close);

	return f != NULL ? f(fd) : missing();
}

int
real_dup2(int from, int to)
{
	__typeof__(&bw_hook_dup2) f = REAL(dup2);

	return f != NULL ? f(from, to) : missing();
}

int
real_dup3(int from, int to, int flags)
{
	__typeof__(&bw_hook_dup3) f = REAL(dup3);

	return f != NULL ? f(from, to, flags) : missing();
}

int
real_close_range(unsigned int first, unsigned int last, int flags)
{
	__typeof__(&bw_hook_close_range) f = REAL(close_range);

	/* A libc without it: the kernel has it since 5.9. */
	if (f == NULL)
		return (int)real_syscall6(SYS_close_range, first, last, flags,
		    0, 0, 0);
	return f(first, last, flags);
}

void
real_closefrom(int lowfd)
{
	__typeof__(&bw_hook_closefrom) f = REAL(closefrom);

	if (f != NULL)
		f(lowfd);
	else if (lowfd >= 0)
		(void)real_syscall6(SYS_close_range, lowfd, 0xffffffffL,
		    0, 0, 0, 0);
}

int
real_connect(int fd, const struct sockaddr *sa, socklen_t len)
{
	__typeof__(&bw_hook_connect) f = REAL(connect);

	return f != NULL ? f(fd, sa, len) : missing();
}

int
real_getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	__typeof__(&bw_hook_getsockopt) f = REAL(getsockopt);

	return f != NULL ? f(fd, level, name, val, len) : missing();
}

int
real_execve(const char *path, char *const argv[], char *const envp[])
{
	__typeof__(&bw_hook_execve) f = REAL(execve);

	return f != NULL ? f(path, argv, envp) : missing();
}

int
real_execv(const char *path, char *const argv[])
{
	__typeof__(&bw_hook_execv) f = REAL(execv);

	return f != NULL ? f(path, argv) : missing();
}

int
real_execvp(const char *file, char *const argv[])
{
	__typeof__(&bw_hook_execvp) f = REAL(execvp);

	return f != NULL ? f(file, argv) : missing();
}

int
real_execvpe(const char *file, char *const argv[], char *const envp[])
{
	__typeof__(&bw_hook_execvpe) f = REAL(execvpe);

	return f != NULL ? f(file, argv, envp) : missing();
}

int
real_fexecve(int fd, char *const argv[], char *const envp[])
{
	__typeof__(&bw_hook_fexecve) f = REAL(fexecve);

	return f != NULL ? f(fd, argv, envp) : missing();
}

int
real_execveat(int dirfd, const char *path, char *const argv[],
    char *const envp[], int flags)
{
	__typeof__(&bw_hook_execveat) f = REAL(execveat);

	/* A libc without it (glibc < 2.34): the kernel has it since 3.19. */
#ifdef SYS_execveat
	if (f == NULL)
		return (int)real_syscall6(SYS_execveat, dirfd, (long)path,
		    (long)argv, (long)envp, flags, 0);
#endif
	return f != NULL ? f(dirfd, path, argv, envp, flags) : missing();
}
