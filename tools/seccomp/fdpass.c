/*
 * A few bytes and at most one descriptor over a local socket (SCM_RIGHTS):
 * the child's listener to bindwatch, bindwatch's to the stand-in.
 */
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <string.h>

#include "fdpass.h"

union cbuf {
	struct cmsghdr	h;
	char		buf[CMSG_SPACE(sizeof(int))];
};

/* len bytes and fd (-1: none); 0 or -1. */
int
bw_fd_send(int sock, const void *data, size_t len, int fd)
{
	union cbuf c;
	struct msghdr m;
	struct iovec v;

	memset(&m, 0, sizeof(m));
	memset(&c, 0, sizeof(c));
	v.iov_base = (void *)(uintptr_t)data;
	v.iov_len = len;
	m.msg_iov = &v;
	m.msg_iovlen = 1;
	if (fd != -1) {
		m.msg_control = c.buf;
		m.msg_controllen = sizeof(c.buf);
		c.h.cmsg_level = SOL_SOCKET;
		c.h.cmsg_type = SCM_RIGHTS;
		c.h.cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(&c.h), &fd, sizeof(int));
	}
	return sendmsg(sock, &m, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

/* Exactly len bytes, and *fd (close-on-exec) or -1; 0, or -1 (EOF too). */
int
bw_fd_recv(int sock, void *data, size_t len, int *fd)
{
	union cbuf c;
	struct msghdr m;
	struct iovec v;
	struct cmsghdr *h;
	ssize_t n;

	*fd = -1;
	memset(&m, 0, sizeof(m));
	v.iov_base = data;
	v.iov_len = len;
	m.msg_iov = &v;
	m.msg_iovlen = 1;
	m.msg_control = c.buf;
	m.msg_controllen = sizeof(c.buf);
	do
		n = recvmsg(sock, &m, MSG_CMSG_CLOEXEC);
	while (n == -1 && errno == EINTR);
	for (h = CMSG_FIRSTHDR(&m); n > 0 && h != NULL; h = CMSG_NXTHDR(&m, h))
		if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS)
			memcpy(fd, CMSG_DATA(h), sizeof(int));
	return n == (ssize_t)len ? 0 : -1;
}
