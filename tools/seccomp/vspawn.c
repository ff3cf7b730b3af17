/*
 * A child that shares our memory until it executes (CLONE_VM |
 * CLONE_VFORK), as posix_spawn makes one, but running our code first:
 * the command's child installs the filter there.  A fork copies our page
 * tables for nothing: here it was about half of what the filter added to
 * a static command's start-up (bench, seccomp row).
 *
 * The child may only call async-signal-safe functions, touch nothing of
 * ours it does not own, and end by exec or _exit; we wait meanwhile.
 */
#include <sched.h>
#include <signal.h>
#include <stdlib.h>

#include "vspawn.h"

#define STACK	((size_t)64 * 1024)

struct trampoline {
	void	(*fn)(void *);
	void	*arg;
};

static int
start(void *p)
{
	struct trampoline *t = p;

	t->fn(t->arg);
	_exit(127);
}

/* The child's pid, or -1 (then the caller forks instead). */
pid_t
bw_vspawn(void (*fn)(void *), void *arg)
{
	struct trampoline t = { fn, arg };
	char *stack;
	pid_t pid;

	if ((stack = malloc(STACK)) == NULL)
		return -1;
	/* The stack grows down on every architecture Linux runs us on here. */
	pid = clone(start, stack + STACK, CLONE_VM | CLONE_VFORK | SIGCHLD,
	    &t);
	free(stack);
	return pid;
}
