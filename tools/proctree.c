/*
 * The descendants of a process.  bindwatch is a child subreaper, so every
 * process of the tree it runs, daemons included, stays below it.
 *
 * Read from /proc/PID/task/TID/children, which costs in proportion to the
 * tree; reading every /proc/PID/stat (the fallback, for kernels without
 * CONFIG_PROC_CHILDREN) costs in proportion to the host, at every
 * snapshot.
 */
#include <ctype.h>
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proctree.h"
#include "xalloc.h"

/*
 * Pure: the ppid field of a /proc/PID/stat line.  The command name is in
 * parentheses and may itself contain ") ", so parse after the last ')'.
 */
int
bw_stat_ppid(const char *line, size_t len, pid_t *ppid)
{
	const char *p = NULL, *end = line + len;
	long v = 0;
	size_t i;

	for (i = 0; i < len; i++)
		if (line[i] == ')')
			p = line + i;
	if (p == NULL || end - p < 5 || p[1] != ' ' || p[3] != ' ')
		return -1;
	p += 4;
	if (p >= end || !isdigit((unsigned char)*p))
		return -1;
	for (; p < end && isdigit((unsigned char)*p); p++) {
		v = v * 10 + (*p - '0');
		if (v > 0x7fffffff)
			return -1;
	}
	*ppid = (pid_t)v;
	return 0;
}

struct pp {
	pid_t	pid, ppid;
};

/* Pure: append the pids of a children file's text ("12 345 ") to q. */
int
bw_children_parse(const char *text, size_t len, pid_t **q, size_t *n,
    size_t *cap)
{
	size_t i = 0;
	long v;

	while (i < len) {
		if (!isdigit((unsigned char)text[i])) {
			i++;
			continue;
		}
		for (v = 0; i < len && isdigit((unsigned char)text[i]); i++)
			if ((v = v * 10 + (text[i] - '0')) > 0x7fffffff)
				return -1;
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			*q = bw_xreallocarray(*q, *cap, sizeof(**q));
		}
		(*q)[(*n)++] = (pid_t)v;
	}
	return 0;
}

/* The whole of a small file, grown as needed; its length. */
static size_t
slurp(int fd, char **buf, size_t *cap)
{
	size_t len = 0;
	ssize_t r;

	for (;;) {
		if (len == *cap) {
			*cap = *cap ? *cap * 2 : 4096;
			*buf = bw_xreallocarray(*buf, *cap, 1);
		}
		if ((r = read(fd, *buf + len, *cap - len)) <= 0)
			return len;
		len += (size_t)r;
	}
}

/*
 * Append the children of pid, from the children file of each of its
 * threads (a child belongs to the thread that forked it).  -1 when pid
 * cannot be read (errno ENOENT also when the kernel has no such files),
 * -2 when a children file does not parse.
 */
static int
children_of(const char *procroot, pid_t pid, pid_t **q, size_t *n,
    size_t *cap, char **buf, size_t *bufcap)
{
	char path[512];
	struct dirent *d;
	size_t len;
	DIR *dir;
	int fd, ret = 0, read_one = 0;

	snprintf(path, sizeof(path), "%s/%d/task", procroot, (int)pid);
	if ((dir = opendir(path)) == NULL)
		return -1;
	while (ret == 0 && (d = readdir(dir)) != NULL) {
		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "%s/%d/task/%s/children",
		    procroot, (int)pid, d->d_name);
		/* A thread may exit meanwhile: read the others. */
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
			continue;
		read_one = 1;
		len = slurp(fd, buf, bufcap);
		close(fd);
		if (bw_children_parse(*buf, len, q, n, cap) == -1)
			ret = -2;
	}
	closedir(dir);
	if (ret == 0 && !read_one) {
		errno = ENOENT;		/* no such files, or it is gone */
		return -1;
	}
	return ret;
}

/* Breadth first from root; -1 with errno ENOENT: no children files. */
static int
by_children(const char *procroot, pid_t root, pid_t **out, size_t *nout)
{
	pid_t *q = NULL;
	size_t n = 0, cap = 0, bufcap = 0, i;
	char *buf = NULL;
	int r;

	if ((r = children_of(procroot, root, &q, &n, &cap, &buf,
	    &bufcap)) != 0)
		goto fail;
	/* pid reuse mid-walk could feed a loop: a bound. */
	for (i = 0; i < n && n <= (1u << 22); i++)
		if (children_of(procroot, q[i], &q, &n, &cap, &buf,
		    &bufcap) == -2) {
			r = -2;
			goto fail;
		}
	free(buf);
	*out = q;
	*nout = n;
	return 0;
fail:
	free(buf);
	free(q);
	if (r == -2)
		errno = EINVAL;
	return -1;
}

/* The parent of process name ("123") from its stat file: 0, or -1. */
static int
stat_ppid(const char *procroot, const char *name, pid_t *ppid)
{
	char path[512], buf[1024];
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "%s/%s/stat", procroot, name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0 || bw_stat_ppid(buf, (size_t)len, ppid) == -1)
		return -1;
	return 0;
}

/* The parent of pid, or 0 when it cannot be read (it exited). */
pid_t
bw_proc_ppid(const char *procroot, pid_t pid)
{
	char name[24];
	pid_t ppid;

	snprintf(name, sizeof(name), "%d", (int)pid);
	return stat_ppid(procroot, name, &ppid) == 0 ? ppid : 0;
}

/* All descendants of root (not root itself).  The caller frees *out. */
int
bw_proctree(const char *procroot, pid_t root, pid_t **out, size_t *nout)
{
	struct pp *all = NULL;
	pid_t *res = NULL, *tr;
	size_t n = 0, cap = 0, nres = 0, i, j;
	struct dirent *d;
	DIR *dir;

	*out = NULL;
	*nout = 0;
	if (by_children(procroot, root, out, nout) == 0) {
		if (*nout == 0) {
			free(*out);
			*out = NULL;
		}
		return 0;
	}
	if (errno != ENOENT)
		return -1;
	if ((dir = opendir(procroot)) == NULL)
		return -1;
	while ((d = readdir(dir)) != NULL) {
		pid_t ppid;

		if (!isdigit((unsigned char)d->d_name[0]) ||
		    stat_ppid(procroot, d->d_name, &ppid) == -1)
			continue;	/* not a process, or it exited meanwhile */
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			all = bw_xreallocarray(all, cap, sizeof(*all));
		}
		// NOLINTNEXTLINE(cert-err34-c): d_name starts with a digit and its stat parsed: a pid
		all[n].pid = (pid_t)atoi(d->d_name);
		all[n].ppid = ppid;
		n++;
	}
	closedir(dir);
	/* Breadth first from root; res doubles as the queue. */
	res = bw_xcalloc(n + 1, sizeof(*res));
	for (i = 0; i <= nres; i++) {
		pid_t parent = i == 0 ? root : res[i - 1];

		for (j = 0; j < n; j++)
			if (all[j].ppid == parent && all[j].pid != root)
				res[nres++] = all[j].pid;
		if (i == nres)
			break;
	}
	free(all);
	if (nres == 0) {
		free(res);
		return 0;
	}
	if ((tr = reallocarray(res, nres, sizeof(*res))) != NULL)
		res = tr;
	*out = res;
	*nout = nres;
	return 0;
}
