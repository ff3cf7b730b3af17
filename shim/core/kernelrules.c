/*
 * The kernel's rules for IP sockets (see kernelrules.h).  Each rule names
 * the Linux function it follows; tests/unit/test_kernelrules.c has a table
 * per rule and tests/integration/test_kernelrules.c checks the bind and
 * lookup rules against real sockets.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "event.h"
#include "kernelrules.h"

/*
 * An address as the kernel's bind and lookup code compare it: IPv4 and
 * v4-mapped IPv6 alike as 4 bytes (v4 = 1), other IPv6 as 16.
 */
struct norm {
	int	ip;		/* an IPv4 or IPv6 address at all */
	int	v4;
	int	any;
	uint8_t	a[16];
};

static void
normalize(const struct bw_sa *sa, struct norm *n)
{
	static const uint8_t zero[16];

	memset(n, 0, sizeof(*n));
	if (sa->family == AF_INET) {
		n->v4 = 1;
		memcpy(n->a, sa->addr, 4);
	} else if (bw_sa_is_v4mapped(sa)) {
		n->v4 = 1;
		memcpy(n->a, sa->addr + 12, 4);
	} else if (sa->family == AF_INET6)
		memcpy(n->a, sa->addr, 16);
	else
		return;
	n->ip = 1;
	n->any = memcmp(n->a, zero, n->v4 ? 4 : 16) == 0;
}

static int
same_addr(const struct norm *x, const struct norm *y)
{
	return x->v4 == y->v4 && memcmp(x->a, y->a, x->v4 ? 4 : 16) == 0;
}

/*
 * As inet_rcv_saddr_equal with wildcards matching (ipv4_ and
 * ipv6_rcv_saddr_equal): may bind and have receive the same traffic?
 * Both IPv4 (v4-mapped included): equal or either a wildcard.  Both IPv6:
 * equal or either "::", whatever IPV6_V6ONLY says.  Mixed: only an IPv6
 * "::" without IPV6_V6ONLY covers the IPv4 side.
 */
static int
overlap(const struct bw_kr_sock *bind, const struct bw_kr_sock *have)
{
	struct norm b, h;

	normalize(&bind->addr, &b);
	normalize(&have->addr, &h);
	if (!b.ip || !h.ip)
		return 0;
	if (b.v4 == h.v4)
		return b.any || h.any || same_addr(&b, &h);
	if (!b.v4)
		return b.any && bind->v6only != 1;
	return h.any && have->v6only != 1;
}

int
bw_kr_accepts(const struct bw_sa *l, int v6only, const struct bw_sa *dst)
{
	struct norm x, d;

	if (l->port != dst->port)
		return 0;
	normalize(l, &x);
	normalize(dst, &d);
	if (!x.ip || !d.ip)
		return 0;
	/* compute_score: an IPv6 socket with IPV6_V6ONLY takes no IPv4. */
	if (d.v4 && l->family == AF_INET6 && v6only == 1)
		return 0;
	if (x.v4 == d.v4)
		return x.any || same_addr(&x, &d);
	/* IPv4 to "::" (dual-stack); IPv6 never to an IPv4 socket. */
	return d.v4 && x.any;
}

/*
 * inet_lookup_listener and udp4_lib_lookup look up the exact address
 * first, then the wildcard; compute_score adds one for an IPv4 socket.
 */
int
bw_kr_rank(const struct bw_kr_sock *s, int proto, const struct bw_sa *dst)
{
	struct norm x;

	if (s->proto != proto || s->state != (proto == BW_PROTO_TCP ?
	    BW_KR_LISTEN : BW_KR_BOUND) ||
	    !bw_kr_accepts(&s->addr, s->v6only, dst))
		return -1;
	normalize(&s->addr, &x);
	return (x.any ? 0 : 2) + (s->addr.family == AF_INET);
}

size_t
bw_kr_pick(const struct bw_kr_sock *v, size_t n, int proto,
    const struct bw_sa *dst, size_t *idx, size_t max)
{
	size_t i, k = 0;
	int best = -1, r;

	for (i = 0; i < n; i++) {
		if ((r = bw_kr_rank(&v[i], proto, dst)) < best || r < 0)
			continue;
		if (r > best) {
			best = r;
			k = 0;
		}
		if (k < max)
			idx[k] = i;
		k++;
	}
	return k;
}

/*
 * inet_csk_bind_conflict / inet_bind_conflict (TCP, as bind and listen
 * call it) and udp_lib_lport_inuse (UDP).  SO_REUSEADDR on both sides
 * lets a TCP bind share the port with a socket that is not listening
 * (TIME_WAIT, a connection, another bound one), and a UDP bind with any.
 * Otherwise only a SO_REUSEPORT group shares: both with the option and
 * the same uid (TCP: or the old one in TIME_WAIT).
 */
int
bw_kr_bind_conflict(const struct bw_kr_sock *have,
    const struct bw_kr_sock *bind)
{
	int reuse, group;

	if (have->proto != bind->proto || bind->addr.port == 0 ||
	    have->addr.port != bind->addr.port || !overlap(bind, have))
		return 0;
	reuse = have->reuseaddr == 1 && bind->reuseaddr == 1;
	group = have->reuseport == 1 && bind->reuseport == 1 &&
	    ((have->uid == bind->uid && have->uid != BW_KR_NOUID) ||
	    (have->proto == BW_PROTO_TCP && have->state == BW_KR_TIMEWAIT));
	if (reuse && (have->proto == BW_PROTO_UDP ||
	    have->state != BW_KR_LISTEN))
		return 0;
	return !group;
}

/* Is every holder of a's socket (bysock) or process among b's? */
static int
covered(const struct bw_kr_side *a, const struct bw_kr_side *b, int bysock)
{
	size_t i, j;

	for (i = 0; i < a->n; i++) {
		for (j = 0; j < b->n; j++)
			if (bysock ? a->h[i].sock == b->h[j].sock :
			    a->h[i].pid == b->h[j].pid)
				break;
		if (j == b->n)
			return 0;
	}
	return 1;
}

/* Are all of s's sockets (bysock) or owners known? */
static int
known(const struct bw_kr_side *s, int bysock)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (bysock ? s->h[i].sock == 0 : s->h[i].pid == 0)
			return 0;
	return 1;
}

static int
differ(const struct bw_kr_side *a, const struct bw_kr_side *b)
{
	size_t i, j;

	if (known(a, 1) && known(b, 1) && covered(a, b, 1) &&
	    covered(b, a, 1))
		return 0;
	if (known(a, 0) && known(b, 0))
		return !covered(a, b, 0) || !covered(b, a, 0);
	/* An owner is hidden: only different users prove a difference. */
	for (i = 0; i < a->n; i++)
		for (j = 0; j < b->n; j++)
			if (a->h[i].uid != BW_KR_NOUID &&
			    b->h[j].uid != BW_KR_NOUID &&
			    a->h[i].uid != b->h[j].uid)
				return 1;
	return 0;
}

int
bw_kr_split(const struct bw_kr_side *s, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (s[i].n > 0 && s[j].n > 0 && differ(&s[i], &s[j]))
				return 1;
	return 0;
}

int
bw_kr_exposed(int proto, const struct bw_sa *a, int state)
{
	if ((a->family != AF_INET && a->family != AF_INET6) ||
	    bw_sa_class(a) == BW_CLASS_LOOPBACK)
		return 0;
	if (proto == BW_PROTO_TCP)
		return state == BW_KR_LISTEN;
	return proto == BW_PROTO_UDP && state == BW_KR_BOUND && a->port != 0;
}

const char *
bw_kr_client_name(int kind)
{
	static const char *const names[BW_KR_NCLIENTS] = {
		"getaddrinfo-order", "curl", "node",
	};

	return kind >= 0 && kind < BW_KR_NCLIENTS ? names[kind] : NULL;
}

/* curl's Curl_is_localhost: "localhost" or a name under it, any case. */
static int
curl_localhost(const char *host)
{
	static const char lh[] = "localhost";
	size_t n = host != NULL ? strlen(host) : 0;

	if (n > 0 && host[n - 1] == '.')
		n--;
	if (n < sizeof(lh) - 1 ||
	    strncasecmp(host + n - (sizeof(lh) - 1), lh, sizeof(lh) - 1) != 0)
		return 0;
	return n == sizeof(lh) - 1 || host[n - sizeof(lh)] == '.';
}

static size_t
put(struct bw_sa *out, size_t n, size_t max, const struct bw_sa *a,
    uint16_t port)
{
	if (n < max) {
		out[n] = *a;
		out[n].port = port;
		n++;
	}
	return n;
}

size_t
bw_kr_client_order(int kind, const char *host, uint16_t port,
    const struct bw_sa *gai, size_t n, struct bw_sa *out, size_t max)
{
	struct bw_sa lo;
	size_t i, j, k = 0, taken = 0;
	int fam, used[64] = { 0 };

	if (kind == BW_KR_CLIENT_CURL && curl_localhost(host)) {
		bw_sa_loopback(&lo, AF_INET, port);
		k = put(out, k, max, &lo, port);
		bw_sa_loopback(&lo, AF_INET6, port);
		return put(out, k, max, &lo, port);
	}
	/* (Past 64 addresses node's order is not worth modelling.) */
	if (kind != BW_KR_CLIENT_NODE || n > sizeof(used) / sizeof(used[0])) {
		for (i = 0; i < n; i++)
			k = put(out, k, max, &gai[i], port);
		return k;
	}
	/* Happy eyeballs: the first family, then the other, in turn. */
	fam = n > 0 ? gai[0].family : 0;
	while (taken < n) {
		for (j = 0; j < n; j++)
			if (!used[j] && gai[j].family == fam)
				break;
		if (j == n)
			for (j = 0; j < n && used[j]; j++)
				;
		used[j] = 1;
		taken++;
		k = put(out, k, max, &gai[j], port);
		fam = gai[j].family == AF_INET ? AF_INET6 : AF_INET;
	}
	return k;
}

/* A receiver: a TCP listener, an unconnected UDP socket. */
static int
receiver(const struct bw_kr_sock *s)
{
	return s->state == (s->proto == BW_PROTO_TCP ? BW_KR_LISTEN :
	    BW_KR_BOUND);
}

/*
 * inet_reuseport_add_sock: a socket joins the group of another of the
 * same family, IPV6_V6ONLY, port and address, both with SO_REUSEPORT and
 * of one uid.  Two TCP listeners on one family, address and port prove it
 * by themselves: inet_csk_bind_conflict lets no others listen together.
 */
int
bw_kr_group(const struct bw_kr_sock *a, const struct bw_kr_sock *b)
{
	struct norm x, y;

	if (a->proto != b->proto || !receiver(a) || !receiver(b) ||
	    a->addr.port != b->addr.port || a->addr.family != b->addr.family)
		return 0;
	normalize(&a->addr, &x);
	normalize(&b->addr, &y);
	if (!x.ip || !y.ip || !same_addr(&x, &y))
		return 0;
	/* Only "::" carries IPV6_V6ONLY of its own choosing. */
	if (a->addr.family == AF_INET6 && x.any && a->v6only != -1 &&
	    b->v6only != -1 && (a->v6only == 1) != (b->v6only == 1))
		return 0;
	if (a->proto == BW_PROTO_TCP)
		return 1;
	if (a->reuseport == 0 || b->reuseport == 0 ||
	    (a->uid != BW_KR_NOUID && b->uid != BW_KR_NOUID &&
	    a->uid != b->uid))
		return 0;
	if (a->reuseport == -1 || b->reuseport == -1 ||
	    a->uid == BW_KR_NOUID || b->uid == BW_KR_NOUID)
		return -1;
	return 1;
}

size_t
bw_kr_passed_over(const struct bw_kr_sock *v, size_t n, int proto,
    const struct bw_sa *dst, size_t *idx, size_t max)
{
	size_t i, k = 0;
	int best = -1, r;

	for (i = 0; i < n; i++)
		if ((r = bw_kr_rank(&v[i], proto, dst)) > best)
			best = r;
	for (i = 0; i < n; i++) {
		r = bw_kr_rank(&v[i], proto, dst);
		if (r < 0 || r == best)
			continue;
		if (k < max)
			idx[k] = i;
		k++;
	}
	return k;
}

/* The cause a socket in the way stands for. */
static int
cause_of(const struct bw_kr_sock *s)
{
	if (receiver(s))
		return BW_KR_CAUSE_LISTENER;
	switch (s->state) {
	case BW_KR_TIMEWAIT:
		return BW_KR_CAUSE_TIMEWAIT;
	case BW_KR_BOUND:
		return BW_KR_CAUSE_BOUND;
	default:
		return BW_KR_CAUSE_CONNECTION;
	}
}

/* Which cause to name first: what must go before the bind can succeed. */
static int
weight(int cause)
{
	static const int w[] = {
		[BW_KR_CAUSE_NONE] = 0, [BW_KR_CAUSE_TIMEWAIT] = 1,
		[BW_KR_CAUSE_CONNECTION] = 2, [BW_KR_CAUSE_BOUND] = 3,
		[BW_KR_CAUSE_LISTENER] = 4,
	};

	return cause >= 0 && cause < (int)(sizeof(w) / sizeof(w[0])) ?
	    w[cause] : 0;
}

/*
 * Does any of v stand in the way of bind?  ra: 1 with SO_REUSEADDR set on
 * bind, 2 also on every socket of v whose option is not known.
 */
static int
in_way(const struct bw_kr_sock *v, size_t n, const struct bw_kr_sock *bind,
    int ra)
{
	struct bw_kr_sock b = *bind, h;
	size_t i;

	if (ra)
		b.reuseaddr = 1;
	for (i = 0; i < n; i++) {
		h = v[i];
		if (ra == 2 && h.reuseaddr == -1)
			h.reuseaddr = 1;
		if (bw_kr_bind_conflict(&h, &b))
			return 1;
	}
	return 0;
}

void
bw_kr_inuse(const struct bw_kr_sock *v, size_t n,
    const struct bw_kr_sock *bind, const struct bw_kr_sock *req, int denied,
    struct bw_kr_inuse *out, size_t *idx, size_t max)
{
	size_t i;
	int c;

	memset(out, 0, sizeof(*out));
	if (denied) {
		out->cause = BW_KR_CAUSE_POLICY;
		return;
	}
	for (i = 0; i < n; i++) {
		if (!bw_kr_bind_conflict(&v[i], bind))
			continue;
		c = cause_of(&v[i]);
		if (c == BW_KR_CAUSE_TIMEWAIT && v[i].expires_ms > out->wait_ms)
			out->wait_ms = v[i].expires_ms;
		if (weight(c) < weight(out->cause))
			continue;
		if (weight(c) > weight(out->cause)) {
			out->cause = c;
			out->n = 0;
		}
		if (out->n < max)
			idx[out->n] = i;
		out->n++;
	}
	if (out->cause == BW_KR_CAUSE_NONE)
		return;
	out->reuseaddr = !in_way(v, n, bind, 1) ? 1 :
	    !in_way(v, n, bind, 2) ? -1 : 0;
	/* Where the program asked, nothing stood in the way. */
	if (req != NULL && !bw_sa_equal(&req->addr, &bind->addr, 1) &&
	    !in_way(v, n, req, 0))
		out->cause = BW_KR_CAUSE_POLICY;
}

const char *
bw_kr_cause_name(int cause)
{
	switch (cause) {
	case BW_KR_CAUSE_LISTENER:
		return "listener";
	case BW_KR_CAUSE_TIMEWAIT:
		return "time-wait";
	case BW_KR_CAUSE_CONNECTION:
		return "connection";
	case BW_KR_CAUSE_BOUND:
		return "bound";
	case BW_KR_CAUSE_POLICY:
		return "policy";
	default:
		return NULL;
	}
}
