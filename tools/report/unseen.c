/*
 * The sockets of the tree that the kernel showed and the shim never
 * reported (a static or Go program, a raw system call): they join the
 * findings as the shim's do.  Each is unseen; it is exposed by the same
 * rule (bw_kr_exposed); it takes part in split localhost through the
 * model's kernel view (analyze.c); and when the run's policy would have
 * moved, confined or refused it, it is a policy that was not applied:
 * the user asked for something the shim could not do.  A process that
 * holds one is listed with it, as one that bound is.
 */
#include <stdlib.h>

#include "analyze.h"
#include "kernelrules.h"
#include "xalloc.h"

/* Did an event of the shim name this socket's address? */
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

/* The same address already in v[0..n): a forked server's sockets once. */
static int
listed(const struct bw_fsock *v, size_t n, const struct bw_ksock *k)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].proto == k->proto && bw_sa_equal(&v[i].addr, &k->addr, 1))
			return 1;
	return 0;
}

static struct bw_fsock *
add(struct bw_fsock *v, size_t *n, const struct bw_ksock *k)
{
	struct bw_fsock *o = &v[(*n)++];

	o->pid = k->pid;
	o->comm = k->comm;
	o->proto = k->proto;
	o->addr = k->addr;
	return o;
}

/*
 * What the policy would have done to a bind of this address, had the
 * shim seen it: BW_ACT_PASS when nothing.  The socket's own family and
 * v6only (the kernel's; unknown is Linux's default, off).
 */
static int
would_apply(const struct bw_policy *p, const struct bw_ksock *k,
    struct bw_bind_decision *d)
{
	struct bw_bind_ctx ctx = { .family = k->addr.family,
	    .proto = k->proto, .v6only = k->v6only == 1,
	    .phase = BW_PHASE_BIND };

	if (p == NULL)
		return 0;
	bw_policy_socket(p, &ctx, &k->addr, d);
	return d->action != BW_ACT_PASS;
}

void
bw_find_unseen(const struct bw_model *m, struct bw_findings *f)
{
	struct bw_bind_decision d;
	struct bw_fsock *o;
	size_t i;

	f->unseen = bw_xcalloc(m->nksocks + 1, sizeof(*f->unseen));
	f->notapplied = bw_xcalloc(m->nksocks + 1, sizeof(*f->notapplied));
	for (i = 0; i < m->nksocks; i++) {
		const struct bw_ksock *k = &m->ksocks[i];
		int state = k->proto == BW_PROTO_TCP ? BW_KR_LISTEN :
		    BW_KR_BOUND;

		if (!k->tree || seen_by_events(m, k))
			continue;
		add(f->unseen, &f->nunseen, k);
		/* f->exposed has room for every socket of the model. */
		if (bw_kr_exposed(k->proto, &k->addr, state) &&
		    !listed(f->exposed, f->nexposed, k))
			add(f->exposed, &f->nexposed, k);
		if (!listed(f->notapplied, f->nnotapplied, k) &&
		    would_apply(m->policy, k, &d)) {
			o = add(f->notapplied, &f->nnotapplied, k);
			o->action = d.action;
			o->want = d.addr;
			o->why = d.why;
		}
	}
	/* A process that holds an unseen socket did something. */
	for (i = 0; i < f->nprocs; i++) {
		size_t j;

		for (j = 0; j < f->nunseen && f->procs[i].quiet; j++)
			if (f->unseen[j].pid == f->procs[i].pid) {
				f->procs[i].quiet = 0;
				f->nquiet--;
			}
	}
}
