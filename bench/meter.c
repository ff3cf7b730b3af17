/*
 * Run a command and measure it: wall time, and the peak RSS of the process
 * itself (VmHWM from /proc/PID/status, polled every 2 ms: a lower bound,
 * the last ~2 ms are not seen) and of its tree (ru_maxrss from wait4: the
 * largest of the process and every descendant it waited for, an upper
 * bound).  Appends one line to OUT:
 *	WALL_MS HWM_KB MAXRSS_KB EXIT_STATUS
 *
 *	meter OUT COMMAND [ARG...]
 */
#include <sys/resource.h>
#include <sys/wait.h>

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static long
hwm_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "re")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "VmHWM:", 6) == 0)
			kb = atol(line + 6);
	fclose(f);
	return kb;
}

int
main(int argc, char **argv)
{
	struct timespec tick = { 0, 2000000 };
	struct rusage ru;
	double t0, wall;
	long hwm = 0, h;
	pid_t pid, r;
	int st, status;
	FILE *out;

	if (argc < 3)
		errx(2, "usage: meter OUT COMMAND [ARG...]");
	t0 = now_ms();
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		err(127, "%s", argv[2]);
	}
	for (;;) {
		if ((h = hwm_kb(pid)) > hwm)
			hwm = h;
		if ((r = wait4(pid, &st, WNOHANG, &ru)) == pid)
			break;
		if (r == -1)
			err(1, "wait4");
		nanosleep(&tick, NULL);
	}
	wall = now_ms() - t0;
	status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	if ((out = fopen(argv[1], "ae")) == NULL)
		err(1, "%s", argv[1]);
	fprintf(out, "%.3f %ld %ld %d\n", wall, hwm, ru.ru_maxrss, status);
	fclose(out);
	return status;
}
