/*
 * The analysis of a run: every finding computed once, from the model and
 * from what a client of "localhost" tries first (asked of the kernel only
 * when a port is split: a resolver query).  Pure but for that one call.
 */
#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>

#include "analyze.h"

/*
 * One analysis: the model, and the addresses a client of "localhost"
 * tries, in order (none until a split asks for them).
 */
struct bw_report {
	const struct bw_model	*m;
	struct bw_sa		 client[BINDWATCH_MAX_ADDRS];
	size_t			 nclient;
};

/*
 * Does a TCP listener on l (with IPV6_V6ONLY v6only: 1, 0, -1 unknown)
 * take a connection to a?  Linux: same address; a wildcard of the same
 * family; the IPv6 wildcard also takes IPv4 unless v6only.
 */
int
bw_accepts(const struct bw_sa *l, int v6only, const struct bw_sa *a)
{
	struct bw_sa lu = *l, au = *a;
	int lc;

	if (l->port != a->port)
		return 0;
	bw_sa_unmap(&lu);
	bw_sa_unmap(&au);
	lc = bw_sa_class(&lu);
	if (bw_sa_equal(&lu, &au, 0))
		return 1;
	if (lc != BW_CLASS_WILDCARD)
		return 0;
	if (lu.family == AF_INET)
		return au.family == AF_INET && l->family == AF_INET;
	/* [::] (and ::ffff:0.0.0.0 for IPv4 only) */
	if (bw_sa_is_v4mapped(l))
		return au.family == AF_INET;
	return au.family == AF_INET6 || v6only != 1;
}

static const char *
comm_of(const struct bw_model *m, pid_t pid)
{
	const struct bw_rproc *p = bw_model_proc(m, pid);

	return p ? p->comm : "?";
}

/* The holders of a.  Up to max pids; returns how many. */
struct holder {
	pid_t		pid;
	const char	*comm;
	int		tree;
	struct bw_sa	addr;
};

static size_t
holders_of(const struct bw_report *r, const struct bw_sa *a, struct holder *h,
    size_t max)
{
	const struct bw_model *m = r->m;
	size_t i, j, n = 0;

	for (i = 0; i < m->nlistens && n < max; i++) {
		const struct bw_rlisten *l = &m->listens[i];

		if (l->proto != BW_PROTO_TCP ||
		    !bw_accepts(&l->addr, (l->opts & BW_OPT_V6ONLY) ? 1 : 0, a))
			continue;
		h[n].pid = l->pid;
		h[n].comm = comm_of(m, l->pid);
		h[n].tree = 1;
		h[n].addr = l->addr;
		n++;
	}
	for (i = 0; i < m->nksocks && n < max; i++) {
		const struct bw_ksock *k = &m->ksocks[i];

		if (k->proto != BW_PROTO_TCP || !bw_accepts(&k->addr, -1, a))
			continue;
		for (j = 0; j < n; j++)
			if (h[j].pid == k->pid && k->pid != 0)
				break;
		if (j < n)
			continue;
		h[n].pid = k->pid;
		h[n].comm = k->comm;
		h[n].tree = k->tree;
		h[n].addr = k->addr;
		n++;
	}
	return n;
}

static int
disjoint(const struct holder *a, size_t na, const struct holder *b, size_t nb)
{
	size_t i, j;

	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++)
			if (a[i].pid == b[j].pid)
				return 0;
	return 1;
}

/* Ports the tree listens on over loopback or a wildcard, once each. */
static size_t
split_ports(const struct bw_model *m, uint16_t *ports, size_t max)
{
	size_t i, j, n = 0;

	for (i = 0; i < m->nlistens; i++) {
		const struct bw_rlisten *l = &m->listens[i];

		if (l->proto != BW_PROTO_TCP ||
		    bw_sa_class(&l->addr) == BW_CLASS_OTHER)
			continue;
		for (j = 0; j < n; j++)
			if (ports[j] == l->addr.port)
				break;
		if (j == n && n < max)
			ports[n++] = l->addr.port;
	}
	return n;
}

struct split {
	uint16_t	port;
	struct holder	v6[8], v4[8];
	size_t		n6, n4;
	int		reached_known;
	struct holder	reached;
	struct bw_sa	reached_addr;
};
_Static_assert(sizeof(((struct split *)0)->v6) ==
    BW_MAX_SIDE * sizeof(struct holder), "the sides of a split fit its finding");

static int
split_at(const struct bw_report *r, uint16_t port, struct split *s)
{
	struct bw_sa a6, a4;
	size_t i;

	memset(s, 0, sizeof(*s));
	s->port = port;
	bw_sa_loopback(&a6, AF_INET6, port);
	bw_sa_loopback(&a4, AF_INET, port);
	s->n6 = holders_of(r, &a6, s->v6, 8);
	s->n4 = holders_of(r, &a4, s->v4, 8);
	if (s->n6 == 0 || s->n4 == 0 || !disjoint(s->v6, s->n6, s->v4, s->n4))
		return 0;
	for (i = 0; i < r->nclient; i++) {
		struct holder h[1];
		struct bw_sa c = r->client[i];

		c.port = port;
		if (holders_of(r, &c, h, 1) == 1) {
			s->reached_known = 1;
			s->reached = h[0];
			s->reached_addr = c;
			break;
		}
	}
	return 1;
}

static int
exposed_listen(const struct bw_rlisten *l)
{
	return bw_sa_class(&l->addr) != BW_CLASS_LOOPBACK;
}

static int
seen_by_events(const struct bw_model *m, const struct bw_ksock *k)
{
	size_t i;

	for (i = 0; i < m->nlistens; i++)
		if (m->listens[i].proto == k->proto &&
		    bw_sa_equal(&m->listens[i].addr, &k->addr, 1))
			return 1;
	for (i = 0; i < m->nbinds; i++)
		if (m->binds[i].ret == 0 && m->binds[i].proto == k->proto &&
		    bw_sa_equal(&m->binds[i].bound, &k->addr, 1))
			return 1;
	return 0;
}

static int
bind_order(const void *x, const void *y, void *arg)
{
	const struct bw_rbind *binds = arg;
	const struct bw_rbind *a = &binds[*(const size_t *)x];
	const struct bw_rbind *b = &binds[*(const size_t *)y];

	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	if (a->boot != b->boot)
		return a->boot < b->boot ? -1 : 1;
	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	if (a->used.port != b->used.port)
		return a->used.port < b->used.port ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void *
alloc(size_t n, size_t size)
{
	void *p;

	if ((p = calloc(n != 0 ? n : 1, size)) == NULL)
		abort();
	return p;
}

/*
 * Fallbacks, all at once: bind i fell back when a later bind of the same
 * process image and port succeeded on another address.  Sorted by
 * (process, port, sequence): a run of many binds stays cheap.
 */
static void
fallbacks(const struct bw_model *m, struct bw_fbind *fb)
{
	size_t *ix, g, end, k, j;

	ix = alloc(m->nbinds, sizeof(*ix));
	for (k = 0; k < m->nbinds; k++)
		ix[k] = k;
	qsort_r(ix, m->nbinds, sizeof(*ix), bind_order, m->binds);
	for (g = 0; g < m->nbinds; g = end) {
		const struct bw_rbind *first = &m->binds[ix[g]];

		for (end = g + 1; end < m->nbinds; end++) {
			const struct bw_rbind *n = &m->binds[ix[end]];

			if (n->pid != first->pid || n->boot != first->boot ||
			    n->proto != first->proto ||
			    n->used.port != first->used.port)
				break;
		}
		if (first->used.port == 0)
			continue;
		for (k = g; k < end; k++) {
			const struct bw_rbind *b = &m->binds[ix[k]];

			if (b->ret == 0 || b->used.family == 0)
				continue;
			for (j = k + 1; j < end; j++) {
				const struct bw_rbind *n = &m->binds[ix[j]];

				if (n->ret == 0 && !bw_sa_equal(&n->used, &b->used, 0)) {
					fb[ix[k]].kind |= BW_FB_FELL_BACK;
					fb[ix[k]].fallback = n->bound;
					break;
				}
			}
		}
	}
	free(ix);
}

static int
proc_has_news(const struct bw_model *m, pid_t pid)
{
	size_t i;

	for (i = 0; i < m->nlistens; i++)
		if (m->listens[i].pid == pid)
			return 1;
	for (i = 0; i < m->nbinds; i++)
		if (m->binds[i].pid == pid)
			return 1;
	return 0;
}

static void
find_procs(const struct bw_model *m, struct bw_findings *f)
{
	size_t i;

	f->procs = alloc(m->nprocs, sizeof(*f->procs));
	for (i = 0; i < m->nprocs; i++) {
		const struct bw_rproc *p = &m->procs[i];
		struct bw_fproc *o = &f->procs[f->nprocs++];

		o->pid = p->pid;
		o->ppid = p->ppid;
		o->comm = p->comm;
		o->exe = p->exe;
		o->exited = p->exited;
		o->status = p->status;
		if ((o->quiet = !proc_has_news(m, p->pid)))
			f->nquiet++;
	}
}

/*
 * The processes of the tree the kernel last saw holding a listening
 * socket: after a fork (workers) or a daemon's exit (nginx `daemon on`,
 * whose first process listened and left) they are not the one that
 * listened.  Each pid once.
 */
static void
kernel_holders(const struct bw_model *m, const struct bw_rlisten *l,
    struct bw_flisten *o)
{
	size_t i;

	for (i = 0; i < m->nksocks && o->nheld < BW_MAX_HELD; i++) {
		const struct bw_ksock *k = &m->ksocks[i];

		if (k->tree && k->proto == l->proto &&
		    bw_sa_equal(&k->addr, &l->addr, 1)) {
			o->held[o->nheld].pid = k->pid;
			o->held[o->nheld].comm = k->comm;
			o->held[o->nheld].in_run = 1;
			o->nheld++;
		}
	}
	o->moved = o->nheld > 1 || (o->nheld == 1 && o->held[0].pid != l->pid);
}

static void
find_listens(const struct bw_model *m, struct bw_findings *f)
{
	static const struct { int bit; const char *name; } opt[] = {
		{ BW_OPT_REUSEADDR, "reuseaddr" }, { BW_OPT_REUSEPORT, "reuseport" },
		{ BW_OPT_V6ONLY, "v6only" }, { BW_OPT_FREEBIND, "freebind" },
	};
	size_t i, j;

	f->listens = alloc(m->nlistens, sizeof(*f->listens));
	for (i = 0; i < m->nlistens; i++) {
		const struct bw_rlisten *l = &m->listens[i];
		struct bw_flisten *o = &f->listens[f->nlistens++];

		o->pid = l->pid;
		o->comm = comm_of(m, l->pid);
		o->proto = l->proto;
		o->addr = l->addr;
		for (j = 0; j < sizeof(opt) / sizeof(opt[0]); j++)
			if (l->opts & opt[j].bit)
				o->opts[o->nopts++] = opt[j].name;
		kernel_holders(m, l, o);
	}
}

static void
find_binds(const struct bw_model *m, struct bw_findings *f)
{
	size_t i, j;

	f->binds = alloc(m->nbinds, sizeof(*f->binds));
	for (i = 0; i < m->nbinds; i++) {
		const struct bw_rbind *b = &m->binds[i];
		struct bw_fbind *o = &f->binds[f->nbinds++];

		o->pid = b->pid;
		o->comm = comm_of(m, b->pid);
		o->proto = b->proto;
		o->count = b->count;
		o->ret = b->ret;
		o->err = b->err;
		o->req = b->req;
		o->used = b->used;
		o->bound = b->bound;
		o->alias_fd = b->alias_fd;
		if (b->ret != 0)
			o->kind |= BW_FB_FAILED;
		else if (b->proto == BW_PROTO_UDP)
			o->kind |= BW_FB_UDP;
		if (b->action != BW_ACT_PASS)
			o->kind |= BW_FB_POLICY;
		if (b->action == BW_ACT_REWRITE && b->ret == 0)
			o->kind |= BW_FB_REWRITTEN;
		if (b->action == BW_ACT_DENY)
			o->kind |= BW_FB_DENIED;
		for (j = 0; j < b->nholders; j++) {
			o->holders[j].pid = b->holders[j].pid;
			o->holders[j].comm = b->holders[j].comm;
			o->holders[j].in_run = -1;
		}
		o->nholders = b->nholders;
	}
	fallbacks(m, f->binds);
}

static void
keep_holders(struct bw_fholder *o, const struct holder *h, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		o[i].pid = h[i].pid;
		o[i].comm = h[i].comm;
		o[i].in_run = h[i].tree;
	}
}

/*
 * Split localhost.  What a client tries first is a resolver query, made
 * at the first split only; that port is looked at again with its answer.
 */
static void
find_splits(struct bw_report *r, const struct bw_kernel_ops *k,
    struct bw_findings *f)
{
	uint16_t ports[BW_MAX_SPLITS];
	struct split s;
	size_t i, np = split_ports(r->m, ports, BW_MAX_SPLITS);
	int asked = 0;

	f->splits = alloc(np, sizeof(*f->splits));
	for (i = 0; i < np; i++) {
		struct bw_fsplit *o = &f->splits[f->nsplits];

		if (!split_at(r, ports[i], &s))
			continue;
		if (!asked && k != NULL) {
			asked = 1;
			r->nclient = k->client_order(k->arg, r->client,
			    BINDWATCH_MAX_ADDRS);
			if (r->nclient > 0)
				(void)split_at(r, ports[i], &s);
		}
		o->port = s.port;
		keep_holders(o->v6, s.v6, s.n6);
		keep_holders(o->v4, s.v4, s.n4);
		o->n6 = s.n6;
		o->n4 = s.n4;
		o->reached_known = s.reached_known;
		keep_holders(&o->reached, &s.reached, s.reached_known);
		o->reached_addr = s.reached_addr;
		f->nsplits++;
	}
}

static void
keep_sock(struct bw_fsock *o, pid_t pid, const char *comm, uint8_t proto,
    const struct bw_sa *addr)
{
	o->pid = pid;
	o->comm = comm;
	o->proto = proto;
	o->addr = *addr;
}

/* Listeners reachable from the network; sockets the shim never saw. */
static void
find_exposed_unseen(const struct bw_model *m, struct bw_findings *f)
{
	size_t i;

	f->exposed = alloc(m->nlistens, sizeof(*f->exposed));
	for (i = 0; i < m->nlistens; i++) {
		const struct bw_rlisten *l = &m->listens[i];

		if (exposed_listen(l))
			keep_sock(&f->exposed[f->nexposed++], l->pid,
			    comm_of(m, l->pid), l->proto, &l->addr);
	}
	f->unseen = alloc(m->nksocks, sizeof(*f->unseen));
	for (i = 0; i < m->nksocks; i++) {
		const struct bw_ksock *k = &m->ksocks[i];

		if (k->tree && !seen_by_events(m, k))
			keep_sock(&f->unseen[f->nunseen++], k->pid, k->comm,
			    k->proto, &k->addr);
	}
}

void
bw_analyze(const struct bw_model *m, const struct bw_kernel_ops *k,
    struct bw_findings *f)
{
	struct bw_report r;
	size_t i;

	memset(f, 0, sizeof(*f));
	memset(&r, 0, sizeof(r));
	r.m = m;
	find_procs(m, f);
	find_listens(m, f);
	find_binds(m, f);
	f->notes = alloc(m->nnotes, sizeof(*f->notes));
	for (i = 0; i < m->nnotes; i++) {
		f->notes[i].kind = m->note_kinds[i];
		f->notes[i].msg = m->notes[i];
	}
	f->nnotes = m->nnotes;
	find_splits(&r, k, f);
	find_exposed_unseen(m, f);
	f->counts = m->counts;
	f->incomplete = f->counts.lost > 0 || f->counts.malformed > 0 ||
	    f->counts.rejected > 0;
	f->nwarnings = f->nnotes + f->nsplits + f->nexposed + f->nunseen +
	    (size_t)f->incomplete;
	f->hidden = m->hidden;
}

void
bw_findings_free(struct bw_findings *f)
{
	free(f->procs);
	free(f->listens);
	free(f->binds);
	free(f->notes);
	free(f->splits);
	free(f->exposed);
	free(f->unseen);
	memset(f, 0, sizeof(*f));
}
