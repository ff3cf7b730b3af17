/*
 * Under --seccomp=auto, a process of the tree about to execute an image
 * the shim cannot see installs the filter itself (shim/exec.c) and hands
 * the listener over here: a SOCK_SEQPACKET socket in the collector's 0700
 * directory.  Each listener is given to the stand-in (responder.c) and
 * served by a thread of its own, with the same policy, events and rules as
 * the command's; then the process gets its one-byte ack and executes.
 * The ack comes only once both hold the listener: killing bindwatch after
 * that never leaves the process with ENOSYS.
 */
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "contract.h"
#include "handoff.h"
#include "responder.h"
#include "xalloc.h"

/* How long the process may take between connecting and its word (ms). */
#define WORD_MS		1000

struct bw_sc_handoff *
bw_sc_handoff_open(const char *dir)
{
	struct bw_sc_handoff *ho;
	struct sockaddr_un sun;

	ho = bw_xcalloc(1, sizeof(*ho));
	ho->epfd = ho->responder = -1;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (snprintf(ho->path, sizeof(ho->path), "%s/handoff", dir) >=
	    (int)sizeof(ho->path) || (ho->lsock = socket(AF_UNIX,
	    SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) == -1) {
		free(ho);
		return NULL;
	}
	memcpy(sun.sun_path, ho->path, strlen(ho->path) + 1);
	if (bind(ho->lsock, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(ho->lsock, 64) == -1) {
		close(ho->lsock);
		free(ho);
		return NULL;
	}
	setenv(BINDWATCH_ENV_SECCOMP_HANDOFF, ho->path, 1);
	return ho;
}

/* After the spawn: what each listener is served with, and the loop. */
void
bw_sc_handoff_attach(struct bw_sc_handoff *ho, int epfd,
    const struct bw_policy *pol, bw_event_cb cb, bw_sc_warn_cb warn,
    void *arg, struct bw_model *m)
{
	struct epoll_event ev;

	ho->epfd = epfd;
	ho->pol = pol;
	ho->cb = cb;
	ho->warn = warn;
	ho->arg = arg;
	ho->m = m;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.u64 = BW_SC_HO_TAG;
	(void)epoll_ctl(epfd, EPOLL_CTL_ADD, ho->lsock, &ev);
}

int
bw_sc_handoff_owns(uint64_t tag)
{
	return (tag & ~(uint64_t)0xffffffff) == BW_SC_HO_TAG;
}

/* What the processes said, each kind once for the whole run. */
static void
say_once(struct bw_sc_handoff *ho, int status, int err)
{
	if ((status & BW_SC_NNP) && !ho->said_nnp) {
		ho->said_nnp = 1;
		bw_sc_say(ho->m, BW_SC_ST_OK | BW_SC_NNP, 0);
	}
	if ((status & 0xff) == BW_SC_ST_FAIL && !ho->said_fail) {
		ho->said_fail = 1;
		bw_sc_say(ho->m, BW_SC_ST_FAIL, err);
	}
}

/* The stand-in, at the first listener: most runs never hand one over,
 * and need not pay its start. */
static void
stand_in(struct bw_sc_handoff *ho)
{
	if (ho->started)
		return;
	ho->started = 1;
	ho->responder = bw_sc_responder_start_late();
}

static void
serve(struct bw_sc_handoff *ho, int lfd)
{
	struct bw_sc_run *kid;

	stand_in(ho);

	kid = bw_xcalloc(1, sizeof(*kid));
	kid->sock[0] = kid->sock[1] = kid->responder = -1;
	kid->posts[0] = kid->posts[1] = -1;
	kid->sup.fd = -1;
	kid->active = 1;
	ho->kids = bw_xreallocarray(ho->kids, ho->nkids + 1,
	    sizeof(struct bw_sc_run *));
	ho->kids[ho->nkids] = kid;
	if (ho->responder != -1)
		(void)bw_sc_responder_give(ho->responder, lfd);
	if (bw_sc_serve(kid, lfd, ho->epfd, BW_SC_HO_TAG | (ho->nkids + 1),
	    ho->pol, ho->cb, ho->warn, ho->arg) == -1) {
		free(kid);
		return;
	}
	ho->nkids++;
}

/* One process at the socket: its word, its listener, our ack. */
static void
take(struct bw_sc_handoff *ho, int c)
{
	struct pollfd p;
	int status, err = 0, lfd = -1;
	char ack = 0;

	p.fd = c;
	p.events = POLLIN;
	if (poll(&p, 1, WORD_MS) != 1 ||
	    (status = bw_sc_from_child(c, &lfd, &err)) == -1)
		return;		/* EBUSY: it left without a word */
	say_once(ho, status, err);
	if ((status & 0xff) == BW_SC_ST_OK && lfd != -1)
		serve(ho, lfd);
	else if (lfd != -1)
		close(lfd);
	(void)send(c, &ack, 1, MSG_NOSIGNAL);
}

void
bw_sc_handoff_ready(struct bw_sc_handoff *ho, uint64_t tag, uint32_t events)
{
	struct bw_sc_run *kid;
	size_t i = (size_t)(tag & 0xffffffff);
	int c;

	if (ho == NULL)
		return;
	if (i > 0) {
		if (i <= ho->nkids && (kid = ho->kids[i - 1]) != NULL) {
			bw_sc_on_ready(kid, ho->epfd, events);
			/* Its process gone and its posts taken: a tree that
			 * runs blind programs one after another keeps no
			 * descriptor or thread of theirs. */
			if (kid->threaded && kid->ended) {
				bw_sc_finish(kid);
				free(kid);
				ho->kids[i - 1] = NULL;
			}
		}
		return;
	}
	while ((c = accept4(ho->lsock, NULL, NULL, SOCK_CLOEXEC)) != -1) {
		take(ho, c);
		close(c);
	}
}

void
bw_sc_handoff_drain(struct bw_sc_handoff *ho, int gone)
{
	size_t i;

	for (i = 0; i < ho->nkids; i++)
		if (ho->kids[i] != NULL)
			bw_sc_drain(ho->kids[i], gone);
}

/*
 * A listener still served (the tree outlived the run) keeps its thread's
 * state, and the stand-in waiting for our end: both go when we exit.
 */
void
bw_sc_handoff_finish(struct bw_sc_handoff *ho)
{
	size_t i;
	int serving = 0;

	for (i = 0; i < ho->nkids; i++) {
		if (ho->kids[i] == NULL)
			continue;
		bw_sc_finish(ho->kids[i]);
		if (ho->kids[i]->threaded && !ho->kids[i]->ended)
			serving = 1;	/* its thread reads it: kept */
		else
			free(ho->kids[i]);
	}
	if (ho->epfd != -1)
		(void)epoll_ctl(ho->epfd, EPOLL_CTL_DEL, ho->lsock, NULL);
	close(ho->lsock);
	(void)unlink(ho->path);
	unsetenv(BINDWATCH_ENV_SECCOMP_HANDOFF);
	if (serving)
		return;
	if (ho->responder != -1)
		close(ho->responder);
	free(ho->kids);
	free(ho);
}
