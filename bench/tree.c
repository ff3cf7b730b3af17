/*
 * A tree of short-lived processes for the tree row.
 *
 *	tree N PAR OUT
 *
 * Starts N processes (fork + exec of this program), at most PAR at a time;
 * each binds one TCP socket to 127.0.0.1:0 and exits.  Appends to OUT:
 *	N PAR WALL_NS
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <netinet/in.h>

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int
child(void)
{
	struct sockaddr_in a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) == -1)
		return 1;
	close(fd);
	return 0;
}

static void
reap(int *running)
{
	int st;

	if (wait(&st) == -1)
		err(1, "wait");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		errx(1, "a child failed: status %d", st);
	(*running)--;
}

int
main(int argc, char **argv)
{
	char *cargv[] = { argv[0], (char *)"--child", NULL };
	long long t0, wall;
	int n, par, i, running = 0;
	FILE *out;
	pid_t pid;

	if (argc == 2 && strcmp(argv[1], "--child") == 0)
		return child();
	if (argc != 4 || (n = atoi(argv[1])) < 1 || (par = atoi(argv[2])) < 1)
		errx(2, "usage: tree N PAR OUT");
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		if (running == par)
			reap(&running);
		if ((pid = fork()) == -1)
			err(1, "fork");
		if (pid == 0) {
			execv("/proc/self/exe", cargv);
			_exit(127);
		}
		running++;
	}
	while (running > 0)
		reap(&running);
	wall = now_ns() - t0;
	if ((out = fopen(argv[3], "ae")) == NULL)
		err(1, "%s", argv[3]);
	fprintf(out, "%d %d %lld\n", n, par, wall);
	fclose(out);
	return 0;
}
