/*
 * Split localhost: [::1]:P and 127.0.0.1:P received by different
 * processes, and whom each kind of client reaches there.  What a client
 * tries first is asked of the kernel (a resolver query) at the first
 * split only.
 */
#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "kernelrules.h"
#include "xalloc.h"

/*
 * The model, and the addresses a client of "localhost" tries, in order
 * (none until a split asks for them).
 */
struct bw_report {
	const struct bw_model	*m;
	struct bw_sa		 client[BINDWATCH_MAX_ADDRS];
	size_t			 nclient;
};

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
		    .comm = bw_model_comm(m, l->pid), .tree = 1 };
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
void
bw_find_splits(const struct bw_model *m, const struct bw_kernel_ops *k,
    struct bw_findings *f)
{
	struct bw_report rr = { .m = m }, *r = &rr;
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
