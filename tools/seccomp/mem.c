/*
 * The target, as the supervisor reaches it: its memory (process_vm_readv),
 * its descriptors (pidfd_getfd) and its identity (/proc/TID/status).  All
 * need ptrace-attach permission: a non-dumpable target refuses them.
 */
#include <sys/syscall.h>
#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mem.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD	O_EXCL	/* Linux 6.9 */
#endif

/* len bytes at addr in the target: 0, or -1 (unmapped, not permitted). */
int
bw_sc_read(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	struct iovec l, r;

	l.iov_base = buf;
	l.iov_len = len;
	r.iov_base = (void *)(uintptr_t)addr;
	r.iov_len = len;
	return process_vm_readv(tid, &l, 1, &r, 1, 0) == (ssize_t)len ? 0 : -1;
}

/*
 * pidfds kept from one call to the next: opening one costs more than the
 * rest of a notified bind.  An entry stays right as long as the process
 * it was opened for lives: a pid reused later finds the old pidfd dead
 * (ESRCH), and is opened anew.  Each supervisor thread keeps its own (one
 * per listener: the command's, and those the shim's exec hooks hand
 * over), and closes them when it ends (bw_sc_mem_forget).
 */
#define PIDFDS	8

static _Thread_local struct {
	pid_t			pid;
	int			pfd;
	int			have;	/* p was read */
	struct bw_sc_proc	p;
} pidfds[PIDFDS];
static _Thread_local unsigned pidfd_next;

/* This thread's pidfds closed: it serves no more. */
void
bw_sc_mem_forget(void)
{
	unsigned i;

	for (i = 0; i < PIDFDS; i++) {
		if (pidfds[i].pfd > 0)
			close(pidfds[i].pfd);
		memset(&pidfds[i], 0, sizeof(pidfds[i]));
	}
}

static int
pidfd_of(pid_t pid, unsigned flags, int fresh)
{
	unsigned i;
	int pfd;

	for (i = 0; i < PIDFDS; i++)
		if (pidfds[i].pid == pid && pidfds[i].pfd > 0) {
			if (!fresh)
				return pidfds[i].pfd;
			close(pidfds[i].pfd);
			memset(&pidfds[i], 0, sizeof(pidfds[i]));
		}
	if ((pfd = (int)syscall(SYS_pidfd_open, pid, flags)) == -1)
		return -1;
	(void)fcntl(pfd, F_SETFD, FD_CLOEXEC);
	i = pidfd_next++ % PIDFDS;
	if (pidfds[i].pfd > 0)
		close(pidfds[i].pfd);
	memset(&pidfds[i], 0, sizeof(pidfds[i]));
	pidfds[i].pid = pid;
	pidfds[i].pfd = pfd;
	return pfd;
}

/* fd of the process pid (a thread's pidfd when flags say so), or -1. */
static int
getfd_via(pid_t pid, unsigned flags, int fd)
{
	int pfd, dup;

	if ((pfd = pidfd_of(pid, flags, 0)) == -1)
		return -1;
	if ((dup = (int)syscall(SYS_pidfd_getfd, pfd, fd, 0)) == -1 &&
	    errno == ESRCH && (pfd = pidfd_of(pid, flags, 1)) != -1)
		dup = (int)syscall(SYS_pidfd_getfd, pfd, fd, 0);
	return dup;
}

/*
 * A duplicate of the target's descriptor fd (close-on-exec), or -1: by
 * the thread's own pidfd (Linux 6.9), else the process's.  Each is kept
 * under the id it was opened for, so a thread's id taken later by a new
 * process never finds another process's pidfd.
 */
int
bw_sc_getfd(pid_t tid, pid_t tgid, int fd)
{
	int dup;

	if ((dup = getfd_via(tid, PIDFD_THREAD, fd)) != -1 || errno == EBADF)
		return dup;
	return getfd_via(tgid, 0, fd);
}

static void
field(const char *line, const char *name, struct bw_sc_proc *p)
{
	const char *v = line + strlen(name);

	while (*v == '\t' || *v == ' ')
		v++;
	if (strcmp(name, "Name:") == 0) {
		size_t n = strcspn(v, "\n");

		if (n >= sizeof(p->comm))
			n = sizeof(p->comm) - 1;
		memcpy(p->comm, v, n);
		p->comm[n] = '\0';
	} else if (strcmp(name, "Tgid:") == 0)
		p->tgid = (pid_t)strtol(v, NULL, 10);
	else if (strcmp(name, "PPid:") == 0)
		p->ppid = (pid_t)strtol(v, NULL, 10);
	else if (strcmp(name, "CapEff:") == 0)
		p->capeff = strtoull(v, NULL, 16);
}

/* Who tid is: 0, or -1 when it is gone. */
int
bw_sc_proc(pid_t tid, struct bw_sc_proc *p)
{
	static const char *const names[] = { "Name:", "Tgid:", "PPid:",
	    "CapEff:" };
	char path[64], buf[2048], *line, *save;
	ssize_t n;
	size_t i;
	int fd;

	memset(p, 0, sizeof(*p));
	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strncmp(line, names[i], strlen(names[i])) == 0)
				field(line, names[i], p);
	if (p->tgid == 0)
		p->tgid = tid;
	return 0;
}

/*
 * Who tid is, read once for as long as its pidfd is kept: the event's
 * comm and parent need it before a short-lived process is gone, and a
 * read of /proc costs as much as the rest of the call.  Capabilities are
 * not taken from here (they may have been dropped since).
 */
int
bw_sc_proc_kept(pid_t tid, struct bw_sc_proc *p)
{
	unsigned i;

	for (i = 0; i < PIDFDS; i++)
		if (pidfds[i].pid == tid && pidfds[i].pfd > 0)
			break;
	if (i < PIDFDS && pidfds[i].have) {
		*p = pidfds[i].p;
		return 0;
	}
	if (bw_sc_proc(tid, p) == -1)
		return -1;
	if (i < PIDFDS) {
		pidfds[i].p = *p;
		pidfds[i].have = 1;
	}
	return 0;
}
