/*
 * The sharing warnings (sharing.c) as text and as JSON: reuseport-shared
 * and exact-beats-wildcard.
 */
#include <string.h>

#include "escape.h"
#include "format.h"
#include "jsonw.h"
#include "names.h"
#include "report.h"

/* "pid 42 (perl)", ", not in this run" where it is not. */
static void
text_who(FILE *f, const struct bw_fholder *h)
{
	char c[64];

	if (h->pid == 0) {
		fputs("an unknown process", f);
		return;
	}
	bw_escape_text(c, sizeof(c), h->comm, strlen(h->comm));
	fprintf(f, "pid %d (%s%s)", (int)h->pid, c,
	    h->in_run ? "" : ", not in this run");
}

void
bw_sharing_text(FILE *f, const struct bw_findings *fi, const char *on,
    const char *off)
{
	char a[BW_ADDRSTRLEN];
	size_t i, j;

	for (i = 0; i < fi->nshares; i++) {
		const struct bw_fshare *s = &fi->shares[i];

		fprintf(f, "  %s! reuseport-shared:%s %s %s is one SO_REUSEPORT "
		    "group of %zu sockets held by ", on, off,
		    bw_proto_name(s->proto), bw_sa_format(&s->addr, a,
		    sizeof(a), 0), s->nsockets);
		for (j = 0; j < s->nprocs && j < BW_MAX_SIDE; j++) {
			fputs(j ? ", " : "", f);
			text_who(f, &s->procs[j]);
		}
		fprintf(f, ": the kernel spreads new %s among %zu processes\n",
		    s->proto == BW_PROTO_TCP ? "connections" : "datagrams",
		    s->nprocs);
	}
	for (i = 0; i < fi->nexacts; i++) {
		const struct bw_fexact *x = &fi->exacts[i];

		fprintf(f, "  %s! exact-beats-wildcard:%s connections to %s go "
		    "to ", on, off, bw_sa_format(&x->dst, a, sizeof(a), 0));
		for (j = 0; j < x->nto; j++) {
			fputs(j ? ", " : "", f);
			text_who(f, &x->to[j].who);
		}
		fputs(", bound to that address, not to ", f);
		for (j = 0; j < x->npassed; j++) {
			fputs(j ? ", " : "", f);
			text_who(f, &x->passed[j].who);
			fprintf(f, " on %s", bw_sa_format(&x->passed[j].addr,
			    a, sizeof(a), 0));
		}
		fputs(", which gets the port's other addresses\n", f);
	}
}

static void
json_who(struct bw_jsonw *w, const struct bw_fholder *h)
{
	bw_jw_kint(w, "pid", h->pid);
	bw_jw_kstr(w, "comm", h->comm);
	bw_jw_kbool(w, "in_run", h->in_run);
}

static void
json_ends(struct bw_jsonw *w, const char *key, const struct bw_fend *v,
    size_t n)
{
	size_t i;

	bw_jw_key(w, key);
	bw_jw_arr(w);
	for (i = 0; i < n; i++) {
		bw_jw_obj(w);
		json_who(w, &v[i].who);
		bw_jw_kaddr(w, "addr", "port", &v[i].addr);
		bw_jw_obj_end(w);
	}
	bw_jw_arr_end(w);
}

void
bw_sharing_json(struct bw_jsonw *w, const struct bw_findings *fi)
{
	size_t i, j;

	for (i = 0; i < fi->nshares; i++) {
		const struct bw_fshare *s = &fi->shares[i];

		bw_jw_obj(w);
		bw_jw_kstr(w, "kind", "reuseport-shared");
		bw_jw_kstr(w, "proto", bw_proto_name(s->proto));
		bw_jw_kaddr(w, "addr", "port", &s->addr);
		/* The first of the tree's, then the others. */
		json_who(w, &s->procs[0]);
		bw_jw_key(w, "others");
		bw_jw_arr(w);
		for (j = 1; j < s->nprocs && j < BW_MAX_SIDE; j++) {
			bw_jw_obj(w);
			json_who(w, &s->procs[j]);
			bw_jw_obj_end(w);
		}
		bw_jw_arr_end(w);
		bw_jw_kuint(w, "sockets", s->nsockets);
		bw_jw_kuint(w, "processes", s->nprocs);
		bw_jw_obj_end(w);
	}
	for (i = 0; i < fi->nexacts; i++) {
		const struct bw_fexact *x = &fi->exacts[i];

		bw_jw_obj(w);
		bw_jw_kstr(w, "kind", "exact-beats-wildcard");
		bw_jw_kaddr(w, "addr", "port", &x->dst);
		json_ends(w, "to", x->to, x->nto);
		json_ends(w, "passed_over", x->passed, x->npassed);
		bw_jw_obj_end(w);
	}
}
