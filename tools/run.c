/*
 * Running the command: a small supervisor in the manner of tini.  We are a
 * child subreaper, so daemons that double-fork stay below us; signals sent
 * to us go to the command; the exit status is the command's (128+N when a
 * signal killed it, 126/127 when it could not be run).  One epoll loop
 * serves the signals (signalfd), the event channel and the timers.
 */
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bsd/string.h>

#include "attach.h"
#include "channel.h"
#include "collect.h"
#include "format.h"
#include "handoff.h"
#include "launch.h"
#include "netstate.h"
#include "pace.h"
#include "pgroup.h"
#include "peer.h"
#include "preflight.h"
#include "proctree.h"
#include "report.h"
#include "run.h"
#include "runkernel.h"
#include "xalloc.h"

#define TAG_SIGNAL	1
#define TAG_SECCOMP	2
#define SNAPSHOT_MS	1000	/* periodic look at the kernel's sockets */
#define SOON_MS		150	/* after a listen, look again soon */
#define GRACE_MS	3000	/* SIGTERM, then SIGKILL after this */
#define RING_POLL_MS	100	/* rings are polled at least this often */
#define ACTIVE_MS	50	/* records this recently: keep polling (pace.c) */

struct run {
	const struct bw_runopts	*o;
	struct bw_model		 model;
	struct bw_kernel_ops	 kernel;	/* for the model and the analysis */
	struct bw_runk		 k;		/* what it answers from */
	struct bw_collector	 col;
	pid_t			 child;
	int			 child_status;	/* wait status */
	int			 child_done;
	int64_t			 next_snapshot;
	int64_t			 deadline;	/* --timeout */
	int64_t			 kill_at;	/* SIGKILL stragglers */
	int			 terminating;
	int			 straggler_note;
	int64_t			 last_record;	/* when records last came */
	uint64_t		 records;	/* how many had come then */
	uint64_t		 bytes;		/* their bytes at the last look */
	int			 pace;		/* ms between looks (pace.c) */
	int			 spawn_failed;	/* the fork-and-exec fallback ran */
	struct bw_pgroup	 pg;		/* the command's group, the tty */
	struct bw_sc_run	 sc;
};

static void
live(struct run *r, const struct bw_event *e)
{
	char line[BW_LINE_MAX];

	if (r->o->quiet)
		return;
	if (r->o->json)
		bw_format_json(e, line, sizeof(line));
	else
		bw_format_text(e, line, sizeof(line));
	fputs(line, r->o->out);
}

static void
on_event(const struct bw_event *e, void *arg)
{
	struct run *r = arg;
	struct bw_event c;
	struct bw_owner o;

	/* Who accepted, asked now: the live line names it. */
	if (e->type == BW_EV_CONNECT && e->ret == 0 &&
	    r->kernel.peer(r->kernel.arg, &e->req, &o) == 1) {
		c = *e;
		c.peer_pid = o.pid;
		memcpy(c.peer_comm, o.comm, sizeof(c.peer_comm));
		e = &c;
	} else if (e->type == BW_EV_LISTEN)
		bw_peers_changed(r->k.peers);
	live(r, e);
	/* A bind that found its address in use: the model asks the kernel
	 * who holds it at once, while the holder is there. */
	bw_model_event(&r->model, e, &r->kernel);
	/* A listener came or one of its holders went: look again soon. */
	if ((e->type == BW_EV_LISTEN && e->ret == 0) ||
	    e->type == BW_EV_CLOSE) {
		int64_t soon = bw_now_ms() + SOON_MS;

		if (soon < r->next_snapshot)
			r->next_snapshot = soon;
	}
}

/* The supervisor's warnings: said at once, and in the summary. */
static void
sc_warn(void *arg, const char *kind, const char *msg)
{
	struct run *r = arg;

	if (!r->o->json)
		fprintf(r->o->out, "bindwatch: warning: %s\n", msg);
	bw_model_note(&r->model, kind, msg);
}

static void
exit_event(struct run *r, pid_t pid, int st)
{
	const struct bw_rproc *p = bw_model_proc(&r->model, pid);
	struct bw_event e;

	memset(&e, 0, sizeof(e));
	e.type = BW_EV_EXIT;
	e.pid = pid;
	e.fd = -1;
	e.alias_fd = -1;
	e.ret = WIFSIGNALED(st) ? -WTERMSIG(st) : WEXITSTATUS(st);
	if (p != NULL) {
		memcpy(e.comm, p->comm, sizeof(e.comm));
		e.ppid = p->ppid;
	} else {
		/* Never loaded the shim: name it as the kernel would. */
		const char *base = strrchr(r->o->argv[0], '/');

		strlcpy(e.comm, base ? base + 1 : r->o->argv[0], sizeof(e.comm));
		e.ppid = getpid();
	}
	/* Processes that never loaded the shim (the child of a failed exec,
	 * static binaries) are not in the report: their exit is still news
	 * for the command itself. */
	if (p == NULL && pid != r->child)
		return;
	/* The command was never run: no process of it to report. */
	if (p == NULL && r->spawn_failed && WIFEXITED(st) &&
	    (WEXITSTATUS(st) == 126 || WEXITSTATUS(st) == 127)) {
		r->model.not_run = 1;
		live(r, &e);
		return;
	}
	bw_model_exit(&r->model, pid, e.comm, e.ret);
	bw_peers_changed(r->k.peers);
	live(r, &e);
}

static void
signal_tree(int sig)
{
	pid_t *tree;
	size_t n, i;

	if (bw_proctree("/proc", getpid(), &tree, &n) == -1)
		return;
	for (i = 0; i < n; i++)
		kill(tree[i], sig);
	free(tree);
}

static void
terminate(struct run *r, const char *why)
{
	if (r->terminating)
		return;
	r->terminating = 1;
	if (r->o->verbose)
		fprintf(r->o->out, "bindwatch: %s: terminating the tree\n", why);
	bw_model_snapshot(&r->model, &r->kernel);
	signal_tree(SIGTERM);
	r->kill_at = bw_now_ms() + GRACE_MS;
}

/* Returns 1 when no process of the tree is left. */
static int
reap(struct run *r)
{
	pid_t pid;
	int st;

	for (;;) {
		pid = waitpid(-1, &st, WNOHANG | WUNTRACED);
		if (pid == 0)
			return 0;
		if (pid == -1)
			return errno == ECHILD;
		if (WIFSTOPPED(st)) {
			if (pid == r->child)
				bw_pgroup_stopped(&r->pg, WSTOPSIG(st));
			continue;
		}
		if (pid == r->child) {
			r->child_status = st;
			r->child_done = 1;
			/* Ctrl-C now reaches us, to end the stragglers. */
			bw_pgroup_take_back(&r->pg);
		}
		exit_event(r, pid, st);
	}
}

static void
on_signal(struct run *r, const struct signalfd_siginfo *si)
{
	int sig = (int)si->ssi_signo;

	if (sig == SIGCHLD)
		return;
	if (r->child_done) {
		/* Only stragglers are left: Ctrl-C (again) ends them. */
		if (sig == SIGINT || sig == SIGTERM || sig == SIGQUIT)
			terminate(r, "signal while waiting for the rest of the tree");
		else
			signal_tree(sig);
		return;
	}
	/* The tree as it was when told to end: its workers, its sockets. */
	if (sig == SIGINT || sig == SIGTERM || sig == SIGQUIT || sig == SIGHUP)
		bw_model_snapshot(&r->model, &r->kernel);
	bw_pgroup_signal(&r->pg, r->child, sig, si->ssi_code == SI_KERNEL);
}

static void
notice_stragglers(struct run *r)
{
	pid_t *tree;
	size_t n;

	if (!r->child_done || r->straggler_note || r->terminating)
		return;
	r->straggler_note = 1;
	if (bw_proctree("/proc", getpid(), &tree, &n) == -1 || n == 0) {
		free(tree);
		return;
	}
	if (!r->o->quiet && !r->o->json)
		fprintf(r->o->out, "bindwatch: %s exited; waiting for %zu more "
		    "process%s of its tree (Ctrl-C ends them)\n", r->o->argv[0],
		    n, n == 1 ? "" : "es");
	free(tree);
}

/*
 * The summary, written at once: stderr is unbuffered, and line by line it
 * was a dozen write(2) calls at the end of every run.
 */
static void
report(const struct bw_findings *fi, const struct bw_runopts *o, int status)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m;

	if ((m = open_memstream(&buf, &len)) != NULL) {
		if (o->json)
			bw_report_json(fi, m, status);
		else
			bw_report_text(fi, m, status, o->color);
		if (fclose(m) == 0) {
			(void)fwrite(buf, 1, len, o->out);
			free(buf);
			return;
		}
		free(buf);
	}
	/* Out of memory: straight to the output after all. */
	if (o->json)
		bw_report_json(fi, o->out, status);
	else
		bw_report_text(fi, o->out, status, o->color);
}

static int
loop(struct run *r, int epfd, int sfd)
{
	struct epoll_event evs[64];
	int64_t t, wait;
	int i, n, done = 0, sigchld;

	while (!done) {
		sigchld = 0;
		t = bw_now_ms();
		wait = r->next_snapshot - t;
		if (r->deadline && r->deadline - t < wait)
			wait = r->deadline - t;
		if (r->kill_at && r->kill_at - t < wait)
			wait = r->kill_at - t;
		if (wait > RING_POLL_MS)
			wait = RING_POLL_MS;
		if (wait < 0)
			wait = 0;
		/*
		 * Rings and the tree's channel first.  While records flow,
		 * poll them on a timer paced by the flow (pace.c) and let no
		 * record wake us: a wake-up costs the producer microseconds
		 * and us a context switch (bench/RESULTS.md, tree row:
		 * polling took a third of the CPU), a record in a ring a
		 * fraction of one.  Signals still wake us at once.  Idle for
		 * a while, the channel wakes us again, and the producers are
		 * asked for a doorbell; then look once more: a record
		 * committed in between is either seen now or rings.
		 */
		bw_collector_poll(&r->col, on_event, r);
		/* Records since the last look: from rings, the channel,
		 * and the connections epoll handed us last time. */
		if (r->col.received + r->col.malformed != r->records) {
			r->records = r->col.received + r->col.malformed;
			r->last_record = t;
		}
		if (t - r->last_record < ACTIVE_MS) {
			r->pace = bw_pace_next(r->pace, r->col.bytes - r->bytes);
			if (wait > r->pace)
				wait = r->pace;
			bw_collector_quiet(&r->col, 1);
		} else {
			r->pace = BW_PACE_MIN_MS;
			bw_collector_quiet(&r->col, 0);
			bw_collector_arm(&r->col);
			if (bw_collector_poll(&r->col, on_event, r) > 0)
				wait = 0;
		}
		r->bytes = r->col.bytes;
		/* Errors are sticky: checked once, after the report. */
		(void)fflush(r->o->out);
		n = epoll_wait(epfd, evs, 64, (int)wait);
		if (n == -1 && errno != EINTR)
			return -1;
		for (i = 0; i < n; i++) {
			if (evs[i].data.u64 == TAG_SIGNAL) {
				struct signalfd_siginfo si;

				while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
					sigchld |= si.ssi_signo == SIGCHLD;
					on_signal(r, &si);
				}
			} else if (evs[i].data.u64 == TAG_SECCOMP)
				bw_sc_on_ready(&r->sc, epfd, evs[i].events);
			else if (bw_sc_handoff_owns(evs[i].data.u64))
				bw_sc_handoff_ready(r->sc.ho, evs[i].data.u64,
				    evs[i].events);
			else if (bw_collector_owns(evs[i].data.u64))
				bw_collector_ready(&r->col, evs[i].data.u64,
				    evs[i].events, on_event, r);
		}
		/* What a process sent before it exited comes before its exit
		 * (its connection, even its ring, may not be known yet). */
		if (sigchld)
			bw_collector_drain(&r->col, 4, on_event, r);
		if (reap(r))
			done = 1;
		else
			notice_stragglers(r);
		t = bw_now_ms();
		if (!done && t >= r->next_snapshot) {
			bw_model_snapshot(&r->model, &r->kernel);
			r->next_snapshot = t + SNAPSHOT_MS;
		}
		if (r->deadline && t >= r->deadline && !r->terminating) {
			r->model.timed_out = 1;
			terminate(r, "timeout");
		}
		if (r->kill_at && t >= r->kill_at) {
			signal_tree(SIGKILL);
			r->kill_at = 0;
		}
	}
	return 0;
}

int
bw_run(const struct bw_runopts *o)
{
	static const int fwd[] = { SIGCHLD, SIGINT, SIGTERM, SIGHUP, SIGQUIT,
	    SIGUSR1, SIGUSR2 };
	struct epoll_event ev;
	struct bw_findings fi;
	sigset_t mask, orig;
	/* Static: a seccomp supervisor's thread still serving a tree that
	 * outlived the run (seccomp/attach.c) reads it after we return. */
	static struct run r;
	int epfd, sfd, status;
	size_t i;
	char *pre, chanval[48];
	const char *old;
	uint64_t chan_ino;
	int chan = -1;

	memset(&r, 0, sizeof(r));
	r.o = o;
	bw_model_init(&r.model);
	bw_model_policy(&r.model, o->policy);
	bw_runk_init(&r.k, &r.kernel);

	if ((epfd = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		warn("epoll_create1");
		return 125;
	}
	if (bw_collector_open(&r.col, epfd) == -1) {
		warn("cannot create the event channel");
		return 125;
	}
	sigemptyset(&mask);
	for (i = 0; i < sizeof(fwd) / sizeof(fwd[0]); i++)
		sigaddset(&mask, fwd[i]);
	sigprocmask(SIG_BLOCK, &mask, &orig);
	if ((sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC)) == -1) {
		warn("signalfd");
		bw_collector_close(&r.col);
		return 125;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.u64 = TAG_SIGNAL;
	epoll_ctl(epfd, EPOLL_CTL_ADD, sfd, &ev);

	/* Ours first, then whatever the user preloads already. */
	old = getenv("LD_PRELOAD");
	pre = bw_xasprintf("%s%s%s", o->shim, old && *old ? ":" : "",
	    old ? old : "");
	setenv("LD_PRELOAD", pre, 1);
	free(pre);
	setenv(BINDWATCH_ENV_COLLECTOR, r.col.path, 1);
	/* A connect's local end shows only in JSON events. */
	if (o->json && !o->quiet)
		setenv(BINDWATCH_ENV_LOCAL_ENDS, "1", 1);
	else
		unsetenv(BINDWATCH_ENV_LOCAL_ENDS);
	/* One connection for the whole tree; without it, each image
	 * connects by the path. */
	if (bw_collector_channel(&r.col, &chan, &chan_ino) == 0 &&
	    bw_channel_format(chanval, sizeof(chanval), chan, chan_ino) > 0)
		setenv(BINDWATCH_ENV_COLLECTOR_FD, chanval, 1);
	else {
		if (chan != -1)
			close(chan);
		chan = -1;
		unsetenv(BINDWATCH_ENV_COLLECTOR_FD);
	}

	/* Before the spawn: the filter, the cookie, the hand-over socket. */
	bw_sc_prepare(&r.sc, o->seccomp, o->no_io_uring, o->argv[0],
	    o->shimbase, r.col.dir, &r.model);
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) == -1)
		warn("cannot become a child subreaper; daemons may escape");
	(void)fflush(o->out);	/* nothing buffered twice by fork */
	bw_pgroup_open(&r.pg);
	if ((r.child = bw_launch(o->argv, &orig, chan, &r.sc,
	    &r.spawn_failed)) == -1) {
		warn("fork");
		bw_pgroup_close(&r.pg);
		bw_collector_close(&r.col);
		return 125;
	}
	bw_pgroup_started(&r.pg, r.child);
	if (chan != -1)
		close(chan);	/* the tree has it; our end is in the set */
	bw_sc_attach(&r.sc, epfd, TAG_SECCOMP, o->policy, on_event, sc_warn,
	    &r, &r.model);
	bw_raise_nofile();	/* after the command took the limit we got */

	if (o->verbose)
		fprintf(o->out, "bindwatch: preloading %s; events through %s "
		    "(a ring per process after %s)\n", o->shim, r.col.path,
		    "its first few records");
	bw_preflight(o->argv[0], o->shim, o->shimbase, &r.model,
	    r.sc.have_sup);
	/* Said up front too: the user should not wait for the summary. */
	for (i = 0; i < r.model.nnotes && !o->json; i++)
		fprintf(o->out, "bindwatch: warning: %s\n", r.model.notes[i]);
	r.next_snapshot = bw_now_ms() + SOON_MS;
	if (o->timeout > 0)
		r.deadline = bw_now_ms() + (int64_t)(o->timeout * 1000);
	/* 0: no child is left, so no process of the tree (subreaper). */
	r.k.gone = loop(&r, epfd, sfd) == 0;
	bw_pgroup_close(&r.pg);

	bw_sc_drain(&r.sc, r.k.gone);
	bw_collector_drain(&r.col, 0, on_event, &r);
	bw_model_losses(&r.model, bw_collector_lost(&r.col), r.col.malformed,
	    r.col.rejected);
	bw_model_finish(&r.model, &r.kernel);
	bw_analyze(&r.model, &r.kernel, &fi);
	status = bw_exit_status(r.child_status);
	report(&fi, o, status);
	bw_findings_free(&fi);
	/* The report is the product: say so when it could not be written
	 * (the exit status stays the command's). */
	if (fflush(o->out) == EOF || ferror(o->out))
		warnx("the report could not be written completely");

	bw_runk_free(&r.k);
	bw_model_free(&r.model);
	bw_sc_finish(&r.sc);
	bw_collector_close(&r.col);
	close(sfd);
	close(epfd);
	return status;
}
