/*
 * Load for `bindwatch ports`: NPROC processes holding NSOCK listening
 * sockets between them (TCP on 127.0.0.1 and ::1, a tenth UDP), then
 * RUNS timed runs of a command (wall clock, fork to exit) and the
 * minimum / median / maximum.  Run it inside a private network namespace
 * so that only loopback is touched and the count is exact:
 *
 *	cc -O2 -o build/ports_load bench/ports_load.c
 *	unshare -n sh -c 'ip link set lo up &&
 *	    build/ports_load 1000 10000 20 build/bindwatch ports --json --all'
 *
 * The goal (issue 5): under 50 ms for 10,000 sockets and 1,000 processes.
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <netinet/in.h>

#include <err.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int
sock(int i)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, udp = i % 10 == 9, v6 = i % 2;

	memset(&ss, 0, sizeof(ss));
	if (v6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		len = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(*a);
	}
	if ((fd = socket(ss.ss_family, udp ? SOCK_DGRAM : SOCK_STREAM, 0)) == -1)
		return -1;
	if (bind(fd, (struct sockaddr *)&ss, len) == -1 ||
	    (!udp && listen(fd, 1) == -1)) {
		close(fd);
		return -1;
	}
	return fd;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	int nproc, nsock, runs, p, i, ready[2], devnull;
	pid_t *kids;
	double *t;
	char c;

	if (argc < 5)
		errx(2, "usage: ports_load NPROC NSOCK RUNS COMMAND [ARG...]");
	nproc = atoi(argv[1]);
	nsock = atoi(argv[2]);
	runs = atoi(argv[3]);
	if (nproc < 1 || nsock < nproc || runs < 1)
		errx(2, "need NPROC >= 1, NSOCK >= NPROC, RUNS >= 1");
	if ((kids = calloc((size_t)nproc, sizeof(*kids))) == NULL ||
	    (t = calloc((size_t)runs, sizeof(*t))) == NULL)
		err(1, "calloc");
	if (pipe(ready) == -1)
		err(1, "pipe");
	for (p = 0; p < nproc; p++) {
		int mine = nsock / nproc + (p < nsock % nproc);

		if ((kids[p] = fork()) == -1)
			err(1, "fork");
		if (kids[p] == 0) {
			struct rlimit rl = { (rlim_t)mine + 64, (rlim_t)mine + 64 };

			setrlimit(RLIMIT_NOFILE, &rl);
			close(ready[0]);
			for (i = 0; i < mine; i++)
				if (sock(p * 131 + i) == -1)
					_exit(1);
			if (write(ready[1], "x", 1) != 1)
				_exit(1);
			close(ready[1]);
			pause();
			_exit(0);
		}
	}
	close(ready[1]);
	for (p = 0; p < nproc; p++)
		if (read(ready[0], &c, 1) != 1)
			errx(1, "a holder failed to create its sockets");
	if ((devnull = open("/dev/null", O_WRONLY)) == -1)
		err(1, "/dev/null");
	for (i = 0; i < runs; i++) {
		double t0 = now();
		pid_t pid;
		int st;

		if ((pid = fork()) == -1)
			err(1, "fork");
		if (pid == 0) {
			dup2(devnull, 1);
			execvp(argv[4], argv + 4);
			_exit(127);
		}
		if (waitpid(pid, &st, 0) == -1)
			err(1, "waitpid");
		t[i] = now() - t0;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			errx(1, "%s: status %d", argv[4], st);
	}
	qsort(t, (size_t)runs, sizeof(*t), dcmp);
	printf("%d sockets, %d processes, %d runs: min %.1f ms, median %.1f ms, "
	    "max %.1f ms\n", nsock, nproc, runs, t[0], t[runs / 2],
	    t[runs - 1]);
	for (p = 0; p < nproc; p++)
		kill(kids[p], SIGTERM);
	while (wait(NULL) > 0)
		;
	return 0;
}
