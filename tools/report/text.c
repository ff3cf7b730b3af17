/*
 * The summary as text: the findings, one process at a time, then the
 * warnings.  Names from the programs are escaped as on the live lines
 * (bw_escape_text: \xNN), so a name reads the same in both.
 */
#include <string.h>

#include "escape.h"
#include "format.h"
#include "names.h"
#include "report.h"

#define C(code)	(color ? (code) : "")
#define RED	"\033[31m"
#define YEL	"\033[33m"
#define BOLD	"\033[1m"
#define OFF	"\033[0m"

static const char *
esc_str(const char *s, char *buf, size_t len)
{
	bw_escape_text(buf, len, s, strlen(s));
	return buf;
}

static const char *
addr_str(const struct bw_sa *sa, char *buf, size_t len)
{
	return bw_sa_format(sa, buf, len, 0);
}

/* ", held by pid 1 (a), pid 2 (b)"; pid 0 is a process nobody could see. */
static void
text_holders(FILE *f, const struct bw_fholder *h, size_t n)
{
	char c[64];
	size_t i;

	fputs(", held by", f);
	for (i = 0; i < n; i++) {
		if (h[i].pid == 0)
			fprintf(f, "%s an unknown process", i ? "," : "");
		else
			fprintf(f, "%s pid %d (%s)", i ? "," : "",
			    (int)h[i].pid, esc_str(h[i].comm, c, sizeof(c)));
	}
}

static void
text_listen(FILE *f, const struct bw_flisten *l)
{
	char a[BW_ADDRSTRLEN];
	size_t i;

	fprintf(f, "    listening  %s %s", bw_proto_name(l->proto),
	    addr_str(&l->addr, a, sizeof(a)));
	for (i = 0; i < l->nopts; i++)
		fprintf(f, "%s%s", i ? ", " : "  (", l->opts[i]);
	if (l->nopts > 0)
		fputc(')', f);
	if (l->confined)
		fputs("  confined to " BINDWATCH_LOOPBACK_DEVICE " by policy", f);
	if (l->moved)
		text_holders(f, l->held, l->nheld);
	fputc('\n', f);
}

/* A listener that pid holds and another process of the tree listened on
 * (a forked worker's inherited socket). */
static void
text_held(FILE *f, const struct bw_flisten *l, pid_t pid)
{
	char a[BW_ADDRSTRLEN];
	size_t i;

	if (l->pid == pid)
		return;
	for (i = 0; i < l->nheld; i++)
		if (l->held[i].pid == pid)
			fprintf(f, "    holds      %s %s  (listened on by pid %d)\n",
			    bw_proto_name(l->proto),
			    addr_str(&l->addr, a, sizeof(a)), (int)l->pid);
}

static void
text_bind(FILE *f, const struct bw_fbind *b, int color)
{
	char a[BW_ADDRSTRLEN], a2[BW_ADDRSTRLEN], en[24];

	if ((b->kind & (BW_FB_UDP | BW_FB_POLICY)) == BW_FB_UDP)
		fprintf(f, "    bound      udp %s%s\n",
		    addr_str(&b->bound, a, sizeof(a)), b->kind & BW_FB_CLIENT ?
		    "  (port 0: a client's, no policy applies)" : "");
	if (b->kind & BW_FB_CONFINED)
		fprintf(f, "    confined   %s %s to " BINDWATCH_LOOPBACK_DEVICE
		    " (the address kept: reached from this machine only)\n",
		    bw_proto_name(b->proto), addr_str(&b->used, a, sizeof(a)));
	if (b->kind & BW_FB_REWRITTEN)
		fprintf(f, "    rewritten  %s %s => %s%s\n",
		    bw_proto_name(b->proto), addr_str(&b->req, a, sizeof(a)),
		    addr_str(&b->used, a2, sizeof(a2)),
		    b->alias_fd >= 0 ? " (same endpoint as an "
		    "earlier socket: made an alias of it)" : "");
	if (!(b->kind & BW_FB_FAILED))
		return;
	fprintf(f, "    %sfailed%s     %s %s  %s%s", C(RED), C(OFF),
	    bw_proto_name(b->proto),
	    b->used.family ? addr_str(&b->used, a, sizeof(a)) : "?",
	    bw_errno_name(b->err, en, sizeof(en)),
	    b->kind & BW_FB_DENIED ? " (refused by policy)" :
	    b->kind & BW_FB_LISTEN ? " at listen" : "");
	bw_text_cause(f, b);
	if (b->count > 1)
		fprintf(f, " (%llu times)", (unsigned long long)b->count);
	if (b->nholders > 0)
		text_holders(f, b->holders, b->nholders);
	bw_text_cause_advice(f, b);
	fputc('\n', f);
	if (b->kind & BW_FB_FELL_BACK)
		fprintf(f, "    fallback   tried %s, got %s\n",
		    addr_str(&b->used, a, sizeof(a)),
		    addr_str(&b->fallback, a2, sizeof(a2)));
}

/* A process that bound or listened, with what it did. */
static void
text_proc(FILE *f, const struct bw_findings *fi, const struct bw_fproc *p,
    int color)
{
	char c[64], en[24], x[600];
	size_t i;

	fprintf(f, "  pid %d %s", (int)p->pid, esc_str(p->comm, c, sizeof(c)));
	if (p->exe[0] != '\0')
		fprintf(f, " (%s)", esc_str(p->exe, x, sizeof(x)));
	if (p->exited && p->status >= 0)
		fprintf(f, ", exited %d", p->status);
	else if (p->exited)
		fprintf(f, ", killed by %s",
		    bw_signal_name(-p->status, en, sizeof(en)));
	fputc('\n', f);
	for (i = 0; i < fi->nlistens; i++)
		if (fi->listens[i].pid == p->pid)
			text_listen(f, &fi->listens[i]);
	for (i = 0; i < fi->nlistens; i++)
		text_held(f, &fi->listens[i], p->pid);
	for (i = 0; i < fi->nclosed; i++)
		if (fi->closed[i].pid == p->pid)
			fprintf(f, "    closed     %s %s  (listened, then closed "
			    "while the process went on)\n",
			    bw_proto_name(fi->closed[i].proto), addr_str(
			    &fi->closed[i].addr, x, sizeof(x)));
	for (i = 0; i < fi->nbinds; i++)
		if (fi->binds[i].pid == p->pid)
			text_bind(f, &fi->binds[i], color);
	for (i = 0; i < fi->nunseen; i++)
		if (fi->unseen[i].pid == p->pid)
			fprintf(f, "    unseen     %s %s  (in the kernel; the shim "
			    "never saw it)\n", bw_proto_name(fi->unseen[i].proto),
			    addr_str(&fi->unseen[i].addr, x, sizeof(x)));
}

static void
text_split(FILE *f, const struct bw_fsplit *s, int color)
{
	const struct bw_fholder *sides[2] = { s->v6, s->v4 };
	size_t ns[2] = { s->n6, s->n4 }, k, i;
	char a[BW_ADDRSTRLEN], c[64];

	fprintf(f, "  %s! split localhost:%u:%s", C(YEL BOLD), s->port, C(OFF));
	for (k = 0; k < 2; k++) {
		fprintf(f, "%s %s:%u is held by", k ? ";" : "",
		    k ? "127.0.0.1" : "[::1]", s->port);
		for (i = 0; i < ns[k]; i++)
			fprintf(f, "%s pid %d (%s%s)", i ? "," : "",
			    (int)sides[k][i].pid,
			    esc_str(sides[k][i].comm, c, sizeof(c)),
			    sides[k][i].in_run ? "" : ", not in this run");
	}
	if (s->reached_known)
		fprintf(f, ".\n    A client of localhost:%u that walks the "
		    "resolver's order (nc, Perl, Python, Ruby) tries %s "
		    "first and reaches pid %d (%s)%s.\n", s->port,
		    addr_str(&s->reached_addr, a, sizeof(a)), (int)s->reached.pid,
		    esc_str(s->reached.comm, c, sizeof(c)),
		    s->reached.in_run ? "" : ", not this program");
	else
		fputs(".\n", f);
	if (s->nreached_by > 0)
		fputs("    By kind of client:\n", f);
	for (i = 0; i < s->nreached_by; i++)
		fprintf(f, "      %-17s reaches pid %d (%s) at %s%s\n",
		    s->reached_by[i].client,
		    (int)s->reached_by[i].who.pid,
		    esc_str(s->reached_by[i].who.comm, c, sizeof(c)),
		    addr_str(&s->reached_by[i].addr, a, sizeof(a)),
		    s->reached_by[i].who.in_run ? "" : ", not this program");
}

/* An unseen socket that the run's policy would have changed. */
static void
text_notapplied(FILE *f, const struct bw_fsock *s, int color)
{
	char a[BW_ADDRSTRLEN], w[BW_ADDRSTRLEN], c[64];

	fprintf(f, "  %s! policy-not-applied:%s pid %d (%s) holds %s %s, "
	    "which the shim never saw: the policy (%s) would have ", C(RED BOLD),
	    C(OFF), (int)s->pid, esc_str(s->comm, c, sizeof(c)),
	    bw_proto_name(s->proto), addr_str(&s->addr, a, sizeof(a)),
	    s->why != NULL ? s->why : "?");
	if (s->action == BW_ACT_DENY)
		fputs("refused it", f);
	else if (s->action == BW_ACT_CONFINE)
		fputs("confined it to " BINDWATCH_LOOPBACK_DEVICE, f);
	else
		fprintf(f, "moved it to %s", addr_str(&s->want, w, sizeof(w)));
	fputs("; it was not applied\n", f);
}

static void
text_warnings(FILE *f, const struct bw_findings *fi, int color)
{
	char a[BW_ADDRSTRLEN], c[64];
	size_t i;

	fprintf(f, "%swarnings%s\n", C(BOLD), C(OFF));
	for (i = 0; i < fi->nnotes; i++)
		fprintf(f, "  %s! %s:%s %s\n", C(YEL BOLD), fi->notes[i].kind,
		    C(OFF), fi->notes[i].msg);
	for (i = 0; i < fi->nsplits; i++)
		text_split(f, &fi->splits[i], color);
	for (i = 0; i < fi->nexposed; i++) {
		const struct bw_fsock *s = &fi->exposed[i];

		fprintf(f, "  %s! exposed:%s pid %d (%s) listens on %s %s, "
		    "reachable from the network\n", C(YEL BOLD), C(OFF),
		    (int)s->pid, esc_str(s->comm, c, sizeof(c)),
		    bw_proto_name(s->proto), addr_str(&s->addr, a, sizeof(a)));
	}
	bw_sharing_text(f, fi, C(YEL BOLD), C(OFF));
	for (i = 0; i < fi->nunseen; i++) {
		const struct bw_fsock *s = &fi->unseen[i];

		fprintf(f, "  %s! unseen:%s pid %d (%s) holds %s %s, which the "
		    "shim never reported (static binary, raw system call or "
		    "io_uring?)\n", C(YEL BOLD), C(OFF), (int)s->pid,
		    esc_str(s->comm, c, sizeof(c)), bw_proto_name(s->proto),
		    addr_str(&s->addr, a, sizeof(a)));
	}
	for (i = 0; i < fi->nnotapplied; i++)
		text_notapplied(f, &fi->notapplied[i], color);
	bw_clients_text_warnings(&fi->clients, f, color);
	if (fi->incomplete)
		fprintf(f, "  %s! lost events:%s %llu lost, %llu malformed, "
		    "%llu connections refused; the report above is incomplete\n",
		    C(RED BOLD), C(OFF), (unsigned long long)fi->counts.lost,
		    (unsigned long long)fi->counts.malformed,
		    (unsigned long long)fi->counts.rejected);
	/* "none", then why there may be more: not the other way round. */
	if (fi->nwarnings == 0)
		fputs("  none\n", f);
	if (fi->hidden)
		fprintf(f, "  (some sockets' owners are hidden%s: root sees "
		    "more)\n", fi->nwarnings == 0 ? ", so there may be some" :
		    "");
}

void
bw_report_text(const struct bw_findings *fi, FILE *f, int exit_status,
    int color)
{
	size_t i;

	fprintf(f, "\n%sbindwatch summary%s\n", C(BOLD), C(OFF));
	for (i = 0; i < fi->nprocs; i++)
		if (!fi->procs[i].quiet)
			text_proc(f, fi, &fi->procs[i], color);
	if (fi->not_run)
		fputs("  the command did not run: nothing was watched\n", f);
	/* "Other" only when some process was listed above. */
	if (fi->nquiet > 0 && fi->nquiet < fi->nprocs)
		fprintf(f, "  (%zu other process%s bound nothing)\n", fi->nquiet,
		    fi->nquiet == 1 ? "" : "es");
	else if (fi->nquiet > 0)
		fprintf(f, "  no process bound or listened on anything (%zu "
		    "process%s ran)\n", fi->nquiet, fi->nquiet == 1 ? "" : "es");
	bw_clients_text(&fi->clients, f);
	text_warnings(f, fi, color);
	if (fi->timed_out)
		fputs("timed out: --timeout ended the run (SIGTERM to the tree); "
		    "the exit status is the command's own\n", f);
	fprintf(f, "%llu events from %zu processes, %llu lost; exit status %d\n",
	    (unsigned long long)fi->counts.received, fi->nprocs,
	    (unsigned long long)fi->counts.lost, exit_status);
}
