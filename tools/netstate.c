/*
 * The kernel's view of bound and listening IP sockets and their owners.
 * Sockets come from /proc/net/{tcp,tcp6,udp,udp6}; owners from the
 * "socket:[INODE]" links of /proc/PID/fd (with many processes, a forked
 * worker walks them with us on a second CPU); IPV6_V6ONLY, when procroot
 * is the live /proc, from NETLINK_SOCK_DIAG.  SO_REUSEPORT is not exposed
 * by either interface: it stays -1 (unknown) unless two TCP listeners
 * share one address and port, which the kernel only allows with it.
 */
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "event.h"
#include "netstate.h"

/* Tokens of a /proc/net line we need: sl local remote st ... uid timeout inode */
#define NTOK	10

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Exactly n hex digits (n <= 8) into *v. */
static int
hex32(const char *s, size_t n, uint32_t *v)
{
	size_t i;
	int h;

	*v = 0;
	for (i = 0; i < n; i++) {
		if ((h = hexval((unsigned char)s[i])) == -1)
			return -1;
		*v = (*v << 4) | (uint32_t)h;
	}
	return 0;
}

/* Decimal digits only, no sign, no overflow past max. */
static int
dec64(const char *s, size_t n, uint64_t max, uint64_t *v)
{
	size_t i;

	*v = 0;
	if (n == 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (*v > (max - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		*v = *v * 10 + (uint64_t)(s[i] - '0');
	}
	return 0;
}

/*
 * "0100007F:0BB8": the kernel prints each 32-bit word of the address with
 * %08X of its value in host order, so copying the parsed value back into
 * memory restores the network-order bytes on any endianness.
 */
static int
parse_endpoint(const char *s, size_t n, int family, struct bw_sa *sa)
{
	size_t alen = family == AF_INET ? 8 : 32, i;
	uint32_t w, port;

	memset(sa, 0, sizeof(*sa));
	if (n != alen + 5 || s[alen] != ':')
		return -1;
	for (i = 0; i < alen / 8; i++) {
		if (hex32(s + i * 8, 8, &w) == -1)
			return -1;
		memcpy(sa->addr + i * 4, &w, 4);
	}
	if (hex32(s + alen + 1, 4, &port) == -1)
		return -1;
	sa->family = (uint16_t)family;
	sa->port = (uint16_t)port;
	return 0;
}

int
bw_procnet_parse_line(const char *line, int proto, int family, struct bw_sock *s)
{
	const char *tok[NTOK];
	size_t len[NTOK], nt = 0, i;
	const char *p = line;
	uint32_t st;
	uint64_t v;

	memset(s, 0, sizeof(*s));
	if (line == NULL || (family != AF_INET && family != AF_INET6) ||
	    (proto != BW_PROTO_TCP && proto != BW_PROTO_UDP))
		return -1;
	while (nt < NTOK) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '\n')
			break;
		tok[nt] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n')
			p++;
		len[nt] = (size_t)(p - tok[nt]);
		nt++;
	}
	if (nt >= 1 && len[0] == 2 && memcmp(tok[0], "sl", 2) == 0)
		return 0;
	if (nt < NTOK)
		return -1;

	/* "12:" */
	if (len[0] < 2 || tok[0][len[0] - 1] != ':' ||
	    dec64(tok[0], len[0] - 1, UINT32_MAX, &v) == -1)
		return -1;
	if (parse_endpoint(tok[1], len[1], family, &s->local) == -1 ||
	    parse_endpoint(tok[2], len[2], family, &s->remote) == -1)
		return -1;
	if (len[3] != 2 || hex32(tok[3], 2, &st) == -1)
		return -1;
	/* tx_queue:rx_queue, tr:tm->when, retrnsmt: shape only. */
	for (i = 4; i <= 6; i++) {
		size_t j;

		for (j = 0; j < len[i]; j++)
			if (hexval((unsigned char)tok[i][j]) == -1 &&
			    tok[i][j] != ':')
				return -1;
	}
	if (dec64(tok[7], len[7], UINT32_MAX - 1, &v) == -1)
		return -1;
	s->uid = (uid_t)v;
	/* timeout may be negative in old kernels: tolerate a sign. */
	if (dec64(tok[8] + (tok[8][0] == '-'), len[8] - (tok[8][0] == '-'),
	    UINT64_MAX, &v) == -1)
		return -1;
	if (dec64(tok[9], len[9], UINT64_MAX, &v) == -1)
		return -1;
	s->inode = v;
	s->proto = (uint8_t)proto;
	s->state = (uint8_t)st;
	s->reuseport = -1;
	s->v6only = -1;
	return 1;
}

static int
wanted(const struct bw_sock *s, int flags)
{
	if (flags & BW_NS_ALL)
		return 1;
	if (s->proto == BW_PROTO_TCP)
		return s->state == BW_TCP_LISTEN;
	return s->state == BW_UDP_UNCONN;
}

static int
push_sock(struct bw_netstate *ns, size_t *cap, const struct bw_sock *s)
{
	if (ns->nsocks == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		struct bw_sock *n;

		if ((n = reallocarray(ns->socks, ncap, sizeof(*n))) == NULL)
			return -1;
		ns->socks = n;
		*cap = ncap;
	}
	ns->socks[ns->nsocks++] = *s;
	return 0;
}

/* One /proc/net file; a missing one (no IPv6) is not an error. */
static int
read_procnet(struct bw_netstate *ns, size_t *cap, const char *path, int proto,
    int family, int flags)
{
	struct bw_sock s;
	char *line = NULL;
	size_t lcap = 0;
	FILE *f;
	int r, ret = 0;

	if ((f = fopen(path, "re")) == NULL)
		return errno == ENOENT ? 0 : -1;
	while (getline(&line, &lcap, f) != -1) {
		r = bw_procnet_parse_line(line, proto, family, &s);
		if (r == -1)
			ns->malformed++;
		else if (r == 1 && wanted(&s, flags) && push_sock(ns, cap, &s) == -1) {
			ret = -1;
			break;
		}
	}
	free(line);
	(void)fclose(f);	/* read-only: nothing to lose */
	return ret;
}

/*
 * The wanted sockets by inode, open addressing with linear probing: built
 * in O(S) (sorting took a millisecond with 10,000 sockets) and about one
 * probe per descriptor.  Inode 0 marks a free slot: no descriptor links
 * to a socket without an inode.
 */
struct inoslot {
	uint64_t	inode;
	size_t		sock;		/* index into ns->socks */
};

struct inoset {
	struct inoslot	*slot;		/* NULL: every socket counts */
	size_t		 mask;
	unsigned int	 shift;
};

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
	return dec64(l + 8, n - 9, UINT64_MAX, ino);
}

/*
 * What the scan of one process found, as a record of a flat byte stream:
 * the forked worker streams its records over a pipe, and ours and its
 * are applied by one function.  FOUND_OWNER is followed by ninodes
 * uint64_t socket inodes; the worker's stream ends with FOUND_END.
 */
enum { FOUND_OWNER = 1, FOUND_LATER, FOUND_HIDDEN, FOUND_END };

struct found {
	int32_t		pid;
	uint32_t	what;
	uint32_t	ninodes;
	char		comm[BINDWATCH_MAX_COMM];
};

struct stream {
	unsigned char	*p;
	size_t		 len, cap;
};

/* Processes handed out at a time: one atomic add per chunk. */
#define SCAN_CHUNK	8
/* Free room for each read of the worker's stream (a pipe's worth). */
#define READ_ROOM	((size_t)64 * 1024)
/* Threads below which a second worker does not pay: its fork costs 0.2 ms. */
#define SPLIT_MIN	128
/* Room in the shared memory: past it, the worker gives up, or keeps all. */
#define SHARED_PIDS	(1 << 20)
#define SHARED_SLOTS	(1 << 20)

/*
 * Shared with the forked worker: the work counter, the pids it lists for
 * both of us and, once we have read the sockets, the set of their inodes.
 */
struct shared {
	size_t		next;
	char		pad[64 - sizeof(size_t)];	/* next is written often */
	size_t		npids;		/* SIZE_MAX until listed */
	size_t		mask;		/* SIZE_MAX until the set is there */
	unsigned int	shift;
	pid_t		pids[SHARED_PIDS];
	struct inoslot	slot[SHARED_SLOTS];
};

/* One worker's view: which inodes count, where to look, what to skip. */
struct scan {
	struct inoset	 set;
	int		 procfd;
	char		 ournet[64];	/* "net:[N]"; "" when not checked */
	pid_t		 skip;		/* the forked worker */
};

/* The owner scan, started before the sockets are read. */
struct owners {
	const char	*procroot;
	DIR		*proc;
	struct scan	 sc;
	pid_t		*pids;		/* ours, or the worker's in sh */
	size_t		 npids;
	pid_t		*mypids;	/* when we listed them ourselves */
	struct shared	*sh;		/* NULL: no worker */
	pid_t		 kid;
	int		 fd;		/* the worker's stream */
	cpu_set_t	 cpus;		/* ours, the worker's once it runs */
	pid_t		*later;		/* in other network namespaces */
	size_t		 nlater, caplater;
};

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

static int
stream_mark(struct stream *st, pid_t pid, uint32_t what)
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
static int
parse_pid(const char *name, pid_t *pid)
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
 * the host when we run in a private namespace.  readlink, not stat: half
 * the cost (2.9 against 6.3 ms for 1,000 processes here).
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
static int
scan_pid(const struct scan *sc, pid_t pid, int checkns, struct stream *out)
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
		return stream_mark(out, pid, FOUND_LATER);
	pid_path(path, pid, "fd");
	if ((ffd = openat(sc->procfd, path, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1) {
		/* ENOENT: it exited; anything else hides its sockets. */
		if (errno != ENOENT && errno != ESRCH)
			return stream_mark(out, pid, FOUND_HIDDEN);
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
 * Scan the next chunk of pids[] won from *next: 0 when none is left.  The
 * forked worker (sh set) starts before the sockets are known: it keeps
 * every socket until their set is published.
 */
static int
scan_chunk(struct scan *sc, const pid_t *pids, size_t npids, size_t *next,
    struct shared *sh, struct stream *out)
{
	size_t i, end, mask;

	if ((i = __atomic_fetch_add(next, SCAN_CHUNK, __ATOMIC_RELAXED)) >=
	    npids)
		return 0;
	if (sh != NULL && sc->set.slot == NULL &&
	    (mask = __atomic_load_n(&sh->mask, __ATOMIC_ACQUIRE)) != SIZE_MAX) {
		sc->set.slot = sh->slot;
		sc->set.mask = mask;
		sc->set.shift = sh->shift;
	}
	end = npids - i < SCAN_CHUNK ? npids : i + SCAN_CHUNK;
	for (; i < end; i++)
		if (scan_pid(sc, pids[i], 1, out) == -1)
			return -1;
	return 1;
}

/*
 * Apply the whole records of st and drop them, keeping a partial one for
 * the next read; inodes not in the set are not ours.  1 after FOUND_END,
 * 0 when more is to come, -1 without memory.
 */
static int
apply_stream(struct bw_netstate *ns, const struct inoset *set,
    struct stream *st, struct owners *o)
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

/* What the worker has sent so far, or (block) all it will send. */
static int
read_stream(int fd, struct stream *st, int block)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	ssize_t n;

	for (;;) {
		if (st->cap - st->len < READ_ROOM) {
			size_t ncap = st->cap ? st->cap * 2 : 2 * READ_ROOM;
			unsigned char *np;

			if ((np = realloc(st->p, ncap)) == NULL)
				return -1;
			st->p = np;
			st->cap = ncap;
		}
		if ((n = read(fd, st->p + st->len, st->cap - st->len)) > 0)
			st->len += (size_t)n;
		else if (n == 0)
			return 0;
		else if (errno == EAGAIN && block)
			(void)poll(&pfd, 1, -1);
		else if (errno != EINTR)
			return errno == EAGAIN ? 0 : -1;
	}
}

static int
write_all(int fd, const unsigned char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * The forked worker: lists the pids for both of us, then scans its share
 * and sends its findings after every chunk.  _exit: no atexit handlers,
 * no flush of the parent's stdio.
 */
static void __attribute__((noreturn))
worker(struct owners *o, int fd)
{
	struct stream out = { NULL, 0, 0 };
	struct shared *sh = o->sh;
	struct dirent *de;
	size_t n = 0;
	pid_t pid;
	DIR *d;
	int r;

	o->sc.skip = getpid();
	(void)sched_setaffinity(0, sizeof(o->cpus), &o->cpus);
	if ((d = opendir(o->procroot)) == NULL)
		_exit(1);
	while ((de = readdir(d)) != NULL && n < SHARED_PIDS)
		if (parse_pid(de->d_name, &pid) == 0)
			sh->pids[n++] = pid;
	r = de == NULL ? 1 : -1;
	closedir(d);
	if (r == 1)
		__atomic_store_n(&sh->npids, n, __ATOMIC_RELEASE);
	while (r == 1 && (r = scan_chunk(&o->sc, sh->pids, n, &sh->next,
	    sh, &out)) == 1) {
		if (write_all(fd, out.p, out.len) == -1)
			r = -1;
		out.len = 0;
	}
	if (r == 0 && (stream_mark(&out, 0, FOUND_END) == -1 ||
	    write_all(fd, out.p, out.len) == -1))
		r = -1;
	free(out.p);
	_exit(r == 0 ? 0 : 1);
}

/*
 * With many processes (threads, by sysinfo: the cheap count) and a second
 * CPU, fork a worker that lists the pids and scans while we read the
 * sockets (with 10,000 listeners, a sixth of the time), then takes
 * chunks of pids from the shared counter as we do.  A process, not a
 * thread: it shares nothing with us but that memory, and if it fails,
 * its stream says so (no FOUND_END) and we scan alone.
 */
static void
start_worker(struct owners *o)
{
	struct sysinfo si;
	cpu_set_t one;
	int p[2], cpu, other;

	if (sysinfo(&si) == -1 || si.procs < SPLIT_MIN ||
	    sched_getaffinity(0, sizeof(o->cpus), &o->cpus) == -1 ||
	    CPU_COUNT(&o->cpus) < 2)
		return;
	o->sh = mmap(NULL, sizeof(*o->sh), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (o->sh == MAP_FAILED) {
		o->sh = NULL;
		return;
	}
	o->sh->next = 0;
	o->sh->npids = o->sh->mask = SIZE_MAX;
	if (pipe2(p, O_CLOEXEC) == -1)
		goto fail;
	if (fcntl(p[0], F_SETFL, O_NONBLOCK) == -1 ||
	    (o->kid = fork()) == -1) {
		o->kid = 0;
		close(p[0]);
		close(p[1]);
		goto fail;
	}
	if (o->kid == 0) {
		close(p[0]);
		worker(o, p[1]);
	}
	close(p[1]);
	o->fd = p[0];
	o->sc.skip = o->kid;
	/*
	 * A new process waits on our CPU until a balancer moves it (up to
	 * 4 ms measured here): send it to another CPU now.  It takes the
	 * whole set back once it runs.
	 */
	cpu = sched_getcpu();
	for (other = 0; other < CPU_SETSIZE; other++)
		if (other != cpu && CPU_ISSET(other, &o->cpus))
			break;
	if (other < CPU_SETSIZE) {
		CPU_ZERO(&one);
		CPU_SET(other, &one);
		(void)sched_setaffinity(o->kid, sizeof(one), &one);
	}
	return;
fail:
	munmap(o->sh, sizeof(*o->sh));
	o->sh = NULL;
}

/* Reap the worker, killing it first unless it is known to be done. */
static void
stop_worker(struct owners *o, int done)
{
	int st;

	if (o->kid <= 0)
		return;
	if (!done)
		(void)kill(o->kid, SIGKILL);
	while (waitpid(o->kid, &st, 0) == -1 && errno == EINTR)
		;
	o->kid = 0;
	o->sc.skip = 0;
}

/* Release everything; the worker is stopped if still running. */
static void
owners_end(struct owners *o)
{
	stop_worker(o, 0);
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
static int
list_pids(struct owners *o)
{
	struct dirent *de;
	size_t cap = 0;
	pid_t pid;

	rewinddir(o->proc);
	while ((de = readdir(o->proc)) != NULL) {
		if (parse_pid(de->d_name, &pid) == -1)
			continue;
		if (push_pid(&o->mypids, &o->npids, &cap, pid) == -1)
			return -1;
	}
	o->pids = o->mypids;
	return 0;
}

/*
 * The worker's list of pids.  It writes nothing before the list is
 * there, so data or the end of the pipe both end the wait; without the
 * list, it failed, and we list them ourselves.
 */
static int
await_pids(struct owners *o)
{
	struct pollfd pfd = { o->fd, POLLIN, 0 };
	size_t n;

	while ((n = __atomic_load_n(&o->sh->npids, __ATOMIC_ACQUIRE)) ==
	    SIZE_MAX) {
		if (poll(&pfd, 1, -1) == -1 && errno != EINTR)
			break;
		if (pfd.revents != 0 && (n = __atomic_load_n(&o->sh->npids,
		    __ATOMIC_ACQUIRE)) == SIZE_MAX)
			break;
	}
	if (n != SIZE_MAX) {
		o->pids = o->sh->pids;
		o->npids = n;
		return 0;
	}
	stop_worker(o, 0);
	return list_pids(o);
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
scan_new(struct owners *o, struct stream *out)
{
	struct dirent *de;
	pid_t pid;

	if (o->npids > 0)
		qsort(o->pids, o->npids, sizeof(*o->pids), pid_cmp);
	rewinddir(o->proc);
	while ((de = readdir(o->proc)) != NULL) {
		if (parse_pid(de->d_name, &pid) == -1 || (o->npids > 0 &&
		    bsearch(&pid, o->pids, o->npids, sizeof(*o->pids),
		    pid_cmp) != NULL))
			continue;
		if (scan_pid(&o->sc, pid, 1, out) == -1)
			return -1;
	}
	return 0;
}

/*
 * Start the owner scan before the sockets are read: with many processes,
 * a worker starts on them meanwhile.  An unreadable procroot is told by
 * owners_finish.
 */
static void
owners_start(struct owners *o, const char *procroot)
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
	start_worker(o);
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
forget_owners(struct bw_netstate *ns, struct owners *o)
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
scan_ours(struct owners *o, struct bw_netstate *ns, struct stream *mine,
    struct stream *theirs)
{
	const struct inoset *set = &o->sc.set;
	size_t alone = 0, *next;
	int r, end;

again:
	next = o->kid > 0 ? &o->sh->next : &alone;
	end = 0;
	while ((r = scan_chunk(&o->sc, o->pids, o->npids, next, NULL,
	    mine)) == 1) {
		if (apply_stream(ns, set, mine, o) == -1)
			return -1;
		if (o->kid > 0 && end == 0 &&
		    (read_stream(o->fd, theirs, 0) == -1 ||
		    (end = apply_stream(ns, set, theirs, o)) == -1))
			return -1;
	}
	if (r == -1 || o->kid == 0)
		return r;
	if (end == 0 && read_stream(o->fd, theirs, 1) == 0 &&
	    (end = apply_stream(ns, set, theirs, o)) == -1)
		return -1;
	stop_worker(o, end == 1);
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
static int
owners_finish(struct owners *o, struct bw_netstate *ns)
{
	struct stream mine = { NULL, 0, 0 }, theirs = { NULL, 0, 0 };
	struct inoset *set = &o->sc.set;
	struct inoslot *slots = NULL;
	size_t i, cap;
	int ret = -1, e;

	if (ns->nsocks == 0 || o->proc == NULL) {
		if (ns->nsocks > 0)
			ns->hidden = 1;
		owners_end(o);
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

	if ((o->kid > 0 ? await_pids(o) : list_pids(o)) == -1 ||
	    scan_ours(o, ns, &mine, &theirs) == -1)
		goto out;
	if (unowned(ns) > 0 && (scan_new(o, &mine) == -1 ||
	    apply_stream(ns, set, &mine, o) == -1))
		goto out;
	if (o->nlater > 0 && unowned(ns) > 0) {
		for (i = 0; i < o->nlater; i++)
			if (scan_pid(&o->sc, o->later[i], 0, &mine) == -1)
				goto out;
		if (apply_stream(ns, set, &mine, o) == -1)
			goto out;
	}
	ret = 0;
out:
	e = errno;	/* ENOMEM, past the clean-up */
	owners_end(o);
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

static int
same_local(const struct bw_sock *a, const struct bw_sock *b)
{
	return a->proto == b->proto && bw_sa_equal(&a->local, &b->local, 1);
}

static int
sock_cmp_local(const void *x, const void *y)
{
	const struct bw_sock *a = *(struct bw_sock * const *)x;
	const struct bw_sock *b = *(struct bw_sock * const *)y;
	int c;

	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	if (a->local.family != b->local.family)
		return a->local.family < b->local.family ? -1 : 1;
	if (a->local.port != b->local.port)
		return a->local.port < b->local.port ? -1 : 1;
	if ((c = memcmp(a->local.addr, b->local.addr, 16)) != 0)
		return c;
	return 0;
}

/*
 * Two TCP listeners on one address and port exist only with SO_REUSEPORT
 * on both: the one case where /proc tells us the option.
 */
static int
infer_reuseport(struct bw_netstate *ns)
{
	struct bw_sock **v;
	size_t i, j, n = 0;

	if ((v = reallocarray(NULL, ns->nsocks ? ns->nsocks : 1,
	    sizeof(*v))) == NULL)	// NOLINT(bugprone-sizeof-expression): array of pointers
		return -1;
	for (i = 0; i < ns->nsocks; i++)
		if (ns->socks[i].proto == BW_PROTO_TCP &&
		    ns->socks[i].state == BW_TCP_LISTEN)
			v[n++] = &ns->socks[i];
	if (n > 1)
		qsort(v, n, sizeof(*v), sock_cmp_local);	// NOLINT(bugprone-sizeof-expression): array of pointers
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && same_local(v[i], v[j]); j++)
			;
		if (j - i > 1)
			for (; i < j; i++)
				v[i]->reuseport = 1;
	}
	free(v);
	return 0;
}

/*
 * A sock_diag request on a new netlink socket: of family and ipproto in
 * states, for the endpoint id (an exact lookup) or, without one, a dump.
 * The socket to read the answer from, or -1.
 */
static int
diag_ask(int family, int ipproto, uint32_t states,
    const struct inet_diag_sockid *id)
{
	struct {
		struct nlmsghdr			nh;
		struct inet_diag_req_v2		r;
	} req;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd;

	if ((fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
	    NETLINK_SOCK_DIAG)) == -1)
		return -1;
	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nh.nlmsg_flags = NLM_F_REQUEST | (id == NULL ? NLM_F_DUMP : 0);
	req.r.sdiag_family = (uint8_t)family;
	req.r.sdiag_protocol = (uint8_t)ipproto;
	req.r.idiag_states = states;
	if (id != NULL)
		req.r.id = *id;
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&sa,
	    sizeof(sa)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * The live namespace's sockets from an inet_diag dump, filtered by state
 * in the kernel: /proc/net/tcp makes the kernel walk (and print) every
 * socket even to list the few listeners, about 1.7 ms for an empty table
 * here.  Fills what the /proc parser would, plus IPV6_V6ONLY.  -1 when
 * netlink cannot answer: the caller then reads /proc/net.
 */
static int
read_diag(struct bw_netstate *ns, size_t *cap, int family, int ipproto,
    uint8_t proto, int flags)
{
	uint32_t buf[8192];	/* NLMSG_ALIGNTO */
	int fd, done = 0, ret = -1;

	if ((fd = diag_ask(family, ipproto, (flags & BW_NS_ALL) ? ~0U :
	    proto == BW_PROTO_TCP ? 1U << BW_TCP_LISTEN : 1U << BW_UDP_UNCONN,
	    NULL)) == -1)
		return -1;
	while (!done) {
		struct nlmsghdr *h;
		int n = (int)recv(fd, buf, sizeof(buf), 0);

		if (n <= 0)
			break;
		for (h = (struct nlmsghdr *)buf; n >= (int)sizeof(*h) &&
		    h->nlmsg_len >= sizeof(*h) && h->nlmsg_len <= (unsigned)n;
		    h = NLMSG_NEXT(h, n)) {
			struct inet_diag_msg *m;
			struct bw_sock s;
			struct rtattr *a;
			int alen;

			if (h->nlmsg_type == NLMSG_DONE) {
				done = 1;
				ret = 0;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				done = 1;
				break;
			}
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*m)))
				continue;
			m = NLMSG_DATA(h);
			if (m->idiag_family != family)
				continue;
			memset(&s, 0, sizeof(s));
			s.proto = proto;
			s.state = m->idiag_state;
			s.local.family = s.remote.family = (uint16_t)family;
			memcpy(s.local.addr, m->id.idiag_src,
			    family == AF_INET ? 4 : 16);
			memcpy(s.remote.addr, m->id.idiag_dst,
			    family == AF_INET ? 4 : 16);
			s.local.port = ntohs(m->id.idiag_sport);
			s.remote.port = ntohs(m->id.idiag_dport);
			s.uid = m->idiag_uid;
			s.inode = m->idiag_inode;
			s.reuseport = -1;
			s.v6only = -1;
			alen = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof(*m)));
			for (a = (struct rtattr *)(m + 1); RTA_OK(a, alen);
			    a = RTA_NEXT(a, alen))
				if (a->rta_type == INET_DIAG_SKV6ONLY &&
				    RTA_PAYLOAD(a) >= 1 && family == AF_INET6)
					s.v6only = *(uint8_t *)RTA_DATA(a) ? 1 : 0;
			if (wanted(&s, flags) && push_sock(ns, cap, &s) == -1) {
				done = 1;
				ret = -1;
				break;
			}
		}
	}
	close(fd);
	return ret;
}

/*
 * Does a TCP listener take connections to a (loopback) address:port?  One
 * exact sock_diag lookup (the kernel's own, wildcards and dual-stack "::"
 * included) instead of a dump, which walks the whole listening hash:
 * ~0.15 ms per family here even when it is empty.  1 yes, 0 no, -1 when
 * the kernel would not say.
 */
int
bw_netstate_tcp_listener_at(const struct bw_sa *a)
{
	struct inet_diag_sockid id;
	uint32_t buf[1024];	/* NLMSG_ALIGNTO */
	struct nlmsghdr *h;
	int fd, n, ret = -1;

	if (a->family != AF_INET && a->family != AF_INET6)
		return -1;
	memset(&id, 0, sizeof(id));
	/* TCP looks up the local end in src (UDP would in dst). */
	memcpy(id.idiag_src, a->addr, a->family == AF_INET ? 4 : 16);
	id.idiag_sport = htons(a->port);
	id.idiag_cookie[0] = id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	if ((fd = diag_ask(a->family, IPPROTO_TCP, 1U << BW_TCP_LISTEN,
	    &id)) == -1)
		return -1;
	if ((n = (int)recv(fd, buf, sizeof(buf), 0)) >= (int)sizeof(*h)) {
		h = (struct nlmsghdr *)buf;
		if (h->nlmsg_type == SOCK_DIAG_BY_FAMILY &&
		    h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct inet_diag_msg)) &&
		    h->nlmsg_len <= (unsigned)n)
			ret = ((struct inet_diag_msg *)NLMSG_DATA(h))->idiag_state ==
			    BW_TCP_LISTEN;
		else if (h->nlmsg_type == NLMSG_ERROR &&
		    h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct nlmsgerr)) &&
		    ((struct nlmsgerr *)NLMSG_DATA(h))->error == -ENOENT)
			ret = 0;
	}
	close(fd);
	return ret;
}

int
bw_netstate_read(struct bw_netstate *ns, const char *procroot, int flags)
{
	static const struct {
		const char	*name;
		int		 proto, family;
	} files[] = {
		{ "tcp", BW_PROTO_TCP, AF_INET },
		{ "tcp6", BW_PROTO_TCP, AF_INET6 },
		{ "udp", BW_PROTO_UDP, AF_INET },
		{ "udp6", BW_PROTO_UDP, AF_INET6 },
	};
	struct owners o;
	char path[PATH_MAX];
	size_t cap = 0, i;
	int opened = 0, diag = 0;

	memset(ns, 0, sizeof(*ns));
	memset(&o, 0, sizeof(o));
	o.fd = -1;
	if (procroot == NULL)
		procroot = "/proc";
	if (!(flags & BW_NS_NOOWNERS))
		owners_start(&o, procroot);
	/* Netlink speaks for our own namespace: only with the live /proc. */
	if (strcmp(procroot, "/proc") == 0) {
		for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
			if (read_diag(ns, &cap, files[i].family,
			    files[i].proto == BW_PROTO_TCP ? IPPROTO_TCP :
			    IPPROTO_UDP, (uint8_t)files[i].proto, flags) == -1)
				break;
		if (i == sizeof(files) / sizeof(files[0]))
			diag = 1;
		else {
			bw_netstate_free(ns);
			memset(ns, 0, sizeof(*ns));
			cap = 0;
		}
	}
	for (i = 0; !diag && i < sizeof(files) / sizeof(files[0]); i++) {
		if (snprintf(path, sizeof(path), "%s/net/%s", procroot,
		    files[i].name) >= (int)sizeof(path)) {
			errno = ENAMETOOLONG;
			goto fail;
		}
		if (access(path, R_OK) == 0)
			opened++;
		if (read_procnet(ns, &cap, path, files[i].proto,
		    files[i].family, flags) == -1)
			goto fail;
	}
	if (!diag && opened == 0) {
		errno = ENOENT;
		goto fail;
	}
	if (infer_reuseport(ns) == -1)
		goto fail;
	if (!(flags & BW_NS_NOOWNERS) && owners_finish(&o, ns) == -1)
		goto fail;
	return 0;
fail:
	{
		int e = errno;

		owners_end(&o);
		bw_netstate_free(ns);
		errno = e;
	}
	return -1;
}

void
bw_netstate_free(struct bw_netstate *ns)
{
	size_t i;

	for (i = 0; i < ns->nsocks; i++)
		free(ns->socks[i].owners);
	free(ns->socks);
	memset(ns, 0, sizeof(*ns));
}

/*
 * An address as the kernel's bind and lookup code compare it: IPv4 and
 * v4-mapped IPv6 alike as 4 bytes (v4 = 1), other IPv6 as 16.
 */
struct norm {
	int	v4;
	uint8_t	a[16];
	int	any;
};

static void
normalize(const struct bw_sa *sa, struct norm *n)
{
	static const uint8_t zero[16];

	memset(n, 0, sizeof(*n));
	if (sa->family == AF_INET) {
		n->v4 = 1;
		memcpy(n->a, sa->addr, 4);
	} else if (bw_sa_is_v4mapped(sa)) {
		n->v4 = 1;
		memcpy(n->a, sa->addr + 12, 4);
	} else
		memcpy(n->a, sa->addr, 16);
	n->any = memcmp(n->a, zero, n->v4 ? 4 : 16) == 0;
}

/*
 * As the kernel's ipv6_rcv_saddr_equal / inet_rcv_saddr_equal: both IPv4
 * (v4-mapped included): equal or either wildcard; both IPv6: equal or
 * either "::"; mixed: only the IPv6 wildcard without IPV6_V6ONLY covers
 * the IPv4 side.  new_v6only is that of the address being bound.
 */
static int
addr_overlap(const struct bw_sa *a, int a_v6only, const struct bw_sa *b,
    int b_v6only)
{
	struct norm x, y;

	normalize(a, &x);
	normalize(b, &y);
	if (x.v4 && y.v4)
		return x.any || y.any || memcmp(x.a, y.a, 4) == 0;
	if (!x.v4 && !y.v4)
		return x.any || y.any || memcmp(x.a, y.a, 16) == 0;
	if (!x.v4)
		return x.any && a_v6only != 1;
	return y.any && b_v6only != 1;
}

size_t
bw_netstate_conflicts(const struct bw_netstate *ns, int proto,
    const struct bw_sa *sa, size_t *idx, size_t max)
{
	size_t i, n = 0;

	if (sa->family != AF_INET && sa->family != AF_INET6)
		return 0;
	for (i = 0; i < ns->nsocks; i++) {
		const struct bw_sock *s = &ns->socks[i];

		if (s->proto != proto || s->local.port != sa->port)
			continue;
		/* The new socket's V6ONLY is unknown: assume the default, off. */
		if (!addr_overlap(&s->local, s->v6only, sa, -1))
			continue;
		if (n < max)
			idx[n] = i;
		n++;
	}
	return n < max ? n : max;
}

/*
 * Receivers in the kernel's listener lookup order: an exact address match
 * wins; then, for an IPv4 destination, an IPv4 wildcard before a
 * dual-stack "::" (IPv4 sockets score higher); for IPv6, "::".
 */
size_t
bw_netstate_reaching_among(const struct bw_netstate *ns, const size_t *among,
    size_t namong, int proto, const struct bw_sa *dst, size_t *idx, size_t max)
{
	struct norm d, l;
	size_t i, j, n, last;
	int tier;

	if (dst->family != AF_INET && dst->family != AF_INET6)
		return 0;
	normalize(dst, &d);
	for (tier = 0; tier < 3; tier++) {
		n = 0;
		last = among != NULL ? namong : ns->nsocks;
		for (j = 0; j < last; j++) {
			const struct bw_sock *s;
			int match;

			i = among != NULL ? among[j] : j;
			s = &ns->socks[i];
			if (s->proto != proto || s->local.port != dst->port)
				continue;
			if (proto == BW_PROTO_TCP ? s->state != BW_TCP_LISTEN :
			    s->state != BW_UDP_UNCONN)
				continue;
			normalize(&s->local, &l);
			if (tier == 0)
				match = l.v4 == d.v4 && !l.any &&
				    memcmp(l.a, d.a, d.v4 ? 4 : 16) == 0 &&
				    !(s->local.family == AF_INET6 && d.v4 &&
				    s->v6only == 1);
			else if (tier == 1)
				match = l.any && l.v4 == d.v4 &&
				    (d.v4 ? s->local.family == AF_INET ||
				    s->v6only != 1 : 1);
			else
				match = d.v4 && !l.v4 && l.any &&
				    s->v6only != 1;
			if (!match)
				continue;
			if (n < max)
				idx[n] = i;
			n++;
		}
		if (n > 0)
			return n < max ? n : max;
	}
	return 0;
}

size_t
bw_netstate_reaching(const struct bw_netstate *ns, int proto,
    const struct bw_sa *dst, size_t *idx, size_t max)
{
	return bw_netstate_reaching_among(ns, NULL, 0, proto, dst, idx, max);
}

/* Sorted, unique pids of the sockets; -1 when one has no known owner. */
static ssize_t
pidset(const struct bw_netstate *ns, const size_t *idx, size_t n, pid_t **out)
{
	size_t i, j, k = 0, tot = 0;
	pid_t *p;

	*out = NULL;
	for (i = 0; i < n; i++) {
		if (ns->socks[idx[i]].nowners == 0)
			return -1;
		tot += ns->socks[idx[i]].nowners;
	}
	if ((p = reallocarray(NULL, tot ? tot : 1, sizeof(*p))) == NULL)
		return -2;
	for (i = 0; i < n; i++)
		for (j = 0; j < ns->socks[idx[i]].nowners; j++)
			p[k++] = ns->socks[idx[i]].owners[j].pid;
	if (k > 1)
		qsort(p, k, sizeof(*p), pid_cmp);
	for (i = j = 0; i < k; i++)
		if (j == 0 || p[j - 1] != p[i])
			p[j++] = p[i];
	*out = p;
	return (ssize_t)j;
}

static int
same_socks(const size_t *a, size_t na, const size_t *b, size_t nb)
{
	size_t i, j;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++) {
		for (j = 0; j < nb && a[i] != b[j]; j++)
			;
		if (j == nb)
			return 0;
	}
	return 1;
}

int
bw_netstate_same_owners(const struct bw_netstate *ns, const size_t *a,
    size_t na, const size_t *b, size_t nb)
{
	pid_t *pa, *pb;
	ssize_t ka, kb;
	size_t i, j;
	int same;

	if (same_socks(a, na, b, nb))
		return 1;
	ka = pidset(ns, a, na, &pa);
	kb = pidset(ns, b, nb, &pb);
	if (ka >= 0 && kb >= 0)
		same = ka == kb && memcmp(pa, pb, (size_t)ka * sizeof(*pa)) == 0;
	else {
		/* An owner is hidden: only different users prove a difference. */
		same = 1;
		for (i = 0; i < na; i++)
			for (j = 0; j < nb; j++)
				if (ns->socks[a[i]].uid != ns->socks[b[j]].uid)
					same = 0;
	}
	free(pa);
	free(pb);
	return same;
}
