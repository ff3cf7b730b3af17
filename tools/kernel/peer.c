/*
 * The process that accepted a connection, for the live connect line and
 * the summary.  The kernel is asked which listener takes the destination
 * (one exact sock_diag lookup: its own rules, wildcards, dual-stack "::"
 * and SO_REUSEPORT groups, of which it names one), and the listener's
 * inode is matched against the owners of the listening sockets, read once
 * per new listener (the owner scan walks /proc/PID/fd).
 *
 * A busy client makes many connects to one destination: its answer is
 * kept for FRESH_MS, or until the tree listens or a process exits (the
 * caller says so), so that the collector's cost per connect event stays a
 * look-up in a small table.  Within that moment a server outside the tree
 * that restarts is not seen.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "peer.h"
#include "types.h"
#include "xalloc.h"

#define FRESH_MS	100
#define MAX_DSTS	64
#define MAX_OWNERS	256

struct dst {
	struct bw_sa	 sa;
	int64_t		 at;
	uint64_t	 gen;
	int		 found;
	struct bw_owner	 owner;
};

struct owned {
	uint64_t	 inode;
	struct bw_owner	 owner;
};

struct bw_peers {
	struct dst	 dsts[MAX_DSTS];
	size_t		 ndsts, next;	/* next: the one to replace */
	struct owned	 owned[MAX_OWNERS];
	size_t		 nowned;
	uint64_t	 gen;
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct bw_peers *
bw_peers_new(void)
{
	return bw_xcalloc(1, sizeof(struct bw_peers));
}

void
bw_peers_free(struct bw_peers *p)
{
	free(p);
}

void
bw_peers_changed(struct bw_peers *p)
{
	if (p != NULL)
		p->gen++;
}

static const struct bw_owner *
owner_of(const struct bw_peers *p, uint64_t ino)
{
	size_t i;

	for (i = 0; i < p->nowned; i++)
		if (p->owned[i].inode == ino)
			return &p->owned[i].owner;
	return NULL;
}

/*
 * Of a listener's owners (a server and its forked workers), the one named:
 * the lowest pid, most often the parent that listened.
 */
static const struct bw_owner *
eldest(const struct bw_sock *s)
{
	size_t i, best = 0;

	for (i = 1; i < s->nowners; i++)
		if (s->owners[i].pid < s->owners[best].pid)
			best = i;
	return &s->owners[best];
}

/* The owners of every listening socket now, replacing what was known. */
static void
read_owners(struct bw_peers *p)
{
	struct bw_netstate ns;
	size_t i;

	p->nowned = 0;
	if (bw_netstate_read(&ns, "/proc", 0) == -1)
		return;
	for (i = 0; i < ns.nsocks && p->nowned < MAX_OWNERS; i++)
		if (ns.socks[i].proto == BW_PROTO_TCP &&
		    ns.socks[i].nowners > 0) {
			p->owned[p->nowned].inode = ns.socks[i].inode;
			p->owned[p->nowned].owner = *eldest(&ns.socks[i]);
			p->nowned++;
		}
	bw_netstate_free(&ns);
}

static struct dst *
dst_slot(struct bw_peers *p, const struct bw_sa *sa)
{
	struct dst *d;
	size_t i;

	for (i = 0; i < p->ndsts; i++)
		if (bw_sa_equal(&p->dsts[i].sa, sa, 1))
			return &p->dsts[i];
	if (p->ndsts < MAX_DSTS)
		d = &p->dsts[p->ndsts++];
	else {
		d = &p->dsts[p->next];
		p->next = (p->next + 1) % MAX_DSTS;
	}
	memset(d, 0, sizeof(*d));
	d->sa = *sa;
	d->at = -FRESH_MS - 1;
	return d;
}

int
bw_peers_find(struct bw_peers *p, const struct bw_sa *dst,
    struct bw_owner *out)
{
	const struct bw_owner *o;
	struct bw_sa sa = *dst;
	struct dst *d;
	uint64_t ino;
	int64_t t = now_ms();

	/* An IPv4 destination through an IPv6 socket: the IPv4 tables. */
	bw_sa_unmap(&sa);
	d = dst_slot(p, &sa);
	if (d->gen == p->gen && t - d->at <= FRESH_MS) {
		*out = d->owner;
		return d->found;
	}
	d->gen = p->gen;
	d->at = t;
	d->found = 0;
	if (bw_netstate_tcp_listener_inode(&sa, &ino) != 1 || ino == 0)
		return 0;
	if ((o = owner_of(p, ino)) == NULL) {
		read_owners(p);
		o = owner_of(p, ino);
	}
	if (o == NULL)
		return 0;
	d->owner = *o;
	d->found = 1;
	*out = d->owner;
	return 1;
}
