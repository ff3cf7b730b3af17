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
#include "xalloc.h"

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
static void
infer_reuseport(struct bw_netstate *ns)
{
	struct bw_sock **v;
	size_t i, j, n = 0;

	v = bw_xreallocarray(NULL, ns->nsocks, sizeof(*v));	// NOLINT(bugprone-sizeof-expression): array of pointers
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
	infer_reuseport(ns);
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

/* The rules' view of a socket of the table. */
void
bw_sock_kr(const struct bw_sock *s, struct bw_kr_sock *k)
{
	memset(k, 0, sizeof(*k));
	k->addr = s->local;
	k->proto = s->proto;
	if (s->proto == BW_PROTO_TCP)
		k->state = s->state == BW_TCP_LISTEN ? BW_KR_LISTEN :
		    s->state == BW_TCP_TIME_WAIT ? BW_KR_TIMEWAIT :
		    s->state == BW_TCP_CLOSE ? BW_KR_BOUND : BW_KR_CONNECTED;
	else
		k->state = s->state == BW_UDP_UNCONN ? BW_KR_BOUND :
		    BW_KR_CONNECTED;
	k->v6only = s->v6only;
	k->reuseaddr = -1;	/* neither /proc nor sock_diag tells */
	k->reuseport = s->reuseport;
	k->uid = s->uid;
	k->expires_ms = s->expires_ms;
}

size_t
bw_netstate_conflicts(const struct bw_netstate *ns, int proto,
    const struct bw_sa *sa, size_t *idx, size_t max)
{
	struct bw_kr_sock b, k;
	size_t i, n = 0;

	/* The new socket's options are not known: the defaults, off. */
	memset(&b, 0, sizeof(b));
	b.addr = *sa;
	b.proto = proto;
	b.state = BW_KR_BOUND;
	b.v6only = b.reuseaddr = b.reuseport = -1;
	b.uid = BW_KR_NOUID;
	for (i = 0; i < ns->nsocks; i++) {
		bw_sock_kr(&ns->socks[i], &k);
		if (!bw_kr_bind_conflict(&k, &b))
			continue;
		if (n < max)
			idx[n] = i;
		n++;
	}
	return n < max ? n : max;
}

/* Candidates of one lookup on the stack; more cost an allocation. */
#define NCAND	64

size_t
bw_netstate_reaching_among(const struct bw_netstate *ns, const size_t *among,
    size_t namong, int proto, const struct bw_sa *dst, size_t *idx, size_t max)
{
	struct bw_kr_sock kbuf[NCAND], *k = kbuf;
	size_t mbuf[NCAND], *map = mbuf, last, i, j, n = 0, got;

	/* Only the sockets of dst's port and protocol can be picked. */
	last = among != NULL ? namong : ns->nsocks;
	for (j = 0; j < last; j++) {
		i = among != NULL ? among[j] : j;
		if (ns->socks[i].proto == proto &&
		    ns->socks[i].local.port == dst->port)
			n++;
	}
	if (n > NCAND) {
		k = bw_xreallocarray(NULL, n, sizeof(*k));
		map = bw_xreallocarray(NULL, n, sizeof(*map));
	}
	for (j = n = 0; j < last; j++) {
		i = among != NULL ? among[j] : j;
		if (ns->socks[i].proto != proto ||
		    ns->socks[i].local.port != dst->port)
			continue;
		bw_sock_kr(&ns->socks[i], &k[n]);
		map[n++] = i;
	}
	got = n > 0 ? bw_kr_pick(k, n, proto, dst, idx, max) : 0;
	if (got > max)
		got = max;
	for (i = 0; i < got; i++)
		idx[i] = map[idx[i]];
	if (k != kbuf) {
		free(k);
		free(map);
	}
	return got;
}

size_t
bw_netstate_reaching(const struct bw_netstate *ns, int proto,
    const struct bw_sa *dst, size_t *idx, size_t max)
{
	return bw_netstate_reaching_among(ns, NULL, 0, proto, dst, idx, max);
}

int
bw_netstate_split(const struct bw_netstate *ns, const size_t *const *recv,
    const size_t *nrecv, size_t n)
{
	struct bw_kr_holder *h;
	struct bw_kr_side *sides;
	size_t i, j, o, tot = 0, k = 0, answer = 0;
	int ret;

	for (i = 0; i < n; i++) {
		answer += nrecv[i] > 0;
		for (j = 0; j < nrecv[i]; j++)
			tot += ns->socks[recv[i][j]].nowners ?
			    ns->socks[recv[i][j]].nowners : 1;
	}
	/* One address answering cannot be split: most ports, no memory. */
	if (answer < 2)
		return 0;
	h = bw_xreallocarray(NULL, tot, sizeof(*h));
	sides = bw_xreallocarray(NULL, n, sizeof(*sides));
	/* One holder per (socket, owner); an owner not known is pid 0. */
	for (i = 0; i < n; i++) {
		sides[i].h = h + k;
		for (j = 0; j < nrecv[i]; j++) {
			const struct bw_sock *s = &ns->socks[recv[i][j]];

			for (o = 0; o < (s->nowners ? s->nowners : 1); o++) {
				h[k].sock = recv[i][j] + 1;
				h[k].uid = s->uid;
				h[k].pid = s->nowners ? s->owners[o].pid : 0;
				k++;
			}
		}
		sides[i].n = (size_t)(h + k - sides[i].h);
	}
	ret = bw_kr_split(sides, n);
	free(sides);
	free(h);
	return ret;
}
