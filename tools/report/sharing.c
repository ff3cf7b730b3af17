/*
 * Two ways processes share a port without a split: a SO_REUSEPORT group
 * held by several processes (reuseport-shared: the kernel spreads new
 * connections among them), and an exact address beside a wildcard
 * (exact-beats-wildcard: the exact one takes its own address, the
 * wildcard the rest).  Every rule is kernelrules.c's; this file only
 * gathers the sockets the run knows of: the kernel's snapshots of the
 * tree's and others' listeners, and the tree's listen events.
 */
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "xalloc.h"

/* A listening socket as the rules and the warnings see it. */
struct ent {
	struct bw_kr_sock	 k;
	pid_t			 pid;
	const char		*comm;
	int			 tree;
	uint64_t		 sock;	/* inode, else a stand-in of its own */
};

/* What the shim saw the program set. */
static void
opts(struct ent *e, int o)
{
	e->k.reuseport = (o & BW_OPT_REUSEPORT) ? 1 : 0;
	e->k.reuseaddr = (o & BW_OPT_REUSEADDR) ? 1 : 0;
	e->k.v6only = (o & BW_OPT_V6ONLY) ? 1 : 0;
}

/*
 * The listeners (and unconnected UDP sockets): the kernel's, with what
 * the tree's events say of their options, then those of the tree's
 * listen events the kernel never showed.
 */
static size_t
entries(const struct bw_model *m, struct ent *e)
{
	size_t i, j, n = 0;

	for (i = 0; i < m->nksocks; i++) {
		const struct bw_ksock *k = &m->ksocks[i];

		e[n] = (struct ent){ .k = { .addr = k->addr, .proto = k->proto,
		    .state = k->proto == BW_PROTO_TCP ? BW_KR_LISTEN :
		    BW_KR_BOUND, .v6only = -1, .reuseaddr = -1,
		    .reuseport = k->reuseport, .uid = k->uid },
		    .pid = k->pid, .comm = k->comm, .tree = k->tree,
		    .sock = k->inode };
		for (j = 0; j < m->nlistens; j++) {
			const struct bw_rlisten *l = &m->listens[j];

			if (l->pid == k->pid && l->proto == k->proto &&
			    bw_sa_equal(&l->addr, &k->addr, 1))
				opts(&e[n], l->opts);
		}
		/* A UDP socket of the tree: its bind said its options. */
		for (j = 0; j < m->nbinds && k->proto == BW_PROTO_UDP; j++) {
			const struct bw_rbind *b = &m->binds[j];

			if (b->pid == k->pid && b->proto == k->proto &&
			    b->ret == 0 && bw_sa_equal(&b->bound, &k->addr, 1))
				opts(&e[n], b->opts);
		}
		if (e[n].sock == 0)
			e[n].sock = UINT64_MAX - n;
		n++;
	}
	for (j = 0; j < m->nlistens; j++) {
		const struct bw_rlisten *l = &m->listens[j];

		for (i = 0; i < m->nksocks; i++)
			if (m->ksocks[i].pid == l->pid &&
			    m->ksocks[i].proto == l->proto &&
			    bw_sa_equal(&m->ksocks[i].addr, &l->addr, 1))
				break;
		if (i < m->nksocks)
			continue;
		e[n] = (struct ent){ .k = { .addr = l->addr,
		    .proto = l->proto, .state = BW_KR_LISTEN,
		    .v6only = (l->opts & BW_OPT_V6ONLY) ? 1 : 0,
		    .reuseaddr = (l->opts & BW_OPT_REUSEADDR) ? 1 : 0,
		    .reuseport = (l->opts & BW_OPT_REUSEPORT) ? 1 : 0,
		    .uid = BW_KR_NOUID }, .pid = l->pid,
		    .comm = bw_model_comm(m, l->pid), .tree = 1,
		    .sock = UINT64_MAX - m->nksocks - j };
		n++;
	}
	return n;
}

static void
holder(struct bw_fholder *h, const struct ent *e)
{
	h->pid = e->pid;
	h->comm = e->comm;
	h->in_run = e->tree;
}

/* Has one of e[g[0..i)] the pid (a known one) or the socket of e[g[i]]? */
static int
seen(const struct ent *e, const size_t *g, size_t i, int bysock)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (bysock ? e[g[j]].sock == e[g[i]].sock :
		    e[g[j]].pid != 0 && e[g[j]].pid == e[g[i]].pid)
			return 1;
	return 0;
}

static void
find_groups(struct ent *e, size_t n, struct bw_findings *f)
{
	size_t *g, *done, i, j, ng, k, np;
	int tree;

	g = bw_xcalloc(n + 1, sizeof(*g));
	done = bw_xcalloc(n + 1, sizeof(*done));
	f->shares = bw_xcalloc(n + 1, sizeof(*f->shares));
	for (i = 0; i < n; i++) {
		struct bw_fshare *o = &f->shares[f->nshares];
		size_t nsock = 0, npid = 0;

		if (done[i])
			continue;
		g[0] = i;
		for (ng = 1, j = i + 1; j < n; j++)
			if (!done[j] && bw_kr_group(&e[i].k, &e[j].k) == 1) {
				g[ng++] = j;
				done[j] = 1;
			}
		tree = 0;
		for (k = 0; k < ng; k++) {
			tree |= e[g[k]].tree;
			nsock += !seen(e, g, k, 1);
			npid += !seen(e, g, k, 0);
		}
		if (!tree || nsock < 2 || npid < 2)
			continue;
		o->proto = e[i].k.proto;
		o->addr = e[i].k.addr;
		o->nsockets = nsock;
		o->nprocs = npid;
		/* The tree's processes first, each once. */
		for (np = 0, tree = 1; tree >= 0; tree--)
			for (k = 0; k < ng && np < BW_MAX_SIDE; k++)
				if (e[g[k]].tree == tree && !seen(e, g, k, 0))
					holder(&o->procs[np++], &e[g[k]]);
		f->nshares++;
	}
	free(g);
	free(done);
}

/* Is pid among the holders of v? */
static int
has_pid(const struct bw_fend *v, size_t n, pid_t pid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].who.pid == pid)
			return 1;
	return 0;
}

/*
 * For each exact address a listener of a port holds: who takes it, and
 * which wildcard (or IPv6) listeners of other processes it passes over.
 */
static void
find_exacts(const struct ent *e, size_t n, struct bw_findings *f)
{
	struct bw_kr_sock *k;
	size_t *map, *idx, i, j, nk, ng, np;

	k = bw_xcalloc(n + 1, sizeof(*k));
	map = bw_xcalloc(n + 1, sizeof(*map));
	idx = bw_xcalloc(n + 1, sizeof(*idx));
	f->exacts = bw_xcalloc(n + 1, sizeof(*f->exacts));
	for (i = 0; i < n; i++) {
		struct bw_fexact *o = &f->exacts[f->nexacts];
		int tree = 0;

		if (bw_sa_class(&e[i].k.addr) == BW_CLASS_WILDCARD)
			continue;
		/* Each destination once. */
		for (j = 0; j < i; j++)
			if (e[j].k.proto == e[i].k.proto &&
			    bw_sa_equal(&e[j].k.addr, &e[i].k.addr, 1))
				break;
		if (j < i)
			continue;
		for (nk = 0, j = 0; j < n; j++)
			if (e[j].k.proto == e[i].k.proto &&
			    e[j].k.addr.port == e[i].k.addr.port) {
				k[nk] = e[j].k;
				map[nk++] = j;
			}
		memset(o, 0, sizeof(*o));
		o->dst = e[i].k.addr;
		ng = bw_kr_pick(k, nk, e[i].k.proto, &o->dst, idx, nk);
		for (j = 0; j < ng; j++) {
			const struct ent *w = &e[map[idx[j]]];

			tree |= w->tree;
			if (o->nto < BW_MAX_SIDE &&
			    !has_pid(o->to, o->nto, w->pid)) {
				holder(&o->to[o->nto].who, w);
				o->to[o->nto++].addr = w->k.addr;
			}
		}
		np = bw_kr_passed_over(k, nk, e[i].k.proto, &o->dst, idx, nk);
		for (j = 0; j < np; j++) {
			const struct ent *p = &e[map[idx[j]]];

			if (has_pid(o->to, o->nto, p->pid) ||
			    has_pid(o->passed, o->npassed, p->pid) ||
			    o->npassed == BW_MAX_SIDE)
				continue;
			tree |= p->tree;
			holder(&o->passed[o->npassed].who, p);
			o->passed[o->npassed++].addr = p->k.addr;
		}
		if (tree && o->nto > 0 && o->npassed > 0)
			f->nexacts++;
	}
	free(k);
	free(map);
	free(idx);
}

void
bw_find_sharing(const struct bw_model *m, struct bw_findings *f)
{
	struct ent *e;
	size_t n;

	e = bw_xcalloc(m->nksocks + m->nlistens + 1, sizeof(*e));
	n = entries(m, e);
	find_groups(e, n, f);
	find_exacts(e, n, f);
	free(e);
}
