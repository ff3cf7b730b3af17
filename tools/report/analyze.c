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
 * Does a TCP listener on l (with IPV6_V6ONLY v6only: 1, 0, -1 unknown)
 * take a connection to a?
 */
int
bw_accepts(const struct bw_sa *l, int v6only, const struct bw_sa *a)
{
	return bw_kr_accepts(l, v6only, a);
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
		o->comm = bw_model_comm(m, l->pid);
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
		o->comm = bw_model_comm(m, b->pid);
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
			    bw_model_comm(m, l->pid), l->proto, &l->addr);
	}
	/* A UDP socket is reached from the network as a listener is. */
	for (i = 0; i < m->nbinds; i++) {
		const struct bw_rbind *b = &m->binds[i];

		if (exposed_bind(b) && !exposed_before(m, i))
			keep_sock(&f->exposed[f->nexposed++], b->pid,
			    bw_model_comm(m, b->pid), b->proto, &b->bound);
	}
}

void
bw_analyze(const struct bw_model *m, const struct bw_kernel_ops *k,
    struct bw_findings *f)
{
	size_t i;

	memset(f, 0, sizeof(*f));
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
	bw_find_splits(m, k, f);
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
		    bw_model_comm(m, m->closed[i].pid), m->closed[i].proto,
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
