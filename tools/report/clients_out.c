/*
 * The clients' findings as text and as JSON, both from struct
 * bw_fclients: the connections after the processes, the warnings among
 * the others.
 */
#include <errno.h>
#include <string.h>

#include "clients.h"
#include "escape.h"
#include "jsonw.h"
#include "names.h"

#define C(code)	(color ? (code) : "")

static const char *
esc(const char *s, char *buf, size_t len)
{
	bw_escape_text(buf, len, s, strlen(s));
	return buf;
}

static const char *
addr(const struct bw_sa *sa, char *buf, size_t len)
{
	return bw_sa_format(sa, buf, len, 0);
}

static const char *
bare(const struct bw_sa *sa, char *buf, size_t len)
{
	return bw_sa_format(sa, buf, len, BW_FMT_NOPORT | BW_FMT_BARE);
}

void
bw_clients_text(const struct bw_fclients *f, FILE *out)
{
	char a[BW_ADDRSTRLEN], c[64], p[64], en[24];
	size_t i;

	if (f->nconns == 0)
		return;
	fputs("connections\n", out);
	for (i = 0; i < f->nconns; i++) {
		const struct bw_fconn *k = &f->conns[i];

		fprintf(out, "  pid %d %s -> %s", (int)k->client.pid,
		    esc(k->client.comm, c, sizeof(c)),
		    addr(&k->addr, a, sizeof(a)));
		if (k->err != 0)
			fprintf(out, "  %s", bw_errno_name(k->err, en, sizeof(en)));
		else if (k->peer.pid != 0)
			fprintf(out, "  reached pid %d (%s)", (int)k->peer.pid,
			    esc(k->peer.comm, p, sizeof(p)));
		else
			fputs("  connected", out);
		if (k->count > 1)
			fprintf(out, " (%llu times)", (unsigned long long)k->count);
		fputc('\n', out);
	}
}

static void
text_wrong(const struct bw_fwrongfam *w, FILE *out, int color)
{
	char a[BW_ADDRSTRLEN], c[64], n[BINDWATCH_MAX_NAME * 4 + 1];
	size_t i;

	fprintf(out, "  %s! wrong-family:%s pid %d (%s) was refused on",
	    C("\033[33m\033[1m"), C("\033[0m"), (int)w->client.pid,
	    esc(w->client.comm, c, sizeof(c)));
	for (i = 0; i < w->nrefused; i++)
		fprintf(out, "%s %s", i ? "," : "",
		    addr(&w->refused[i], a, sizeof(a)));
	fprintf(out, ", while \"%s\" also has", esc(w->name, n, sizeof(n)));
	for (i = 0; i < w->nlistening; i++)
		fprintf(out, "%s %s, where pid %d (%s) listens", i ? ";" : "",
		    addr(&w->listening[i], a, sizeof(a)),
		    (int)w->listener[i].pid,
		    esc(w->listener[i].comm, c, sizeof(c)));
	fprintf(out, ".\n    Fix: run the client with --resolve %s=", n);
	for (i = 0; i < w->nlistening; i++)
		fprintf(out, "%s%s", i ? "," : "",
		    bare(&w->listening[i], a, sizeof(a)));
	for (i = 0; i < w->nrefused; i++)
		fprintf(out, ",%s", bare(&w->refused[i], a, sizeof(a)));
	fprintf(out, " (or %s), or make the server listen on both.\n",
	    w->listening[0].family == AF_INET ? "--ipv4" : "--ipv6");
}

void
bw_clients_text_warnings(const struct bw_fclients *f, FILE *out, int color)
{
	char a[BW_ADDRSTRLEN], a2[BW_ADDRSTRLEN], c[64], p[64], s[64];
	size_t i;

	for (i = 0; i < f->nwrong; i++)
		text_wrong(&f->wrong[i], out, color);
	for (i = 0; i < f->nreached; i++) {
		const struct bw_freached *r = &f->reached[i];

		fprintf(out, "  %s! reached-other:%s pid %d (%s) connected to %s "
		    "and reached pid %d (%s), not in this run; this run's "
		    "server on %s is pid %d (%s)\n", C("\033[33m\033[1m"),
		    C("\033[0m"), (int)r->client.pid,
		    esc(r->client.comm, c, sizeof(c)),
		    addr(&r->addr, a, sizeof(a)), (int)r->peer.pid,
		    esc(r->peer.comm, p, sizeof(p)),
		    addr(&r->server_addr, a2, sizeof(a2)), (int)r->server.pid,
		    esc(r->server.comm, s, sizeof(s)));
	}
}

static void
jwho(struct bw_jsonw *w, const char *key, const struct bw_fwho *p)
{
	if (key != NULL)
		bw_jw_key(w, key);
	if (p->pid == 0) {
		bw_jw_null(w);
		return;
	}
	bw_jw_obj(w);
	bw_jw_kint(w, "pid", p->pid);
	bw_jw_kstr(w, "comm", p->comm);
	bw_jw_obj_end(w);
}

void
bw_clients_json(const struct bw_fclients *f, struct bw_jsonw *w)
{
	char en[24];
	size_t i;

	bw_jw_key(w, "connections");
	bw_jw_arr(w);
	for (i = 0; i < f->nconns; i++) {
		const struct bw_fconn *k = &f->conns[i];

		bw_jw_obj(w);
		bw_jw_kint(w, "pid", k->client.pid);
		bw_jw_kstr(w, "comm", k->client.comm);
		bw_jw_kaddr(w, "addr", "port", &k->addr);
		if (k->err != 0)
			bw_jw_kstr(w, "errno",
			    bw_errno_name(k->err, en, sizeof(en)));
		else
			bw_jw_knull(w, "errno");
		jwho(w, "peer", &k->peer);
		bw_jw_kuint(w, "count", k->count);
		bw_jw_obj_end(w);
	}
	bw_jw_arr_end(w);
}

void
bw_clients_json_warnings(const struct bw_fclients *f, struct bw_jsonw *w)
{
	char a[BW_ADDRSTRLEN];
	size_t i, j;

	for (i = 0; i < f->nwrong; i++) {
		const struct bw_fwrongfam *x = &f->wrong[i];

		bw_jw_obj(w);
		bw_jw_kstr(w, "kind", "wrong-family");
		bw_jw_kuint(w, "port", x->port);
		bw_jw_kstr(w, "name", x->name);
		jwho(w, "client", &x->client);
		bw_jw_key(w, "refused");
		bw_jw_arr(w);
		for (j = 0; j < x->nrefused; j++)
			bw_jw_str(w, bare(&x->refused[j], a, sizeof(a)));
		bw_jw_arr_end(w);
		bw_jw_key(w, "listening");
		bw_jw_arr(w);
		for (j = 0; j < x->nlistening; j++) {
			bw_jw_obj(w);
			bw_jw_kstr(w, "addr", bare(&x->listening[j], a,
			    sizeof(a)));
			bw_jw_kint(w, "pid", x->listener[j].pid);
			bw_jw_kstr(w, "comm", x->listener[j].comm);
			bw_jw_obj_end(w);
		}
		bw_jw_arr_end(w);
		bw_jw_obj_end(w);
	}
	for (i = 0; i < f->nreached; i++) {
		const struct bw_freached *r = &f->reached[i];

		bw_jw_obj(w);
		bw_jw_kstr(w, "kind", "reached-other");
		bw_jw_kint(w, "pid", r->client.pid);
		bw_jw_kstr(w, "comm", r->client.comm);
		bw_jw_kaddr(w, "addr", "port", &r->addr);
		jwho(w, "peer", &r->peer);
		bw_jw_key(w, "server");
		bw_jw_obj(w);
		bw_jw_kint(w, "pid", r->server.pid);
		bw_jw_kstr(w, "comm", r->server.comm);
		bw_jw_kaddr(w, "addr", "port", &r->server_addr);
		bw_jw_obj_end(w);
		bw_jw_kuint(w, "count", r->count);
		bw_jw_obj_end(w);
	}
}
