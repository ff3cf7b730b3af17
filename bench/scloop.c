/*
 * The seccomp filter's cost per system call, for the seccomp rows.
 *
 *	scloop KIND CHUNKS M OUT
 *
 * Three processes on one CPU take turns, a chunk of M calls of KIND each:
 * "bare" (no filter), "filtered" and "aa" (no filter again: the A/A).
 * Adjacent chunks run under the same load, so a shared machine's swings
 * cancel pair by pair.  The turn order rotates.  "filtered" installs
 * bindwatch's own filter (bw_sc_filter, shim/core/scfilter.c, with a
 * random cookie, as `bindwatch --seccomp=all` does).  One line a round to
 * OUT:
 *	KIND BARE_NS FILTERED_NS AA_NS		(ns per call)
 * KIND:
 *	getppid		syscall(SYS_getppid): a filter that allows it without
 *			reading its arguments is answered by the kernel's
 *			action cache, not by the program
 *	bind-cookie	bind(-1, NULL, 0) as the shim makes it under the
 *			filter: a raw call with the cookie in the sixth
 *			argument; the filter runs to its end and allows it,
 *			the kernel says EBADF
 *	listen-cookie	the same for listen(-1, 0)
 *	getppid-nocache	getppid, "filtered" under a filter of two
 *			instructions that reads an argument before it allows
 *			(no cache can answer it): running any program at all
 *	getppid-const	getppid, "filtered" under a filter that only allows:
 *			the cache answers; as getppid when bindwatch's filter
 *			is cached for it
 *	bind-floor	bind-cookie, with "bare" and "aa" under the filter of
 *			getppid-nocache: the price of the cookie path beyond
 *			the least a filter that must read an argument costs
 *			(bind is trapped, so its verdict always reads one)
 *	listen-floor	the same for listen
 */
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <linux/filter.h>
#include <linux/seccomp.h>

#include <err.h>
#include <errno.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "scfilter.h"

enum kind { K_GETPPID, K_BIND, K_LISTEN, K_NOCACHE, K_CONST, K_BIND_FLOOR,
    K_LISTEN_FLOOR, NKIND };
enum { P_BARE, P_FILT, P_AA, NP };
/* The floor's players install getppid-nocache's filter. */
#define K_FLOOR_OF	NKIND

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void
install(const struct sock_filter *p, size_t n)
{
	struct sock_fprog f = { (unsigned short)n, (struct sock_filter *)p };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &f) == -1)
		err(1, "seccomp");
}

static void
filter(enum kind k, uint64_t cookie)
{
	/* Allow everything, after a load the action cache cannot fold. */
	static const struct sock_filter nocache[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, args[0])),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	static const struct sock_filter allow[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_filter p[BW_SC_FILTER_MAX];
	struct bw_sc_fopts o;
	size_t n;

	if (k == K_NOCACHE || k == K_CONST || k == K_FLOOR_OF) {
		if (k != K_CONST)
			install(nocache, 2);
		else
			install(allow, 1);
		return;
	}
	memset(&o, 0, sizeof(o));
	o.cookie = cookie;
	if ((n = bw_sc_filter(p, BW_SC_FILTER_MAX, &o)) == 0)
		errx(1, "bw_sc_filter");
	install(p, n);
}

static void
one(enum kind k, uint64_t cookie)
{
	long r;

	switch (k) {
	case K_BIND:
	case K_BIND_FLOOR:
		r = syscall(SYS_bind, -1, NULL, 0, 0, 0, cookie);
		break;
	case K_LISTEN:
	case K_LISTEN_FLOOR:
		r = syscall(SYS_listen, -1, 0, 0, 0, 0, cookie);
		break;
	default:
		(void)syscall(SYS_getppid);
		return;
	}
	if (r != -1 || errno != EBADF)
		errx(1, "expected EBADF");
}

/* Process p: wait for the turn on in, run a chunk, report on out. */
static void
player(int p, enum kind k, uint64_t cookie, long chunks, long m, int in,
    int out)
{
	long long t;
	long c, i;
	char b;

	if (p == P_FILT)
		filter(k, cookie);
	else if (k == K_BIND_FLOOR || k == K_LISTEN_FLOOR)
		filter(K_FLOOR_OF, cookie);
	for (c = 0; c < chunks; c++) {
		if (read(in, &b, 1) != 1)
			_exit(1);
		t = now_ns();
		for (i = 0; i < m; i++)
			one(k, cookie);
		t = now_ns() - t;
		if (write(out, &t, sizeof(t)) != sizeof(t))
			_exit(1);
	}
	_exit(0);
}

int
main(int argc, char **argv)
{
	static const char *const names[] = { "getppid", "bind-cookie",
	    "listen-cookie", "getppid-nocache", "getppid-const", "bind-floor",
	    "listen-floor" };
	static const int order[NP][NP] = { { P_BARE, P_FILT, P_AA },
	    { P_FILT, P_AA, P_BARE }, { P_AA, P_BARE, P_FILT } };
	int turn[NP][2], back[2], k, p, j, st;
	long long t[NP];
	uint64_t cookie;
	long chunks, m, c;
	cpu_set_t cpu;
	FILE *out;
	char b = 0;

	if (argc != 5)
		errx(2, "usage: scloop getppid|bind-cookie|listen-cookie|"
		    "getppid-nocache|getppid-const|bind-floor|listen-floor "
		    "CHUNKS M OUT");
	for (k = 0; k < NKIND && strcmp(argv[1], names[k]) != 0; k++)
		;
	chunks = atol(argv[2]);
	m = atol(argv[3]);
	if (k == NKIND || chunks < 1 || m < 1)
		errx(2, "bad KIND, CHUNKS or M");
	if (getrandom(&cookie, sizeof(cookie), 0) != sizeof(cookie))
		err(1, "getrandom");
	/* All on the CPU we started on: one runs while two wait. */
	CPU_ZERO(&cpu);
	CPU_SET(sched_getcpu(), &cpu);
	if (sched_setaffinity(0, sizeof(cpu), &cpu) == -1)
		err(1, "sched_setaffinity");
	if ((out = fopen(argv[4], "a")) == NULL)
		err(1, "%s", argv[4]);
	if (pipe(back) == -1)
		err(1, "pipe");
	for (p = 0; p < NP; p++) {
		if (pipe(turn[p]) == -1)
			err(1, "pipe");
		switch (fork()) {
		case -1:
			err(1, "fork");
		case 0:
			player(p, (enum kind)k, cookie, chunks, m, turn[p][0],
			    back[1]);
		}
		close(turn[p][0]);
	}
	for (c = 0; c < chunks; c++) {
		for (j = 0; j < NP; j++) {
			p = order[c % NP][j];
			if (write(turn[p][1], &b, 1) != 1 ||
			    read(back[0], &t[p], sizeof(t[p])) != sizeof(t[p]))
				errx(1, "a player failed");
		}
		fprintf(out, "%s %.1f %.1f %.1f\n", names[k],
		    (double)t[P_BARE] / (double)m, (double)t[P_FILT] / (double)m,
		    (double)t[P_AA] / (double)m);
	}
	while (wait(&st) > 0)
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			errx(1, "a player failed: status %d", st);
	if (fclose(out) == EOF)
		err(1, "%s", argv[4]);
	return 0;
}
