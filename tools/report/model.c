/*
 * The facts of a run, as events and kernel snapshots come in.  What to ask
 * the kernel is decided here too (who holds an address in use, whether
 * others may hold the tree's ports), since it depends on the facts; the
 * asking is run.c's, through bw_kernel_ops.
 */
#include <bsd/string.h>

#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "xalloc.h"

#define FOLD_WINDOW	64	/* identical binds looked for this far back */

void
bw_model_init(struct bw_model *m)
{
	memset(m, 0, sizeof(*m));
}

void
bw_model_free(struct bw_model *m)
{
	size_t i;

	for (i = 0; i < m->nnotes; i++) {
		free(m->notes[i]);
		free(m->note_kinds[i]);
	}
	free(m->notes);
	free(m->note_kinds);
	bw_rconns_free(&m->conns);
	free(m->procs);
	free(m->pidx);
	free(m->binds);
	free(m->listens);
	free(m->ksocks);
	free(m->closed);
	memset(m, 0, sizeof(*m));
}

/*
 * Why bind idx found its address in use, and who holds what is in the
 * way: asked at once, while the holder is still there.
 */
static void
holders(struct bw_model *m, size_t idx, const struct bw_kernel_ops *k)
{
	const struct bw_netstate *ns;
	struct bw_rbind *b = &m->binds[idx];
	size_t hits[16], n, i, j;
	int moved;

	if (k == NULL || (ns = k->recent(k->arg)) == NULL)
		return;
	moved = b->action == BW_ACT_REWRITE && b->req.family != 0;
	bw_netstate_inuse(ns, b->proto, &b->used, moved ? &b->req : NULL,
	    b->opts, &b->inuse, hits, 16);
	n = b->inuse.n < 16 ? b->inuse.n : 16;
	for (i = 0; i < n; i++) {
		const struct bw_sock *s = &ns->socks[hits[i]];

		for (j = 0; j < s->nowners && b->nholders < BW_MAX_HOLDERS; j++)
			b->holders[b->nholders++] = s->owners[j];
		/* TIME_WAIT belongs to nobody: no unknown holder for it. */
		if (s->nowners == 0 && s->state != BW_TCP_TIME_WAIT &&
		    b->nholders < BW_MAX_HOLDERS) {
			b->holders[b->nholders].pid = 0;
			memcpy(b->holders[b->nholders].comm, "?", 2);
			b->nholders++;
		}
	}
	if (ns->hidden)
		m->hidden = 1;
}

static void
add_bind(struct bw_model *m, const struct bw_event *e,
    const struct bw_kernel_ops *k)
{
	struct bw_rbind *b;
	size_t i;
	/* A TCP client's bind to port 0 (socket, bind, connect in a loop):
	 * the same bind each time but for the port the kernel gave, shown
	 * nowhere.  One record for all, not one each: a record each was
	 * most of the collector's time per event (bench/RESULTS.md). */
	int ephemeral = e->proto == BW_PROTO_TCP && e->ret == 0 &&
	    e->req.port == 0 && e->used.port == 0;

	/* A loop of identical binds is one line with a count, and a burst
	 * of a million costs no memory. */
	for (i = m->nbinds; i-- > 0 && m->nbinds - i <= FOLD_WINDOW;) {
		b = &m->binds[i];
		/* Ports first: cheap, and they differ most often. */
		if ((b->bound.port != e->bound.port && !ephemeral) ||
		    b->used.port != e->used.port)
			continue;
		if (b->pid == e->pid && b->boot == e->boot &&
		    b->listen == (e->type == BW_EV_LISTEN) &&
		    b->proto == e->proto && b->ret == e->ret &&
		    b->err == e->err && b->action == e->action &&
		    bw_sa_equal(&b->req, &e->req, 1) &&
		    bw_sa_equal(&b->used, &e->used, 1) &&
		    (ephemeral || bw_sa_equal(&b->bound, &e->bound, 1))) {
			b->count++;
			return;
		}
	}
	BW_GROW(m->binds, m->nbinds);
	b = &m->binds[m->nbinds++];
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
	b->listen = e->type == BW_EV_LISTEN;
	if (e->ret == -1 && e->err == EADDRINUSE)
		holders(m, m->nbinds - 1, k);
}

/*
 * A listen that failed is listed with the failed binds, where it was
 * bound, with who holds that address; one that a policy made an alias of
 * an earlier socket says so on the bind that put it there.
 */
static void
listen_news(struct bw_model *m, const struct bw_event *e,
    const struct bw_kernel_ops *k)
{
	struct bw_event f;
	size_t i;

	if (e->ret != 0) {
		f = *e;
		f.req = f.used = e->bound;
		add_bind(m, &f, k);
		return;
	}
	for (i = m->nbinds; e->alias_fd >= 0 && i-- > 0;)
		if (m->binds[i].pid == e->pid && m->binds[i].fd == e->fd &&
		    m->binds[i].ret == 0 && !m->binds[i].listen) {
			m->binds[i].alias_fd = e->alias_fd;
			break;
		}
}

static void
add_listen(struct bw_model *m, const struct bw_event *e,
    const struct bw_kernel_ops *k)
{
	struct bw_rlisten *l;
	size_t i;

	listen_news(m, e, k);
	if (e->ret != 0 || e->bound.family == 0)
		return;
	/* One entry per endpoint and process: aliases listen twice.  A
	 * listen after a close of it opens it again. */
	for (i = 0; i < m->nlistens; i++)
		if (m->listens[i].pid == e->pid &&
		    m->listens[i].proto == e->proto &&
		    bw_sa_equal(&m->listens[i].addr, &e->bound, 1)) {
			m->listens[i].close_seq = 0;
			return;
		}
	BW_GROW(m->listens, m->nlistens);
	l = &m->listens[m->nlistens++];
	memset(l, 0, sizeof(*l));
	l->pid = e->pid;
	l->fd = e->fd;
	l->proto = e->proto;
	l->opts = e->opts;
	l->action = e->action;
	l->addr = e->bound;
	l->autobound = e->autobound;
	/* Confined at listen, or by the bind that gave it this address. */
	l->confined = e->action == BW_ACT_CONFINE;
	for (i = m->nbinds; i-- > 0 && !l->confined;)
		if (m->binds[i].pid == e->pid && m->binds[i].fd == e->fd &&
		    m->binds[i].ret == 0 &&
		    bw_sa_equal(&m->binds[i].bound, &e->bound, 1)) {
			l->confined = m->binds[i].action == BW_ACT_CONFINE;
			break;
		}
}

/* Take one event in. */
void
bw_model_event(struct bw_model *m, const struct bw_event *e,
    const struct bw_kernel_ops *k)
{
	struct bw_rproc *p;

	m->counts.received++;
	p = bw_model_proc_at(m, e->pid, e->ppid, e->comm, e->boot, e->type == BW_EV_EXEC);
	/* What the process did after a close says it went on; another
	 * close is the same shutdown (closes.c). */
	if (e->type != BW_EV_CLOSE && e->boot == p->boot && e->seq > p->last_seq)
		p->last_seq = e->seq;
	bw_rconns_event(&m->conns, e);
	switch (e->type) {
	case BW_EV_GAI:
		m->ngai++;
		break;
	case BW_EV_EXEC:
		memcpy(p->exe, e->exe, sizeof(p->exe));
		break;
	case BW_EV_BIND:
		add_bind(m, e, k);
		break;
	case BW_EV_LISTEN:
		add_listen(m, e, k);
		break;
	case BW_EV_CLOSE:
		bw_model_close(m, e, k);
		break;
	default:
		break;
	}
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
tree_port(const struct bw_model *m, uint8_t proto, uint16_t port)
{
	size_t i;

	for (i = 0; i < m->nlistens; i++)
		if (m->listens[i].proto == proto && m->listens[i].addr.port == port)
			return 1;
	for (i = 0; i < m->nbinds; i++)
		if (m->binds[i].proto == proto && m->binds[i].used.port == port)
			return 1;
	for (i = 0; i < m->nksocks; i++)
		if (m->ksocks[i].tree && m->ksocks[i].proto == proto &&
		    m->ksocks[i].addr.port == port)
			return 1;
	return 0;
}

static void
add_ksock(struct bw_model *m, pid_t pid, const char *comm,
    const struct bw_sock *s, int tree)
{
	struct bw_ksock *k;
	size_t i;

	for (i = 0; i < m->nksocks; i++)
		if (m->ksocks[i].pid == pid && m->ksocks[i].proto == s->proto &&
		    bw_sa_equal(&m->ksocks[i].addr, &s->local, 1))
			return;
	BW_GROW(m->ksocks, m->nksocks);
	k = &m->ksocks[m->nksocks++];
	memset(k, 0, sizeof(*k));
	k->pid = pid;
	/* comm is an owner's (a full array) or a literal ("?"): copy what
	 * there is, the rest stays zero. */
	memcpy(k->comm, comm, strnlen(comm, sizeof(k->comm) - 1));
	k->proto = s->proto;
	k->addr = s->local;
	k->uid = s->uid;
	k->tree = tree;
	k->v6only = s->v6only;
	k->inode = s->inode;
	k->reuseport = s->reuseport;
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
static int
listened_at(const struct bw_model *m, const struct bw_sock *s)
{
	size_t i;

	for (i = 0; i < m->nlistens; i++)
		if (m->listens[i].proto == s->proto &&
		    bw_sa_equal(&m->listens[i].addr, &s->local, 1))
			return 1;
	return 0;
}

/*
 * A process of the tree that holds a socket is a process of the run, even
 * if it never told us anything: a forked worker (gunicorn, haproxy -W)
 * that inherited its parent's listeners and made no call of its own.
 */
static void
holder_proc(struct bw_model *m, const struct bw_owner *o,
    const struct bw_kernel_ops *k)
{
	if (bw_model_proc(m, o->pid) != NULL)
		return;
	(void)bw_model_proc_at(m, o->pid, k->ppid != NULL ? k->ppid(k->arg, o->pid) : 0,
	    o->comm, 0, 0);
}

static void
take_kernel(struct bw_model *m, const struct bw_netstate *ns,
    const pid_t *tree, size_t ntree, const struct bw_kernel_ops *k)
{
	size_t i, j;

	m->have_kernel = 1;
	if (ns->hidden)
		m->hidden = 1;
	for (i = 0; i < ns->nsocks; i++) {
		const struct bw_sock *s = &ns->socks[i];

		if (!listening(s))
			continue;
		for (j = 0; j < s->nowners; j++)
			if (in_tree(tree, ntree, s->owners[j].pid)) {
				add_ksock(m, s->owners[j].pid, s->owners[j].comm, s, 1);
				holder_proc(m, &s->owners[j], k);
			}
	}
	for (i = 0; i < ns->nsocks; i++) {
		const struct bw_sock *s = &ns->socks[i];
		int c = bw_sa_class(&s->local);

		if (!listening(s) || c == BW_CLASS_OTHER ||
		    !tree_port(m, s->proto, s->local.port))
			continue;
		for (j = 0; j < s->nowners; j++)
			if (!in_tree(tree, ntree, s->owners[j].pid))
				add_ksock(m, s->owners[j].pid, s->owners[j].comm, s, 0);
		/* No owner at the very address the tree listened on: its
		 * own socket, caught while its process exits. */
		if (s->nowners == 0 && !listened_at(m, s)) {
			struct bw_sock t = *s;

			add_ksock(m, 0, "?", &t, 0);
		}
	}
}

/*
 * The ports of proto the tree listened on, bound or held in the kernel,
 * each once; the first max of them in ports.  Returns how many there are
 * (past max, at least that many).
 */
static size_t
tree_ports(const struct bw_model *m, int proto, uint16_t *ports, size_t max)
{
	size_t i, j, n = 0;
	uint16_t p;

	for (i = 0; i < m->nlistens + m->nbinds + m->nksocks; i++) {
		if (i < m->nlistens) {
			if (m->listens[i].proto != proto)
				continue;
			p = m->listens[i].addr.port;
		} else if (i < m->nlistens + m->nbinds) {
			const struct bw_rbind *b = &m->binds[i - m->nlistens];

			if (b->proto != proto)
				continue;
			p = b->bound.port != 0 ? b->bound.port : b->used.port;
		} else {
			const struct bw_ksock *k =
			    &m->ksocks[i - m->nlistens - m->nbinds];

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
 * Once the tree is gone, may others hold its ports?  A dump of the TCP
 * tables walks the kernel's whole listening hash, empty or not, so TCP
 * ports are asked one by one at 127.0.0.1 and ::1, which is where a
 * client of localhost goes (wildcards and "::" answer there too).  UDP
 * tables are cheap to dump: any UDP port says yes.
 */
static int
others_may_hold(const struct bw_model *m, const struct bw_kernel_ops *k)
{
	uint16_t ports[16];
	struct bw_sa a;
	size_t n, i, j;

	if (tree_ports(m, BW_PROTO_UDP, ports, 0) > 0 ||
	    (n = tree_ports(m, BW_PROTO_TCP, ports, 16)) > 16)
		return 1;
	for (i = 0; i < n; i++)
		for (j = 0; j < 2; j++) {
			bw_sa_loopback(&a, j == 0 ? AF_INET : AF_INET6, ports[i]);
			if (k->listener_at(k->arg, &a) != 0)
				return 1;
		}
	return 0;
}

/*
 * Would the owners of ns's sockets change the model, once the tree is
 * gone?  Only sockets of others on the tree's ports are taken then; a
 * snapshot read without owners scans for them only if so.
 */
static int
wants_owners(const struct bw_model *m, const struct bw_netstate *ns)
{
	size_t i;

	for (i = 0; i < ns->nsocks; i++) {
		const struct bw_sock *s = &ns->socks[i];

		if (listening(s) && bw_sa_class(&s->local) != BW_CLASS_OTHER &&
		    tree_port(m, s->proto, s->local.port))
			return 1;
	}
	return 0;
}

/* The kernel's sockets now: the tree's, and others' on its ports. */
void
bw_model_snapshot(struct bw_model *m, const struct bw_kernel_ops *k)
{
	const struct bw_netstate *ns;
	const pid_t *tree;
	size_t n;
	int flags;

	if (k == NULL || k->tree(k->arg, &tree, &n) == -1)
		return;
	if (n == 0 && !others_may_hold(m, k))
		return;
	/* With the tree gone, the owners (a scan of every process) are
	 * wanted only for others' sockets on the tree's ports. */
	flags = n == 0 ? BW_NS_NOOWNERS : 0;
	ns = k->sockets(k->arg, flags);
	if (ns != NULL && flags != 0 && wants_owners(m, ns))
		ns = k->sockets(k->arg, 0);
	if (ns != NULL)
		take_kernel(m, ns, tree, n, k);
}

/*
 * The last snapshot, once the run is over, for others' sockets on the
 * tree's ports (split localhost): worth a look at the kernel only when
 * the tree bound something.
 */
void
bw_model_finish(struct bw_model *m, const struct bw_kernel_ops *k)
{
	if (m->nlistens > 0 || m->nbinds > 0)
		bw_model_snapshot(m, k);
	bw_model_closes_settle(m);
}

void
bw_model_exit(struct bw_model *m, pid_t pid, const char *comm, int status)
{
	struct bw_rproc *p = bw_model_proc_at(m, pid, 0, NULL, 0, 0);

	if (p->comm[0] == '\0' && comm != NULL)
		strlcpy(p->comm, comm, sizeof(p->comm));

	p->exited = 1;
	p->status = status;
}

void
bw_model_note(struct bw_model *m, const char *kind, const char *msg)
{
	m->notes = bw_xreallocarray(m->notes, m->nnotes + 1,
	    sizeof(*m->notes));
	m->note_kinds = bw_xreallocarray(m->note_kinds, m->nnotes + 1,
	    sizeof(*m->note_kinds));
	m->notes[m->nnotes] = bw_xstrdup(msg);
	m->note_kinds[m->nnotes] = bw_xstrdup(kind);
	m->nnotes++;
}

/* The policy the run was given; it must outlive the model. */
void
bw_model_policy(struct bw_model *m, const struct bw_policy *p)
{
	m->policy = p;
}

/* What the collector counted: records lost, refused by the decoder, and
 * connections refused. */
void
bw_model_losses(struct bw_model *m, uint64_t lost, uint64_t malformed,
    uint64_t rejected)
{
	m->counts.lost = lost;
	m->counts.malformed = malformed;
	m->counts.rejected = rejected;
}
