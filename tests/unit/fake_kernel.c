/*
 * The fakes of fake_kernel.h.  The kernel's reads return the canned
 * sockets (their owners only when asked for), listener_at says yes at the
 * canned addresses, the client tries the canned order.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fake_kernel.h"
#include "unit.h"

static int
fk_tree(void *arg, const pid_t **tree, size_t *n)
{
	struct fake_kernel *fk = arg;

	fk->trees++;
	*tree = fk->tree;
	*n = fk->ntree;
	return 0;
}

static const struct bw_netstate *
fk_read(struct fake_kernel *fk, int flags)
{
	size_t i;

	memcpy(fk->out, fk->socks, sizeof(fk->out));
	for (i = 0; i < fk->nsocks && (flags & BW_NS_NOOWNERS); i++) {
		fk->out[i].nowners = 0;
		fk->out[i].owners = NULL;
	}
	memset(&fk->ns, 0, sizeof(fk->ns));
	fk->ns.socks = fk->out;
	fk->ns.nsocks = fk->nsocks;
	fk->ns.hidden = fk->hidden;
	return &fk->ns;
}

static const struct bw_netstate *
fk_sockets(void *arg, int flags)
{
	struct fake_kernel *fk = arg;

	fk->reads++;
	if ((flags & BW_NS_NOOWNERS) == 0)
		fk->owner_reads++;
	return fk_read(fk, flags);
}

static const struct bw_netstate *
fk_recent(void *arg)
{
	struct fake_kernel *fk = arg;

	fk->recents++;
	return fk_read(fk, 0);
}

static int
fk_listener_at(void *arg, const struct bw_sa *a)
{
	struct fake_kernel *fk = arg;
	size_t i;

	if (fk->nasked < FAKE_MAX)
		fk->asked[fk->nasked++] = *a;
	for (i = 0; i < fk->nlisteners; i++)
		if (bw_sa_equal(&fk->listeners[i], a, 1))
			return 1;
	return 0;
}

static size_t
fk_client_order(void *arg, struct bw_sa *out, size_t max)
{
	struct fake_kernel *fk = arg;
	size_t i;

	fk->client_asks++;
	for (i = 0; i < fk->nclient && i < max; i++)
		out[i] = fk->client[i];
	return i;
}

/* The owner of a canned listener that takes dst (the kernel's rule). */
static int
fk_peer(void *arg, const struct bw_sa *dst, struct bw_owner *out)
{
	struct fake_kernel *fk = arg;
	size_t i;

	for (i = 0; i < fk->nsocks; i++)
		if (fk->socks[i].state == BW_TCP_LISTEN &&
		    fk->socks[i].nowners > 0 &&
		    bw_kr_accepts(&fk->socks[i].local, fk->socks[i].v6only, dst)) {
			*out = fk->socks[i].owners[0];
			return 1;
		}
	return 0;
}

void
fake_kernel_init(struct fake_kernel *fk)
{
	memset(fk, 0, sizeof(*fk));
	fk->ops.arg = fk;
	fk->ops.tree = fk_tree;
	fk->ops.sockets = fk_sockets;
	fk->ops.recent = fk_recent;
	fk->ops.listener_at = fk_listener_at;
	fk->ops.client_order = fk_client_order;
	fk->ops.peer = fk_peer;
}

struct bw_sa
fake_sa(const char *s)
{
	return unit_sa(s);
}

/* A TCP listener at addr, held by owner (or by nobody one can see). */
struct bw_sock *
fake_sock(struct fake_kernel *fk, const char *addr, struct bw_owner *owner)
{
	struct bw_sock *s;

	cr_assert_lt(fk->nsocks, FAKE_MAX);
	s = &fk->socks[fk->nsocks++];
	memset(s, 0, sizeof(*s));
	s->proto = BW_PROTO_TCP;
	s->state = BW_TCP_LISTEN;
	s->local = fake_sa(addr);
	s->nowners = owner != NULL;
	s->owners = owner;
	return s;
}

struct bw_event
fake_event(int type, int pid, const char *comm)
{
	static uint32_t seq;
	struct bw_event e;

	memset(&e, 0, sizeof(e));
	e.seq = ++seq;
	e.type = (uint8_t)type;
	e.pid = pid;
	e.proto = BW_PROTO_TCP;
	e.alias_fd = -1;
	snprintf(e.comm, sizeof(e.comm), "%s", comm);
	return e;
}

/* A TCP bind of pid ("srv") to addr: failed with err, or bound. */
void
fake_bind(struct bw_model *m, const struct bw_kernel_ops *k, int pid,
    const char *addr, int err)
{
	struct bw_event e = fake_event(BW_EV_BIND, pid, "srv");

	e.req = e.used = fake_sa(addr);
	e.ret = err ? -1 : 0;
	e.err = err;
	if (!err)
		e.bound = e.used;
	bw_model_event(m, &e, k);
}

void
fake_listen(struct bw_model *m, int pid, const char *addr)
{
	struct bw_event e = fake_event(BW_EV_LISTEN, pid, "srv");

	e.bound = fake_sa(addr);
	bw_model_event(m, &e, NULL);
}

/*
 * The localhost:3000 story: an old server (old, not of the run) holds
 * [::1]:3000; the new one (pid 200) fails there, falls back to
 * 127.0.0.1:3000 and listens; the run ends.
 */
void
fake_story(struct fake_kernel *fk, struct bw_model *m, struct bw_owner *old)
{
	fake_sock(fk, "[::1]:3000", old);
	fk->tree[fk->ntree++] = 200;
	fake_bind(m, &fk->ops, 200, "[::1]:3000", EADDRINUSE);
	fake_bind(m, &fk->ops, 200, "127.0.0.1:3000", 0);
	fake_listen(m, 200, "127.0.0.1:3000");
	bw_model_finish(m, &fk->ops);
}

/*
 * A static binary of the tree (st) listens on 127.0.0.1:5000, unseen by
 * the shim, and has a connection on 5001; pid 401 listens on
 * 0.0.0.0:8000.  One snapshot.
 */
void
fake_static(struct fake_kernel *fk, struct bw_model *m, struct bw_owner *st)
{
	struct bw_sock *s;

	fake_sock(fk, "127.0.0.1:5000", st);
	s = fake_sock(fk, "127.0.0.1:5001", st);
	s->state = 0x01;	/* established: not a listener */
	fk->tree[fk->ntree++] = st->pid;
	fk->tree[fk->ntree++] = 401;
	fake_listen(m, 401, "0.0.0.0:8000");
	bw_model_snapshot(m, &fk->ops);
}
