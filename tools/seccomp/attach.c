/*
 * A run with seccomp: whether the command gets the filter (--seccomp),
 * the stand-in and the socketpair made before the spawn, the listener
 * received after it and served from the run's epoll loop.  Served there
 * and not from a thread: the events then enter the model as the shim's
 * do, with no locking, and the loop wakes at once for the listener as it
 * does for signals.
 */
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach.h"
#include "preflight.h"
#include "responder.h"

#define SC_BURST	64	/* notifications answered per turn, at most */

void
bw_sc_prepare(struct bw_sc_run *sc, int mode, int no_io_uring,
    const char *cmd, const char *shimbase, struct bw_model *m)
{
	char why[200], msg[300];

	memset(sc, 0, sizeof(*sc));
	/* An outer bindwatch's cookie would not pass our filter. */
	unsetenv(BINDWATCH_ENV_SECCOMP_COOKIE);
	sc->sock[0] = sc->sock[1] = sc->responder = -1;
	sc->sup.fd = -1;
	if (mode == BW_SC_OFF || (mode == BW_SC_AUTO && !no_io_uring &&
	    !bw_preflight_blind(cmd, shimbase)))
		return;
#if !defined(__x86_64__)
	bw_model_note(m, "seccomp", "seccomp supervision is built for x86_64 "
	    "only: programs the shim cannot see stay unseen");
	return;
#endif
	if (bw_sc_probe(why, sizeof(why)) == -1) {
		snprintf(msg, sizeof(msg), "no seccomp supervision: %s; "
		    "programs the shim cannot see stay unseen", why);
		bw_model_note(m, "seccomp", msg);
		return;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
	    sc->sock) == -1)
		return;
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
	sc->responder = bw_sc_responder_start();
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

static void
say(struct bw_model *m, int status, int err)
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

void
bw_sc_attach(struct bw_sc_run *sc, int epfd, uint64_t tag,
    const struct bw_policy *pol, bw_event_cb cb, bw_sc_warn_cb warn,
    void *arg, struct bw_model *m)
{
	struct epoll_event ev;
	int status, err = 0, lfd;

	if (!sc->active)
		return;
	close(sc->sock[1]);
	sc->sock[1] = -1;
	status = bw_sc_from_child(sc->sock[0], &lfd, &err);
	close(sc->sock[0]);
	sc->sock[0] = -1;
	if (status == -1)
		return;		/* the child died before a word */
	say(m, status, err);
	if ((status & 0xff) != BW_SC_ST_OK || lfd == -1)
		return;
	if (sc->responder != -1)
		(void)bw_sc_responder_give(sc->responder, lfd);
	if (bw_sc_open(&sc->sup, lfd, pol, cb, warn, arg) == -1) {
		close(lfd);
		return;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.u64 = tag;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &ev) == -1) {
		bw_sc_close(&sc->sup);
		return;
	}
	sc->have_sup = 1;
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
		bw_sc_finish(sc);
	}
}

void
bw_sc_finish(struct bw_sc_run *sc)
{
	if (sc->have_sup)
		bw_sc_close(&sc->sup);
	sc->have_sup = 0;
	if (sc->responder != -1)
		close(sc->responder);
	sc->responder = -1;
}
