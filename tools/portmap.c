/*
 * Grouping of listening sockets by port, and the two verdicts `ports`
 * prints: split and exposed.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "portmap.h"
#include "xalloc.h"

/* How many receivers of one destination we look at; more are siblings. */
#define MAXRECV	256

int
bw_sock_is_exposed(const struct bw_sock *s)
{
	struct bw_kr_sock k;

	bw_sock_kr(s, &k);
	return bw_kr_exposed(k.proto, &k.addr, k.state);
}

/*
 * The addresses "localhost" names are 127.0.0.1 and ::1: is the port
 * split between them (bw_kr_split)?  Other loopback addresses (127.0.0.2)
 * are a deliberate choice, not a surprise.
 */
static int
split_among(const struct bw_netstate *ns, const size_t *among, size_t namong,
    int proto, uint16_t port)
{
	size_t r4[MAXRECV], r6[MAXRECV], n[2];
	const size_t *recv[2] = { r4, r6 };
	struct bw_sa a4, a6;

	bw_sa_loopback(&a4, AF_INET, port);
	bw_sa_loopback(&a6, AF_INET6, port);
	n[0] = bw_netstate_reaching_among(ns, among, namong, proto, &a4, r4,
	    MAXRECV);
	n[1] = bw_netstate_reaching_among(ns, among, namong, proto, &a6, r6,
	    MAXRECV);
	return bw_netstate_split(ns, recv, n, 2);
}

int
bw_port_is_split(const struct bw_netstate *ns, int proto, uint16_t port)
{
	return split_among(ns, NULL, 0, proto, port);
}

/* For the sort: the netstate being grouped (qsort has no context). */
struct sortkey {
	const struct bw_sock	*s;
	size_t			 i;
};

static int
key_cmp(const void *x, const void *y)
{
	const struct sortkey *a = x, *b = y;
	const struct bw_sock *p = a->s, *q = b->s;
	int c;

	if (p->proto != q->proto)
		return p->proto < q->proto ? -1 : 1;
	if (p->local.port != q->local.port)
		return p->local.port < q->local.port ? -1 : 1;
	if (p->local.family != q->local.family)
		return p->local.family == AF_INET ? -1 : 1;
	if ((c = memcmp(p->local.addr, q->local.addr, 16)) != 0)
		return c;
	if (p->inode != q->inode)
		return p->inode < q->inode ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

static int
wanted_port(uint16_t port, const uint16_t *ports, size_t nports)
{
	size_t i;

	if (nports == 0)
		return 1;
	for (i = 0; i < nports; i++)
		if (ports[i] == port)
			return 1;
	return 0;
}

void
bw_portmap_build(struct bw_portmap *pm, const struct bw_netstate *ns,
    int flags, const uint16_t *ports, size_t nports)
{
	struct sortkey *k;
	size_t i, n = 0;

	memset(pm, 0, sizeof(*pm));
	k = bw_xreallocarray(NULL, ns->nsocks, sizeof(*k));
	for (i = 0; i < ns->nsocks; i++) {
		const struct bw_sock *s = &ns->socks[i];

		if (!(flags & BW_PM_ALL) &&
		    bw_sa_class(&s->local) == BW_CLASS_OTHER)
			continue;
		if (!wanted_port(s->local.port, ports, nports))
			continue;
		k[n].s = s;
		k[n++].i = i;
	}
	if (n > 1)
		qsort(k, n, sizeof(*k), key_cmp);
	pm->idx = bw_xreallocarray(NULL, n, sizeof(*pm->idx));
	pm->groups = bw_xreallocarray(NULL, n, sizeof(*pm->groups));
	for (i = 0; i < n; i++) {
		struct bw_portgroup *g = pm->ngroups ?
		    &pm->groups[pm->ngroups - 1] : NULL;

		pm->idx[i] = k[i].i;
		if (g == NULL || g->proto != k[i].s->proto ||
		    g->port != k[i].s->local.port) {
			g = &pm->groups[pm->ngroups++];
			// NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker): bw_xreallocarray never returns NULL (clang 14 ignores returns_nonnull)
			memset(g, 0, sizeof(*g));
			g->proto = k[i].s->proto;
			g->port = k[i].s->local.port;
			g->first = i;
		}
		g->n++;
		if (bw_sock_is_exposed(k[i].s))
			g->exposed = 1;
	}
	pm->nidx = n;
	free(k);
	/*
	 * Only the port's own sockets can receive its connections, and
	 * those left out (non-loopback) never receive loopback ones: look
	 * within the group, or 10,000 ports cost 10,000 full scans.
	 */
	for (i = 0; i < pm->ngroups; i++) {
		struct bw_portgroup *g = &pm->groups[i];

		g->split = split_among(ns, pm->idx + g->first, g->n,
		    g->proto, g->port);
	}
}

void
bw_portmap_free(struct bw_portmap *pm)
{
	free(pm->idx);
	free(pm->groups);
	memset(pm, 0, sizeof(*pm));
}

/*
 * How many processes hold the SO_REUSEPORT group of ns->socks[idx[i]]
 * (bw_kr_group) among idx[0..n): 1 when it is alone; an unknown owner
 * counts once per socket.
 */
size_t
bw_sock_group_procs(const struct bw_netstate *ns, const size_t *idx,
    size_t n, size_t i)
{
	struct bw_kr_sock a, b;
	pid_t seen[64];
	size_t j, o, k, nseen = 0, unknown = 0;

	bw_sock_kr(&ns->socks[idx[i]], &a);
	for (j = 0; j < n; j++) {
		const struct bw_sock *s = &ns->socks[idx[j]];

		bw_sock_kr(s, &b);
		if (j != i && bw_kr_group(&a, &b) != 1)
			continue;
		unknown += s->nowners == 0;
		for (o = 0; o < s->nowners; o++) {
			for (k = 0; k < nseen && seen[k] != s->owners[o].pid;
			    k++)
				;
			if (k == nseen && nseen < sizeof(seen) / sizeof(seen[0]))
				seen[nseen++] = s->owners[o].pid;
		}
	}
	return nseen + unknown > 0 ? nseen + unknown : 1;
}
