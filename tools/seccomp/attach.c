/*
 * A run with seccomp: whether the command gets the filter (--seccomp),
 * the socketpair made before the spawn, the listener received after it
 * (the stand-in started then) and served by a thread of its own, blocked in
 * SECCOMP_IOCTL_NOTIF_RECV: SYNC_WAKE_UP then hands the CPU straight
 * between the target and it (through epoll it would not).  The thread
 * answers and posts the rest to the run's epoll loop over a pipe, so the
 * events enter the model as the shim's do, with no locking.
 */
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach.h"
#include "handoff.h"
#include "preflight.h"
#include "responder.h"

#define SC_BURST	64	/* notifications answered per turn, at most */

void
bw_sc_prepare(struct bw_sc_run *sc, int mode, int no_io_uring,
    const char *cmd, const char *shimbase, const char *dir,
    struct bw_model *m)
{
	char why[200], msg[300];
	int blind, handoff;

	memset(sc, 0, sizeof(*sc));
	/* An outer bindwatch's cookie would not pass our filter. */
	unsetenv(BINDWATCH_ENV_SECCOMP_COOKIE);
	unsetenv(BINDWATCH_ENV_SECCOMP_HANDOFF);
	sc->sock[0] = sc->sock[1] = sc->responder = -1;
	sc->posts[0] = sc->posts[1] = -1;
	sc->sup.fd = -1;
	if (mode == BW_SC_OFF)
		return;
	blind = mode != BW_SC_AUTO || no_io_uring ||
	    bw_preflight_blind(cmd, shimbase);
	/* Under auto, blind images the tree executes are filtered by the
	 * shim's exec hooks (shim/exec.c); with the command filtered, its
	 * whole tree is already. */
	handoff = mode == BW_SC_AUTO && !blind;
	if (!blind && !handoff)
		return;
#if !defined(__x86_64__)
	if (blind)
		bw_model_note(m, "seccomp", "seccomp supervision is built for "
		    "x86_64 only: programs the shim cannot see stay unseen");
	return;
#endif
	if (bw_sc_probe(why, sizeof(why)) == -1) {
		if (!blind)
			return;	/* said if a blind image ever runs: unseen */
		snprintf(msg, sizeof(msg), "no seccomp supervision: %s; "
		    "programs the shim cannot see stay unseen", why);
		bw_model_note(m, "seccomp", msg);
		return;
	}
	sc->fo.no_io_uring = no_io_uring;
	/* A random per-run cookie: calls carrying it pass untrapped. */
	if (getrandom(&sc->fo.cookie, sizeof(sc->fo.cookie), 0) !=
	    (ssize_t)sizeof(sc->fo.cookie))
		sc->fo.cookie = 0;
	if (sc->fo.cookie != 0) {
		snprintf(msg, sizeof(msg), "%016llx",
		    (unsigned long long)sc->fo.cookie);
		setenv(BINDWATCH_ENV_SECCOMP_COOKIE, msg, 1);
	}
	/* Without a cookie the shim's own binds would be trapped too. */
	if (handoff && sc->fo.cookie != 0)
		sc->ho = bw_sc_handoff_open(dir);
	if (!blind)
		return;	/* the stand-in comes with the first listener */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
	    sc->sock) == 0)
		sc->active = 1;
}

void
bw_sc_in_child(struct bw_sc_run *sc)
{
	if (!sc->active)
		return;
	close(sc->sock[0]);
	bw_sc_child(sc->sock[1], &sc->fo);
}

void
bw_sc_say(struct bw_model *m, int status, int err)
{
	char msg[200];

	if (status & BW_SC_NNP)
		bw_model_note(m, "no-new-privs", "no_new_privs was set for the "
		    "seccomp filter: set-user-ID programs below this one will "
		    "not gain privileges");
	switch (status & 0xff) {
	case BW_SC_ST_BUSY:
		bw_model_note(m, "seccomp", "the command already runs under "
		    "a seccomp listener (EBUSY): it runs without ours, and what "
		    "the shim cannot see stays unseen");
		break;
	case BW_SC_ST_FAIL:
		snprintf(msg, sizeof(msg), "the seccomp filter could not be "
		    "installed (%s): what the shim cannot see stays unseen",
		    strerror(err));
		bw_model_note(m, "seccomp", msg);
		break;
	}
}

/*
 * The thread's side of a post: queued, and the loop woken (a byte in the
 * pipe) only when the queue was empty; a loop still busy with the last
 * posts takes this one with them, and the thread saves a system call.
 */
static void
post(struct bw_sc_post *q, void *arg)
{
	struct bw_sc_run *sc = arg;
	int was_empty;
	char b = 0;

	q->next = NULL;
	pthread_mutex_lock(&sc->qlock);
	was_empty = sc->qhead == NULL;
	if (was_empty)
		sc->qhead = q;
	else
		sc->qtail->next = q;
	sc->qtail = q;
	pthread_mutex_unlock(&sc->qlock);
	if (was_empty)
		(void)write(sc->posts[1], &b, 1);
}

static void *
serve(void *arg)
{
	struct bw_sc_run *sc = arg;
	int fd;

	/* The stand-in, here rather than in the loop: the loop is then
	 * waiting for a short command's end, not for two clones (the
	 * static start-up row).  A call made meanwhile waits for it. */
	if (sc->standin && (fd = bw_sc_responder_start_late()) != -1) {
		(void)bw_sc_responder_give(fd, sc->sup.fd);
		__atomic_store_n(&sc->responder, fd, __ATOMIC_RELEASE);
	}
	while (bw_sc_ready(&sc->sup) == 0)
		;
	bw_sc_mem_forget();
	close(sc->posts[1]);	/* the loop reads the end */
	return NULL;
}

/* The supervisor's thread, with every signal blocked (they are the
 * loop's); 0, or -1: then the loop serves the listener itself. */
static int
start(struct bw_sc_run *sc)
{
	sigset_t all, old;
	int e;

	if (pipe2(sc->posts, O_CLOEXEC) == -1)
		return -1;
	pthread_mutex_init(&sc->qlock, NULL);
	(void)fcntl(sc->posts[0], F_SETFL, O_NONBLOCK);
	sc->sup.post = post;
	sc->sup.post_arg = sc;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	e = pthread_create(&sc->th, NULL, serve, sc);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e == 0) {
		sc->threaded = 1;
		return 0;
	}
	sc->sup.post = NULL;
	close(sc->posts[0]);
	close(sc->posts[1]);
	sc->posts[0] = sc->posts[1] = -1;
	return -1;
}

/* The posts queued; -1 at the pipe's end (the thread returned). */
static int
take_posts(struct bw_sc_run *sc)
{
	struct bw_sc_post *q, *next;
	char b[64];
	ssize_t n;

	while ((n = read(sc->posts[0], b, sizeof(b))) > 0)
		;
	if (n == 0 && !sc->ended) {
		pthread_join(sc->th, NULL);
		sc->ended = 1;
	}
	pthread_mutex_lock(&sc->qlock);
	q = sc->qhead;
	sc->qhead = sc->qtail = NULL;
	pthread_mutex_unlock(&sc->qlock);
	for (; q != NULL; q = next) {
		next = q->next;
		bw_sc_details(&sc->sup, q);
		free(q);
	}
	return n == 0 ? -1 : 0;
}

void
bw_sc_attach(struct bw_sc_run *sc, int epfd, uint64_t tag,
    const struct bw_policy *pol, bw_event_cb cb, bw_sc_warn_cb warn,
    void *arg, struct bw_model *m)
{
	int status, err = 0, lfd;

	if (sc->ho != NULL)
		bw_sc_handoff_attach(sc->ho, epfd, pol, cb, warn, arg, m);
	if (!sc->active)
		return;
	close(sc->sock[1]);
	sc->sock[1] = -1;
	status = bw_sc_from_child(sc->sock[0], &lfd, &err);
	close(sc->sock[0]);
	sc->sock[0] = -1;
	if (status == -1)
		return;		/* the child died before a word */
	bw_sc_say(m, status, err);
	if ((status & 0xff) != BW_SC_ST_OK || lfd == -1)
		return;
	/* The stand-in comes once the command executes: not before the
	 * spawn, where the command would wait for it. */
	sc->standin = 1;
	if (bw_sc_serve(sc, lfd, epfd, tag, pol, cb, warn, arg) == -1)
		return;
	if (!sc->threaded &&
	    (sc->responder = bw_sc_responder_start_late()) != -1)
		(void)bw_sc_responder_give(sc->responder, lfd);
}

/*
 * A listener received (the command's, or one the shim handed over): served
 * by a thread of its own, its posts read by the loop (tag).  0, or -1 when
 * it could not be (lfd is closed then).
 */
int
bw_sc_serve(struct bw_sc_run *sc, int lfd, int epfd, uint64_t tag,
    const struct bw_policy *pol, bw_event_cb cb, bw_sc_warn_cb warn,
    void *arg)
{
	struct epoll_event ev;

	if (bw_sc_open(&sc->sup, lfd, pol, cb, warn, arg) == -1) {
		close(lfd);
		return -1;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.u64 = tag;
	if (start(sc) == 0) {
		/* Not watched: the posts are taken at the end (drain). */
		(void)epoll_ctl(epfd, EPOLL_CTL_ADD, sc->posts[0], &ev);
		sc->have_sup = 1;
		return 0;
	}
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &ev) == -1) {
		bw_sc_close(&sc->sup);
		return -1;
	}
	sc->have_sup = 1;
	return 0;
}

/* The listener and the thread's pipe: nothing served any more. */
static void
unserve(struct bw_sc_run *sc)
{
	if (sc->posts[0] != -1)
		close(sc->posts[0]);
	sc->posts[0] = -1;
	if (sc->have_sup)
		bw_sc_close(&sc->sup);
	sc->have_sup = 0;
}

/*
 * A notification, or the end of the filtered tree (HUP).  While calls keep
 * coming (a loop of binds), they are answered here, without a turn of the
 * whole loop each.
 */
void
bw_sc_on_ready(struct bw_sc_run *sc, int epfd, uint32_t events)
{
	struct pollfd p;
	int n = 0;

	if (sc->threaded) {
		if (take_posts(sc) == -1)
			epoll_ctl(epfd, EPOLL_CTL_DEL, sc->posts[0], NULL);
		return;
	}

	if (events & EPOLLIN && bw_sc_ready(&sc->sup) == 0) {
		p.fd = sc->sup.fd;
		p.events = POLLIN;
		while (++n < SC_BURST && poll(&p, 1, 0) == 1 &&
		    p.revents == POLLIN && bw_sc_ready(&sc->sup) == 0)
			;
		return;
	}
	if (events & (EPOLLHUP | EPOLLERR | EPOLLIN)) {
		epoll_ctl(epfd, EPOLL_CTL_DEL, sc->sup.fd, NULL);
		unserve(sc);
	}
}

/*
 * The posts still on their way when the loop ends.  With the tree gone
 * (reaped: no filtered process left), every call was received and
 * answered: what is missing is a post the thread is still making (busy),
 * waited for briefly.  Not the thread's own end: it comes only after the
 * kernel's wake-up for the last filter, a round trip the run need not pay.
 */
void
bw_sc_drain(struct bw_sc_run *sc, int gone)
{
	struct pollfd p;
	int n;

	if (sc->ho != NULL)
		bw_sc_handoff_drain(sc->ho, gone);
	if (!sc->threaded || sc->posts[0] == -1)
		return;
	p.fd = sc->posts[0];
	p.events = POLLIN;
	for (n = 0; n < 1000; n++) {
		if (take_posts(sc) == -1 || !gone ||
		    !__atomic_load_n(&sc->sup.busy, __ATOMIC_SEQ_CST))
			break;
		(void)poll(&p, 1, 1);
	}
	(void)take_posts(sc);	/* what came with the last answer */
	if (sc->ended) {
		/* Closed, it leaves the loop's epoll set: no end to report
		 * again and again to a later wait there. */
		close(sc->posts[0]);
		sc->posts[0] = -1;
	}
}

void
bw_sc_finish(struct bw_sc_run *sc)
{
	if (sc->ho != NULL)
		bw_sc_handoff_finish(sc->ho);
	sc->ho = NULL;
	/* A thread still serving (the tree outlived the run) keeps the
	 * listener and its buffers until we exit. */
	if (sc->threaded && !sc->ended)
		return;
	unserve(sc);
	/* The thread wrote it, and has returned (joined). */
	if (sc->responder != -1)
		close(sc->responder);
	sc->responder = -1;
}
