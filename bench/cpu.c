/*
 * Run a command and append the CPU time it took, to the microsecond:
 * user and system time of it and every descendant it waited for (wait4's
 * rusage, the kernel's own runtime, where /usr/bin/time prints
 * hundredths: a tenth of the CPU rows' goal per event), and of the
 * command's own process alone (its /proc/PID/schedstat, read while it is
 * a zombie; for bindwatch, the collector without the tree it ran, 0 when
 * the kernel does not say):
 *	LABEL USER_S SYS_S OWN_S
 *
 *	cpu OUT LABEL COMMAND [ARG...]
 */
#include <sys/resource.h>
#include <sys/wait.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static double
secs(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

/* The process's own runtime in seconds, from schedstat's first field. */
static double
own_secs(pid_t pid)
{
	unsigned long long ns = 0;
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
	if ((f = fopen(path, "re")) == NULL)
		return 0;
	if (fscanf(f, "%llu", &ns) != 1)
		ns = 0;
	fclose(f);
	return (double)ns / 1e9;
}

int
main(int argc, char **argv)
{
	struct rusage ru;
	siginfo_t si;
	double own;
	pid_t pid;
	int st, status;
	FILE *out;

	if (argc < 4)
		errx(2, "usage: cpu OUT LABEL COMMAND [ARG...]");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		execvp(argv[3], argv + 3);
		err(127, "%s", argv[3]);
	}
	/* Exited but not reaped: its schedstat is still there. */
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) == -1)
		err(1, "waitid");
	own = own_secs(pid);
	if (wait4(pid, &st, 0, &ru) != pid)
		err(1, "wait4");
	status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	if ((out = fopen(argv[1], "ae")) == NULL)
		err(1, "%s", argv[1]);
	fprintf(out, "%s %.6f %.6f %.6f\n", argv[2], secs(&ru.ru_utime),
	    secs(&ru.ru_stime), own);
	fclose(out);
	return status;
}
