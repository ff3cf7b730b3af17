/*
 * The stand-in: a small process, outside the tree, that holds every
 * listener too (the command's, and each one the shim's exec hooks handed
 * over) and answers CONTINUE to everything once bindwatch is gone.
 * Without it the tree's later binds would fail with ENOSYS when bindwatch
 * dies (SIGKILL, OOM).  It learns of the death by the end of its socket
 * to bindwatch, and leaves when no filtered process is left (POLLHUP).
 *
 * It is started before bindwatch becomes a subreaper, through a child
 * that exits at once, so that it belongs to neither the tree nor
 * bindwatch's children.  Both share our memory (CLONE_VM): a fork's copy
 * of our page tables cost more than everything else the filter adds to
 * a static program's start-up.  Sharing it, the stand-in must touch
 * nothing of ours: its own stack, raw system calls (no errno, which is
 * our thread's), and the few words given before the clone.  A call that
 * bindwatch had received but not answered when it died stays unanswered:
 * the kernel does not hand it out again.
 */
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <linux/seccomp.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "fdpass.h"
#include "responder.h"

#define STACK	((size_t)64 * 1024)

#if defined(__x86_64__)

/* What the stand-in is given: read before anything of ours can change. */
struct given {
	int	sock;
	void	*stack;		/* the stand-in's */
};

static long
raw(long nr, long a, long b, long c, long d)
{
	register long r10 __asm__("r10") = d;
	long ret;

	__asm__ volatile ("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b),
	    "d"(c), "r"(r10) : "rcx", "r11", "memory");
	return ret;
}

static void __attribute__((noreturn))
leave(void)
{
	for (;;)
		raw(SYS_exit, 0, 0, 0, 0);
}

/* Listeners held at most: the command's and those the shim hands over. */
#define MAXL	256

/* A listener, over the socket; -1 when bindwatch sent none, -2 at the
 * socket's end (bindwatch is gone). */
static int
receive_fd(int sock)
{
	union {
		struct cmsghdr	h;
		char		buf[CMSG_SPACE(sizeof(int))];
	} c;
	struct msghdr m;
	struct iovec v;
	char byte;
	long n;
	int fd = -1;

	__builtin_memset(&m, 0, sizeof(m));
	__builtin_memset(&c, 0, sizeof(c));
	v.iov_base = &byte;
	v.iov_len = 1;
	m.msg_iov = &v;
	m.msg_iovlen = 1;
	m.msg_control = c.buf;
	m.msg_controllen = sizeof(c.buf);
	n = raw(SYS_recvmsg, sock, (long)&m, MSG_CMSG_CLOEXEC, 0);
	if (n == -EINTR || n == -EAGAIN)
		return -1;
	if (n <= 0)
		return -2;
	if (m.msg_controllen < CMSG_LEN(sizeof(int)) ||
	    c.h.cmsg_type != SCM_RIGHTS)
		return -1;
	__builtin_memcpy(&fd, CMSG_DATA(&c.h), sizeof(fd));
	return fd;
}

/* The listeners whose filters are gone (no process left) are dropped. */
static int
prune(struct pollfd *p, int n)
{
	int i = 0;

	while (i < n) {
		if (p[i].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			(void)raw(SYS_close, p[i].fd, 0, 0, 0);
			p[i] = p[--n];
		} else
			i++;
	}
	return n;
}

/* Everything goes on, as if there were no filter, until no filtered
 * process is left. */
static void
answer_all(struct pollfd *p, int n)
{
	struct seccomp_notif_resp resp;
	uint64_t req[128];	/* larger than any seccomp_notif */
	int i;

	while (n > 0) {
		for (i = 0; i < n; i++) {
			p[i].events = POLLIN;
			p[i].revents = 0;
		}
		if (raw(SYS_poll, (long)p, n, -1, 0) < 0)
			continue;	/* EINTR */
		for (i = 0; i < n; i++) {
			if (!(p[i].revents & POLLIN))
				continue;
			__builtin_memset(req, 0, sizeof(req));
			if (raw(SYS_ioctl, p[i].fd,
			    (long)SECCOMP_IOCTL_NOTIF_RECV, (long)req, 0) < 0)
				continue;
			__builtin_memset(&resp, 0, sizeof(resp));
			resp.id = req[0];	/* id comes first */
			resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
			(void)raw(SYS_ioctl, p[i].fd,
			    (long)SECCOMP_IOCTL_NOTIF_SEND, (long)&resp, 0);
			p[i].revents &= ~POLLIN;
		}
		n = prune(p, n);
	}
}

/*
 * p[0] is bindwatch's socket, p[1..] the listeners it gave us.  While it
 * lives we only hold them; a listener with no process left is dropped.
 */
static int
stand_in(void *arg)
{
	const struct given *g = arg;
	struct pollfd p[1 + MAXL];
	int sock = g->sock, n = 0, i, fd;

	(void)raw(SYS_setsid, 0, 0, 0, 0);	/* the terminal's signals */
	/* Nothing of ours stays open here: a reader of our output must
	 * see its end when we exit. */
	if (sock > 0)
		(void)raw(SYS_close_range, 0, sock - 1, 0, 0);
	(void)raw(SYS_close_range, sock + 1, ~0U, 0, 0);
	p[0].fd = sock;
	p[0].events = POLLIN;
	for (;;) {
		for (i = 0; i <= n; i++)
			p[i].revents = 0;
		if (raw(SYS_poll, (long)p, n + 1, -1, 0) < 0)
			continue;
		n = prune(p + 1, n);
		if (!p[0].revents)
			continue;
		if ((fd = receive_fd(sock)) == -2)
			break;		/* bindwatch is gone */
		if (fd >= 0 && n < MAXL) {
			p[1 + n].fd = fd;
			p[1 + n].events = 0;
			n++;
		} else if (fd >= 0)
			(void)raw(SYS_close, fd, 0, 0, 0);
	}
	answer_all(p + 1, n);
	leave();
}

/* The child between us and the stand-in: starts it, and goes. */
static int
middle(void *arg)
{
	struct given *g = arg;

	(void)clone(stand_in, (char *)g->stack + STACK, CLONE_VM | SIGCHLD,
	    g);
	leave();
}

/* Our end of the stand-in's socket, or -1 (then there is none). */
int
bw_sc_responder_start(void)
{
	char mstack[8192] __attribute__((aligned(16)));
	struct given *g;
	void *stack;
	int sv[2], st;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		return -1;
	stack = mmap(NULL, STACK, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	/* What it is given lives at the bottom of its own stack, which it
	 * reads after we return, and which is never unmapped: a stand-in
	 * started by another thread meanwhile has its own. */
	g = stack;
	g->sock = sv[1];
	g->stack = stack;
	/* No exit signal: a clone child, which only __WCLONE waits for,
	 * so that the run's reaper (waitpid(-1), maybe on another thread)
	 * never takes it for a process of the tree. */
	if ((pid = clone(middle, mstack + sizeof(mstack),
	    CLONE_VM | CLONE_VFORK, g)) == -1) {
		munmap(stack, STACK);
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	while (waitpid(pid, &st, __WCLONE) == -1 && errno == EINTR)
		;
	close(sv[1]);
	return sv[0];
}

#else

int
bw_sc_responder_start(void)
{
	return -1;	/* no supervision here (attach.c) */
}

#endif

/*
 * The same once we are a subreaper: the stand-in, orphaned by its middle
 * child, would be adopted by us and counted in the tree, so we stop being
 * one for the while of its start (an orphan of the tree made in that
 * moment escapes to an outer reaper).  Started after the command, it is
 * not in the way of the command's start-up.
 */
int
bw_sc_responder_start_late(void)
{
	/* Two threads may start one each (attach.c, handoff.c): the flag
	 * is the process's, so one at a time, or one would set it again
	 * while the other's middle child exits. */
	static pthread_mutex_t one = PTHREAD_MUTEX_INITIALIZER;
	int fd;

	pthread_mutex_lock(&one);
	(void)prctl(PR_SET_CHILD_SUBREAPER, 0);
	fd = bw_sc_responder_start();
	(void)prctl(PR_SET_CHILD_SUBREAPER, 1);
	pthread_mutex_unlock(&one);
	return fd;
}

int
bw_sc_responder_give(int sock, int lfd)
{
	char byte = 0;

	return bw_fd_send(sock, &byte, 1, lfd);
}
