/*
 * The summary as one JSON object: the findings, every list in full.
 * Every string is escaped; addresses are bare, ports numbers.
 */
#include <string.h>

#include "escape.h"
#include "format.h"
#include "names.h"
#include "report.h"

static void
jstr(FILE *f, const char *s)
{
	char e[BINDWATCH_MAX_NAME * 6 + 1];

	bw_escape_json(e, sizeof(e), s, strlen(s));
	fprintf(f, "\"%s\"", e);
}

static void
jbool(FILE *f, const char *key, int b)
{
	fprintf(f, ",\"%s\":%s", key, b ? "true" : "false");
}

/* The next object of a list: n counts those written. */
static void
jobj(FILE *f, size_t *n)
{
	fputs((*n)++ ? ",{" : "{", f);
}

static void
jproc(FILE *f, pid_t pid, const char *comm)
{
	fprintf(f, "\"pid\":%d,\"comm\":", (int)pid);
	jstr(f, comm);
}

static void
jaddr(FILE *f, const char *ak, const char *pk, const struct bw_sa *sa)
{
	char a[BW_ADDRSTRLEN];

	fprintf(f, "\"%s\":", ak);
	if (sa->family == 0) {
		fprintf(f, "null,\"%s\":null", pk);
		return;
	}
	jstr(f, bw_sa_format(sa, a, sizeof(a), BW_FMT_NOPORT | BW_FMT_BARE));
	fprintf(f, ",\"%s\":%u", pk, sa->port);
}

/* "pid", "comm", "proto", and a comma for what follows. */
static void
jwho(FILE *f, pid_t pid, const char *comm, int proto)
{
	jproc(f, pid, comm);
	fprintf(f, ",\"proto\":\"%s\",", bw_proto_name(proto));
}

/* {"pid":..,"comm":..}, with "in_run" when asked. */
static void
jholder(FILE *f, size_t *n, const struct bw_fholder *h, int in_run)
{
	jobj(f, n);
	jproc(f, h->pid, h->comm);
	if (in_run)
		jbool(f, "in_run", h->in_run);
	fputc('}', f);
}

static void
jholders(FILE *f, const struct bw_fholder *h, size_t nh, int in_run)
{
	size_t i, n = 0;

	fputc('[', f);
	for (i = 0; i < nh; i++)
		jholder(f, &n, &h[i], in_run);
	fputc(']', f);
}

static void
json_listening(FILE *f, const struct bw_findings *fi)
{
	size_t i, j, n = 0;

	for (i = 0; i < fi->nlistens; i++) {
		const struct bw_flisten *l = &fi->listens[i];

		jobj(f, &n);
		jwho(f, l->pid, l->comm, l->proto);
		jaddr(f, "addr", "port", &l->addr);
		fputs(",\"options\":[", f);
		for (j = 0; j < l->nopts; j++)
			fprintf(f, "%s\"%s\"", j ? "," : "", l->opts[j]);
		fputs("],\"held_by\":", f);
		jholders(f, l->held, l->nheld, 0);
		fputc('}', f);
	}
}

/* What the lists of binds say of one, after jwho. */
static void
jbound(FILE *f, const struct bw_fbind *b)
{
	jaddr(f, "addr", "port", &b->bound);
}

static void
jfailed(FILE *f, const struct bw_fbind *b)
{
	char en[24];
	size_t one = 0;

	jaddr(f, "addr", "port", &b->used);
	fprintf(f, ",\"errno\":\"%s\",\"count\":%llu",
	    bw_errno_name(b->err, en, sizeof(en)), (unsigned long long)b->count);
	jbool(f, "refused_by_policy", b->kind & BW_FB_DENIED);
	fputs(",\"holder\":", f);
	if (b->nholders == 0)
		fputs("null", f);
	else
		jholder(f, &one, &b->holders[0], 0);
	fputs(",\"holders\":", f);
	jholders(f, b->holders, b->nholders, 0);
}

static void
jfallback(FILE *f, const struct bw_fbind *b)
{
	jaddr(f, "tried_addr", "tried_port", &b->used);
	fputc(',', f);
	jaddr(f, "addr", "port", &b->fallback);
}

static void
jrewritten(FILE *f, const struct bw_fbind *b)
{
	jaddr(f, "requested_addr", "requested_port", &b->req);
	fputc(',', f);
	jaddr(f, "addr", "port", &b->used);
	fprintf(f, ",\"action\":\"%s\",\"ret\":%d,\"alias_of_fd\":",
	    b->kind & BW_FB_DENIED ? "deny" : "rewrite", b->ret);
	if (b->alias_fd >= 0)
		fprintf(f, "%d", b->alias_fd);
	else
		fputs("null", f);
}

static void
json_binds(FILE *f, const struct bw_findings *fi)
{
	static const struct {
		const char	*key;
		int		 kind;		/* the binds it lists */
		void		(*entry)(FILE *, const struct bw_fbind *);
	} lists[] = {
		{ "bound_udp", BW_FB_UDP, jbound },
		{ "failed", BW_FB_FAILED, jfailed },
		{ "fallbacks", BW_FB_FELL_BACK, jfallback },
		{ "rewritten", BW_FB_POLICY, jrewritten },
	};
	size_t k, i, n;

	for (k = 0; k < sizeof(lists) / sizeof(lists[0]); k++) {
		fprintf(f, "],\"%s\":[", lists[k].key);
		for (i = 0, n = 0; i < fi->nbinds; i++) {
			const struct bw_fbind *b = &fi->binds[i];

			if (!(b->kind & lists[k].kind))
				continue;
			jobj(f, &n);
			jwho(f, b->pid, b->comm, b->proto);
			lists[k].entry(f, b);
			fputc('}', f);
		}
	}
}

static void
json_split(FILE *f, size_t *n, const struct bw_fsplit *s)
{
	char a[BW_ADDRSTRLEN];

	jobj(f, n);
	fprintf(f, "\"kind\":\"split-localhost\",\"port\":%u,\"ipv6\":",
	    s->port);
	jholders(f, s->v6, s->n6, 1);
	fputs(",\"ipv4\":", f);
	jholders(f, s->v4, s->n4, 1);
	fputs(",\"reached\":", f);
	if (s->reached_known) {
		fputc('{', f);
		jproc(f, s->reached.pid, s->reached.comm);
		fputs(",\"addr\":", f);
		jstr(f, bw_sa_format(&s->reached_addr, a, sizeof(a),
		    BW_FMT_NOPORT | BW_FMT_BARE));
		jbool(f, "in_run", s->reached.in_run);
		fputc('}', f);
	} else
		fputs("null", f);
	fputc('}', f);
}

/* An exposed or unseen listener. */
static void
json_sock(FILE *f, size_t *n, const char *kind, const struct bw_fsock *s)
{
	jobj(f, n);
	fprintf(f, "\"kind\":\"%s\",", kind);
	jwho(f, s->pid, s->comm, s->proto);
	jaddr(f, "addr", "port", &s->addr);
	fputc('}', f);
}

static void
json_warnings(FILE *f, const struct bw_findings *fi)
{
	size_t i, n = 0;

	for (i = 0; i < fi->nnotes; i++) {
		jobj(f, &n);
		fputs("\"kind\":", f);
		jstr(f, fi->notes[i].kind);
		fputs(",\"message\":", f);
		jstr(f, fi->notes[i].msg);
		fputc('}', f);
	}
	for (i = 0; i < fi->nsplits; i++)
		json_split(f, &n, &fi->splits[i]);
	for (i = 0; i < fi->nexposed; i++)
		json_sock(f, &n, "exposed", &fi->exposed[i]);
	for (i = 0; i < fi->nunseen; i++)
		json_sock(f, &n, "unseen", &fi->unseen[i]);
}

static void
json_procs(FILE *f, const struct bw_findings *fi)
{
	char en[24];
	size_t i, n = 0;

	for (i = 0; i < fi->nprocs; i++) {
		const struct bw_fproc *p = &fi->procs[i];

		jobj(f, &n);
		fprintf(f, "\"pid\":%d,\"ppid\":%d,\"comm\":", (int)p->pid,
		    (int)p->ppid);
		jstr(f, p->comm);
		fputs(",\"exe\":", f);
		jstr(f, p->exe);
		fputs(",\"exit_status\":", f);
		if (p->exited && p->status >= 0)
			fprintf(f, "%d,\"signal\":null}", p->status);
		else if (p->exited)
			fprintf(f, "null,\"signal\":\"%s\"}",
			    bw_signal_name(-p->status, en, sizeof(en)));
		else
			fputs("null,\"signal\":null}", f);
	}
}

void
bw_report_json(const struct bw_findings *fi, FILE *f, int exit_status)
{
	fprintf(f, "{\"type\":\"summary\",\"exit_status\":%d,\"listening\":[",
	    exit_status);
	json_listening(f, fi);
	json_binds(f, fi);
	fputs("],\"warnings\":[", f);
	json_warnings(f, fi);
	fputs("],\"processes\":[", f);
	json_procs(f, fi);
	fprintf(f, "],\"events\":%llu,\"lost_events\":%llu,"
	    "\"malformed_events\":%llu,\"refused_connections\":%llu,"
	    "\"owners_hidden\":%s}\n",
	    (unsigned long long)fi->counts.received,
	    (unsigned long long)fi->counts.lost,
	    (unsigned long long)fi->counts.malformed,
	    (unsigned long long)fi->counts.rejected,
	    fi->hidden ? "true" : "false");
}
