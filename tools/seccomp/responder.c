/*
 * The stand-in: a small process, outside the tree, that holds the
 * listener too and answers CONTINUE to everything once bindwatch is gone.
 * Without it the tree's later binds would fail with ENOSYS when bindwatch
 * dies (SIGKILL, OOM).  It learns of the death by the end of its socket
 * to bindwatch, and leaves when no filtered process is left (POLLHUP).
 *
 * It is forked before bindwatch becomes a subreaper, and twice, so that
 * it belongs to neither the tree nor bindwatch's children.  A call that
 * bindwatch had received but not answered when it died stays unanswered:
 * the kernel does not hand it out again.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <linux/seccomp.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "fdpass.h"
#include "responder.h"

static int
receive_fd(int sock)
{
	char byte;
	int fd;

	return bw_fd_recv(sock, &byte, 1, &fd) == 0 ? fd : -1;
}

/* Everything goes on, as if there were no filter. */
static void
answer_all(int lfd)
{
	struct seccomp_notif_resp resp;
	struct seccomp_notif_sizes sz;
	struct pollfd p;
	char req[1024];

	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz) == -1 ||
	    sz.seccomp_notif > sizeof(req))
		return;
	for (;;) {
		p.fd = lfd;
		p.events = POLLIN;
		if (poll(&p, 1, -1) == -1 && errno != EINTR)
			return;
		if (!(p.revents & POLLIN)) {
			if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
				return;
			continue;
		}
		memset(req, 0, sizeof(req));
		if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_RECV, req) == -1)
			continue;
		memset(&resp, 0, sizeof(resp));
		memcpy(&resp.id, req, sizeof(resp.id));	/* id comes first */
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		(void)ioctl(lfd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	}
}

static void __attribute__((noreturn))
stand_in(int sock)
{
	struct pollfd p[2];
	int lfd, null;

	(void)setsid();		/* the terminal's signals are for the tree */
	if ((null = open("/dev/null", O_RDWR)) != -1) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
	}
	if (dup2(sock, 3) == -1)
		_exit(0);
	syscall(SYS_close_range, 4U, ~0U, 0U);
	if ((lfd = receive_fd(3)) == -1)
		_exit(0);
	p[0].fd = 3;
	p[0].events = POLLIN;
	p[1].fd = lfd;
	p[1].events = 0;
	for (;;) {
		if (poll(p, 2, -1) == -1 && errno != EINTR)
			_exit(0);
		if (p[1].revents & (POLLHUP | POLLERR))
			_exit(0);	/* no filtered process left */
		if (p[0].revents)
			break;		/* bindwatch is gone */
	}
	answer_all(lfd);
	_exit(0);
}

/* Our end of the stand-in's socket, or -1 (then there is none). */
int
bw_sc_responder_start(void)
{
	int sv[2], st;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		return -1;
	if ((pid = fork()) == -1) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		if (fork() == 0)
			stand_in(sv[1]);
		_exit(0);
	}
	close(sv[1]);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	return sv[0];
}

int
bw_sc_responder_give(int sock, int lfd)
{
	char byte = 0;

	return bw_fd_send(sock, &byte, 1, lfd);
}
