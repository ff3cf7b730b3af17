/*
 * The kernel, as the model and the analysis of a run ask it
 * (bw_kernel_ops): each answer is kept until the question comes again,
 * and the tree's sockets for holders are reused for HOLDER_MS.
 */
#include <sys/socket.h>

#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model.h"
#include "netstate.h"
#include "peer.h"
#include "proctree.h"
#include "runkernel.h"

#define HOLDER_MS	100	/* reuse a snapshot for holders this long */

int64_t
bw_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
k_tree(void *arg, const pid_t **tree, size_t *n)
{
	struct bw_runk *r = arg;

	free(r->tree);
	r->tree = NULL;
	r->ntree = 0;
	if (!r->gone &&
	    bw_proctree("/proc", getpid(), &r->tree, &r->ntree) == -1)
		return -1;
	*tree = r->tree;
	*n = r->ntree;
	return 0;
}

/* A fresh read into ns, which held the last one. */
static void
reread(struct bw_netstate *ns, int *have, int flags)
{
	if (*have)
		bw_netstate_free(ns);
	memset(ns, 0, sizeof(*ns));
	*have = bw_netstate_read(ns, "/proc", flags) == 0;
}

static const struct bw_netstate *
k_sockets(void *arg, int flags)
{
	struct bw_runk *r = arg;

	reread(&r->snap_ns, &r->have_snap_ns, flags);
	return r->have_snap_ns ? &r->snap_ns : NULL;
}

static const struct bw_netstate *
k_recent(void *arg)
{
	struct bw_runk *r = arg;
	int64_t t = bw_now_ms();

	if (!r->have_holders_ns || t - r->holders_at > HOLDER_MS) {
		reread(&r->holders_ns, &r->have_holders_ns, BW_NS_ALL);
		r->holders_at = t;
	}
	return r->have_holders_ns ? &r->holders_ns : NULL;
}

static int
k_listener_at(void *arg, const struct bw_sa *a)
{
	(void)arg;
	return bw_netstate_tcp_listener_at(a);
}

static pid_t
k_ppid(void *arg, pid_t pid)
{
	(void)arg;
	return bw_proc_ppid("/proc", pid);
}

/* The order in which a client of "localhost" tries addresses here. */
static size_t
k_client_order(void *arg, struct bw_sa *out, size_t max)
{
	struct addrinfo hints, *res, *ai;
	size_t n = 0;

	(void)arg;
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_ADDRCONFIG;
	if (getaddrinfo("localhost", NULL, &hints, &res) != 0)
		return 0;
	for (ai = res; ai != NULL && n < max; ai = ai->ai_next)
		if (bw_sa_from_sockaddr(&out[n], ai->ai_addr, ai->ai_addrlen) == 0)
			n++;
	freeaddrinfo(res);
	return n;
}

static int
k_peer(void *arg, const struct bw_sa *dst, struct bw_owner *out)
{
	struct bw_runk *r = arg;

	return bw_peers_find(r->peers, dst, out);
}

void
bw_runk_init(struct bw_runk *r, struct bw_kernel_ops *k)
{
	memset(r, 0, sizeof(*r));
	k->arg = r;
	k->tree = k_tree;
	k->sockets = k_sockets;
	k->recent = k_recent;
	k->listener_at = k_listener_at;
	k->client_order = k_client_order;
	k->ppid = k_ppid;
	k->peer = k_peer;
	r->peers = bw_peers_new();
}

void
bw_runk_free(struct bw_runk *r)
{
	if (r->have_holders_ns)
		bw_netstate_free(&r->holders_ns);
	if (r->have_snap_ns)
		bw_netstate_free(&r->snap_ns);
	free(r->tree);
	bw_peers_free(r->peers);
}
