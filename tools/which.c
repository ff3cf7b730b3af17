/*
 * bindwatch which [--json] HOST:PORT: resolve HOST as a client does, then
 * say, address by address in the client's order, who listens there and
 * which process a client that tries them in turn (nc, Python) reaches;
 * then whom each kind of client reaches (bw_kr_client_order: curl tries
 * 127.0.0.1 first for localhost whatever the resolver says).
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>

#include <err.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "cmd.h"
#include "escape.h"
#include "jsonw.h"
#include "kernelrules.h"
#include "event.h"
#include "netstate.h"
#include "target.h"
#include "usage.h"

#define MAXCAND		32	/* addresses of one name we look at */
#define MAXRECV		64	/* receivers of one address (reuseport) */
#define ESCLEN(n)	(4 * (n) + 1)	/* n bytes escaped (\xNN), the NUL */

struct cand {
	struct bw_sa	 sa;
	size_t		 recv[MAXRECV];
	size_t		 nrecv;
	size_t		 passed[MAXRECV];	/* bw_netstate_passed_over */
	size_t		 npassed;
};

/* Whom a kind of client reaches: the first receiver of the first address
 * of its order that has one (bw_kr_client_order). */
struct reach {
	int		 kind;
	struct bw_sa	 sa;
	size_t		 sock;		/* into ns->socks */
};

/* How many processes (an unknown owner once a socket) its receivers are. */
static size_t
nprocs(const struct bw_netstate *ns, const struct cand *c)
{
	pid_t seen[MAXRECV];
	size_t i, j, k, n = 0, unknown = 0;

	for (i = 0; i < c->nrecv; i++) {
		const struct bw_sock *s = &ns->socks[c->recv[i]];

		unknown += s->nowners == 0;
		for (j = 0; j < s->nowners; j++) {
			for (k = 0; k < n && seen[k] != s->owners[j].pid; k++)
				;
			if (k == n && n < MAXRECV)
				seen[n++] = s->owners[j].pid;
		}
	}
	return n + unknown;
}

/* {"pid": .., "comm": ..} of an owner, or of none known. */
static void
json_owner(struct bw_jsonw *w, const struct bw_owner *o)
{
	if (o == NULL) {
		bw_jw_knull(w, "pid");
		bw_jw_kstr(w, "comm", "?");
		return;
	}
	bw_jw_kint(w, "pid", o->pid);
	bw_jw_key(w, "comm");
	bw_jw_strn(w, o->comm, strnlen(o->comm, BINDWATCH_MAX_COMM - 1));
}

/* The owners reached at one candidate, each pid once, unknown as "?". */
static void
json_listeners(struct bw_jsonw *w, const struct bw_netstate *ns,
    const struct cand *c)
{
	size_t i, j, k;

	bw_jw_arr(w);
	for (i = 0; i < c->nrecv; i++) {
		const struct bw_sock *s = &ns->socks[c->recv[i]];

		if (s->nowners == 0) {
			bw_jw_obj(w);
			json_owner(w, NULL);
			bw_jw_obj_end(w);
			continue;
		}
		for (j = 0; j < s->nowners; j++) {
			int seen = 0;

			/* Earlier sockets of this candidate with this pid. */
			for (k = 0; k < i && !seen; k++) {
				const struct bw_sock *t = &ns->socks[c->recv[k]];
				size_t m;

				for (m = 0; m < t->nowners; m++)
					if (t->owners[m].pid == s->owners[j].pid)
						seen = 1;
			}
			if (seen)
				continue;
			bw_jw_obj(w);
			json_owner(w, &s->owners[j]);
			bw_jw_obj_end(w);
		}
	}
	bw_jw_arr_end(w);
}

/* The listeners an exact address passed over: {"addr","port","pid","comm"}. */
static void
json_passed(struct bw_jsonw *w, const struct bw_netstate *ns,
    const struct cand *c)
{
	size_t i, o;

	bw_jw_key(w, "passed_over");
	bw_jw_arr(w);
	for (i = 0; i < c->npassed; i++) {
		const struct bw_sock *s = &ns->socks[c->passed[i]];

		for (o = 0; o < (s->nowners ? s->nowners : 1); o++) {
			bw_jw_obj(w);
			bw_jw_kaddr(w, "addr", "port", &s->local);
			json_owner(w, s->nowners ? &s->owners[o] : NULL);
			bw_jw_obj_end(w);
		}
	}
	bw_jw_arr_end(w);
}

static void
print_json(FILE *f, const char *host, uint16_t port,
    const struct bw_netstate *ns, const struct cand *c, size_t nc,
    ssize_t reached, const struct reach *rb, size_t nr, int split)
{
	struct bw_jsonw w;
	size_t i;

	bw_jw_init(&w, f, BW_JW_SPACED);
	bw_jw_obj(&w);
	bw_jw_key(&w, "host");
	bw_jw_strn(&w, host, strnlen(host, 256));
	bw_jw_kuint(&w, "port", port);
	bw_jw_key(&w, "candidates");
	bw_jw_arr(&w);
	for (i = 0; i < nc; i++) {
		bw_jw_obj(&w);
		bw_jw_kaddr(&w, "addr", "port", &c[i].sa);
		bw_jw_key(&w, "listeners");
		json_listeners(&w, ns, &c[i]);
		bw_jw_kuint(&w, "processes", nprocs(ns, &c[i]));
		json_passed(&w, ns, &c[i]);
		bw_jw_obj_end(&w);
	}
	bw_jw_arr_end(&w);
	if (reached < 0)
		bw_jw_knull(&w, "reached");
	else {
		const struct cand *r = &c[reached];
		const struct bw_sock *s = &ns->socks[r->recv[0]];

		bw_jw_key(&w, "reached");
		bw_jw_obj(&w);
		json_owner(&w, s->nowners == 0 ? NULL : &s->owners[0]);
		bw_jw_kaddr(&w, "addr", "port", &r->sa);
		bw_jw_obj_end(&w);
	}
	bw_jw_key(&w, "reached_by");
	bw_jw_arr(&w);
	for (i = 0; i < nr; i++) {
		const struct bw_sock *s = &ns->socks[rb[i].sock];

		bw_jw_obj(&w);
		bw_jw_kstr(&w, "client", bw_kr_client_name(rb[i].kind));
		json_owner(&w, s->nowners == 0 ? NULL : &s->owners[0]);
		bw_jw_kaddr(&w, "addr", "port", &rb[i].sa);
		bw_jw_obj_end(&w);
	}
	bw_jw_arr_end(&w);
	bw_jw_kbool(&w, "split", split);
	bw_jw_obj_end(&w);
	fputc('\n', f);
}

/* "pid 42 (perl)", each holder of the receiving sockets. */
static void
text_owners(FILE *f, const struct bw_netstate *ns, const struct cand *c)
{
	char v[ESCLEN(BINDWATCH_MAX_COMM)];
	size_t i, j, n = 0;

	for (i = 0; i < c->nrecv; i++) {
		const struct bw_sock *s = &ns->socks[c->recv[i]];

		if (s->nowners == 0)
			fprintf(f, "%s? (owner unknown, uid %u)", n++ ? ", " : "",
			    (unsigned)s->uid);
		for (j = 0; j < s->nowners; j++) {
			bw_escape_text(v, sizeof(v), s->owners[j].comm,
			    strnlen(s->owners[j].comm, BINDWATCH_MAX_COMM - 1));
			fprintf(f, "%spid %ld (%s)", n++ ? ", " : "",
			    (long)s->owners[j].pid, v);
		}
	}
}

static void
print_text(FILE *f, const char *target, const struct bw_netstate *ns,
    const struct cand *c, size_t nc, ssize_t reached, const struct reach *rb,
    size_t nr, int split)
{
	char t[ESCLEN(300)], a[BW_ADDRSTRLEN], l[BW_ADDRSTRLEN];
	size_t i, w = 0;

	bw_escape_text(t, sizeof(t), target, strlen(target));
	fprintf(f, "%s resolves to (in the order a client tries them):\n", t);
	for (i = 0; i < nc; i++) {
		bw_sa_format(&c[i].sa, a, sizeof(a), 0);
		if (strlen(a) > w)
			w = strlen(a);
	}
	for (i = 0; i < nc; i++) {
		const struct bw_sock *s;

		bw_sa_format(&c[i].sa, a, sizeof(a), 0);
		fprintf(f, "  %-*s  ", (int)w, a);
		if (c[i].nrecv == 0) {
			fprintf(f, "nothing listens (connection refused)\n");
			continue;
		}
		text_owners(f, ns, &c[i]);
		s = &ns->socks[c[i].recv[0]];
		if (!bw_sa_equal(&s->local, &c[i].sa, 0))
			fprintf(f, " via %s", bw_sa_format(&s->local, l,
			    sizeof(l), 0));
		if (c[i].nrecv > 1)
			fprintf(f, " [%zu sockets: SO_REUSEPORT, the kernel "
			    "picks one per connection]", c[i].nrecv);
		if (nprocs(ns, &c[i]) > 1)
			fprintf(f, "; the connection goes to one of %zu "
			    "processes", nprocs(ns, &c[i]));
		if (c[i].npassed > 0) {
			struct cand p = c[i];

			memcpy(p.recv, c[i].passed, c[i].npassed *
			    sizeof(p.recv[0]));
			p.nrecv = c[i].npassed;
			fprintf(f, "; %s: beats ", bw_sa_class(&s->local) ==
			    BW_CLASS_WILDCARD ? "IPv4 before IPv6" :
			    "exact address");
			text_owners(f, ns, &p);
			fprintf(f, " on %s", bw_sa_format(&ns->socks[
			    c[i].passed[0]].local, l, sizeof(l), 0));
		}
		fprintf(f, "\n");
	}
	if (reached < 0) {
		fprintf(f, "reached: nothing (connection refused on every "
		    "address)\n");
		return;
	}
	bw_sa_format(&c[reached].sa, a, sizeof(a), 0);
	fprintf(f, "reached: %s, ", a);
	{
		struct cand one = c[reached];

		one.nrecv = 1;
		text_owners(f, ns, &one);
	}
	fprintf(f, "\n");
	for (i = 0; i < nr; i++) {
		struct cand one;

		memset(&one, 0, sizeof(one));
		one.recv[0] = rb[i].sock;
		one.nrecv = 1;
		bw_sa_format(&rb[i].sa, a, sizeof(a), 0);
		fprintf(f, "  %-17s client: %s, ", bw_kr_client_name(rb[i].kind),
		    a);
		text_owners(f, ns, &one);
		fprintf(f, "\n");
	}
	if (split)
		fprintf(f, "SPLIT: the addresses of %s reach different "
		    "processes; which one a client gets depends on the "
		    "address family it tries first\n", t);
}

/*
 * Resolution as the client does it: getaddrinfo(host, port) with
 * AI_ADDRCONFIG and SOCK_STREAM, taking the list in the order returned
 * (RFC 6724 with /etc/gai.conf).  Checked on glibc 2.36: in a network
 * namespace where only lo is up, AI_ADDRCONFIG still returns ::1 and
 * 127.0.0.1 for a dual-stack "localhost" (glibc counts the loopback
 * addresses), the same list as without the flag, so this agrees with nc
 * (no AI_ADDRCONFIG) and curl (AI_ADDRCONFIG-like).  Were the flag ever
 * to drop an address, a client using it would not try that address
 * either: we report what such a client does.
 */
static int
resolve(const char *host, const char *serv, struct cand *c, size_t *nc,
    const char **err)
{
	struct addrinfo hints, *res, *ai;
	int e;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_ADDRCONFIG;
	*nc = 0;
	if ((e = getaddrinfo(host, serv, &hints, &res)) != 0) {
		*err = e == EAI_SYSTEM ? strerror(errno) : gai_strerror(e);
		return -1;
	}
	for (ai = res; ai != NULL && *nc < MAXCAND; ai = ai->ai_next) {
		size_t i;

		if (bw_sa_from_sockaddr(&c[*nc].sa, ai->ai_addr,
		    ai->ai_addrlen) == -1)
			continue;
		for (i = 0; i < *nc; i++)
			if (bw_sa_equal(&c[i].sa, &c[*nc].sa, 1) &&
			    c[i].sa.scope_id == c[*nc].sa.scope_id)
				break;
		if (i == *nc)
			(*nc)++;
	}
	freeaddrinfo(res);
	return 0;
}

/* Whom each kind of client of host reaches; returns how many reach one. */
static size_t
reached_by(const struct bw_netstate *ns, const char *host, uint16_t port,
    const struct cand *c, size_t nc, struct reach *rb)
{
	struct bw_sa gai[MAXCAND], order[MAXCAND + 2];
	size_t recv[MAXRECV], i, n, k, nr = 0;
	int kind;

	for (i = 0; i < nc; i++)
		gai[i] = c[i].sa;
	for (kind = 0; kind < BW_KR_NCLIENTS; kind++) {
		n = bw_kr_client_order(kind, host, port, gai, nc, order,
		    MAXCAND + 2);
		for (k = 0; k < n; k++)
			if (bw_netstate_reaching(ns, BW_PROTO_TCP, &order[k],
			    recv, MAXRECV) > 0) {
				rb[nr].kind = kind;
				rb[nr].sa = order[k];
				rb[nr].sock = recv[0];
				nr++;
				break;
			}
	}
	return nr;
}

int
bw_cmd_which(int argc, char **argv)
{
	static struct cand c[MAXCAND];
	const size_t *rv[MAXCAND];
	size_t rn[MAXCAND], nr;
	struct reach rb[BW_KR_NCLIENTS];
	char buf[512], v[ESCLEN(300)], *host, *serv;
	struct bw_netstate ns;
	const char *err;
	size_t nc, i, j;
	ssize_t reached = -1;
	int ret, json = 0, split = 0, hidden = 0;

	if ((ret = bw_cmd_options(argc, argv, "which",
	    "bindwatch which [--json] HOST:PORT", &json, NULL)) != -1)
		return ret;
	if (argc - optind != 1)
		return bw_usage_error("which: expected one HOST:PORT "
		    "(usage: bindwatch which [--json] HOST:PORT)");
	bw_escape_text(v, sizeof(v), argv[optind], strlen(argv[optind]));
	if ((err = bw_split_target(argv[optind], buf, sizeof(buf), &host,
	    &serv)) != NULL)
		return bw_usage_error("which: %s: %s", v, err);
	if (resolve(host, serv, c, &nc, &err) == -1)
		return bw_usage_error("which: %s: %s", v, err);
	if (bw_netstate_read(&ns, "/proc", 0) == -1) {
		warn("which: /proc/net");
		return BINDWATCH_EXIT_USAGE;
	}
	for (i = 0; i < nc; i++) {
		c[i].nrecv = bw_netstate_reaching(&ns, BW_PROTO_TCP, &c[i].sa,
		    c[i].recv, MAXRECV);
		c[i].npassed = bw_netstate_passed_over(&ns, BW_PROTO_TCP,
		    &c[i].sa, c[i].passed, MAXRECV);
		if (c[i].nrecv > 0 && reached < 0)
			reached = (ssize_t)i;
	}
	for (i = 0; i < nc; i++) {
		rv[i] = c[i].recv;
		rn[i] = c[i].nrecv;
	}
	split = bw_netstate_split(&ns, rv, rn, nc);
	nr = nc > 0 ? reached_by(&ns, host, c[0].sa.port, c, nc, rb) : 0;
	if (json)
		print_json(stdout, host, nc ? c[0].sa.port : 0, &ns, c, nc,
		    reached, rb, nr, split);
	else
		print_text(stdout, argv[optind], &ns, c, nc, reached, rb, nr,
		    split);
	for (i = 0; i < nc; i++)
		for (j = 0; j < c[i].nrecv; j++)
			if (ns.socks[c[i].recv[j]].nowners == 0)
				hidden = ns.hidden || geteuid() != 0;
	bw_netstate_free(&ns);
	return bw_cmd_finish("which", hidden, reached < 0 ? 1 : 0);
}
