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
#include <stdint.h>
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
	bw_exec_file(bw_ready_now(), path, 0);
	return real_execve(path, argv, envp);
}
EXPORT_AS(execve);

int
bw_hook_execv(const char *path, char *const argv[])
{
	bw_exec_file(bw_ready_now(), path, 0);
	return real_execv(path, argv);
}
EXPORT_AS(execv);

int
bw_hook_execvp(const char *file, char *const argv[])
{
	bw_exec_file(bw_ready_now(), file, 1);
	return real_execvp(file, argv);
}
EXPORT_AS(execvp);

int
bw_hook_execvpe(const char *file, char *const argv[], char *const envp[])
{
	bw_exec_file(bw_ready_now(), file, 1);
	return real_execvpe(file, argv, envp);
}
EXPORT_AS(execvpe);

int
bw_hook_fexecve(int fd, char *const argv[], char *const envp[])
{
	bw_exec_fd(bw_ready_now(), fd);
	return real_fexecve(fd, argv, envp);
}
EXPORT_AS(fexecve);

int
bw_hook_execveat(int dirfd, const char *path, char *const argv[],
    char *const envp[], int flags)
{
	bw_exec_at(bw_ready_now(), dirfd, path, flags);
	return real_execveat(dirfd, path, argv, envp, flags);
}
EXPORT_AS(execveat);

enum { L_PATH, L_SEARCH, L_ENV };

/*
 * The l-variants: the arguments after arg up to the NULL (then, for
 * execle, the environment) into a vector on our stack, live until the
 * call returns, then the v-variant's call.
 */
static int
exec_l(int how, const char *path, const char *arg, va_list ap)
{
	char *const *envp = environ;
	va_list cp;
	size_t n = 0, i;

	va_copy(cp, ap);
	if (arg != NULL)
		for (n = 1; va_arg(cp, const char *) != NULL; n++)
			;
	va_end(cp);
	{
		char *argv[n + 1];

		argv[0] = (char *)(uintptr_t)arg;
		for (i = 1; i < n; i++)
			argv[i] = va_arg(ap, char *);
		if (n > 0)
			(void)va_arg(ap, char *);	/* the NULL */
		argv[n] = NULL;
		/* With no argument at all, the NULL was arg itself. */
		if (how == L_ENV)
			envp = va_arg(ap, char *const *);
		bw_exec_file(bw_ready_now(), path, how == L_SEARCH);
		if (how == L_SEARCH)
			return real_execvp(path, argv);
		return real_execve(path, argv, envp);
	}
}

int
bw_hook_execl(const char *path, const char *arg, ...)
{
	va_list ap;
	int ret;

	va_start(ap, arg);
	ret = exec_l(L_PATH, path, arg, ap);
	va_end(ap);
	return ret;
}
EXPORT_AS(execl);

int
bw_hook_execlp(const char *file, const char *arg, ...)
{
	va_list ap;
	int ret;

	va_start(ap, arg);
	ret = exec_l(L_SEARCH, file, arg, ap);
	va_end(ap);
	return ret;
}
EXPORT_AS(execlp);

int
bw_hook_execle(const char *path, const char *arg, ...)
{
	va_list ap;
	int ret;

	va_start(ap, arg);
	ret = exec_l(L_ENV, path, arg, ap);
	va_end(ap);
	return ret;
}
EXPORT_AS(execle);
