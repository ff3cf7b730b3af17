/*
 * The analysis of a run: every finding computed once, from the model and
 * from what a client of "localhost" tries first (asked of the kernel only
 * when a port is split: a resolver query).  Pure but for that one call.
 */
#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "kernelrules.h"
#include "xalloc.h"

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
 * take a connection to a?
 */
int
bw_accepts(const struct bw_sa *l, int v6only, const struct bw_sa *a)
{
	return bw_kr_accepts(l, v6only, a);
}

static const char *
comm_of(const struct bw_model *m, pid_t pid)
{
	const struct bw_rproc *p = bw_model_proc(m, pid);

	return p ? p->comm : "?";
}

/* A process holding a receiver of an address. */
struct holder {
	pid_t		pid;
	const char	*comm;
	int		tree;
	struct bw_sa	addr;
	uid_t		uid;		/* BW_KR_NOUID: not known */
	uint64_t	sock;		/* its entry (see entry()) + 1 */
};

/* Entry e of listens, then ksocks, as the rules and as a holder see it. */
static void
entry(const struct bw_model *m, size_t e, struct bw_kr_sock *k,
    struct holder *h)
{
	if (e < m->nlistens) {
		const struct bw_rlisten *l = &m->listens[e];

		*k = (struct bw_kr_sock){ .addr = l->addr, .proto = l->proto,
		    .state = BW_KR_LISTEN,
		    .v6only = (l->opts & BW_OPT_V6ONLY) ? 1 : 0,
		    .reuseaddr = (l->opts & BW_OPT_REUSEADDR) ? 1 : 0,
		    .reuseport = (l->opts & BW_OPT_REUSEPORT) ? 1 : 0,
		    .uid = BW_KR_NOUID };
		*h = (struct holder){ .pid = l->pid,
		    .comm = comm_of(m, l->pid), .tree = 1 };
	} else {
		const struct bw_ksock *ks = &m->ksocks[e - m->nlistens];

		*k = (struct bw_kr_sock){ .addr = ks->addr, .proto = ks->proto,
		    .state = BW_KR_LISTEN, .v6only = -1, .reuseaddr = -1,
		    .reuseport = -1, .uid = ks->uid };
		*h = (struct holder){ .pid = ks->pid, .comm = ks->comm,
		    .tree = ks->tree };
	}
	h->addr = k->addr;
	h->uid = k->uid;
	h->sock = e + 1;
}

/*
 * The holders of a: the processes of the TCP sockets the kernel hands a
 * connection to a (bw_kr_pick among what the tree listened on and what
 * the kernel showed), each pid once.  Up to max; returns how many.
 */
static size_t
holders_of(const struct bw_report *r, const struct bw_sa *a, struct holder *h,
    size_t max)
{
	const struct bw_model *m = r->m;
	size_t ne = m->nlistens + m->nksocks, nk = 0, ng, i, j, n = 0;
	struct bw_kr_sock *k, one;
	struct holder x;
	size_t *map, *pick;

	/* The candidates: the TCP sockets of a's port; map: their entries. */
	k = bw_xreallocarray(NULL, ne + 1, sizeof(*k));
	map = bw_xreallocarray(NULL, ne + 1, 2 * sizeof(*map));
	for (i = 0; i < ne; i++) {
		entry(m, i, &k[nk], &x);
		if (k[nk].proto == BW_PROTO_TCP && k[nk].addr.port == a->port)
			map[nk++] = i;
	}
	pick = map + nk;
	ng = bw_kr_pick(k, nk, BW_PROTO_TCP, a, pick, nk);
	for (i = 0; i < ng; i++) {
		entry(m, map[pick[i]], &one, &x);
		for (j = 0; j < n && (x.pid == 0 || h[j].pid != x.pid); j++)
			;
		if (j < n && h[j].uid == BW_KR_NOUID)
			h[j].uid = x.uid;	/* the kernel's view of it */
		else if (j == n && n < max)
			h[n++] = x;
	}
	free(k);
	free(map);
	return n;
}

/* Ports the tree listens on over loopback or a wildcard, once each: by
 * its events or in the kernel (sockets the shim never saw). */
static size_t
split_ports(const struct bw_model *m, uint16_t *ports, size_t max)
{
	size_t i, j, n = 0;

	for (i = 0; i < m->nlistens + m->nksocks; i++) {
		const struct bw_ksock *k;
		const struct bw_sa *a;

		if (i < m->nlistens) {
			if (m->listens[i].proto != BW_PROTO_TCP)
				continue;
			a = &m->listens[i].addr;
		} else {
			k = &m->ksocks[i - m->nlistens];
			if (!k->tree || k->proto != BW_PROTO_TCP)
				continue;
			a = &k->addr;	/* the shim's or not */
		}
		if (bw_sa_class(a) == BW_CLASS_OTHER)
			continue;
		for (j = 0; j < n; j++)
			if (ports[j] == a->port)
				break;
		if (j == n && n < max)
			ports[n++] = a->port;
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
	struct {
		int		kind;
		struct holder	who;
		struct bw_sa	addr;
	} by[BW_KR_NCLIENTS];
	size_t		nby;
};
_Static_assert(sizeof(((struct split *)0)->v6) ==
    BW_MAX_SIDE * sizeof(struct holder), "the sides of a split fit its finding");

/* Whom a client of kind reaches at localhost:s->port: the first address
 * of its order with a receiver. */
static void
reached_by(const struct bw_report *r, int kind, struct split *s)
{
	struct bw_sa order[BINDWATCH_MAX_ADDRS];
	struct holder h[1];
	size_t i, n;

	n = bw_kr_client_order(kind, "localhost", s->port, r->client,
	    r->nclient, order, BINDWATCH_MAX_ADDRS);
	for (i = 0; i < n; i++) {
		if (holders_of(r, &order[i], h, 1) != 1)
			continue;
		if (kind == BW_KR_CLIENT_GAI) {
			s->reached_known = 1;
			s->reached = h[0];
			s->reached_addr = order[i];
		}
		s->by[s->nby].kind = kind;
		s->by[s->nby].who = h[0];
		s->by[s->nby].addr = order[i];
		s->nby++;
		return;
	}
}

static int
split_at(const struct bw_report *r, uint16_t port, struct split *s)
{
	struct bw_kr_holder kh[16];
	struct bw_kr_side side[2];
	struct bw_sa a6, a4;
	size_t i;

	memset(s, 0, sizeof(*s));
	s->port = port;
	bw_sa_loopback(&a6, AF_INET6, port);
	bw_sa_loopback(&a4, AF_INET, port);
	s->n6 = holders_of(r, &a6, s->v6, 8);
	s->n4 = holders_of(r, &a4, s->v4, 8);
	for (i = 0; i < s->n6 + s->n4; i++) {
		const struct holder *h = i < s->n6 ? &s->v6[i] :
		    &s->v4[i - s->n6];

		kh[i].sock = h->sock;
		kh[i].uid = h->uid;
		kh[i].pid = h->pid;
	}
	side[0].h = kh;
	side[0].n = s->n6;
	side[1].h = kh + s->n6;
	side[1].n = s->n4;
	if (!bw_kr_split(side, 2))
		return 0;
	for (i = 0; i < BW_KR_NCLIENTS; i++)
		reached_by(r, (int)i, s);
	return 1;
}

/* Confined to the loopback device, a wildcard is reached from here only. */
static int
exposed_listen(const struct bw_rlisten *l)
{
	return !l->confined && bw_kr_exposed(l->proto, &l->addr, BW_KR_LISTEN);
}

/* A UDP socket bound to a port it asked for (the rule sees used). */
static int
exposed_bind(const struct bw_rbind *b)
{
	return b->ret == 0 && b->bound.family != 0 &&
	    b->action != BW_ACT_CONFINE &&
	    bw_kr_exposed(b->proto, &b->used, BW_KR_BOUND);
}

/* An exposed bind that an earlier one of the same process already names. */
static int
exposed_before(const struct bw_model *m, size_t i)
{
	const struct bw_rbind *b = &m->binds[i];
	size_t j;

	for (j = 0; j < i; j++)
		if (m->binds[j].pid == b->pid &&
		    m->binds[j].proto == b->proto &&
		    exposed_bind(&m->binds[j]) &&
		    bw_sa_equal(&m->binds[j].bound, &b->bound, 1))
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

/*
 * Fallbacks, all at once: bind i fell back when a later bind of the same
 * process image and port succeeded on another address.  Sorted by
 * (process, port, sequence): a run of many binds stays cheap.
 */
static void
fallbacks(const struct bw_model *m, struct bw_fbind *fb)
{
	size_t *ix, g, end, k, j;

	ix = bw_xcalloc(m->nbinds, sizeof(*ix));
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

			if (b->ret == 0 || b->used.family == 0 || b->listen)
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
	for (i = 0; i < m->nclosed; i++)
		if (m->closed[i].pid == pid)
			return 1;
	/* A worker that holds what another process listened on. */
	for (i = 0; i < m->nksocks; i++)
		if (m->ksocks[i].tree && m->ksocks[i].pid == pid)
			return 1;
	return 0;
}

static void
find_procs(const struct bw_model *m, struct bw_findings *f)
{
	size_t i;

	f->procs = bw_xcalloc(m->nprocs, sizeof(*f->procs));
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

	f->listens = bw_xcalloc(m->nlistens, sizeof(*f->listens));
	for (i = 0; i < m->nlistens; i++) {
		const struct bw_rlisten *l = &m->listens[i];
		struct bw_flisten *o = &f->listens[f->nlistens++];

		o->pid = l->pid;
		o->comm = comm_of(m, l->pid);
		o->proto = l->proto;
		o->addr = l->addr;
		o->confined = l->confined;
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

	f->binds = bw_xcalloc(m->nbinds, sizeof(*f->binds));
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
		if (b->listen)
			o->kind |= BW_FB_LISTEN;
		else if (b->proto == BW_PROTO_UDP)
			o->kind |= BW_FB_UDP;
		if (b->proto == BW_PROTO_UDP && b->req.family != 0 &&
		    b->req.port == 0)
			o->kind |= BW_FB_CLIENT;
		if (b->action != BW_ACT_PASS)
			o->kind |= BW_FB_POLICY;
		if (b->action == BW_ACT_REWRITE && b->ret == 0)
			o->kind |= BW_FB_REWRITTEN;
		if (b->action == BW_ACT_DENY)
			o->kind |= BW_FB_DENIED;
		if (b->action == BW_ACT_CONFINE && b->ret == 0)
			o->kind |= BW_FB_CONFINED;
		for (j = 0; j < b->nholders; j++) {
			o->holders[j].pid = b->holders[j].pid;
			o->holders[j].comm = b->holders[j].comm;
			o->holders[j].in_run = -1;
		}
		o->nholders = b->nholders;
		bw_failed_cause(b, &o->inuse);
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
	size_t i, j, np = split_ports(r->m, ports, BW_MAX_SPLITS);
	int asked = 0;

	f->splits = bw_xcalloc(np, sizeof(*f->splits));
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
		for (j = 0; j < s.nby; j++) {
			o->reached_by[j].client = bw_kr_client_name(s.by[j].kind);
			keep_holders(&o->reached_by[j].who, &s.by[j].who, 1);
			o->reached_by[j].addr = s.by[j].addr;
		}
		o->nreached_by = s.nby;
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

/* Listeners reachable from the network, the shim's (unseen.c: others). */
static void
find_exposed(const struct bw_model *m, struct bw_findings *f)
{
	size_t i;

	f->exposed = bw_xcalloc(m->nlistens + m->nbinds + m->nksocks + 1,
	    sizeof(*f->exposed));
	for (i = 0; i < m->nlistens; i++) {
		const struct bw_rlisten *l = &m->listens[i];

		if (exposed_listen(l))
			keep_sock(&f->exposed[f->nexposed++], l->pid,
			    comm_of(m, l->pid), l->proto, &l->addr);
	}
	/* A UDP socket is reached from the network as a listener is. */
	for (i = 0; i < m->nbinds; i++) {
		const struct bw_rbind *b = &m->binds[i];

		if (exposed_bind(b) && !exposed_before(m, i))
			keep_sock(&f->exposed[f->nexposed++], b->pid,
			    comm_of(m, b->pid), b->proto, &b->bound);
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
	f->notes = bw_xcalloc(m->nnotes, sizeof(*f->notes));
	for (i = 0; i < m->nnotes; i++) {
		f->notes[i].kind = m->note_kinds[i];
		f->notes[i].msg = m->notes[i];
	}
	f->nnotes = m->nnotes;
	find_exposed(m, f);
	bw_find_unseen(m, f);
	find_splits(&r, k, f);
	bw_find_sharing(m, f);
	f->counts = m->counts;
	f->incomplete = f->counts.lost > 0 || f->counts.malformed > 0 ||
	    f->counts.rejected > 0;
	bw_clients_analyze(m, k, &f->clients);
	f->nwarnings = f->nnotes + f->nsplits + f->nexposed + f->nunseen +
	    f->nnotapplied + f->nshares + f->nexacts + (size_t)f->incomplete +
	    f->clients.nwrong + f->clients.nreached;
	f->hidden = m->hidden;
	f->timed_out = m->timed_out;
	f->not_run = m->not_run;
	f->closed = bw_xcalloc(m->nclosed, sizeof(*f->closed));
	for (i = 0; i < m->nclosed; i++)
		keep_sock(&f->closed[f->nclosed++], m->closed[i].pid,
		    comm_of(m, m->closed[i].pid), m->closed[i].proto,
		    &m->closed[i].addr);
}

void
bw_findings_free(struct bw_findings *f)
{
	bw_clients_free(&f->clients);
	free(f->procs);
	free(f->listens);
	free(f->binds);
	free(f->notes);
	free(f->splits);
	free(f->exposed);
	free(f->unseen);
	free(f->notapplied);
	free(f->shares);
	free(f->exacts);
	free(f->closed);
	memset(f, 0, sizeof(*f));
}
