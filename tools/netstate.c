/*
 * The kernel's view of bound and listening IP sockets and their owners.
 * Sockets come from /proc/net/{tcp,tcp6,udp,udp6}; owners from the
 * "socket:[INODE]" links of /proc/PID/fd; IPV6_V6ONLY, when procroot is
 * the live /proc, from NETLINK_SOCK_DIAG.  SO_REUSEPORT is not exposed by
 * either interface: it stays -1 (unknown) unless two TCP listeners share
 * one address and port, which the kernel only allows with it.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>

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

struct inoref {
	uint64_t	inode;
	size_t		sock;
};

static int
inoref_cmp(const void *a, const void *b)
{
	const struct inoref *x = a, *y = b;

	if (x->inode != y->inode)
		return x->inode < y->inode ? -1 : 1;
	return x->sock < y->sock ? -1 : x->sock > y->sock;
}

/* First entry of the sorted index with this inode (or the end). */
static size_t
lower_bound(const struct inoref *ix, size_t n, uint64_t inode)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ix[mid].inode < inode)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
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

/* Add pid as owner of every indexed socket it holds a descriptor to. */
static int
scan_pid(struct bw_netstate *ns, const struct inoref *ix, int procfd,
    unsigned long pid)
{
	const struct inoref *hit;
	uint64_t dents[2048];	/* struct dirent64 is 8-aligned */
	struct dirent64 *fe;
	char path[64], comm[BINDWATCH_MAX_COMM], link[64];
	uint64_t ino;
	size_t off;
	ssize_t got;
	int ffd, havecomm = 0, ret = 0;

	/*
	 * PID/fd straight from the /proc fd and raw getdents64: the scan is
	 * syscall-bound (about 1,000 processes, 15,000 fds).
	 */
	snprintf(path, sizeof(path), "%lu/fd", pid);
	if ((ffd = openat(procfd, path, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1) {
		/* ENOENT: it exited; anything else hides its sockets. */
		if (errno != ENOENT && errno != ESRCH)
			ns->hidden = 1;
		return 0;
	}
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
			hit = ix + lower_bound(ix, ns->nsocks, ino);
			if (hit == ix + ns->nsocks || hit->inode != ino)
				continue;
			if (!havecomm) {
				snprintf(path, sizeof(path), "%lu/comm", pid);
				read_comm(procfd, path, comm);
				havecomm = 1;
			}
			for (; hit < ix + ns->nsocks && hit->inode == ino; hit++)
				if (add_owner(&ns->socks[hit->sock],
				    (pid_t)pid, comm) == -1) {
					ret = -1;
					break;
				}
			if (ret == -1)
				break;
		}
	}
	close(ffd);
	return ret;
}

/*
 * Is pid in another network namespace than ours?  Its sockets are then
 * (almost always) not in our /proc/net tables, so it is scanned only if
 * some socket is still without an owner after everyone else: a socket
 * passed across namespaces is still found, and the common case skips
 * every process of the host when we run in a private namespace.
 */
static int
other_netns(int procfd, unsigned long pid, ino_t ours)
{
	char path[64];
	struct stat st;

	if (ours == 0)
		return 0;
	snprintf(path, sizeof(path), "%lu/ns/net", pid);
	return fstatat(procfd, path, &st, 0) == 0 && st.st_ino != ours;
}

/*
 * Walk procroot/PID/fd once; each socket link is looked up by inode in a
 * sorted index (O((S + F) log S), not O(S * F)).  A process that exits
 * under us is skipped; one whose fds we may not read sets hidden.
 */
static int
scan_owners(struct bw_netstate *ns, const char *procroot)
{
	struct inoref *ix;
	struct dirent *de;
	struct stat st;
	unsigned long *later = NULL, *t;
	size_t i, nlater = 0, caplater = 0, unowned;
	ino_t ours = 0;
	DIR *proc;
	int ret = 0;

	if (ns->nsocks == 0)
		return 0;
	if ((ix = reallocarray(NULL, ns->nsocks, sizeof(*ix))) == NULL)
		return -1;
	for (i = 0; i < ns->nsocks; i++) {
		ix[i].inode = ns->socks[i].inode;
		ix[i].sock = i;
	}
	qsort(ix, ns->nsocks, sizeof(*ix), inoref_cmp);

	if ((proc = opendir(procroot)) == NULL) {
		free(ix);
		ns->hidden = 1;
		return 0;
	}
	if (strcmp(procroot, "/proc") == 0 && stat("/proc/self/ns/net", &st) == 0)
		ours = st.st_ino;
	while (ret == 0 && (de = readdir(proc)) != NULL) {
		unsigned long pid;
		char *end;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		errno = 0;
		pid = strtoul(de->d_name, &end, 10);
		if (*end != '\0' || errno != 0 || pid == 0 || pid > INT_MAX)
			continue;
		if (other_netns(dirfd(proc), pid, ours)) {
			if (nlater == caplater) {
				caplater = caplater ? caplater * 2 : 256;
				t = reallocarray(later, caplater, sizeof(*later));
				if (t == NULL) {
					ret = -1;
					break;
				}
				later = t;
			}
			later[nlater++] = pid;
			continue;
		}
		ret = scan_pid(ns, ix, dirfd(proc), pid);
	}
	for (i = 0, unowned = 0; i < ns->nsocks; i++)
		if (ns->socks[i].nowners == 0)
			unowned++;
	for (i = 0; ret == 0 && unowned > 0 && i < nlater; i++)
		ret = scan_pid(ns, ix, dirfd(proc), later[i]);
	closedir(proc);
	free(later);
	free(ix);
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
	struct {
		struct nlmsghdr			nh;
		struct inet_diag_req_v2		r;
	} req;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	uint32_t buf[8192];	/* NLMSG_ALIGNTO */
	int fd, done = 0, ret = -1;

	if ((fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
	    NETLINK_SOCK_DIAG)) == -1)
		return -1;
	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.r.sdiag_family = (uint8_t)family;
	req.r.sdiag_protocol = (uint8_t)ipproto;
	req.r.idiag_states = (flags & BW_NS_ALL) ? ~0U :
	    proto == BW_PROTO_TCP ? 1U << BW_TCP_LISTEN : 1U << BW_UDP_UNCONN;
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&sa,
	    sizeof(sa)) == -1)
		done = 1;
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
	char path[PATH_MAX];
	size_t cap = 0, i;
	int opened = 0, diag = 0;

	memset(ns, 0, sizeof(*ns));
	if (procroot == NULL)
		procroot = "/proc";
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
	if (!(flags & BW_NS_NOOWNERS) && scan_owners(ns, procroot) == -1)
		goto fail;
	return 0;
fail:
	{
		int e = errno;

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

static int
pid_cmp(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return x < y ? -1 : x > y;
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
