/*
 * Start-up costs measured side by side: each round starts every column's
 * command once (posix_spawn, wait), in turn, so drift and noise hit every
 * column alike; the order turns by one column a round.
 *
 *	spawnpair ROUNDS OUT COLUMN...
 *
 * A COLUMN is "NAME:[VAR=VALUE ...] COMMAND [ARG ...]", split at spaces;
 * the environment of each command is only its VAR=VALUE words (and PATH).
 * Appends one line per column to OUT:  NAME MEDIAN_NS P10_NS P90_NS
 * and one per round and column to OUT.rounds:  NAME ROUND NS
 * The commands' output goes to /dev/null; a command that fails stops it.
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
#define MAXARGS	32

struct col {
	char	*name;
	char	*env[MAXARGS + 2];
	char	*argv[MAXARGS + 1];
};

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

static void
parse(struct col *c, char *spec)
{
	char *colon = strchr(spec, ':'), *w, *path = getenv("PATH");
	int ne = 0, na = 0;

	if (colon == NULL || colon == spec)
		errx(2, "%s: not NAME:COMMAND", spec);
	*colon = '\0';
	c->name = spec;
	for (w = strtok(colon + 1, " "); w != NULL; w = strtok(NULL, " ")) {
		if (na == 0 && strchr(w, '=') != NULL && ne < MAXARGS)
			c->env[ne++] = w;
		else if (na < MAXARGS)
			c->argv[na++] = w;
		else
			errx(2, "%s: too many words", c->name);
	}
	if (na == 0)
		errx(2, "%s: no command", c->name);
	if (path != NULL && asprintf(&c->env[ne++], "PATH=%s", path) == -1)
		err(1, "asprintf");
	c->env[ne] = NULL;
	c->argv[na] = NULL;
}

int
main(int argc, char **argv)
{
	posix_spawn_file_actions_t fa;
	struct col cols[MAXCOLS];
	long long *t, t0;
	int rounds, ncols, i, j, k, st;
	char rpath[4096];
	FILE *out, *rout;
	pid_t pid;

	if (argc < 4 || argc - 3 > MAXCOLS)
		errx(2, "usage: spawnpair ROUNDS OUT NAME:COMMAND...");
	rounds = atoi(argv[1]);
	ncols = argc - 3;
	if (rounds < 1 || (t = calloc((size_t)(rounds * ncols),
	    sizeof(*t))) == NULL)
		errx(2, "bad ROUNDS");
	memset(cols, 0, sizeof(cols));
	for (j = 0; j < ncols; j++)
		parse(&cols[j], argv[3 + j]);
	if (posix_spawn_file_actions_init(&fa) != 0 ||
	    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0) ||
	    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0))
		errx(1, "file actions");
	/* Each round starts one column later: no column always runs
	 * first (after the last round's exit) or last. */
	for (i = 0; i < rounds; i++)
		for (k = 0; k < ncols; k++) {
			j = (i + k) % ncols;
			t0 = now_ns();
			if (posix_spawnp(&pid, cols[j].argv[0], &fa, NULL,
			    cols[j].argv, cols[j].env) != 0)
				err(1, "posix_spawn %s", cols[j].argv[0]);
			if (waitpid(pid, &st, 0) == -1 || !WIFEXITED(st) ||
			    WEXITSTATUS(st) != 0)
				errx(1, "%s failed", cols[j].name);
			t[j * rounds + i] = now_ns() - t0;
		}
	snprintf(rpath, sizeof(rpath), "%s.rounds", argv[2]);
	if ((out = fopen(argv[2], "a")) == NULL ||
	    (rout = fopen(rpath, "a")) == NULL)
		err(1, "%s", argv[2]);
	for (j = 0; j < ncols; j++) {
		long long *c = t + j * rounds;

		for (i = 0; i < rounds; i++)
			fprintf(rout, "%s %d %lld\n", cols[j].name, i, c[i]);
		qsort(c, (size_t)rounds, sizeof(*c), llcmp);
		fprintf(out, "%s %lld %lld %lld\n", cols[j].name,
		    c[rounds / 2], c[rounds / 10], c[rounds * 9 / 10]);
	}
	if (fclose(out) == EOF || fclose(rout) == EOF)
		err(1, "%s", argv[2]);
	return 0;
}
