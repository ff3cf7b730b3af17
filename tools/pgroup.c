/*
 * The command runs in a process group of its own, as timeout(1) runs it:
 * a program that signals its whole group (apache2 prefork when it stops,
 * kill(0, SIGTERM)) then reaches its own tree only, not bindwatch and not
 * the shell that ran bindwatch, which share a group with it otherwise
 * (any shell without job control: scripts, sh -c, CI).
 *
 * timeout(1) puts itself in that group too, and so takes it out of the
 * terminal's foreground: the command cannot read the terminal and Ctrl-C
 * does not reach it, which is what its --foreground is for (and that mode
 * gives up the group).  bindwatch does what a shell does for a job
 * instead: when it is in the foreground of its terminal, the command's
 * group gets the terminal, so Ctrl-C, Ctrl-\ and Ctrl-Z, and reads, go to
 * the command as they would without bindwatch; a stop of the command stops
 * bindwatch too (so the shell sees the job stop) and fg or bg continue
 * both.  The terminal comes back when the command exits: Ctrl-C then
 * reaches bindwatch, which ends what is left of the tree.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include "pgroup.h"

/* Are we in the foreground of the terminal? */
static int
foreground(const struct bw_pgroup *g)
{
	return g->tty != -1 && tcgetpgrp(g->tty) == getpgrp();
}

static void
hand(struct bw_pgroup *g)
{
	if (g->pgid > 0 && foreground(g) && tcsetpgrp(g->tty, g->pgid) == 0)
		g->handed = 1;
}

void
bw_pgroup_open(struct bw_pgroup *g)
{
	g->pgid = 0;
	g->handed = 0;
	g->tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	/* Our live lines to the terminal, and tcsetpgrp from the
	 * background, must never stop us (the command gets the default
	 * back: launch.c). */
	(void)signal(SIGTTOU, SIG_IGN);
	(void)signal(SIGTTIN, SIG_IGN);
}

/* The command runs as pid, the leader of its group. */
void
bw_pgroup_started(struct bw_pgroup *g, pid_t pid)
{
	/* Also here, not only in the child: whichever runs first.  After
	 * its exec the kernel refuses (EACCES), as it is done. */
	(void)setpgid(pid, pid);
	g->pgid = pid;
	hand(g);
}

void
bw_pgroup_take_back(struct bw_pgroup *g)
{
	if (!g->handed)
		return;
	(void)tcsetpgrp(g->tty, getpgrp());
	g->handed = 0;
}

/*
 * The command stopped with sig.  A read or a write of the terminal
 * before it was handed the terminal is tried again; Ctrl-Z (or a read
 * in the background) stops us as well, so that our shell sees the job
 * stop; once continued, the command is.
 */
void
bw_pgroup_stopped(struct bw_pgroup *g, int sig)
{
	/* SIGSTOP, or no terminal: someone else's business. */
	if (g->tty == -1 ||
	    (sig != SIGTSTP && sig != SIGTTIN && sig != SIGTTOU))
		return;
	if (sig != SIGTSTP && g->handed && tcgetpgrp(g->tty) == g->pgid) {
		(void)kill(-g->pgid, SIGCONT);
		return;
	}
	bw_pgroup_take_back(g);
	/* Stops us, unless our group is orphaned (no shell to continue
	 * us): then the kernel discards it and the command goes on. */
	(void)raise(SIGTSTP);
	hand(g);
	(void)kill(-g->pgid, SIGCONT);
}

/*
 * A signal for the command.  One that the terminal sent (si_code
 * SI_KERNEL) reached us because we have the terminal: it goes to the
 * command's whole group, as the terminal would have sent it; one sent to
 * us with kill(2) goes to the command itself.
 */
void
bw_pgroup_signal(const struct bw_pgroup *g, pid_t child, int sig,
    int from_terminal)
{
	if (from_terminal && g->pgid > 0)
		(void)kill(-g->pgid, sig);
	else
		(void)kill(child, sig);
}

void
bw_pgroup_close(struct bw_pgroup *g)
{
	bw_pgroup_take_back(g);
	if (g->tty != -1)
		(void)close(g->tty);
	g->tty = -1;
}
