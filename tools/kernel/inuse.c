/*
 * Over the kernel's table: why a bind found its address in use (the
 * table's sockets of that port as the rules see them, the bind with the
 * options the shim saw it set, then bw_kr_inuse decides), and whom a
 * destination passes over (bw_kr_passed_over).
 */
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "netstate.h"
#include "xalloc.h"

void
bw_netstate_inuse(const struct bw_netstate *ns, int proto,
    const struct bw_sa *used, const struct bw_sa *req, int opts,
    struct bw_kr_inuse *out, size_t *idx, size_t max)
{
	struct bw_kr_sock *k, b, r;
	size_t *map, i, n = 0;

	memset(&b, 0, sizeof(b));
	b.addr = *used;
	b.proto = proto;
	b.state = BW_KR_BOUND;
	b.v6only = (opts & BW_OPT_V6ONLY) ? 1 : -1;
	b.reuseaddr = (opts & BW_OPT_REUSEADDR) ? 1 : 0;
	b.reuseport = (opts & BW_OPT_REUSEPORT) ? 1 : 0;
	/* Whose the new socket is the event does not say. */
	b.uid = BW_KR_NOUID;
	r = b;
	if (req != NULL)
		r.addr = *req;
	/* Only the sockets of those ports can be in the way. */
	k = bw_xreallocarray(NULL, ns->nsocks + 1, sizeof(*k));
	map = bw_xreallocarray(NULL, ns->nsocks + 1, sizeof(*map));
	for (i = 0; i < ns->nsocks; i++)
		if (ns->socks[i].proto == proto &&
		    (ns->socks[i].local.port == used->port ||
		    (req != NULL && ns->socks[i].local.port == req->port))) {
			bw_sock_kr(&ns->socks[i], &k[n]);
			map[n++] = i;
		}
	bw_kr_inuse(k, n, &b, req != NULL ? &r : NULL, 0, out, idx, max);
	for (i = 0; i < out->n && i < max; i++)
		idx[i] = map[idx[i]];
	free(k);
	free(map);
}

size_t
bw_netstate_passed_over(const struct bw_netstate *ns, int proto,
    const struct bw_sa *dst, size_t *idx, size_t max)
{
	struct bw_kr_sock *k;
	size_t *map, i, n = 0, got;

	k = bw_xreallocarray(NULL, ns->nsocks + 1, sizeof(*k));
	map = bw_xreallocarray(NULL, ns->nsocks + 1, sizeof(*map));
	for (i = 0; i < ns->nsocks; i++)
		if (ns->socks[i].proto == proto &&
		    ns->socks[i].local.port == dst->port) {
			bw_sock_kr(&ns->socks[i], &k[n]);
			map[n++] = i;
		}
	got = bw_kr_passed_over(k, n, proto, dst, idx, max);
	if (got > max)
		got = max;
	for (i = 0; i < got; i++)
		idx[i] = map[idx[i]];
	free(k);
	free(map);
	return got;
}
