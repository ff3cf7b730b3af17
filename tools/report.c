/*
 * The report of a run.  Everything here is a pure function of what run.c
 * fed in (events, kernel snapshots, the client's address order), so the
 * analysis can be unit-tested on plain data.
 */
#define LIBBSD_OPENBSD_VIS
#include <bsd/string.h>
#include <bsd/vis.h>

#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "format.h"
#include "names.h"
#include "report.h"

#define FOLD_WINDOW	64	/* identical binds looked for this far back */

#define GROW(arr, n) do {						\
	if (((n) & ((n) - 1)) == 0 || (n) == 0) {			\
		void *np = reallocarray((arr), (n) ? (n) * 2 : 8,	\
		    sizeof(*(arr)));					\
		if (np == NULL)						\
			abort();					\
		(arr) = np;						\
	}								\
} while (0)

void
bw_report_init(struct bw_report *r)
{
	memset(r, 0, sizeof(*r));
}

void
bw_report_free(struct bw_report *r)
{
	size_t i;

	for (i = 0; i < r->nnotes; i++) {
		free(r->notes[i]);
		free(r->note_kinds[i]);
	}
	free(r->notes);
	free(r->note_kinds);
	free(r->procs);
	free(r->pidx);
	free(r->binds);
	free(r->listens);
	free(r->ksocks);
	memset(r, 0, sizeof(*r));
}

/*
 * The processes by pid: an open-addressing index of the newest entry for
 * each pid, so that a tree of thousands costs no scan per event.
 */
static size_t
pid_slot(const struct bw_report *r, pid_t pid)
{
	uint32_t h = (uint32_t)pid * 2654435761u;	/* Knuth's multiplier */
	size_t mask = r->pidcap - 1, i = (size_t)h & mask;

	while (r->pidx[i] != 0 && r->procs[r->pidx[i] - 1].pid != pid)
		i = (i + 1) & mask;
	return i;
}

/* procs[idx] is the newest entry of its pid.  Out of memory: no index. */
static void
pid_index(struct bw_report *r, size_t idx)
{
	size_t ncap, i;

	if (r->nprocs * 2 > r->pidcap) {
		for (ncap = 256; ncap < r->nprocs * 2; ncap *= 2)
			;
		free(r->pidx);
		r->pidcap = 0;
		if ((r->pidx = calloc(ncap, sizeof(*r->pidx))) == NULL)
			return;
		r->pidcap = ncap;
		/* Oldest first: the newest entry of a pid wins. */
		for (i = 0; i < r->nprocs; i++)
			r->pidx[pid_slot(r, r->procs[i].pid)] = (uint32_t)i + 1;
		return;
	}
	r->pidx[pid_slot(r, r->procs[idx].pid)] = (uint32_t)idx + 1;
}

const struct bw_rproc *
bw_report_proc(const struct bw_report *r, pid_t pid)
{
	size_t i;

	if (r->pidcap != 0) {
		i = r->pidx[pid_slot(r, pid)];
		return i != 0 ? &r->procs[i - 1] : NULL;
	}
	for (i = r->nprocs; i-- > 0;)
		if (r->procs[i].pid == pid)
			return &r->procs[i];
	return NULL;
}

/*
 * The process of an event.  A pid seen again after its exit is a new
 * process only if its image is another one: records that waited in a
 * ring while the exit was reaped are still the old process's.  An exec
 * keeps the pid and the entry, with the new image's boot.
 */
static struct bw_rproc *
proc(struct bw_report *r, pid_t pid, pid_t ppid, const char *comm,
    uint64_t boot, int exec)
{
	struct bw_rproc *p = (struct bw_rproc *)bw_report_proc(r, pid);

	if (p == NULL || (p->exited && boot != 0 && p->boot != 0 &&
	    boot != p->boot)) {
		GROW(r->procs, r->nprocs);
		p = &r->procs[r->nprocs++];
		memset(p, 0, sizeof(*p));
		p->pid = pid;
		pid_index(r, r->nprocs - 1);
	}
	if (boot != 0 && (p->boot == 0 || exec))
		p->boot = boot;
	if (ppid > 0)
		p->ppid = ppid;
	if (comm != NULL && comm[0] != '\0')
		memcpy(p->comm, comm, sizeof(p->comm));
	return p;
}

/*
 * Take one event in.  Returns the index of a bind that failed with
 * EADDRINUSE (the caller looks up who holds the address), else -1.
 */
ssize_t
bw_report_event(struct bw_report *r, const struct bw_event *e)
{
	struct bw_rproc *p;
	size_t i;

	r->received++;
	p = proc(r, e->pid, e->ppid, e->comm, e->boot, e->type == BW_EV_EXEC);
	switch (e->type) {
	case BW_EV_GAI:
		r->ngai++;
		break;
	case BW_EV_EXEC:
		memcpy(p->exe, e->exe, sizeof(p->exe));
		break;
	case BW_EV_BIND: {
		struct bw_rbind *b;

		/* A loop of identical binds is one line with a count, and a
		 * burst of a million costs no memory. */
		for (i = r->nbinds; i-- > 0 && r->nbinds - i <= FOLD_WINDOW;) {
			b = &r->binds[i];
			if (b->pid == e->pid && b->boot == e->boot &&
			    b->proto == e->proto && b->ret == e->ret &&
			    b->err == e->err && b->action == e->action &&
			    bw_sa_equal(&b->req, &e->req, 1) &&
			    bw_sa_equal(&b->used, &e->used, 1) &&
			    bw_sa_equal(&b->bound, &e->bound, 1)) {
				b->count++;
				return -1;
			}
		}
		GROW(r->binds, r->nbinds);
		b = &r->binds[r->nbinds++];
		memset(b, 0, sizeof(*b));
		b->pid = e->pid;
		b->boot = e->boot;
		b->seq = e->seq;
		b->count = 1;
		b->fd = e->fd;
		b->proto = e->proto;
		b->opts = e->opts;
		b->action = e->action;
		b->ret = e->ret;
		b->err = e->err;
		b->req = e->req;
		b->used = e->used;
		b->bound = e->bound;
		b->alias_fd = e->alias_fd;
		if (e->ret == -1 && e->err == EADDRINUSE)
			return (ssize_t)(r->nbinds - 1);
		break;
	}
	case BW_EV_LISTEN: {
		struct bw_rlisten *l;

		if (e->ret != 0 || e->bound.family == 0)
			break;
		/* One entry per endpoint and process: aliases listen twice. */
		for (i = 0; i < r->nlistens; i++)
			if (r->listens[i].pid == e->pid &&
			    r->listens[i].proto == e->proto &&
			    bw_sa_equal(&r->listens[i].addr, &e->bound, 1))
				return -1;
		GROW(r->listens, r->nlistens);
		l = &r->listens[r->nlistens++];
		memset(l, 0, sizeof(*l));
		l->pid = e->pid;
		l->fd = e->fd;
		l->proto = e->proto;
		l->opts = e->opts;
		l->action = e->action;
		l->addr = e->bound;
		l->autobound = e->autobound;
		break;
	}
	default:
		break;
	}
	return -1;
}

void
bw_report_holders(struct bw_report *r, size_t idx, const struct bw_netstate *ns)
{
	struct bw_rbind *b;
	size_t hits[16], n, i, j;

	if (idx >= r->nbinds)
		return;
	b = &r->binds[idx];
	n = bw_netstate_conflicts(ns, b->proto, &b->used, hits, 16);
	for (i = 0; i < n; i++) {
		const struct bw_sock *s = &ns->socks[hits[i]];

		for (j = 0; j < s->nowners && b->nholders < BW_MAX_HOLDERS; j++)
			b->holders[b->nholders++] = s->owners[j];
		if (s->nowners == 0 && b->nholders < BW_MAX_HOLDERS) {
			b->holders[b->nholders].pid = 0;
			memcpy(b->holders[b->nholders].comm, "?", 2);
			b->nholders++;
		}
	}
	if (ns->hidden)
		r->hidden = 1;
}

static int
in_tree(const pid_t *tree, size_t n, pid_t pid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (tree[i] == pid)
			return 1;
	return 0;
}

static int
tree_port(const struct bw_report *r, uint8_t proto, uint16_t port)
{
	size_t i;

	for (i = 0; i < r->nlistens; i++)
		if (r->listens[i].proto == proto && r->listens[i].addr.port == port)
			return 1;
	for (i = 0; i < r->nbinds; i++)
		if (r->binds[i].proto == proto && r->binds[i].used.port == port)
			return 1;
	for (i = 0; i < r->nksocks; i++)
		if (r->ksocks[i].tree && r->ksocks[i].proto == proto &&
		    r->ksocks[i].addr.port == port)
			return 1;
	return 0;
}

static void
add_ksock(struct bw_report *r, pid_t pid, const char *comm,
    const struct bw_sock *s, int tree)
{
	struct bw_ksock *k;
	size_t i;

	for (i = 0; i < r->nksocks; i++)
		if (r->ksocks[i].pid == pid && r->ksocks[i].proto == s->proto &&
		    bw_sa_equal(&r->ksocks[i].addr, &s->local, 1))
			return;
	GROW(r->ksocks, r->nksocks);
	k = &r->ksocks[r->nksocks++];
	memset(k, 0, sizeof(*k));
	k->pid = pid;
	memcpy(k->comm, comm, sizeof(k->comm));
	k->proto = s->proto;
	k->addr = s->local;
	k->uid = s->uid;
	k->tree = tree;
}

static int
listening(const struct bw_sock *s)
{
	return (s->proto == BW_PROTO_TCP && s->state == BW_TCP_LISTEN) ||
	    (s->proto == BW_PROTO_UDP && s->state == BW_UDP_UNCONN);
}

/*
 * A kernel snapshot: the tree's listening sockets (kept across snapshots,
 * since the tree may have exited by the end), then other processes' on
 * the ports the tree uses (for split localhost).
 */
void
bw_report_kernel(struct bw_report *r, const struct bw_netstate *ns,
    const pid_t *tree, size_t ntree)
{
	size_t i, j;

	r->have_kernel = 1;
	if (ns->hidden)
		r->hidden = 1;
	for (i = 0; i < ns->nsocks; i++) {
		const struct bw_sock *s = &ns->socks[i];

		if (!listening(s))
			continue;
		for (j = 0; j < s->nowners; j++)
			if (in_tree(tree, ntree, s->owners[j].pid))
				add_ksock(r, s->owners[j].pid, s->owners[j].comm, s, 1);
	}
	for (i = 0; i < ns->nsocks; i++) {
		const struct bw_sock *s = &ns->socks[i];
		int c = bw_sa_class(&s->local);

		if (!listening(s) || c == BW_CLASS_OTHER ||
		    !tree_port(r, s->proto, s->local.port))
			continue;
		for (j = 0; j < s->nowners; j++)
			if (!in_tree(tree, ntree, s->owners[j].pid))
				add_ksock(r, s->owners[j].pid, s->owners[j].comm, s, 0);
		if (s->nowners == 0) {
			struct bw_sock t = *s;

			add_ksock(r, 0, "?", &t, 0);
		}
	}
}

void
bw_report_exit(struct bw_report *r, pid_t pid, const char *comm, int status)
{
	struct bw_rproc *p = proc(r, pid, 0, NULL, 0, 0);

	if (p->comm[0] == '\0' && comm != NULL)
		strlcpy(p->comm, comm, sizeof(p->comm));

	p->exited = 1;
	p->status = status;
}

void
bw_report_note(struct bw_report *r, const char *kind, const char *msg)
{
	char **n, **k;

	n = reallocarray(r->notes, r->nnotes + 1, sizeof(*n));
	if (n == NULL)
		abort();
	r->notes = n;
	k = reallocarray(r->note_kinds, r->nnotes + 1, sizeof(*k));
	if (k == NULL)
		abort();
	r->note_kinds = k;
	if ((r->notes[r->nnotes] = strdup(msg)) == NULL ||
	    (r->note_kinds[r->nnotes] = strdup(kind)) == NULL)
		abort();
	r->nnotes++;
}

/*
 * Does a TCP listener on l (with IPV6_V6ONLY v6only: 1, 0, -1 unknown)
 * take a connection to a?
 */
int
bw_accepts(const struct bw_sa *l, int v6only, const struct bw_sa *a)
{
	return bw_kr_accepts(l, v6only, a);
}

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
entry(const struct bw_report *r, size_t e, struct bw_kr_sock *k,
    struct holder *h)
{
	if (e < r->nlistens) {
		const struct bw_rlisten *l = &r->listens[e];
		const struct bw_rproc *p = bw_report_proc(r, l->pid);

		*k = (struct bw_kr_sock){ .addr = l->addr, .proto = l->proto,
		    .state = BW_KR_LISTEN,
		    .v6only = (l->opts & BW_OPT_V6ONLY) ? 1 : 0,
		    .reuseaddr = (l->opts & BW_OPT_REUSEADDR) ? 1 : 0,
		    .reuseport = (l->opts & BW_OPT_REUSEPORT) ? 1 : 0,
		    .uid = BW_KR_NOUID };
		*h = (struct holder){ .pid = l->pid, .comm = p ? p->comm : "?",
		    .tree = 1 };
	} else {
		const struct bw_ksock *ks = &r->ksocks[e - r->nlistens];

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
	size_t ne = r->nlistens + r->nksocks, nk = 0, ng, i, j, n = 0;
	struct bw_kr_sock *k, one;
	struct holder x;
	size_t *map, *pick;

	/* The candidates: the TCP sockets of a's port; map: their entries. */
	if ((k = reallocarray(NULL, ne + 1, sizeof(*k))) == NULL ||
	    (map = reallocarray(NULL, ne + 1, 2 * sizeof(*map))) == NULL)
		abort();
	for (i = 0; i < ne; i++) {
		entry(r, i, &k[nk], &x);
		if (k[nk].proto == BW_PROTO_TCP && k[nk].addr.port == a->port)
			map[nk++] = i;
	}
	pick = map + nk;
	ng = bw_kr_pick(k, nk, BW_PROTO_TCP, a, pick, nk);
	for (i = 0; i < ng; i++) {
		entry(r, map[pick[i]], &one, &x);
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

/* Ports the tree listens on over loopback or a wildcard, once each. */
static size_t
split_ports(const struct bw_report *r, uint16_t *ports, size_t max)
{
	size_t i, j, n = 0;

	for (i = 0; i < r->nlistens; i++) {
		const struct bw_rlisten *l = &r->listens[i];

		if (l->proto != BW_PROTO_TCP ||
		    bw_sa_class(&l->addr) == BW_CLASS_OTHER)
			continue;
		for (j = 0; j < n; j++)
			if (ports[j] == l->addr.port)
				break;
		if (j == n && n < max)
			ports[n++] = l->addr.port;
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
};

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
	for (i = 0; i < r->nclient; i++) {
		struct holder h[1];
		struct bw_sa c = r->client[i];

		c.port = port;
		if (holders_of(r, &c, h, 1) == 1) {
			s->reached_known = 1;
			s->reached = h[0];
			s->reached_addr = c;
			break;
		}
	}
	return 1;
}

/*
 * The ports of proto the tree listened on, bound or held in the kernel,
 * each once; the first max of them in ports.  Returns how many there are
 * (past max, at least that many).
 */
size_t
bw_report_ports(const struct bw_report *r, int proto, uint16_t *ports,
    size_t max)
{
	size_t i, j, n = 0;
	uint16_t p;

	for (i = 0; i < r->nlistens + r->nbinds + r->nksocks; i++) {
		if (i < r->nlistens) {
			if (r->listens[i].proto != proto)
				continue;
			p = r->listens[i].addr.port;
		} else if (i < r->nlistens + r->nbinds) {
			const struct bw_rbind *b = &r->binds[i - r->nlistens];

			if (b->proto != proto)
				continue;
			p = b->bound.port != 0 ? b->bound.port : b->used.port;
		} else {
			const struct bw_ksock *k =
			    &r->ksocks[i - r->nlistens - r->nbinds];

			if (!k->tree || k->proto != proto)
				continue;
			p = k->addr.port;
		}
		if (p == 0)
			continue;
		for (j = 0; j < n && j < max && ports[j] != p; j++)
			;
		if (j < n && j < max)
			continue;	/* seen */
		if (n < max)
			ports[n] = p;
		n++;
	}
	return n;
}

/*
 * Would the owners of ns's sockets change the report, once the tree is
 * gone?  Only sockets of others on the tree's ports are reported then; a
 * caller that read the kernel without owners scans for them only if so.
 */
int
bw_report_wants_owners(const struct bw_report *r, const struct bw_netstate *ns)
{
	size_t i;

	for (i = 0; i < ns->nsocks; i++) {
		const struct bw_sock *s = &ns->socks[i];

		if (listening(s) && bw_sa_class(&s->local) != BW_CLASS_OTHER &&
		    tree_port(r, s->proto, s->local.port))
			return 1;
	}
	return 0;
}

/*
 * Is localhost split on any port of the tree?  Only then does the report
 * need the order in which a client tries the addresses of "localhost"
 * (a resolver query the caller can skip otherwise).
 */
int
bw_report_split(const struct bw_report *r)
{
	uint16_t ports[64];
	struct split s;
	size_t i, np = split_ports(r, ports, 64);

	for (i = 0; i < np; i++)
		if (split_at(r, ports[i], &s))
			return 1;
	return 0;
}

static const char *
vis_str(const char *s, char *buf, size_t len)
{
	strnvis(buf, s, len, VIS_CSTYLE | VIS_OCTAL | VIS_TAB | VIS_NL);
	return buf;
}

static const char *
addr_str(const struct bw_sa *sa, char *buf, size_t len)
{
	return bw_sa_format(sa, buf, len, 0);
}

static const char *
opts_str(uint8_t opts, char *buf, size_t len)
{
	static const struct { int bit; const char *name; } o[] = {
		{ BW_OPT_REUSEADDR, "reuseaddr" }, { BW_OPT_REUSEPORT, "reuseport" },
		{ BW_OPT_V6ONLY, "v6only" }, { BW_OPT_FREEBIND, "freebind" },
	};
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < sizeof(o) / sizeof(o[0]); i++)
		if (opts & o[i].bit) {
			if (buf[0] != '\0')
				strlcat(buf, ", ", len);
			strlcat(buf, o[i].name, len);
		}
	return buf;
}

static int
exposed_listen(const struct bw_rlisten *l)
{
	return bw_kr_exposed(l->proto, &l->addr, BW_KR_LISTEN);
}

/* A UDP socket bound to a port it asked for (the rule sees used). */
static int
exposed_bind(const struct bw_rbind *b)
{
	return b->ret == 0 && b->bound.family != 0 &&
	    bw_kr_exposed(b->proto, &b->used, BW_KR_BOUND);
}

/*
 * Entry i of the listeners, then of the binds, when it is exposed, as a
 * listener in *l.  A UDP socket is reached from the network as a
 * listener is; each process and address once.
 */
static int
exposed_at(const struct bw_report *r, size_t i, struct bw_rlisten *l)
{
	const struct bw_rbind *b;
	size_t j;

	if (i < r->nlistens) {
		*l = r->listens[i];
		return exposed_listen(l);
	}
	b = &r->binds[i - r->nlistens];
	if (!exposed_bind(b))
		return 0;
	for (j = 0; j < i - r->nlistens; j++)
		if (r->binds[j].pid == b->pid &&
		    r->binds[j].proto == b->proto &&
		    exposed_bind(&r->binds[j]) &&
		    bw_sa_equal(&r->binds[j].bound, &b->bound, 1))
			return 0;
	/* What the warning names. */
	memset(l, 0, sizeof(*l));
	l->pid = b->pid;
	l->proto = b->proto;
	l->addr = b->bound;
	return 1;
}

static int
seen_by_events(const struct bw_report *r, const struct bw_ksock *k)
{
	size_t i;

	for (i = 0; i < r->nlistens; i++)
		if (r->listens[i].proto == k->proto &&
		    bw_sa_equal(&r->listens[i].addr, &k->addr, 1))
			return 1;
	for (i = 0; i < r->nbinds; i++)
		if (r->binds[i].ret == 0 && r->binds[i].proto == k->proto &&
		    bw_sa_equal(&r->binds[i].bound, &k->addr, 1))
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
 * Fallbacks, all at once: fb[i] is the bind of the same process image and
 * port that succeeded, on another address, after bind i failed (or NULL).
 * Sorted by (process, port, sequence): a run of many binds stays cheap.
 */
static const struct bw_rbind **
fallbacks(const struct bw_report *r)
{
	const struct bw_rbind **fb;
	size_t *ix, g, end, k, m;

	if ((fb = calloc(r->nbinds + 1, sizeof(*fb))) == NULL ||	// NOLINT(bugprone-sizeof-expression): array of pointers
	    (ix = calloc(r->nbinds + 1, sizeof(*ix))) == NULL)
		abort();
	for (k = 0; k < r->nbinds; k++)
		ix[k] = k;
	qsort_r(ix, r->nbinds, sizeof(*ix), bind_order, r->binds);
	for (g = 0; g < r->nbinds; g = end) {
		const struct bw_rbind *first = &r->binds[ix[g]];

		for (end = g + 1; end < r->nbinds; end++) {
			const struct bw_rbind *n = &r->binds[ix[end]];

			if (n->pid != first->pid || n->boot != first->boot ||
			    n->proto != first->proto ||
			    n->used.port != first->used.port)
				break;
		}
		if (first->used.port == 0)
			continue;
		for (k = g; k < end; k++) {
			const struct bw_rbind *b = &r->binds[ix[k]];

			if (b->ret == 0 || b->used.family == 0)
				continue;
			for (m = k + 1; m < end; m++) {
				const struct bw_rbind *n = &r->binds[ix[m]];

				if (n->ret == 0 && !bw_sa_equal(&n->used, &b->used, 0)) {
					fb[ix[k]] = n;
					break;
				}
			}
		}
	}
	free(ix);
	return fb;
}

static const char *
comm_of(const struct bw_report *r, pid_t pid)
{
	const struct bw_rproc *p = bw_report_proc(r, pid);

	return p ? p->comm : "?";
}

static int
proc_has_news(const struct bw_report *r, pid_t pid)
{
	size_t i;

	for (i = 0; i < r->nlistens; i++)
		if (r->listens[i].pid == pid)
			return 1;
	for (i = 0; i < r->nbinds; i++)
		if (r->binds[i].pid == pid)
			return 1;
	return 0;
}

/*
 * The processes of the tree the kernel last saw holding a listening
 * socket: after a fork (workers) or a daemon's exit (nginx `daemon on`,
 * whose first process listened and left) they are not the one that
 * listened.  Up to max, each pid once.
 */
static size_t
kernel_holders(const struct bw_report *r, const struct bw_rlisten *l,
    const struct bw_ksock **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < r->nksocks && n < max; i++) {
		const struct bw_ksock *k = &r->ksocks[i];

		if (k->tree && k->proto == l->proto &&
		    bw_sa_equal(&k->addr, &l->addr, 1))
			out[n++] = k;
	}
	return n;
}

static void
text_kernel_holders(const struct bw_report *r, FILE *f,
    const struct bw_rlisten *l)
{
	const struct bw_ksock *k[8];
	char c[64];
	size_t n = kernel_holders(r, l, k, 8), i;

	if (n == 0 || (n == 1 && k[0]->pid == l->pid))
		return;
	fputs(", held by", f);
	for (i = 0; i < n; i++)
		fprintf(f, "%s pid %d (%s)", i ? "," : "", (int)k[i]->pid,
		    vis_str(k[i]->comm, c, sizeof(c)));
}

#define C(code)	(color ? (code) : "")
#define RED	"\033[31m"
#define YEL	"\033[33m"
#define BOLD	"\033[1m"
#define OFF	"\033[0m"

static void
text_holders(FILE *f, const struct bw_rbind *b)
{
	char c[64];
	size_t i;

	if (b->nholders == 0)
		return;
	fputs(", held by", f);
	for (i = 0; i < b->nholders; i++) {
		if (b->holders[i].pid == 0)
			fprintf(f, "%s an unknown process", i ? "," : "");
		else
			fprintf(f, "%s pid %d (%s)", i ? "," : "",
			    (int)b->holders[i].pid,
			    vis_str(b->holders[i].comm, c, sizeof(c)));
	}
}

static void
text_split(const struct bw_report *r, FILE *f, const struct split *s, int color)
{
	const struct holder *sides[2] = { s->v6, s->v4 };
	size_t ns[2] = { s->n6, s->n4 }, k, i;
	char a[BW_ADDRSTRLEN], c[64];

	(void)r;
	fprintf(f, "  %s! split localhost:%u:%s", C(YEL BOLD), s->port, C(OFF));
	for (k = 0; k < 2; k++) {
		fprintf(f, "%s %s:%u is held by", k ? ";" : "",
		    k ? "127.0.0.1" : "[::1]", s->port);
		for (i = 0; i < ns[k]; i++)
			fprintf(f, "%s pid %d (%s%s)", i ? "," : "",
			    (int)sides[k][i].pid,
			    vis_str(sides[k][i].comm, c, sizeof(c)),
			    sides[k][i].tree ? "" : ", not in this run");
	}
	if (s->reached_known)
		fprintf(f, ".\n    A client of localhost:%u on this machine tries %s "
		    "first and reaches pid %d (%s)%s.\n", s->port,
		    addr_str(&s->reached_addr, a, sizeof(a)), (int)s->reached.pid,
		    vis_str(s->reached.comm, c, sizeof(c)),
		    s->reached.tree ? "" : ", not this program");
	else
		fputs(".\n", f);
}

void
bw_report_text(const struct bw_report *r, FILE *f, int exit_status, int color)
{
	char a[BW_ADDRSTRLEN], a2[BW_ADDRSTRLEN], c[64], o[64], en[24], x[600];
	const struct bw_rbind **fbs = fallbacks(r);
	uint16_t ports[64];
	size_t i, j, np, quiet = 0, nwarn = 0;

	fprintf(f, "\n%sbindwatch summary%s\n", C(BOLD), C(OFF));
	for (i = 0; i < r->nprocs; i++) {
		const struct bw_rproc *p = &r->procs[i];

		if (!proc_has_news(r, p->pid)) {
			quiet++;
			continue;
		}
		fprintf(f, "  pid %d %s", (int)p->pid, vis_str(p->comm, c, sizeof(c)));
		if (p->exe[0] != '\0')
			fprintf(f, " (%s)", vis_str(p->exe, x, sizeof(x)));
		if (p->exited && p->status >= 0)
			fprintf(f, ", exited %d", p->status);
		else if (p->exited)
			fprintf(f, ", killed by %s",
			    bw_signal_name(-p->status, en, sizeof(en)));
		fputc('\n', f);
		for (j = 0; j < r->nlistens; j++) {
			const struct bw_rlisten *l = &r->listens[j];

			if (l->pid != p->pid)
				continue;
			fprintf(f, "    listening  %s %s", bw_proto_name(l->proto),
			    addr_str(&l->addr, a, sizeof(a)));
			if (*opts_str(l->opts, o, sizeof(o)))
				fprintf(f, "  (%s)", o);
			text_kernel_holders(r, f, l);
			fputc('\n', f);
		}
		for (j = 0; j < r->nbinds; j++) {
			const struct bw_rbind *b = &r->binds[j];
			const struct bw_rbind *fb;

			if (b->pid != p->pid)
				continue;
			if (b->proto == BW_PROTO_UDP && b->ret == 0 &&
			    b->action == BW_ACT_PASS)
				fprintf(f, "    bound      udp %s\n",
				    addr_str(&b->bound, a, sizeof(a)));
			if (b->action == BW_ACT_REWRITE && b->ret == 0)
				fprintf(f, "    rewritten  %s %s => %s%s\n",
				    bw_proto_name(b->proto),
				    addr_str(&b->req, a, sizeof(a)),
				    addr_str(&b->used, a2, sizeof(a2)),
				    b->alias_fd >= 0 ? " (same endpoint as an "
				    "earlier socket: made an alias of it)" : "");
			if (b->ret == 0)
				continue;
			fprintf(f, "    %sfailed%s     %s %s  %s%s",
			    C(RED), C(OFF), bw_proto_name(b->proto),
			    b->used.family ? addr_str(&b->used, a, sizeof(a)) : "?",
			    bw_errno_name(b->err, en, sizeof(en)),
			    b->action == BW_ACT_DENY ? " (refused by policy)" : "");
			if (b->count > 1)
				fprintf(f, " (%llu times)",
				    (unsigned long long)b->count);
			text_holders(f, b);
			fputc('\n', f);
			if ((fb = fbs[j]) != NULL)
				fprintf(f, "    fallback   tried %s, got %s\n",
				    addr_str(&b->used, a, sizeof(a)),
				    addr_str(&fb->bound, a2, sizeof(a2)));
		}
	}
	if (quiet > 0)
		fprintf(f, "  (%zu other process%s bound nothing)\n", quiet,
		    quiet == 1 ? "" : "es");

	fprintf(f, "%swarnings%s\n", C(BOLD), C(OFF));
	for (i = 0; i < r->nnotes; i++, nwarn++)
		fprintf(f, "  %s! %s:%s %s\n", C(YEL BOLD), r->note_kinds[i], C(OFF),
		    r->notes[i]);
	np = split_ports(r, ports, 64);
	for (i = 0; i < np; i++) {
		struct split s;

		if (split_at(r, ports[i], &s)) {
			text_split(r, f, &s, color);
			nwarn++;
		}
	}
	for (i = 0; i < r->nlistens + r->nbinds; i++) {
		struct bw_rlisten l;

		if (!exposed_at(r, i, &l))
			continue;
		fprintf(f, "  %s! exposed:%s pid %d (%s) listens on %s %s, "
		    "reachable from the network\n", C(YEL BOLD), C(OFF),
		    (int)l.pid, vis_str(comm_of(r, l.pid), c, sizeof(c)),
		    bw_proto_name(l.proto), addr_str(&l.addr, a, sizeof(a)));
		nwarn++;
	}
	for (i = 0; i < r->nksocks; i++) {
		const struct bw_ksock *k = &r->ksocks[i];

		if (!k->tree || seen_by_events(r, k))
			continue;
		fprintf(f, "  %s! unseen:%s pid %d (%s) holds %s %s, which the "
		    "shim never reported (static binary, raw system call or "
		    "io_uring?)\n", C(YEL BOLD), C(OFF), (int)k->pid,
		    vis_str(k->comm, c, sizeof(c)), bw_proto_name(k->proto),
		    addr_str(&k->addr, a, sizeof(a)));
		nwarn++;
	}
	if (r->lost > 0 || r->malformed > 0 || r->rejected > 0) {
		fprintf(f, "  %s! lost events:%s %llu lost, %llu malformed, "
		    "%llu connections refused; the report above is incomplete\n",
		    C(RED BOLD), C(OFF), (unsigned long long)r->lost,
		    (unsigned long long)r->malformed,
		    (unsigned long long)r->rejected);
		nwarn++;
	}
	if (r->hidden)
		fputs("  (some sockets' owners are hidden: root sees more)\n", f);
	if (nwarn == 0)
		fputs("  none\n", f);
	free(fbs);
	fprintf(f, "%llu events from %zu processes, %llu lost; exit status %d\n",
	    (unsigned long long)r->received, r->nprocs,
	    (unsigned long long)r->lost, exit_status);
}

/* JSON helpers: every string escaped, addresses bare. */
static void
jstr(FILE *f, const char *s)
{
	char e[BINDWATCH_MAX_NAME * 6 + 1];

	bw_escape_json(e, sizeof(e), s, strlen(s));
	fprintf(f, "\"%s\"", e);
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

static void
jproc(FILE *f, const struct bw_report *r, pid_t pid)
{
	fprintf(f, "\"pid\":%d,\"comm\":", (int)pid);
	jstr(f, comm_of(r, pid));
}

static void
jopts(FILE *f, uint8_t opts)
{
	char o[64], *p, *s;
	int first = 1;

	opts_str(opts, o, sizeof(o));
	fputs("\"options\":[", f);
	for (s = o; (p = strsep(&s, ",")) != NULL;) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			continue;
		fprintf(f, "%s\"%s\"", first ? "" : ",", p);
		first = 0;
	}
	fputc(']', f);
}

/* "held_by": who the kernel last saw holding it ([] when never looked). */
static void
json_kernel_holders(const struct bw_report *r, FILE *f,
    const struct bw_rlisten *l)
{
	const struct bw_ksock *k[8];
	size_t n = kernel_holders(r, l, k, 8), i;

	fputs(",\"held_by\":[", f);
	for (i = 0; i < n; i++) {
		fprintf(f, "%s{\"pid\":%d,\"comm\":", i ? "," : "", (int)k[i]->pid);
		jstr(f, k[i]->comm);
		fputc('}', f);
	}
	fputc(']', f);
}

static void
jholders(FILE *f, const struct holder *h, size_t n)
{
	size_t i;

	fputc('[', f);
	for (i = 0; i < n; i++) {
		fprintf(f, "%s{\"pid\":%d,\"comm\":", i ? "," : "", (int)h[i].pid);
		jstr(f, h[i].comm);
		fprintf(f, ",\"in_run\":%s}", h[i].tree ? "true" : "false");
	}
	fputc(']', f);
}

void
bw_report_json(const struct bw_report *r, FILE *f, int exit_status)
{
	char en[24], a[BW_ADDRSTRLEN];
	const struct bw_rbind **fbs = fallbacks(r);
	uint16_t ports[64];
	size_t i, j, np;
	int first;

	fprintf(f, "{\"type\":\"summary\",\"exit_status\":%d,\"listening\":[",
	    exit_status);
	for (i = 0; i < r->nlistens; i++) {
		const struct bw_rlisten *l = &r->listens[i];

		fputs(i ? ",{" : "{", f);
		jproc(f, r, l->pid);
		fprintf(f, ",\"proto\":\"%s\",", bw_proto_name(l->proto));
		jaddr(f, "addr", "port", &l->addr);
		fputc(',', f);
		jopts(f, l->opts);
		json_kernel_holders(r, f, l);
		fputc('}', f);
	}
	fputs("],\"bound_udp\":[", f);
	for (i = 0, first = 1; i < r->nbinds; i++) {
		const struct bw_rbind *b = &r->binds[i];

		if (b->proto != BW_PROTO_UDP || b->ret != 0)
			continue;
		fputs(first ? "{" : ",{", f);
		first = 0;
		jproc(f, r, b->pid);
		fputs(",\"proto\":\"udp\",", f);
		jaddr(f, "addr", "port", &b->bound);
		fputc('}', f);
	}
	fputs("],\"failed\":[", f);
	for (i = 0, first = 1; i < r->nbinds; i++) {
		const struct bw_rbind *b = &r->binds[i];

		if (b->ret == 0)
			continue;
		fputs(first ? "{" : ",{", f);
		first = 0;
		jproc(f, r, b->pid);
		fprintf(f, ",\"proto\":\"%s\",", bw_proto_name(b->proto));
		jaddr(f, "addr", "port", &b->used);
		fprintf(f, ",\"errno\":\"%s\",\"count\":%llu,"
		    "\"refused_by_policy\":%s,\"holder\":",
		    bw_errno_name(b->err, en, sizeof(en)),
		    (unsigned long long)b->count,
		    b->action == BW_ACT_DENY ? "true" : "false");
		if (b->nholders == 0)
			fputs("null", f);
		else {
			fprintf(f, "{\"pid\":%d,\"comm\":", (int)b->holders[0].pid);
			jstr(f, b->holders[0].comm);
			fputc('}', f);
		}
		fputs(",\"holders\":[", f);
		for (j = 0; j < b->nholders; j++) {
			fprintf(f, "%s{\"pid\":%d,\"comm\":", j ? "," : "",
			    (int)b->holders[j].pid);
			jstr(f, b->holders[j].comm);
			fputc('}', f);
		}
		fputs("]}", f);
	}
	fputs("],\"fallbacks\":[", f);
	for (i = 0, first = 1; i < r->nbinds; i++) {
		const struct bw_rbind *fb = fbs[i];

		if (fb == NULL)
			continue;
		fputs(first ? "{" : ",{", f);
		first = 0;
		jproc(f, r, r->binds[i].pid);
		fprintf(f, ",\"proto\":\"%s\",", bw_proto_name(r->binds[i].proto));
		jaddr(f, "tried_addr", "tried_port", &r->binds[i].used);
		fputc(',', f);
		jaddr(f, "addr", "port", &fb->bound);
		fputc('}', f);
	}
	free(fbs);
	fputs("],\"rewritten\":[", f);
	for (i = 0, first = 1; i < r->nbinds; i++) {
		const struct bw_rbind *b = &r->binds[i];

		if (b->action == BW_ACT_PASS)
			continue;
		fputs(first ? "{" : ",{", f);
		first = 0;
		jproc(f, r, b->pid);
		fprintf(f, ",\"proto\":\"%s\",", bw_proto_name(b->proto));
		jaddr(f, "requested_addr", "requested_port", &b->req);
		fputc(',', f);
		jaddr(f, "addr", "port", &b->used);
		fprintf(f, ",\"action\":\"%s\",\"ret\":%d,\"alias_of_fd\":",
		    b->action == BW_ACT_DENY ? "deny" : "rewrite", b->ret);
		if (b->alias_fd >= 0)
			fprintf(f, "%d}", b->alias_fd);
		else
			fputs("null}", f);
	}
	fputs("],\"warnings\":[", f);
	first = 1;
	for (i = 0; i < r->nnotes; i++) {
		fprintf(f, "%s{\"kind\":", first ? "" : ",");
		jstr(f, r->note_kinds[i]);
		fputs(",\"message\":", f);
		jstr(f, r->notes[i]);
		fputc('}', f);
		first = 0;
	}
	np = split_ports(r, ports, 64);
	for (i = 0; i < np; i++) {
		struct split s;

		if (!split_at(r, ports[i], &s))
			continue;
		fprintf(f, "%s{\"kind\":\"split-localhost\",\"port\":%u,"
		    "\"ipv6\":", first ? "" : ",", s.port);
		jholders(f, s.v6, s.n6);
		fputs(",\"ipv4\":", f);
		jholders(f, s.v4, s.n4);
		fputs(",\"reached\":", f);
		if (s.reached_known) {
			fprintf(f, "{\"pid\":%d,\"comm\":", (int)s.reached.pid);
			jstr(f, s.reached.comm);
			fputs(",\"addr\":", f);
			jstr(f, bw_sa_format(&s.reached_addr, a, sizeof(a),
			    BW_FMT_NOPORT | BW_FMT_BARE));
			fprintf(f, ",\"in_run\":%s}", s.reached.tree ? "true" : "false");
		} else
			fputs("null", f);
		fputc('}', f);
		first = 0;
	}
	for (i = 0; i < r->nlistens + r->nbinds; i++) {
		struct bw_rlisten l;

		if (!exposed_at(r, i, &l))
			continue;
		fprintf(f, "%s{\"kind\":\"exposed\",", first ? "" : ",");
		jproc(f, r, l.pid);
		fprintf(f, ",\"proto\":\"%s\",", bw_proto_name(l.proto));
		jaddr(f, "addr", "port", &l.addr);
		fputc('}', f);
		first = 0;
	}
	for (i = 0; i < r->nksocks; i++) {
		const struct bw_ksock *k = &r->ksocks[i];

		if (!k->tree || seen_by_events(r, k))
			continue;
		fprintf(f, "%s{\"kind\":\"unseen\",\"pid\":%d,\"comm\":",
		    first ? "" : ",", (int)k->pid);
		jstr(f, k->comm);
		fprintf(f, ",\"proto\":\"%s\",", bw_proto_name(k->proto));
		jaddr(f, "addr", "port", &k->addr);
		fputc('}', f);
		first = 0;
	}
	fputs("],\"processes\":[", f);
	for (i = 0; i < r->nprocs; i++) {
		const struct bw_rproc *p = &r->procs[i];

		fprintf(f, "%s{\"pid\":%d,\"ppid\":%d,\"comm\":", i ? "," : "",
		    (int)p->pid, (int)p->ppid);
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
	fprintf(f, "],\"events\":%llu,\"lost_events\":%llu,"
	    "\"malformed_events\":%llu,\"refused_connections\":%llu,"
	    "\"owners_hidden\":%s}\n",
	    (unsigned long long)r->received, (unsigned long long)r->lost,
	    (unsigned long long)r->malformed, (unsigned long long)r->rejected,
	    r->hidden ? "true" : "false");
}
