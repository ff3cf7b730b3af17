/*
 * The summary as one JSON object: the findings, every list in full.
 * Every string is escaped; addresses are bare, ports numbers.  Compact,
 * like the event lines it ends.
 */
#include "format.h"
#include "jsonw.h"
#include "names.h"
#include "report.h"

static void
jproc(struct bw_jsonw *w, pid_t pid, const char *comm)
{
	bw_jw_kint(w, "pid", pid);
	bw_jw_kstr(w, "comm", comm);
}

/* "pid", "comm", "proto". */
static void
jwho(struct bw_jsonw *w, pid_t pid, const char *comm, int proto)
{
	jproc(w, pid, comm);
	bw_jw_kstr(w, "proto", bw_proto_name(proto));
}

/* {"pid":..,"comm":..}, with "in_run" when asked. */
static void
jholder(struct bw_jsonw *w, const struct bw_fholder *h, int in_run)
{
	bw_jw_obj(w);
	jproc(w, h->pid, h->comm);
	if (in_run)
		bw_jw_kbool(w, "in_run", h->in_run);
	bw_jw_obj_end(w);
}

static void
jholders(struct bw_jsonw *w, const char *key, const struct bw_fholder *h,
    size_t nh, int in_run)
{
	size_t i;

	bw_jw_key(w, key);
	bw_jw_arr(w);
	for (i = 0; i < nh; i++)
		jholder(w, &h[i], in_run);
	bw_jw_arr_end(w);
}

static void
json_listening(struct bw_jsonw *w, const struct bw_findings *fi)
{
	size_t i, j;

	bw_jw_key(w, "listening");
	bw_jw_arr(w);
	for (i = 0; i < fi->nlistens; i++) {
		const struct bw_flisten *l = &fi->listens[i];

		bw_jw_obj(w);
		jwho(w, l->pid, l->comm, l->proto);
		bw_jw_kaddr(w, "addr", "port", &l->addr);
		bw_jw_key(w, "options");
		bw_jw_arr(w);
		for (j = 0; j < l->nopts; j++)
			bw_jw_str(w, l->opts[j]);
		bw_jw_arr_end(w);
		jholders(w, "held_by", l->held, l->nheld, 0);
		if (l->confined)
			bw_jw_kstr(w, "device", BINDWATCH_LOOPBACK_DEVICE);
		else
			bw_jw_knull(w, "device");
		bw_jw_obj_end(w);
	}
	bw_jw_arr_end(w);
}

/* What the lists of binds say of one, after jwho. */
static void
jbound(struct bw_jsonw *w, const struct bw_fbind *b)
{
	bw_jw_kaddr(w, "addr", "port", &b->bound);
	bw_jw_kbool(w, "client", b->kind & BW_FB_CLIENT);
}

/* "cause" and what comes with it (kernelrules.h: bw_kr_inuse). */
static void
jcause(struct bw_jsonw *w, const struct bw_kr_inuse *u)
{
	const char *c = bw_kr_cause_name(u->cause);

	if (c == NULL)
		bw_jw_knull(w, "cause");
	else
		bw_jw_kstr(w, "cause", c);
	bw_jw_kuint(w, "cause_sockets", u->n);
	if (u->cause == BW_KR_CAUSE_TIMEWAIT && u->wait_ms > 0)
		bw_jw_kuint(w, "wait_ms", u->wait_ms);
	else
		bw_jw_knull(w, "wait_ms");
	if (u->cause == BW_KR_CAUSE_NONE || u->cause == BW_KR_CAUSE_POLICY ||
	    u->reuseaddr == -1)
		bw_jw_knull(w, "reuseaddr_would_allow");
	else
		bw_jw_kbool(w, "reuseaddr_would_allow", u->reuseaddr == 1);
}

static void
jfailed(struct bw_jsonw *w, const struct bw_fbind *b)
{
	char en[24];

	bw_jw_kaddr(w, "addr", "port", &b->used);
	bw_jw_kstr(w, "call", b->kind & BW_FB_LISTEN ? "listen" : "bind");
	bw_jw_kstr(w, "errno", bw_errno_name(b->err, en, sizeof(en)));
	bw_jw_kuint(w, "count", b->count);
	bw_jw_kbool(w, "refused_by_policy", b->kind & BW_FB_DENIED);
	bw_jw_key(w, "holder");
	if (b->nholders == 0)
		bw_jw_null(w);
	else
		jholder(w, &b->holders[0], 0);
	jholders(w, "holders", b->holders, b->nholders, 0);
	jcause(w, &b->inuse);
}

static void
jfallback(struct bw_jsonw *w, const struct bw_fbind *b)
{
	bw_jw_kaddr(w, "tried_addr", "tried_port", &b->used);
	bw_jw_kaddr(w, "addr", "port", &b->fallback);
}

static void
jrewritten(struct bw_jsonw *w, const struct bw_fbind *b)
{
	bw_jw_kaddr(w, "requested_addr", "requested_port", &b->req);
	bw_jw_kaddr(w, "addr", "port", &b->used);
	bw_jw_kstr(w, "action", b->kind & BW_FB_DENIED ? "deny" :
	    b->kind & BW_FB_CONFINED ? "confine" : "rewrite");
	bw_jw_kint(w, "ret", b->ret);
	if (b->alias_fd >= 0)
		bw_jw_kint(w, "alias_of_fd", b->alias_fd);
	else
		bw_jw_knull(w, "alias_of_fd");
}

static void
json_binds(struct bw_jsonw *w, const struct bw_findings *fi)
{
	static const struct {
		const char	*key;
		int		 kind;		/* the binds it lists */
		void		(*entry)(struct bw_jsonw *,
				    const struct bw_fbind *);
	} lists[] = {
		{ "bound_udp", BW_FB_UDP, jbound },
		{ "failed", BW_FB_FAILED, jfailed },
		{ "fallbacks", BW_FB_FELL_BACK, jfallback },
		{ "rewritten", BW_FB_POLICY, jrewritten },
	};
	size_t k, i;

	for (k = 0; k < sizeof(lists) / sizeof(lists[0]); k++) {
		bw_jw_key(w, lists[k].key);
		bw_jw_arr(w);
		for (i = 0; i < fi->nbinds; i++) {
			const struct bw_fbind *b = &fi->binds[i];

			if (!(b->kind & lists[k].kind))
				continue;
			bw_jw_obj(w);
			jwho(w, b->pid, b->comm, b->proto);
			lists[k].entry(w, b);
			bw_jw_obj_end(w);
		}
		bw_jw_arr_end(w);
	}
}

static void
json_split(struct bw_jsonw *w, const struct bw_fsplit *s)
{
	char a[BW_ADDRSTRLEN];
	size_t i;

	bw_jw_obj(w);
	bw_jw_kstr(w, "kind", "split-localhost");
	bw_jw_kuint(w, "port", s->port);
	jholders(w, "ipv6", s->v6, s->n6, 1);
	jholders(w, "ipv4", s->v4, s->n4, 1);
	if (s->reached_known) {
		bw_jw_key(w, "reached");
		bw_jw_obj(w);
		jproc(w, s->reached.pid, s->reached.comm);
		bw_jw_kstr(w, "addr", bw_sa_format(&s->reached_addr, a,
		    sizeof(a), BW_FMT_NOPORT | BW_FMT_BARE));
		bw_jw_kbool(w, "in_run", s->reached.in_run);
		bw_jw_obj_end(w);
	} else
		bw_jw_knull(w, "reached");
	bw_jw_key(w, "reached_by");
	bw_jw_arr(w);
	for (i = 0; i < s->nreached_by; i++) {
		bw_jw_obj(w);
		bw_jw_kstr(w, "client", s->reached_by[i].client);
		jproc(w, s->reached_by[i].who.pid, s->reached_by[i].who.comm);
		bw_jw_kaddr(w, "addr", "port", &s->reached_by[i].addr);
		bw_jw_obj_end(w);
	}
	bw_jw_arr_end(w);
	bw_jw_obj_end(w);
}

/* An exposed or unseen listener; a closed one (kind NULL). */
static void
json_sock(struct bw_jsonw *w, const char *kind, const struct bw_fsock *s)
{
	bw_jw_obj(w);
	if (kind != NULL)
		bw_jw_kstr(w, "kind", kind);
	jwho(w, s->pid, s->comm, s->proto);
	bw_jw_kaddr(w, "addr", "port", &s->addr);
	bw_jw_obj_end(w);
}

/* An unseen socket, and what the policy would have done to it. */
static void
json_notapplied(struct bw_jsonw *w, const struct bw_fsock *s)
{
	bw_jw_obj(w);
	bw_jw_kstr(w, "kind", "policy-not-applied");
	jwho(w, s->pid, s->comm, s->proto);
	bw_jw_kaddr(w, "addr", "port", &s->addr);
	bw_jw_kstr(w, "action", s->action == BW_ACT_DENY ? "deny" :
	    s->action == BW_ACT_CONFINE ? "confine" : "rewrite");
	bw_jw_kaddr(w, "policy_addr", "policy_port", &s->want);
	if (s->why != NULL)
		bw_jw_kstr(w, "policy", s->why);
	else
		bw_jw_knull(w, "policy");
	bw_jw_obj_end(w);
}

static void
json_warnings(struct bw_jsonw *w, const struct bw_findings *fi)
{
	size_t i;

	bw_jw_key(w, "warnings");
	bw_jw_arr(w);
	for (i = 0; i < fi->nnotes; i++) {
		bw_jw_obj(w);
		bw_jw_kstr(w, "kind", fi->notes[i].kind);
		bw_jw_kstr(w, "message", fi->notes[i].msg);
		bw_jw_obj_end(w);
	}
	for (i = 0; i < fi->nsplits; i++)
		json_split(w, &fi->splits[i]);
	for (i = 0; i < fi->nexposed; i++)
		json_sock(w, "exposed", &fi->exposed[i]);
	for (i = 0; i < fi->nunseen; i++)
		json_sock(w, "unseen", &fi->unseen[i]);
	for (i = 0; i < fi->nnotapplied; i++)
		json_notapplied(w, &fi->notapplied[i]);
	bw_sharing_json(w, fi);
	bw_clients_json_warnings(&fi->clients, w);
	bw_jw_arr_end(w);
}

static void
json_procs(struct bw_jsonw *w, const struct bw_findings *fi)
{
	char en[24];
	size_t i;

	bw_jw_key(w, "processes");
	bw_jw_arr(w);
	for (i = 0; i < fi->nprocs; i++) {
		const struct bw_fproc *p = &fi->procs[i];

		bw_jw_obj(w);
		bw_jw_kint(w, "pid", p->pid);
		bw_jw_kint(w, "ppid", p->ppid);
		bw_jw_kstr(w, "comm", p->comm);
		bw_jw_kstr(w, "exe", p->exe);
		if (p->exited && p->status >= 0)
			bw_jw_kint(w, "exit_status", p->status);
		else
			bw_jw_knull(w, "exit_status");
		if (p->exited && p->status < 0)
			bw_jw_kstr(w, "signal",
			    bw_signal_name(-p->status, en, sizeof(en)));
		else
			bw_jw_knull(w, "signal");
		bw_jw_obj_end(w);
	}
	bw_jw_arr_end(w);
}

void
bw_report_json(const struct bw_findings *fi, FILE *f, int exit_status)
{
	struct bw_jsonw w;
	size_t i;

	bw_jw_init(&w, f, 0);
	bw_jw_obj(&w);
	bw_jw_kstr(&w, "type", "summary");
	bw_jw_kint(&w, "exit_status", exit_status);
	bw_jw_kbool(&w, "timed_out", fi->timed_out);
	json_listening(&w, fi);
	bw_jw_key(&w, "closed");
	bw_jw_arr(&w);
	for (i = 0; i < fi->nclosed; i++)
		json_sock(&w, NULL, &fi->closed[i]);
	bw_jw_arr_end(&w);
	json_binds(&w, fi);
	bw_clients_json(&fi->clients, &w);
	json_warnings(&w, fi);
	json_procs(&w, fi);
	bw_jw_kuint(&w, "events", fi->counts.received);
	bw_jw_kuint(&w, "lost_events", fi->counts.lost);
	bw_jw_kuint(&w, "malformed_events", fi->counts.malformed);
	bw_jw_kuint(&w, "refused_connections", fi->counts.rejected);
	bw_jw_kbool(&w, "owners_hidden", fi->hidden);
	bw_jw_obj_end(&w);
	fputc('\n', f);
}
