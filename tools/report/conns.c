/*
 * The clients' facts: connects folded (a busy client makes thousands to
 * one place), and the names the clients resolved.
 */
#include <stdlib.h>
#include <string.h>

#include "conns.h"
#include "xalloc.h"

/* Names kept: enough for any client's few; past it, new ones are not. */
#define MAX_NAMES	1024

static void
add_conn(struct bw_rconns *c, const struct bw_event *e)
{
	struct bw_rconn *r;
	int err = e->ret == 0 ? 0 : e->err;
	size_t i;

	/* Newest first: a client repeats what it just did. */
	for (i = c->nconns; i-- > 0;) {
		r = &c->conns[i];
		if (r->pid == e->pid && r->err == err &&
		    r->peer == e->peer_pid && bw_sa_equal(&r->dst, &e->req, 1)) {
			r->count++;
			return;
		}
	}
	c->conns = bw_xreallocarray(c->conns, c->nconns + 1, sizeof(*r));
	r = &c->conns[c->nconns++];
	memset(r, 0, sizeof(*r));
	r->pid = e->pid;
	memcpy(r->comm, e->comm, sizeof(r->comm));
	r->dst = e->req;
	r->err = err;
	r->peer = e->peer_pid;
	memcpy(r->peer_comm, e->peer_comm, sizeof(r->peer_comm));
	r->count = 1;
}

static int
same_name(const struct bw_rname *n, const struct bw_event *e, size_t k)
{
	size_t i;

	if (n->pid != e->pid || n->naddrs != k || strcmp(n->node, e->node) != 0)
		return 0;
	for (i = 0; i < k; i++)
		if (!bw_sa_equal(&n->addrs[i], &e->addrs[i], 0))
			return 0;
	return 1;
}

/* A name with two addresses or more: the only kind that can mislead. */
static void
add_name(struct bw_rconns *c, const struct bw_event *e)
{
	struct bw_rname *n;
	size_t i, k = e->naddrs < BINDWATCH_MAX_ADDRS ? e->naddrs :
	    BINDWATCH_MAX_ADDRS;

	if (e->ret != 0 || !e->has_node || k < 2 || c->nnames >= MAX_NAMES)
		return;
	for (i = 0; i < c->nnames; i++)
		if (same_name(&c->names[i], e, k))
			return;
	c->names = bw_xreallocarray(c->names, c->nnames + 1, sizeof(*n));
	n = &c->names[c->nnames++];
	memset(n, 0, sizeof(*n));
	n->pid = e->pid;
	memcpy(n->node, e->node, sizeof(n->node));
	memcpy(n->addrs, e->addrs, k * sizeof(n->addrs[0]));
	n->naddrs = k;
}

void
bw_rconns_event(struct bw_rconns *c, const struct bw_event *e)
{
	if (e->type == BW_EV_CONNECT)
		add_conn(c, e);
	else if (e->type == BW_EV_GAI)
		add_name(c, e);
}

void
bw_rconns_free(struct bw_rconns *c)
{
	free(c->conns);
	free(c->names);
	memset(c, 0, sizeof(*c));
}
