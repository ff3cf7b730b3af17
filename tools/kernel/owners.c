/*
 * The owners of the sockets: the "socket:[INODE]" links of every
 * /proc/PID/fd, looked up by inode in a hash set of the wanted sockets.
 * With many processes a forked worker (owners_worker.c) takes a share of
 * the pids; what each side finds travels as records of one byte stream.
 */
#include <sys/mman.h>
#include <sys/types.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel.h"
#include "netstate.h"
#include "owners.h"

static size_t
ino_hash(const struct inoset *set, uint64_t inode)
{
	return (size_t)((inode * 0x9e3779b97f4a7c15ULL) >> set->shift);
}

/* Slots for twice n at least: a power of two. */
static size_t
ino_size(size_t n, unsigned int *shift)
{
	size_t cap = 2;

	for (*shift = 63; cap < 2 * n; cap *= 2)
		(*shift)--;
	return cap;
}

static void
ino_add(struct inoset *set, uint64_t inode, size_t sock)
{
	size_t h;

	if (inode == 0)
		return;
	for (h = ino_hash(set, inode); set->slot[h].inode != 0;
	    h = (h + 1) & set->mask)
		;
	set->slot[h].inode = inode;
	set->slot[h].sock = sock;
}

static int
ino_wanted(const struct inoset *set, uint64_t inode)
{
	size_t h;

	if (set->slot == NULL)
		return 1;
	for (h = ino_hash(set, inode); set->slot[h].inode != 0;
	    h = (h + 1) & set->mask)
		if (set->slot[h].inode == inode)
			return 1;
	return 0;
}

static void
read_comm(int dfd, const char *path, char *comm)
{
	ssize_t n;
	int fd;

	comm[0] = '\0';
	if ((fd = openat(dfd, path, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	n = read(fd, comm, BINDWATCH_MAX_COMM - 1);
	close(fd);
	if (n <= 0) {
		comm[0] = '\0';
		return;
	}
	comm[n] = '\0';
	if (comm[n - 1] == '\n')
		comm[n - 1] = '\0';
}

static int
add_owner(struct bw_sock *s, pid_t pid, const char *comm)
{
	struct bw_owner *o;

	/* One pid holding the socket on several fds (dup) counts once. */
	if (s->nowners > 0 && s->owners[s->nowners - 1].pid == pid)
		return 0;
	if ((o = reallocarray(s->owners, s->nowners + 1, sizeof(*o))) == NULL)
		return -1;
	s->owners = o;
	o[s->nowners].pid = pid;
	memcpy(o[s->nowners].comm, comm, BINDWATCH_MAX_COMM);
	s->nowners++;
	return 0;
}

static int
owner_cmp(const void *a, const void *b)
{
	const struct bw_owner *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* "socket:[12345]" */
static int
socket_inode(const char *l, size_t n, uint64_t *ino)
{
	if (n < 10 || memcmp(l, "socket:[", 8) != 0 || l[n - 1] != ']')
		return -1;
	return bw_procnet_dec64(l + 8, n - 9, UINT64_MAX, ino);
}

static int
stream_add(struct stream *st, const void *p, size_t n)
{
	if (st->cap - st->len < n) {
		size_t ncap = st->cap ? st->cap : 4096;
		unsigned char *np;

		while (ncap - st->len < n)
			ncap *= 2;
		if ((np = realloc(st->p, ncap)) == NULL)
			return -1;
		st->p = np;
		st->cap = ncap;
	}
	memcpy(st->p + st->len, p, n);
	st->len += n;
	return 0;
}

int
bw_owners_mark(struct stream *st, pid_t pid, uint32_t what)
{
	struct found f;

	memset(&f, 0, sizeof(f));
	f.pid = pid;
	f.what = what;
	return stream_add(st, &f, sizeof(f));
}

static int
push_pid(pid_t **v, size_t *n, size_t *cap, pid_t pid)
{
	pid_t *t;

	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 256;

		if ((t = reallocarray(*v, ncap, sizeof(**v))) == NULL)
			return -1;
		*v = t;
		*cap = ncap;
	}
	(*v)[(*n)++] = pid;
	return 0;
}

/* A /proc entry that names a process. */
int
bw_owners_parse_pid(const char *name, pid_t *pid)
{
	unsigned long v;
	char *end;

	if (!isdigit((unsigned char)name[0]))
		return -1;
	errno = 0;
	v = strtoul(name, &end, 10);
	if (*end != '\0' || errno != 0 || v == 0 || v > INT_MAX)
		return -1;
	*pid = (pid_t)v;
	return 0;
}

/* "PID/name" without snprintf: three of these per process. */
static void
pid_path(char *buf, pid_t pid, const char *name)
{
	unsigned int v = (unsigned int)pid;
	char d[16];
	size_t n = 0;

	do
		d[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n > 0)
		*buf++ = d[--n];
	*buf++ = '/';
	while ((*buf++ = *name++) != '\0')
		;
}

/*
 * Is pid in another network namespace than ours?  Its sockets are then
 * (almost always) not in our tables, so it is scanned only if some socket
 * is still without an owner after everyone else: a socket passed across
 * namespaces is still found, and the common case skips every process of
 * the host when we run in a private namespace.  readlink, not stat: about
 * half the cost (bench/RESULTS.md, "Figures once quoted in the source").
 */
static int
other_netns(const struct scan *sc, pid_t pid)
{
	char path[64], link[64];
	ssize_t n;

	if (sc->ournet[0] == '\0')
		return 0;
	pid_path(path, pid, "ns/net");
	n = readlinkat(sc->procfd, path, link, sizeof(link) - 1);
	if (n <= 0)
		return 0;
	link[n] = '\0';
	return strcmp(link, sc->ournet) != 0;
}

/*
 * Record pid as owner of the wanted sockets it holds a descriptor to.
 * PID/fd straight from the /proc fd and raw getdents64: the scan is
 * syscall-bound (one readlinkat per descriptor).
 */
int
bw_owners_scan_pid(const struct scan *sc, pid_t pid, int checkns,
    struct stream *out)
{
	uint64_t dents[2048];	/* struct dirent64 is 8-aligned */
	struct dirent64 *fe;
	struct found f;
	char path[64], link[64];
	uint64_t ino;
	size_t off, head = 0;
	ssize_t got;
	int ffd, ret = 0;

	if (pid == sc->skip)
		return 0;
	if (checkns && other_netns(sc, pid))
		return bw_owners_mark(out, pid, FOUND_LATER);
	pid_path(path, pid, "fd");
	if ((ffd = openat(sc->procfd, path, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1) {
		/* ENOENT: it exited; anything else hides its sockets. */
		if (errno != ENOENT && errno != ESRCH)
			return bw_owners_mark(out, pid, FOUND_HIDDEN);
		return 0;
	}
	memset(&f, 0, sizeof(f));
	while (ret == 0 && (got = getdents64(ffd, dents, sizeof(dents))) > 0) {
		for (off = 0; off < (size_t)got; off += fe->d_reclen) {
			ssize_t n;

			fe = (struct dirent64 *)((char *)dents + off);
			if (fe->d_name[0] == '.')
				continue;
			n = readlinkat(ffd, fe->d_name, link, sizeof(link));
			if (n <= 0 || (size_t)n >= sizeof(link) ||
			    socket_inode(link, (size_t)n, &ino) == -1)
				continue;
			if (!ino_wanted(&sc->set, ino))
				continue;
			if (f.ninodes == 0) {
				/* comm only for those that hold one. */
				f.pid = pid;
				f.what = FOUND_OWNER;
				pid_path(path, pid, "comm");
				read_comm(sc->procfd, path, f.comm);
				head = out->len;
				if (stream_add(out, &f, sizeof(f)) == -1) {
					ret = -1;
					break;
				}
			}
			if (stream_add(out, &ino, sizeof(ino)) == -1) {
				ret = -1;
				break;
			}
			f.ninodes++;
		}
	}
	close(ffd);
	if (f.ninodes > 0)
		memcpy(out->p + head + offsetof(struct found, ninodes),
		    &f.ninodes, sizeof(f.ninodes));
	return ret;
}

/*
 * Apply the whole records of st and drop them, keeping a partial one for
 * the next read; inodes not in the set are not ours.  1 after FOUND_END,
 * 0 when more is to come, -1 without memory.
 */
static int
apply_stream(struct bw_netstate *ns, const struct inoset *set,
    struct stream *st, struct bw_owners *o)
{
	struct found f;
	uint64_t ino;
	size_t off = 0, i, h;
	int ret = 0;

	while (ret == 0 && st->len - off >= sizeof(f)) {
		memcpy(&f, st->p + off, sizeof(f));
		if (f.what == FOUND_OWNER &&
		    (st->len - off - sizeof(f)) / sizeof(ino) < f.ninodes)
			break;
		off += sizeof(f);
		switch (f.what) {
		case FOUND_OWNER:
			for (i = 0; i < f.ninodes; i++, off += sizeof(ino)) {
				memcpy(&ino, st->p + off, sizeof(ino));
				for (h = ino_hash(set, ino);
				    set->slot[h].inode != 0;
				    h = (h + 1) & set->mask)
					if (set->slot[h].inode == ino &&
					    add_owner(&ns->socks[set->slot[h].sock],
					    f.pid, f.comm) == -1)
						return -1;
			}
			break;
		case FOUND_LATER:
			if (push_pid(&o->later, &o->nlater, &o->caplater,
			    f.pid) == -1)
				return -1;
			break;
		case FOUND_HIDDEN:
			ns->hidden = 1;
			break;
		default:	/* FOUND_END */
			ret = 1;
			break;
		}
	}
	if (off > 0) {
		memmove(st->p, st->p + off, st->len - off);
		st->len -= off;
	}
	return ret;
}

/* Release everything; the worker is stopped if still running. */
void
bw_owners_end(struct bw_owners *o)
{
	bw_owners_stop_worker(o, 0);
	if (o->fd != -1)
		close(o->fd);
	o->fd = -1;
	if (o->sh != NULL)
		munmap(o->sh, sizeof(*o->sh));
	o->sh = NULL;
	if (o->proc != NULL)
		closedir(o->proc);
	o->proc = NULL;
	free(o->mypids);
	free(o->later);
	o->pids = o->mypids = o->later = NULL;
	o->npids = o->nlater = o->caplater = 0;
}

/* List the pids ourselves (no worker, or it failed before it could). */
int
bw_owners_list_pids(struct bw_owners *o)
{
	struct dirent *de;
	size_t cap = 0;
	pid_t pid;

	rewinddir(o->proc);
	while ((de = readdir(o->proc)) != NULL) {
		if (bw_owners_parse_pid(de->d_name, &pid) == -1)
			continue;
		if (push_pid(&o->mypids, &o->npids, &cap, pid) == -1)
			return -1;
	}
	o->pids = o->mypids;
	return 0;
}

static int
pid_cmp(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The processes born since the list was made (it predates the sockets):
 * the owner of a listener opened meanwhile may be one of them.
 */
static int
scan_new(struct bw_owners *o, struct stream *out)
{
	struct dirent *de;
	pid_t pid;

	if (o->npids > 0)
		qsort(o->pids, o->npids, sizeof(*o->pids), pid_cmp);
	rewinddir(o->proc);
	while ((de = readdir(o->proc)) != NULL) {
		if (bw_owners_parse_pid(de->d_name, &pid) == -1 ||
		    (o->npids > 0 &&
		    bsearch(&pid, o->pids, o->npids, sizeof(*o->pids),
		    pid_cmp) != NULL))
			continue;
		if (bw_owners_scan_pid(&o->sc, pid, 1, out) == -1)
			return -1;
	}
	return 0;
}

/*
 * Start the owner scan before the sockets are read: with many processes,
 * a worker starts on them meanwhile.  An unreadable procroot is told by
 * bw_owners_finish.
 */
void
bw_owners_start(struct bw_owners *o, const char *procroot)
{
	ssize_t n;

	memset(o, 0, sizeof(*o));
	o->fd = -1;
	o->procroot = procroot;
	if ((o->proc = opendir(procroot)) == NULL)
		return;
	o->sc.procfd = dirfd(o->proc);
	if (strcmp(procroot, "/proc") == 0 &&
	    (n = readlink("/proc/self/ns/net", o->sc.ournet,
	    sizeof(o->sc.ournet) - 1)) > 0)
		o->sc.ournet[n] = '\0';
	bw_owners_start_worker(o);
}

static size_t
unowned(const struct bw_netstate *ns)
{
	size_t i, n = 0;

	for (i = 0; i < ns->nsocks; i++)
		if (ns->socks[i].nowners == 0)
			n++;
	return n;
}

/* Forget what a failed worker made us apply, to start over alone. */
static void
forget_owners(struct bw_netstate *ns, struct bw_owners *o)
{
	size_t i;

	for (i = 0; i < ns->nsocks; i++) {
		free(ns->socks[i].owners);
		ns->socks[i].owners = NULL;
		ns->socks[i].nowners = 0;
	}
	ns->hidden = 0;
	o->nlater = 0;
}

/*
 * Our share of the pids, and the worker's findings as they come.  Should
 * the worker fail (its stream ends without FOUND_END), we forget what it
 * sent and start over alone.
 */
static int
scan_ours(struct bw_owners *o, struct bw_netstate *ns, struct stream *mine,
    struct stream *theirs)
{
	const struct inoset *set = &o->sc.set;
	size_t alone = 0, *next;
	int r, end;

again:
	next = o->kid > 0 ? &o->sh->next : &alone;
	end = 0;
	while ((r = bw_owners_chunk(&o->sc, o->pids, o->npids, next, NULL,
	    mine)) == 1) {
		if (apply_stream(ns, set, mine, o) == -1)
			return -1;
		if (o->kid > 0 && end == 0 &&
		    (bw_owners_read_stream(o->fd, theirs, 0) == -1 ||
		    (end = apply_stream(ns, set, theirs, o)) == -1))
			return -1;
	}
	if (r == -1 || o->kid == 0)
		return r;
	if (end == 0 && bw_owners_read_stream(o->fd, theirs, 1) == 0 &&
	    (end = apply_stream(ns, set, theirs, o)) == -1)
		return -1;
	bw_owners_stop_worker(o, end == 1);
	if (end == 1)
		return 0;
	forget_owners(ns, o);
	mine->len = theirs->len = 0;
	goto again;
}

/*
 * Walk procroot/PID/fd once; each socket link is looked up by inode in
 * the set of wanted ones (O(S + F), not O(S * F)).  A process that exits
 * under us is skipped; one whose fds we may not read sets hidden.
 */
int
bw_owners_finish(struct bw_owners *o, struct bw_netstate *ns)
{
	struct stream mine = { NULL, 0, 0 }, theirs = { NULL, 0, 0 };
	struct inoset *set = &o->sc.set;
	struct inoslot *slots = NULL;
	size_t i, cap;
	int ret = -1, e;

	if (ns->nsocks == 0 || o->proc == NULL) {
		if (ns->nsocks > 0)
			ns->hidden = 1;
		bw_owners_end(o);
		return 0;
	}
	/* In the shared memory, the worker uses it too. */
	cap = ino_size(ns->nsocks, &set->shift);
	if (o->kid > 0 && cap <= SHARED_SLOTS)
		set->slot = o->sh->slot;
	else if ((set->slot = slots = calloc(cap, sizeof(*slots))) == NULL)
		goto out;
	set->mask = cap - 1;
	for (i = 0; i < ns->nsocks; i++)
		ino_add(set, ns->socks[i].inode, i);
	if (set->slot != slots) {
		o->sh->shift = set->shift;
		__atomic_store_n(&o->sh->mask, set->mask, __ATOMIC_RELEASE);
	}

	if ((o->kid > 0 ? bw_owners_await_pids(o) :
	    bw_owners_list_pids(o)) == -1 ||
	    scan_ours(o, ns, &mine, &theirs) == -1)
		goto out;
	if (unowned(ns) > 0 && (scan_new(o, &mine) == -1 ||
	    apply_stream(ns, set, &mine, o) == -1))
		goto out;
	if (o->nlater > 0 && unowned(ns) > 0) {
		for (i = 0; i < o->nlater; i++)
			if (bw_owners_scan_pid(&o->sc, o->later[i], 0,
			    &mine) == -1)
				goto out;
		if (apply_stream(ns, set, &mine, o) == -1)
			goto out;
	}
	ret = 0;
out:
	e = errno;	/* ENOMEM, past the clean-up */
	bw_owners_end(o);
	errno = e;
	free(mine.p);
	free(theirs.p);
	free(slots);
	/* readdir order is not promised: make the output deterministic. */
	for (i = 0; i < ns->nsocks; i++)
		if (ns->socks[i].nowners > 1)
			qsort(ns->socks[i].owners, ns->socks[i].nowners,
			    sizeof(struct bw_owner), owner_cmp);
	return ret;
}
