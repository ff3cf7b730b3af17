/*
 * The supervisor: each trapped bind or listen is read from the target,
 * done here on a duplicate of the target's socket (pidfd_getfd), and
 * answered with its result.  Doing the call ourselves gives the result for
 * the event and closes the race a CONTINUE would leave open: another
 * thread of the target cannot change the address between our check and
 * the kernel's use.  Only calls that are none of our business (not an IP
 * socket, an address the kernel will refuse anyway) get CONTINUE.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <netinet/in.h>

#include <linux/seccomp.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alias.h"
#include "mem.h"
#include "seccomp.h"
#include "supervise.h"
#include "xalloc.h"

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS	SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP	(1UL << 0)
#endif

/* One notification being handled. */
struct note {
	struct seccomp_notif	*n;
	struct bw_sc_call	 c;
	struct bw_sc_proc	 p;		/* read when needed (proc_of) */
	int			 have_p;
	int			 dup;		/* the target's socket, here */
	int			 domain;
};

static int
unpriv_port(void)
{
	char buf[32];
	ssize_t n;
	int fd, v = 1024;

	if ((fd = open("/proc/sys/net/ipv4/ip_unprivileged_port_start",
	    O_RDONLY | O_CLOEXEC)) == -1)
		return v;
	if ((n = read(fd, buf, sizeof(buf) - 1)) > 0) {
		buf[n] = '\0';
		v = (int)strtol(buf, NULL, 10);
	}
	close(fd);
	return v;
}

int
bw_sc_open(struct bw_sc_sup *s, int fd, const struct bw_policy *pol,
    bw_event_cb cb, bw_sc_warn_cb warn, void *arg)
{
	struct seccomp_notif_sizes sz;

	memset(s, 0, sizeof(*s));
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz) == -1)
		return -1;
	s->fd = fd;
	if (pol != NULL) {
		s->polcopy = *pol;
		s->pol = &s->polcopy;
	}
	s->policy = pol != NULL && bw_policy_active(pol);
	s->reqsz = sz.seccomp_notif > sizeof(struct seccomp_notif) ?
	    sz.seccomp_notif : sizeof(struct seccomp_notif);
	s->respsz = sz.seccomp_notif_resp > sizeof(struct seccomp_notif_resp) ?
	    sz.seccomp_notif_resp : sizeof(struct seccomp_notif_resp);
	s->req = bw_xcalloc(1, s->reqsz);
	s->resp = bw_xcalloc(1, s->respsz);
	s->cb = cb;
	s->warn = warn;
	s->arg = arg;
	s->unpriv_port = unpriv_port();
	/* Linux 6.6: the target and we hand over on one CPU, no scheduler
	 * round trip (about 135 µs down to under 20 per call here). */
	(void)ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
	    SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
	return 0;
}

void
bw_sc_close(struct bw_sc_sup *s)
{
	if (s->fd != -1)
		close(s->fd);
	s->fd = -1;
	free(s->req);
	free(s->resp);
	s->req = s->resp = NULL;
}

static void
respond(struct bw_sc_sup *s, uint64_t id, int cont, int ret, int err)
{
	struct seccomp_notif_resp *r = s->resp;

	memset(r, 0, s->respsz);
	r->id = id;
	if (cont)
		r->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	else if (ret == -1)
		r->error = -err;
	else
		r->val = ret;
	/* ENOENT: the target is gone (killed); nothing to answer. */
	(void)ioctl(s->fd, SECCOMP_IOCTL_NOTIF_SEND, r);
}

static int
still_valid(struct bw_sc_sup *s, const struct note *t)
{
	uint64_t id = t->n->id;

	return ioctl(s->fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
}

/* Under a policy, a call we cannot look at is refused, and said once. */
static int
unreadable(struct bw_sc_sup *s, const struct note *t)
{
	char msg[160];

	if (!s->policy)
		return 0;
	if (!s->warned_mem && s->warn != NULL) {
		snprintf(msg, sizeof(msg), "pid %d: its memory or descriptors "
		    "cannot be read (not dumpable?): its binds are refused with "
		    "EACCES, as the policy cannot be checked",
		    (int)t->n->pid);
		bw_sc_post_warn(s, "seccomp-unreadable", msg);
	}
	s->warned_mem = 1;
	return 1;
}

/*
 * Who the target is: its process, name, parent and capabilities.  Read
 * only when asked, mostly after the answer: the target does not wait for
 * the event's details.
 */
static const struct bw_sc_proc *
proc_of(struct note *t)
{
	if (!t->have_p && bw_sc_proc_kept((pid_t)t->n->pid, &t->p) == -1) {
		memset(&t->p, 0, sizeof(t->p));
		t->p.tgid = (pid_t)t->n->pid;
	}
	t->have_p = 1;
	return &t->p;
}

/*
 * The call is answered: the rest of the event is read by whoever takes
 * the post (bw_sc_details), on bindwatch's main thread when there is one.
 * Reading it here would keep the target waiting: woken on this CPU
 * (SYNC_WAKE_UP), it runs only when we block again.
 */
static void
hand_on(struct bw_sc_sup *s, struct note *t, struct bw_event *e,
    int freebind, int from_dup, int before0)
{
	struct bw_sc_post *q;
	struct timespec ts;

	if ((q = calloc(1, sizeof(*q))) == NULL)
		return;
	q->e = *e;
	q->e.fd = t->c.fd;
	clock_gettime(CLOCK_REALTIME, &ts);
	q->e.time_ns = (uint64_t)ts.tv_sec * 1000000000u +
	    (uint64_t)ts.tv_nsec;
	q->tid = (pid_t)t->n->pid;
	q->p = *proc_of(t);	/* the process may be gone by then */
	q->dup = t->dup;
	t->dup = -1;	/* the post's now */
	q->domain = t->domain;
	q->freebind = freebind;
	q->from_dup = from_dup;
	q->before0 = before0;
	bw_sc_post(s, q);
}

/*
 * Our bind uses our credentials: a port the target could not have bound
 * itself stays refused.
 */
static int
privileged(const struct bw_sc_sup *s, struct note *t, const struct bw_sa *a)
{
	struct bw_sc_proc now;	/* capabilities: as they are now */

	/* Most ports need no look at the target's capabilities. */
	if (!bw_sc_port_refused(a->port, s->unpriv_port, 0))
		return 0;
	if (bw_sc_proc((pid_t)t->n->pid, &now) == -1)
		return 1;	/* gone, or not ours to look at */
	return bw_sc_port_refused(a->port, s->unpriv_port, now.capeff);
}

/* Confine the duplicate to lo, or fall back to the plain rewrite. */
static int
confine(int fd, struct bw_bind_decision *d)
{
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE,
	    BINDWATCH_LOOPBACK_DEVICE, sizeof(BINDWATCH_LOOPBACK_DEVICE)) == 0)
		return 0;
	return bw_policy_unconfined(d);
}

/* The policy's verdict on req, carried out on the duplicate. */
static int
bind_policy(struct bw_sc_sup *s, const struct note *t, int phase,
    const struct bw_sa *req, struct bw_event *e, int *err)
{
	struct bw_bind_decision d;
	struct bw_bind_ctx ctx;
	int off = 0;

	memset(&d, 0, sizeof(d));
	d.action = BW_ACT_PASS;
	if (s->policy) {
		ctx.family = t->domain;
		ctx.proto = e->proto;
		ctx.v6only = (e->opts & BW_OPT_V6ONLY) != 0;
		ctx.phase = phase;
		bw_policy_socket(s->pol, &ctx, req, &d);
	}
	if (d.action == BW_ACT_CONFINE && confine(t->dup, &d) == -1) {
		*err = errno;
		return -1;
	}
	e->action = (uint8_t)d.action;
	e->used = *req;
	if (d.action == BW_ACT_DENY) {
		if (d.addr.family != 0)
			e->used = d.addr;
		*err = d.err;
		return -1;
	}
	if (d.action == BW_ACT_REWRITE) {
		e->used = d.addr;
		if (d.clear_v6only && setsockopt(t->dup, IPPROTO_IPV6,
		    IPV6_V6ONLY, &off, sizeof(off)) == -1) {
			*err = errno;
			return -1;
		}
	} else if (d.action == BW_ACT_CONFINE)
		e->used = d.addr.family != 0 ? d.addr : *req;
	return 0;
}

/* The address to bind, out of the target's memory; 0, 1: CONTINUE, -1. */
static int
read_addr(struct bw_sc_sup *s, struct note *t, struct sockaddr_storage *ss)
{
	if (t->c.len < sizeof(sa_family_t) || t->c.len > sizeof(*ss))
		return 1;	/* the kernel refuses it on its own */
	memset(ss, 0, sizeof(*ss));
	if (bw_sc_read((pid_t)t->n->pid, t->c.addr, ss, t->c.len) == -1)
		return unreadable(s, t) ? -1 : 1;
	/*
	 * Whether it was still the target's memory, take_socket checks once
	 * for both.  Not IP: nothing to see, unless a policy must look at
	 * the socket itself (another thread may change the family behind us).
	 */
	if (ss->ss_family != AF_INET && ss->ss_family != AF_INET6 &&
	    !s->policy)
		return 1;
	return 0;
}

/*
 * The target's socket, here; 0, 1: CONTINUE, -1: refuse with *err.  The
 * notification is checked valid after it: what was read from the target
 * (address, descriptor) was the caller's, not a recycled thread id's.
 */
static int
take_socket(struct bw_sc_sup *s, struct note *t, int *err)
{
	socklen_t len = sizeof(int);
	pid_t tid = (pid_t)t->n->pid;

	/* Linux 6.9 opens a thread's pidfd; before, the process's. */
	if ((t->dup = bw_sc_getfd(tid, tid, t->c.fd)) == -1 && errno != EBADF)
		t->dup = bw_sc_getfd(tid, proc_of(t)->tgid, t->c.fd);
	if (t->dup == -1) {
		if (errno == EBADF)
			return 1;	/* the kernel says EBADF itself */
		*err = EACCES;
		return unreadable(s, t) ? -1 : 1;
	}
	if (!still_valid(s, t))
		return -2;
	if (getsockopt(t->dup, SOL_SOCKET, SO_DOMAIN, &t->domain, &len) == -1 ||
	    (t->domain != AF_INET && t->domain != AF_INET6))
		return 1;
	return 0;
}

static void
do_bind(struct bw_sc_sup *s, struct note *t)
{
	struct sockaddr_storage ss;
	struct bw_event e;
	size_t nlen;
	int r, ret, err = 0;

	if ((r = read_addr(s, t, &ss)) == 0)
		r = take_socket(s, t, &err);
	else if (r == -1)
		err = EACCES;
	if (r == -2)
		return;
	if (r != 0) {
		respond(s, t->n->id, r == 1, -1, err);
		return;
	}
	memset(&e, 0, sizeof(e));
	e.alias_fd = -1;
	if (s->policy)
		bw_sc_gather(t->dup, t->domain, &e, 0);	/* for the policy */
	if (bw_sa_from_sockaddr(&e.req, (struct sockaddr *)&ss, t->c.len) == -1) {
		/* Not an address for this socket: the kernel's own answer. */
		ret = bind(t->dup, (struct sockaddr *)&ss, t->c.len);
		respond(s, t->n->id, 0, ret, errno);
		return;
	}
	ret = bind_policy(s, t, BW_PHASE_BIND, &e.req, &e, &err);
	if (ret == 0 && privileged(s, t, &e.used)) {
		ret = -1;
		err = EACCES;
	} else if (ret == 0) {
		nlen = bw_sa_to_sockaddr(&e.used, &ss);
		ret = bind(t->dup, (struct sockaddr *)&ss, (socklen_t)nlen);
		err = errno;
	}
	if (ret == -1 && err == EADDRINUSE && s->policy &&
	    bw_sc_alias(s, t->n->id, proc_of(t)->tgid, (pid_t)t->n->pid,
	    t->c.fd, &e) == 0) {
		ret = 0;
		err = 0;
	}
	respond(s, t->n->id, 0, ret, err);
	/* The target runs on; the event's details are read now. */
	if (ret == 0 && e.alias_fd < 0 && s->policy)
		bw_sc_remember(s, proc_of(t)->tgid, t->c.fd, t->dup, &e);
	e.type = BW_EV_BIND;
	e.ret = ret;
	e.err = ret == -1 ? err : 0;
	if (ret == 0 && e.alias_fd >= 0)
		e.bound = e.used;	/* fd is the other socket now */
	hand_on(s, t, &e, bw_sa_class(&e.used) == BW_CLASS_OTHER,
	    ret == 0 && e.alias_fd < 0, 0);
}

/* listen on a never-bound socket binds it: the policy's business. */
static int
autobind(struct bw_sc_sup *s, struct note *t, struct bw_event *e, int *err)
{
	struct sockaddr_storage ss;
	struct bw_sa any;
	size_t nlen;

	memset(&any, 0, sizeof(any));
	any.family = (uint16_t)t->domain;
	if (bind_policy(s, t, BW_PHASE_AUTOBIND, &any, e, err) == -1)
		return -1;
	if (e->action != BW_ACT_REWRITE) {
		e->used = e->req;
		return 0;
	}
	e->req = any;
	nlen = bw_sa_to_sockaddr(&e->used, &ss);
	if (bind(t->dup, (struct sockaddr *)&ss, (socklen_t)nlen) == -1) {
		*err = errno;
		return -1;
	}
	return 0;
}

/* Is the socket bound to a network device already (its own, or ours)? */
static int
on_device(int fd)
{
	char dev[64];
	socklen_t len = sizeof(dev);

	return getsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev, &len) == 0 &&
	    len > 0 && dev[0] != '\0';
}

/*
 * listen on a socket the program bound to port 0: a server now, bound
 * where it is, so it can only be confined (as the shim does).
 */
static int
bound_policy(struct bw_sc_sup *s, struct note *t, const struct bw_sa *bound,
    struct bw_event *e, int *err)
{
	struct bw_bind_decision d;
	struct bw_bind_ctx ctx;

	ctx.family = t->domain;
	ctx.proto = e->proto;
	ctx.v6only = (e->opts & BW_OPT_V6ONLY) != 0;
	ctx.phase = BW_PHASE_BOUND;
	bw_policy_socket(s->pol, &ctx, bound, &d);
	if (d.action == BW_ACT_DENY) {
		*err = d.err;
		e->action = BW_ACT_DENY;
		return -1;
	}
	/* No fallback now (the address is taken): a kernel that refuses
	 * leaves the server as it would have run. */
	if (d.action != BW_ACT_CONFINE || on_device(t->dup) ||
	    setsockopt(t->dup, SOL_SOCKET, SO_BINDTODEVICE,
	    BINDWATCH_LOOPBACK_DEVICE, sizeof(BINDWATCH_LOOPBACK_DEVICE)) == -1)
		return 0;
	e->action = BW_ACT_CONFINE;
	e->req = e->used = *bound;
	return 0;
}

static void
do_listen(struct bw_sc_sup *s, struct note *t)
{
	struct bw_event e;
	struct bw_sa before;
	int r, ret = 0, err = 0;

	if ((r = take_socket(s, t, &err)) == -2)
		return;
	if (r != 0) {
		respond(s, t->n->id, r == 1, -1, err);
		return;
	}
	memset(&e, 0, sizeof(e));
	e.alias_fd = -1;
	e.backlog = t->c.backlog;
	bw_sc_local_addr(t->dup, &before);
	if (s->policy) {
		bw_sc_gather(t->dup, t->domain, &e, 0);
		if (before.port == 0 && e.proto == BW_PROTO_TCP)
			ret = autobind(s, t, &e, &err);
		else if (before.family != 0 && e.proto == BW_PROTO_TCP &&
		    bw_sc_deferred(s, proc_of(t)->tgid, t->c.fd, t->dup))
			ret = bound_policy(s, t, &before, &e, &err);
	}
	if (ret == 0) {
		ret = listen(t->dup, t->c.backlog);
		err = errno;
	}
	respond(s, t->n->id, 0, ret, err);
	e.type = BW_EV_LISTEN;
	e.ret = ret;
	e.err = ret == -1 ? err : 0;
	hand_on(s, t, &e, 0, 1, before.port == 0);
}

/* socketcall: its arguments, read from the target's array. */
static int
unwrap(struct bw_sc_sup *s, struct note *t)
{
	uint32_t w[3] = { 0, 0, 0 };
	size_t n = t->c.sub == 2 ? 3 : 2;	/* SYS_BIND: 3 words */

	if (bw_sc_read((pid_t)t->n->pid, t->c.argv, w, n * sizeof(w[0])) == -1)
		return unreadable(s, t) ? -1 : 1;
	return bw_sc_decode_socketcall(&t->c, w) == 0 ? 0 : 1;
}

/*
 * One notification: received, handled, answered.  0, or -1 when the
 * listener is done with (no filtered process left).
 */
int
bw_sc_ready(struct bw_sc_sup *s)
{
	struct pollfd p;
	struct note t;
	int r;

	memset(&t, 0, sizeof(t));
	t.n = s->req;
	t.dup = -1;
	memset(t.n, 0, s->reqsz);
	if (ioctl(s->fd, SECCOMP_IOCTL_NOTIF_RECV, t.n) == -1) {
		/* ENOENT: a target killed while we woke, or none left. */
		r = errno;
		p.fd = s->fd;
		p.events = POLLIN;
		if (r == ENOENT && poll(&p, 1, 0) == 1 && p.revents & POLLHUP)
			return -1;
		return r == EINTR || r == ENOENT ? 0 : -1;
	}
	s->handled++;
	__atomic_store_n(&s->busy, 1, __ATOMIC_SEQ_CST);
	if (bw_sc_decode(t.n->data.arch, t.n->data.nr, (const uint64_t *)
	    t.n->data.args, &t.c) == -1)
		respond(s, t.n->id, 1, 0, 0);
	else {
		r = t.c.kind == BW_SC_SOCKETCALL ? unwrap(s, &t) : 0;
		if (r == 0 && t.c.kind == BW_SC_BIND)
			do_bind(s, &t);
		else if (r == 0 && t.c.kind == BW_SC_LISTEN)
			do_listen(s, &t);
		else if (r != -2)
			respond(s, t.n->id, r == 1, -1, EACCES);
	}
	if (t.dup != -1)
		close(t.dup);
	__atomic_store_n(&s->busy, 0, __ATOMIC_SEQ_CST);
	return 0;
}
