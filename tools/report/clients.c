/*
 * The clients' findings: every connection, grouped, and two warnings.
 *
 * wrong-family: a client was refused on one address of a name while
 * another address of the same name listens on that port, the Node
 * "ECONNREFUSED ::1" of a server on 127.0.0.1.  The name is what the
 * client's own getaddrinfo returned holding the refused address; a client
 * that resolves "localhost" itself (curl does) made no such call, so a
 * refused loopback address falls back to the name localhost, whose
 * addresses are the two loopbacks.  Who listens on the other address is
 * the peer of a connect that reached it, else a listener of the tree, else
 * what the kernel says now.
 *
 * reached-other: a client of the tree reached, on a port the tree's server
 * listens on, a process outside the tree: the old server, last week's dev
 * server.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "clients.h"
#include "kernelrules.h"
#include "xalloc.h"

static void
who(struct bw_fwho *w, pid_t pid, const char *comm)
{
	w->pid = pid;
	memcpy(w->comm, comm, sizeof(w->comm));
	w->comm[sizeof(w->comm) - 1] = '\0';
}

/* The address alone, an IPv4 one however it was written. */
static struct bw_sa
plain(const struct bw_sa *a, uint16_t port)
{
	struct bw_sa s = *a;

	bw_sa_unmap(&s);
	s.port = port;
	return s;
}

static int
has(const struct bw_sa *v, size_t n, const struct bw_sa *a)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (bw_sa_equal(&v[i], a, 1))
			return 1;
	return 0;
}

/* Who takes connections to a: 1 and *w, or 0. */
static int
listening_at(const struct bw_model *m, const struct bw_kernel_ops *k,
    const struct bw_sa *a, struct bw_fwho *w)
{
	const struct bw_rconns *c = &m->conns;
	struct bw_owner o;
	struct bw_sa d;
	size_t i;

	for (i = 0; i < c->nconns; i++) {
		d = plain(&c->conns[i].dst, c->conns[i].dst.port);
		if (c->conns[i].err == 0 && c->conns[i].peer != 0 &&
		    bw_sa_equal(&d, a, 1)) {
			who(w, c->conns[i].peer, c->conns[i].peer_comm);
			return 1;
		}
	}
	for (i = 0; i < m->nlistens; i++)
		if (m->listens[i].proto == BW_PROTO_TCP &&
		    bw_kr_accepts(&m->listens[i].addr,
		    (m->listens[i].opts & BW_OPT_V6ONLY) != 0, a)) {
			who(w, m->listens[i].pid, bw_model_comm(m, m->listens[i].pid));
			return 1;
		}
	if (k != NULL && k->peer != NULL && k->peer(k->arg, a, &o) == 1) {
		who(w, o.pid, o.comm);
		return 1;
	}
	return 0;
}

/* The other addresses of the name(s) by which pid came to refused. */
static size_t
siblings(const struct bw_model *m, pid_t pid, const struct bw_sa *refused,
    struct bw_sa *out, size_t max, const char **name)
{
	const struct bw_rconns *c = &m->conns;
	struct bw_sa a, lo;
	size_t i, j, n = 0;

	*name = NULL;
	for (i = 0; i < c->nnames; i++) {
		const struct bw_rname *nm = &c->names[i];

		if (nm->pid != pid)
			continue;
		for (j = 0; j < nm->naddrs; j++) {
			a = plain(&nm->addrs[j], refused->port);
			if (bw_sa_equal(&a, refused, 1))
				break;
		}
		if (j == nm->naddrs)
			continue;
		*name = nm->node;
		for (j = 0; j < nm->naddrs && n < max; j++) {
			a = plain(&nm->addrs[j], refused->port);
			if (!bw_sa_equal(&a, refused, 1) && !has(out, n, &a))
				out[n++] = a;
		}
	}
	if (*name != NULL || bw_sa_class(refused) != BW_CLASS_LOOPBACK ||
	    max == 0)
		return n;
	*name = "localhost";
	(void)bw_sa_parse_addr(refused->family == AF_INET6 ? "127.0.0.1" :
	    "::1", &lo);
	lo.port = refused->port;
	out[n++] = lo;
	return n;
}

static struct bw_fwrongfam *
wrong_for(struct bw_fclients *f, uint16_t port)
{
	struct bw_fwrongfam *w;
	size_t i;

	for (i = 0; i < f->nwrong; i++)
		if (f->wrong[i].port == port)
			return &f->wrong[i];
	f->wrong = bw_xreallocarray(f->wrong, f->nwrong + 1, sizeof(*w));
	w = &f->wrong[f->nwrong++];
	memset(w, 0, sizeof(*w));
	w->port = port;
	return w;
}

static void
wrong_family(const struct bw_model *m, const struct bw_kernel_ops *k,
    struct bw_fclients *f)
{
	struct bw_sa other[BW_MAX_WF], a;
	struct bw_fwrongfam *w;
	struct bw_fwho l;
	const char *name;
	size_t i, j, n;

	for (i = 0; i < m->conns.nconns; i++) {
		const struct bw_rconn *c = &m->conns.conns[i];

		if (c->err != ECONNREFUSED)
			continue;
		a = plain(&c->dst, c->dst.port);
		n = siblings(m, c->pid, &a, other, BW_MAX_WF, &name);
		for (j = 0; j < n; j++) {
			if (!listening_at(m, k, &other[j], &l))
				continue;
			w = wrong_for(f, a.port);
			if (w->nrefused == 0) {
				who(&w->client, c->pid, c->comm);
				w->name = name;
			}
			if (!has(w->refused, w->nrefused, &a) &&
			    w->nrefused < BW_MAX_WF)
				w->refused[w->nrefused++] = a;
			if (!has(w->listening, w->nlistening, &other[j]) &&
			    w->nlistening < BW_MAX_WF) {
				w->listening[w->nlistening] = other[j];
				w->listener[w->nlistening++] = l;
			}
		}
	}
}

static void
reached_other(const struct bw_model *m, struct bw_fclients *f)
{
	struct bw_freached *r;
	size_t i, j;

	for (i = 0; i < m->conns.nconns; i++) {
		const struct bw_rconn *c = &m->conns.conns[i];

		if (c->err != 0 || c->peer == 0 ||
		    bw_model_proc(m, c->peer) != NULL)
			continue;
		for (j = 0; j < m->nlistens; j++)
			if (m->listens[j].proto == BW_PROTO_TCP &&
			    m->listens[j].addr.port == c->dst.port)
				break;
		if (j == m->nlistens)
			continue;
		f->reached = bw_xreallocarray(f->reached, f->nreached + 1,
		    sizeof(*r));
		r = &f->reached[f->nreached++];
		memset(r, 0, sizeof(*r));
		who(&r->client, c->pid, c->comm);
		r->addr = c->dst;
		who(&r->peer, c->peer, c->peer_comm);
		who(&r->server, m->listens[j].pid, bw_model_comm(m, m->listens[j].pid));
		r->server_addr = m->listens[j].addr;
		r->count = c->count;
	}
}

void
bw_clients_analyze(const struct bw_model *m, const struct bw_kernel_ops *k,
    struct bw_fclients *f)
{
	size_t i;

	memset(f, 0, sizeof(*f));
	if (m->conns.nconns > 0)
		f->conns = bw_xcalloc(m->conns.nconns, sizeof(*f->conns));
	for (i = 0; i < m->conns.nconns; i++) {
		const struct bw_rconn *c = &m->conns.conns[i];
		struct bw_fconn *o = &f->conns[f->nconns++];

		who(&o->client, c->pid, c->comm);
		o->addr = c->dst;
		o->err = c->err;
		who(&o->peer, c->peer, c->peer_comm);
		o->count = c->count;
	}
	wrong_family(m, k, f);
	reached_other(m, f);
}

void
bw_clients_free(struct bw_fclients *f)
{
	free(f->conns);
	free(f->wrong);
	free(f->reached);
	memset(f, 0, sizeof(*f));
}
