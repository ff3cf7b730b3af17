/*
 * Sockets the supervisor bound under a policy.  A program that binds
 * 0.0.0.0:P and [::]:P under --force 127.0.0.1 asks for one endpoint
 * twice; as in the shim (shim/sock.c), the second descriptor is made the
 * first socket, here by SECCOMP_IOCTL_NOTIF_ADDFD with SETFD, which
 * replaces the target's descriptor as dup2 would.  Only a collision the
 * policy made is resolved so.  The table holds no descriptors: a socket
 * the program closed must not stay bound because of us.
 */
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <linux/seccomp.h>

#include <string.h>
#include <unistd.h>

#include "alias.h"
#include "mem.h"

static uint64_t
inode(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 ? (uint64_t)st.st_ino : 0;
}

void
bw_sc_remember(struct bw_sc_sup *s, pid_t tgid, int fd, int dup,
    const struct bw_event *e)
{
	struct bw_sc_bound *b = NULL;
	size_t i;

	if (!s->policy)
		return;
	for (i = 0; i < BW_SC_MAX_BOUND && b == NULL; i++)
		if (s->bound[i].ino == 0 || (s->bound[i].tgid == tgid &&
		    s->bound[i].fd == fd))
			b = &s->bound[i];
	if (b == NULL)	/* full: the oldest goes */
		b = &s->bound[s->handled % BW_SC_MAX_BOUND];
	b->tgid = tgid;
	b->fd = fd;
	b->ino = inode(dup);
	b->proto = e->proto;
	b->rewrote = e->action == BW_ACT_REWRITE;
	b->deferred = e->action == BW_ACT_PASS && e->req.port == 0;
	b->sa = e->used;
	bw_sa_unmap(&b->sa);
}

/*
 * Did the program bind this socket to port 0 under the policy, which then
 * left it alone (it may have been a client's)?  Its listen decides.  A
 * socket bound elsewhere (inherited) is not the program's bind.
 */
int
bw_sc_deferred(const struct bw_sc_sup *s, pid_t tgid, int fd, int dup)
{
	uint64_t ino = inode(dup);
	size_t i;

	for (i = 0; i < BW_SC_MAX_BOUND; i++)
		if (s->bound[i].ino == ino && s->bound[i].tgid == tgid &&
		    s->bound[i].fd == fd)
			return s->bound[i].deferred;
	return 0;
}

/* Give fd in the target the holder's socket; 0, or -1. */
static int
addfd(struct bw_sc_sup *s, uint64_t id, int src, int fd)
{
	struct seccomp_notif_addfd a;

	memset(&a, 0, sizeof(a));
	a.id = id;
	a.flags = SECCOMP_ADDFD_FLAG_SETFD;
	a.srcfd = (uint32_t)src;
	a.newfd = (uint32_t)fd;
	return ioctl(s->fd, SECCOMP_IOCTL_NOTIF_ADDFD, &a) == -1 ? -1 : 0;
}

int
bw_sc_alias(struct bw_sc_sup *s, uint64_t id, pid_t tgid, pid_t tid, int fd,
    struct bw_event *e)
{
	struct bw_sa u = e->used;
	size_t i;
	int h, ok;

	if (!s->policy)
		return -1;
	bw_sa_unmap(&u);
	for (i = 0; i < BW_SC_MAX_BOUND; i++) {
		struct bw_sc_bound *b = &s->bound[i];

		if (b->ino == 0 || b->tgid != tgid || b->fd == fd ||
		    b->proto != e->proto || !bw_sa_equal(&b->sa, &u, 1) ||
		    !(b->rewrote || e->action == BW_ACT_REWRITE))
			continue;
		/* Still that socket?  The program may have closed it. */
		if ((h = bw_sc_getfd(tid, tgid, b->fd)) == -1)
			continue;
		ok = inode(h) == b->ino && addfd(s, id, h, fd) == 0;
		close(h);
		if (ok) {
			e->action = BW_ACT_REWRITE;
			e->alias_fd = b->fd;
			return 0;
		}
	}
	return -1;
}
