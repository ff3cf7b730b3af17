/*
 * The descendants of a process.  bindwatch is a child subreaper, so every
 * process of the tree it runs, daemons included, stays below it.
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proctree.h"

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

/* All descendants of root (not root itself).  The caller frees *out. */
int
bw_proctree(const char *procroot, pid_t root, pid_t **out, size_t *nout)
{
	struct pp *all = NULL, *t;
	pid_t *res = NULL, *tr;
	size_t n = 0, cap = 0, nres = 0, i, j;
	struct dirent *d;
	char path[512], buf[1024];
	DIR *dir;

	*out = NULL;
	*nout = 0;
	if ((dir = opendir(procroot)) == NULL)
		return -1;
	while ((d = readdir(dir)) != NULL) {
		ssize_t len;
		pid_t ppid;
		int fd;

		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "%s/%s/stat", procroot, d->d_name);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
			continue;	/* it exited meanwhile */
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len <= 0 || bw_stat_ppid(buf, (size_t)len, &ppid) == -1)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			if ((t = reallocarray(all, cap, sizeof(*all))) == NULL)
				goto fail;
			all = t;
		}
		// NOLINTNEXTLINE(cert-err34-c): d_name starts with a digit and its stat parsed: a pid
		all[n].pid = (pid_t)atoi(d->d_name);
		all[n].ppid = ppid;
		n++;
	}
	closedir(dir);
	dir = NULL;
	/* Breadth first from root; res doubles as the queue. */
	if ((res = calloc(n + 1, sizeof(*res))) == NULL)
		goto fail;
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
fail:
	if (dir != NULL)
		closedir(dir);
	free(all);
	free(res);
	return -1;
}
