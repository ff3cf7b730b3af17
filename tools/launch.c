/*
 * Starting the command: with the signal mask bindwatch was given, the
 * tree's channel inherited, the default disposition of the terminal's stop
 * signals (bindwatch ignores them: pgroup.c), in a process group of its
 * own, and with the descriptor limit bindwatch was given.
 */
#include <sys/resource.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "launch.h"
#include "run.h"
#include "seccomp/attach.h"
#include "seccomp/vspawn.h"

static struct rlimit orig_nofile;
static int nofile_raised;

/*
 * The command, by posix_spawn: a vfork-style clone copies none of our
 * pages, where fork's copy-on-write faults would cost every run.
 */
static pid_t
spawn(char **argv, const sigset_t *mask, int chan)
{
	extern char **environ;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t def;
	pid_t pid;
	int e;

	if (posix_spawnattr_init(&attr) != 0)
		return -1;
	if (posix_spawn_file_actions_init(&fa) != 0) {
		posix_spawnattr_destroy(&attr);
		return -1;
	}
	sigemptyset(&def);
	sigaddset(&def, SIGTTIN);
	sigaddset(&def, SIGTTOU);
	e = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
	if (e == 0)
		e = posix_spawnattr_setsigmask(&attr, mask);
	if (e == 0)
		e = posix_spawnattr_setsigdefault(&attr, &def);
	if (e == 0)
		e = posix_spawnattr_setpgroup(&attr, 0);
	/* A dup2 onto itself clears close-on-exec (glibc 2.29, POSIX
	 * 2024): the command inherits the channel. */
	if (e == 0 && chan != -1)
		e = posix_spawn_file_actions_adddup2(&fa, chan, chan);
	if (e == 0)
		e = posix_spawnp(&pid, argv[0], &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	return e == 0 ? pid : -1;
}

static void
child_exec(char **argv, const sigset_t *mask, int chan, struct bw_sc_run *sc)
{
	int e;

	(void)setpgid(0, 0);
	(void)signal(SIGTTIN, SIG_DFL);
	(void)signal(SIGTTOU, SIG_DFL);
	sigprocmask(SIG_SETMASK, mask, NULL);
	if (nofile_raised)
		(void)setrlimit(RLIMIT_NOFILE, &orig_nofile);
	if (chan != -1)
		(void)fcntl(chan, F_SETFD, 0);
	if (sc != NULL)
		bw_sc_in_child(sc);	/* last: the filter traps nothing of ours */
	execvp(argv[0], argv);
	e = errno;
	fprintf(stderr, "bindwatch: %s: %s\n", argv[0],
	    e == ENOENT ? "command not found" : strerror(e));
	_exit(e == ENOENT ? 127 : 126);
}

/* child_exec's arguments, for a child that shares our memory. */
struct exec_args {
	char			**argv;
	const sigset_t		 *mask;
	int			  chan;
	struct bw_sc_run	 *sc;
};

static void
vchild(void *p)
{
	struct exec_args *a = p;

	child_exec(a->argv, a->mask, a->chan, a->sc);
}

/*
 * The command's pid, or -1.  A command that cannot be spawned gets its
 * message and status (126, 127; a script without #! runs under sh) from
 * execvp in a child: *fell_back says so.  A command to be filtered
 * (seccomp) is started by a vfork-style clone that installs the filter
 * just before its exec.
 */
pid_t
bw_launch(char **argv, const sigset_t *mask, int chan, struct bw_sc_run *sc,
    int *fell_back)
{
	struct exec_args ea;
	pid_t pid;

	*fell_back = 0;
	if (sc->active) {
		ea.argv = argv;
		ea.mask = mask;
		ea.chan = chan;
		ea.sc = sc;
		*fell_back = 1;
		if ((pid = bw_vspawn(vchild, &ea)) != -1)
			return pid;
	} else if ((pid = spawn(argv, mask, chan)) != -1)
		return pid;
	*fell_back = 1;
	if ((pid = fork()) == 0)
		child_exec(argv, mask, chan, sc->active ? sc : NULL);
	return pid;
}

/*
 * A process image that lost the tree's channel (a daemon that closed every
 * descriptor) connects on its own: a tree of thousands of such processes
 * needs as many descriptors here.  The command gets the limit we were
 * given.
 */
void
bw_raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &orig_nofile) == -1)
		return;
	rl = orig_nofile;
	rl.rlim_cur = rl.rlim_max;
	nofile_raised = setrlimit(RLIMIT_NOFILE, &rl) == 0;
}

/* The exit status of a wait status, in the shell's convention. */
int
bw_exit_status(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return 1;
}
