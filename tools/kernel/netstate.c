/*
 * The kernel's view of bound and listening IP sockets and their owners.
 * Sockets come from NETLINK_SOCK_DIAG when procroot is the live /proc
 * (sockdiag.c, with IPV6_V6ONLY), else from /proc/net/{tcp,tcp6,udp,udp6}
 * (procnet.c); owners from the "socket:[INODE]" links of /proc/PID/fd
 * (owners.c).  SO_REUSEPORT is not exposed by either interface: it stays
 * -1 (unknown) unless two TCP listeners share one address and port, which
 * the kernel only allows with it.  Then the pure queries over the table.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "event.h"
#include "kernel.h"
#include "netstate.h"
#include "owners.h"

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
	struct bw_owners o;
	char path[PATH_MAX];
	size_t cap = 0, i;
	int opened = 0, diag = 0;

	memset(ns, 0, sizeof(*ns));
	memset(&o, 0, sizeof(o));
	o.fd = -1;
	if (procroot == NULL)
		procroot = "/proc";
	if (!(flags & BW_NS_NOOWNERS))
		bw_owners_start(&o, procroot);
	/* Netlink speaks for our own namespace: only with the live /proc. */
	if (strcmp(procroot, "/proc") == 0) {
		for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
			if (bw_diag_read(ns, &cap, files[i].family,
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
		if (bw_procnet_read(ns, &cap, path, files[i].proto,
		    files[i].family, flags) == -1)
			goto fail;
	}
	if (!diag && opened == 0) {
		errno = ENOENT;
		goto fail;
	}
	if (infer_reuseport(ns) == -1)
		goto fail;
	if (!(flags & BW_NS_NOOWNERS) && bw_owners_finish(&o, ns) == -1)
		goto fail;
	return 0;
fail:
	{
		int e = errno;

		bw_owners_end(&o);
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
		qsort(p, k, sizeof(*p), bw_pid_cmp);
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
