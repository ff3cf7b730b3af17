/*
 * Start-up cost of a preloaded library, measured side by side: each round
 * starts the command once bare and once per library (posix_spawn, wait),
 * in turn, so drift and noise hit every column alike.
 *
 *	spawnpair ROUNDS OUT COMMAND LIB...
 *
 * Appends one line per column to OUT:  NAME MEDIAN_NS P10_NS P90_NS
 * where NAME is "bare" or the library's path; the command's output goes to
 * /dev/null.
 */
#include <sys/wait.h>

#include <err.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAXCOLS	8

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int
llcmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	posix_spawn_file_actions_t fa;
	char *env[MAXCOLS][2], *cargv[2];
	long long *t, t0;
	int rounds, ncols, i, j, st;
	FILE *out;
	pid_t pid;

	if (argc < 4 || argc - 3 > MAXCOLS)
		errx(2, "usage: spawnpair ROUNDS OUT COMMAND LIB...");
	rounds = atoi(argv[1]);
	ncols = argc - 3;	/* bare + each library */
	if (rounds < 1 || (t = calloc((size_t)(rounds * ncols),
	    sizeof(*t))) == NULL)
		errx(2, "bad ROUNDS");
	cargv[0] = argv[3];
	cargv[1] = NULL;
	env[0][0] = NULL;
	for (j = 1; j < ncols; j++) {
		if (asprintf(&env[j][0], "LD_PRELOAD=%s", argv[3 + j]) == -1)
			err(1, "asprintf");
		env[j][1] = NULL;
	}
	if (posix_spawn_file_actions_init(&fa) != 0 ||
	    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0) ||
	    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0))
		errx(1, "file actions");
	for (i = 0; i < rounds; i++)
		for (j = 0; j < ncols; j++) {
			t0 = now_ns();
			if (posix_spawn(&pid, argv[3], &fa, NULL, cargv,
			    env[j]) != 0)
				err(1, "posix_spawn %s", argv[3]);
			if (waitpid(pid, &st, 0) == -1 || !WIFEXITED(st) ||
			    WEXITSTATUS(st) != 0)
				errx(1, "%s failed", argv[3]);
			t[j * rounds + i] = now_ns() - t0;
		}
	if ((out = fopen(argv[2], "a")) == NULL)
		err(1, "%s", argv[2]);
	for (j = 0; j < ncols; j++) {
		long long *c = t + j * rounds;

		qsort(c, (size_t)rounds, sizeof(*c), llcmp);
		fprintf(out, "%s %lld %lld %lld\n", j == 0 ? "bare" : argv[3 + j],
		    c[rounds / 2], c[rounds / 10], c[rounds * 9 / 10]);
	}
	if (fclose(out) == EOF)
		err(1, "%s", argv[2]);
	return 0;
}
