/*
 * The exec family, exported like hooks.c's: each hook lets exec.c judge
 * the image (and filter it under --seccomp=auto when the shim cannot see
 * it), then makes the real call.  The l-variants build their argument
 * vector on the stack, as libc does, and make the v-variant's call.
 * posix_spawn executes inside libc, past any hook: what it starts directly
 * is not covered (system and popen are, through the shell they run; see
 * README, Programs that bypass libc).
 */
#include <stdarg.h>
#include <unistd.h>

#include "exec.h"
#include "init.h"
#include "real.h"

/* Not in every libc's headers (musl): ours to declare. */
int	execveat(int, const char *, char *const[], char *const[], int);

extern char **environ;

#define EXPORT_AS(name) \
	extern __typeof__(bw_hook_##name) (name) \
	    __attribute__((alias("bw_hook_" #name), visibility("default")))

int
bw_hook_execve(const char *path, char *const argv[], char *const envp[])
{
	bw_exec_file(bw_ready(), path, 0);
	return real_execve(path, argv, envp);
}
EXPORT_AS(execve);

int
bw_hook_execv(const char *path, char *const argv[])
{
	bw_exec_file(bw_ready(), path, 0);
	return real_execv(path, argv);
}
EXPORT_AS(execv);

int
bw_hook_execvp(const char *file, char *const argv[])
{
	bw_exec_file(bw_ready(), file, 1);
	return real_execvp(file, argv);
}
EXPORT_AS(execvp);

int
bw_hook_execvpe(const char *file, char *const argv[], char *const envp[])
{
	bw_exec_file(bw_ready(), file, 1);
	return real_execvpe(file, argv, envp);
}
EXPORT_AS(execvpe);

int
bw_hook_fexecve(int fd, char *const argv[], char *const envp[])
{
	bw_exec_fd(bw_ready(), fd);
	return real_fexecve(fd, argv, envp);
}
EXPORT_AS(fexecve);

int
bw_hook_execveat(int dirfd, const char *path, char *const argv[],
    char *const envp[], int flags)
{
	bw_exec_at(bw_ready(), dirfd, path, flags);
	return real_execveat(dirfd, path, argv, envp, flags);
}
EXPORT_AS(execveat);

/* The arguments after arg up to the NULL, counted. */
static size_t
count(const char *arg, va_list ap)
{
	size_t n = 1;

	if (arg == NULL)
		return 0;
	while (va_arg(ap, const char *) != NULL)
		n++;
	return n;
}

/* Into argv (n + 1 slots); the va_list is left just past the NULL. */
static void
collect(char **argv, size_t n, const char *arg, va_list ap)
{
	size_t i;

	argv[0] = (char *)(uintptr_t)arg;
	for (i = 1; i < n; i++)
		argv[i] = va_arg(ap, char *);
	if (n > 0)
		(void)va_arg(ap, char *);	/* the NULL */
	argv[n] = NULL;
}

int
bw_hook_execl(const char *path, const char *arg, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, arg);
	n = count(arg, ap);
	va_end(ap);
	{
		char *argv[n + 1];

		va_start(ap, arg);
		collect(argv, n, arg, ap);
		va_end(ap);
		bw_exec_file(bw_ready(), path, 0);
		return real_execve(path, argv, environ);
	}
}
EXPORT_AS(execl);

int
bw_hook_execlp(const char *file, const char *arg, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, arg);
	n = count(arg, ap);
	va_end(ap);
	{
		char *argv[n + 1];

		va_start(ap, arg);
		collect(argv, n, arg, ap);
		va_end(ap);
		bw_exec_file(bw_ready(), file, 1);
		return real_execvp(file, argv);
	}
}
EXPORT_AS(execlp);

int
bw_hook_execle(const char *path, const char *arg, ...)
{
	char *const *envp;
	va_list ap;
	size_t n;

	va_start(ap, arg);
	n = count(arg, ap);
	va_end(ap);
	{
		char *argv[n + 1];

		va_start(ap, arg);
		collect(argv, n, arg, ap);
		/* With no argument at all, the NULL was arg itself. */
		envp = va_arg(ap, char *const *);
		va_end(ap);
		bw_exec_file(bw_ready(), path, 0);
		return real_execve(path, argv, envp);
	}
}
EXPORT_AS(execle);
