/*
 * Rewrite policies.  Parsing is strict (a value that does not parse is an
 * error, never ignored: a policy that silently does nothing is a hole) and
 * every decision is a pure function of the policy and the call.
 */
#include <netinet/in.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "event.h"
#include "policy.h"

void
bw_policy_init(struct bw_policy *p)
{
	memset(p, 0, sizeof(*p));
}

/* Next item of a separated list; *s moves past it.  Returns its length. */
static size_t
next_item(const char **s, int sep, const char **item)
{
	const char *end = strchr(*s, sep);
	size_t n = end ? (size_t)(end - *s) : strlen(*s);

	*item = *s;
	*s = end ? end + 1 : *s + n;
	return n;
}

static int
copy_item(char *dst, size_t dstlen, const char *s, size_t n)
{
	if (n >= dstlen)
		return -1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

static int
valid_name(const char *s)
{
	const unsigned char *p;

	if (*s == '\0')
		return 0;
	for (p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '=' || *p == ',' || *p == ';')
			return 0;
	return 1;
}

static int
set_force(struct bw_policy *p, const char *v, char *err, size_t errlen)
{
	if (bw_sa_parse_addr(v, &p->force) == -1) {
		snprintf(err, errlen, "not a numeric IPv4 or IPv6 address");
		return -1;
	}
	bw_sa_unmap(&p->force);
	p->has_force = 1;
	return 0;
}

static int
set_resolve(struct bw_policy *p, const char *v, char *err, size_t errlen)
{
	const char *item, *s = v;
	char buf[1024];
	size_t n;

	do {
		struct bw_resolve *r;
		const char *addrs, *a;
		char *eq;

		n = next_item(&s, ';', &item);
		if (copy_item(buf, sizeof(buf), item, n) == -1) {
			snprintf(err, errlen, "entry too long");
			return -1;
		}
		if ((eq = strchr(buf, '=')) == NULL) {
			snprintf(err, errlen, "'%.64s' is not NAME=ADDR[,ADDR...]", buf);
			return -1;
		}
		*eq = '\0';
		if (!valid_name(buf) || strlen(buf) >= sizeof(r->name) ||
		    strcmp(buf, ".") == 0) {
			snprintf(err, errlen, "'%.64s' is not a host name", buf);
			return -1;
		}
		/* "name." is "name" to bw_policy_lookup: store it so. */
		if (buf[strlen(buf) - 1] == '.')
			buf[strlen(buf) - 1] = '\0';
		/* A second entry for a name would never be used: refuse it. */
		if (bw_policy_lookup(p, buf) != NULL) {
			snprintf(err, errlen, "'%.64s' is given twice", buf);
			return -1;
		}
		if (p->nresolve == BW_POLICY_MAX_RESOLVE) {
			snprintf(err, errlen, "more than %d names", BW_POLICY_MAX_RESOLVE);
			return -1;
		}
		r = &p->resolve[p->nresolve];
		memset(r, 0, sizeof(*r));
		memcpy(r->name, buf, strlen(buf) + 1);
		addrs = eq + 1;
		do {
			char one[INET6_ADDRSTRLEN + 16];
			size_t an = next_item(&addrs, ',', &a);

			if (r->naddrs == BINDWATCH_MAX_ADDRS) {
				snprintf(err, errlen, "more than %d addresses for %s",
				    BINDWATCH_MAX_ADDRS, r->name);
				return -1;
			}
			if (copy_item(one, sizeof(one), a, an) == -1 ||
			    bw_sa_parse_addr(one, &r->addrs[r->naddrs]) == -1) {
				snprintf(err, errlen, "'%.*s' is not a numeric IP address",
				    (int)(an > 64 ? 64 : an), a);
				return -1;
			}
			r->naddrs++;
		} while (*addrs != '\0' || (addrs > eq + 1 && addrs[-1] == ','));
		p->nresolve++;
	} while (*s != '\0' || (s > v && s[-1] == ';'));
	return 0;
}

static int
set_map(struct bw_policy *p, const char *v, char *err, size_t errlen)
{
	const char *item, *s = v, *eq;
	uint16_t from, to;
	size_t n, i;

	do {
		n = next_item(&s, ',', &item);
		eq = memchr(item, '=', n);
		if (eq == NULL ||
		    bw_parse_port(item, (size_t)(eq - item), &from) == -1 ||
		    bw_parse_port(eq + 1, n - (size_t)(eq - item) - 1, &to) == -1) {
			snprintf(err, errlen,
			    "'%.*s' is not FROM=TO with ports 0-65535",
			    (int)(n > 64 ? 64 : n), item);
			return -1;
		}
		for (i = 0; i < p->nmap; i++)
			if (p->map[i].from == from) {
				snprintf(err, errlen, "port %u is mapped twice", from);
				return -1;
			}
		if (p->nmap == BW_POLICY_MAX_MAP) {
			snprintf(err, errlen, "more than %d port maps", BW_POLICY_MAX_MAP);
			return -1;
		}
		p->map[p->nmap].from = from;
		p->map[p->nmap].to = to;
		p->nmap++;
	} while (*s != '\0' || s[-1] == ',');
	return 0;
}

static int
set_deny(struct bw_policy *p, const char *v, char *err, size_t errlen)
{
	const char *item, *s = v;
	char one[INET6_ADDRSTRLEN + 24];
	size_t n;

	do {
		n = next_item(&s, ',', &item);
		if (p->ndeny == BW_POLICY_MAX_DENY) {
			snprintf(err, errlen, "more than %d deny entries", BW_POLICY_MAX_DENY);
			return -1;
		}
		if (copy_item(one, sizeof(one), item, n) == -1 ||
		    bw_sa_parse_endpoint(one, &p->deny[p->ndeny].sa,
		    &p->deny[p->ndeny].has_port) == -1) {
			snprintf(err, errlen,
			    "'%.*s' is not ADDR, ADDR:PORT or [V6ADDR]:PORT",
			    (int)(n > 64 ? 64 : n), item);
			return -1;
		}
		bw_sa_unmap(&p->deny[p->ndeny].sa);
		p->ndeny++;
	} while (*s != '\0' || s[-1] == ',');
	return 0;
}

/*
 * Set one variable (by its BINDWATCH_* name) from its value.  An empty
 * value means unset.  Returns 0, or -1 with a reason in err.
 */
int
bw_policy_set(struct bw_policy *p, const char *var, const char *v,
    char *err, size_t errlen)
{
	if (v == NULL || *v == '\0')
		return 0;
	if (strcmp(var, BINDWATCH_ENV_FORCE) == 0)
		return set_force(p, v, err, errlen);
	if (strcmp(var, BINDWATCH_ENV_LOOPBACK_ONLY) == 0) {
		if (strcmp(v, "1") == 0 || strcmp(v, "0") == 0) {
			p->loopback_only = v[0] == '1';
			return 0;
		}
		snprintf(err, errlen, "must be 1 or 0");
		return -1;
	}
	if (strcmp(var, BINDWATCH_ENV_FAMILY) == 0) {
		if (strcmp(v, "4") == 0 || strcmp(v, "6") == 0) {
			p->family = v[0] == '4' ? AF_INET : AF_INET6;
			return 0;
		}
		snprintf(err, errlen, "must be 4 or 6");
		return -1;
	}
	if (strcmp(var, BINDWATCH_ENV_RESOLVE) == 0)
		return set_resolve(p, v, err, errlen);
	if (strcmp(var, BINDWATCH_ENV_MAP_PORT) == 0)
		return set_map(p, v, err, errlen);
	if (strcmp(var, BINDWATCH_ENV_DENY) == 0)
		return set_deny(p, v, err, errlen);
	snprintf(err, errlen, "unknown policy variable");
	return -1;
}

/* Combinations that cannot be honoured are refused before anything runs. */
int
bw_policy_check(const struct bw_policy *p, char *err, size_t errlen)
{
	char a[BW_ADDRSTRLEN];

	if (!p->has_force)
		return 0;
	bw_sa_format(&p->force, a, sizeof(a), BW_FMT_NOPORT | BW_FMT_BARE);
	if (p->loopback_only && bw_sa_class(&p->force) != BW_CLASS_LOOPBACK) {
		snprintf(err, errlen, "forcing %s, not a loopback address, "
		    "contradicts loopback-only", a);
		return -1;
	}
	if (p->family != 0 && p->family != p->force.family) {
		snprintf(err, errlen, "forcing %s (IPv%c) contradicts keeping "
		    "IPv%c addresses only", a, p->force.family == AF_INET ? '4' : '6',
		    p->family == AF_INET ? '4' : '6');
		return -1;
	}
	return 0;
}

/*
 * The kernel refused SO_BINDTODEVICE (before Linux 5.7, unprivileged): a
 * confinement becomes its plain rewrite, where it has one.  0, or -1.
 */
int
bw_policy_unconfined(struct bw_bind_decision *d)
{
	if (d->fallback.family == 0)
		return -1;
	d->action = BW_ACT_REWRITE;
	d->addr = d->fallback;
	return 0;
}

int
bw_policy_active(const struct bw_policy *p)
{
	return p->has_force || p->loopback_only || p->family != 0 ||
	    p->nresolve > 0 || p->nmap > 0 || p->ndeny > 0;
}

int
bw_policy_rewrites_gai(const struct bw_policy *p)
{
	return p->nresolve > 0 || p->family != 0;
}

static int
denied(const struct bw_policy *p, const struct bw_sa *a)
{
	struct bw_sa n = *a;
	size_t i;

	bw_sa_unmap(&n);
	for (i = 0; i < p->ndeny; i++)
		if (bw_sa_equal(&p->deny[i].sa, &n, 0) &&
		    (!p->deny[i].has_port || p->deny[i].sa.port == n.port))
			return 1;
	return 0;
}

static void
loopback_of(struct bw_sa *a)
{
	if (a->family == AF_INET) {
		memset(a->addr, 0, sizeof(a->addr));
		a->addr[0] = 127;
		a->addr[3] = 1;
	} else if (bw_sa_is_v4mapped(a)) {
		a->addr[12] = 127;
		a->addr[13] = a->addr[14] = 0;
		a->addr[15] = 1;
	} else {
		memset(a->addr, 0, sizeof(a->addr));
		a->addr[15] = 1;
		a->scope_id = 0;
	}
}

/*
 * The bind decision.  Order: port map, then force (or loopback-only), then
 * the deny list, checked against both what was asked and what would be
 * bound, so a rewrite can never land on a denied address.
 */
void
bw_policy_bind(const struct bw_policy *p, int sockfamily, const struct bw_sa *req,
    struct bw_bind_decision *d)
{
	struct bw_sa a = *req;
	size_t i;

	memset(d, 0, sizeof(*d));
	d->action = BW_ACT_PASS;
	/* A sockaddr of another family than the socket: the kernel decides. */
	if (req->family != sockfamily)
		return;
	for (i = 0; i < p->nmap; i++)
		if (p->map[i].from == a.port) {
			a.port = p->map[i].to;
			d->why = "port map";
			break;
		}
	if (p->has_force) {
		if (sockfamily == AF_INET && p->force.family == AF_INET6) {
			d->action = BW_ACT_DENY;
			d->err = EADDRNOTAVAIL;
			d->why = "forced IPv6 address on an IPv4 socket";
			return;
		}
		if (sockfamily == AF_INET6 && p->force.family == AF_INET) {
			struct bw_sa f = p->force;

			f.port = a.port;
			bw_sa_v4mapped(&a, &f);
			d->clear_v6only = 1;
		} else {
			uint16_t port = a.port;

			a = p->force;
			a.port = port;
		}
		d->why = "force";
	} else if (p->loopback_only) {
		switch (bw_sa_class(&a)) {
		case BW_CLASS_WILDCARD:
			loopback_of(&a);
			d->why = "loopback-only";
			break;
		case BW_CLASS_LOOPBACK:
			break;
		default:
			d->action = BW_ACT_DENY;
			d->err = EADDRNOTAVAIL;
			d->why = "loopback-only";
			return;
		}
	}
	if (denied(p, req) || denied(p, &a)) {
		d->action = BW_ACT_DENY;
		d->err = EACCES;
		d->why = "deny";
		d->addr = a;	/* what would have been bound: reported */
		return;
	}
	if (!bw_sa_equal(&a, req, 1) || a.scope_id != req->scope_id) {
		d->action = BW_ACT_REWRITE;
		d->addr = a;
	} else
		d->why = NULL;
}

/*
 * Which binds a policy applies to, and how.  Servers: a TCP socket that
 * listens, a UDP socket on a port of its own.  A UDP socket on port 0 is a
 * client (a resolver's, say): moving it to loopback would cut it off from
 * the network, so it is left alone.  A TCP socket bound to port 0 may be
 * either: it is left alone at bind and decided at listen, where it can no
 * longer be moved, only confined to the loopback device.  A dual-stack
 * [::] under loopback-only is confined too: ::1 alone would lose IPv4.
 */
void
bw_policy_socket(const struct bw_policy *p, const struct bw_bind_ctx *ctx,
    const struct bw_sa *req, struct bw_bind_decision *d)
{
	struct bw_sa kept = *req;

	if (ctx->phase == BW_PHASE_BIND && req->port == 0 &&
	    req->family == ctx->family &&
	    (ctx->proto == BW_PROTO_UDP || ctx->proto == BW_PROTO_TCP)) {
		memset(d, 0, sizeof(*d));
		d->action = BW_ACT_PASS;
		d->client = ctx->proto == BW_PROTO_UDP;
		d->why = d->client ? "client: UDP on port 0" :
		    "port 0: decided at listen";
		return;
	}
	bw_policy_bind(p, ctx->family, req, d);
	if (d->action != BW_ACT_REWRITE)
		return;
	kept.port = d->addr.port;
	if (ctx->phase == BW_PHASE_BOUND) {
		/* Too late to move it: confine it when loopback was meant. */
		if (bw_sa_class(&d->addr) == BW_CLASS_LOOPBACK &&
		    d->addr.port == req->port) {
			d->fallback = d->addr;
			d->addr = *req;
			d->action = BW_ACT_CONFINE;
			d->clear_v6only = 0;
		} else {
			d->action = BW_ACT_PASS;
			d->why = "already bound: cannot be moved";
		}
		return;
	}
	if (p->loopback_only && !p->has_force && ctx->family == AF_INET6 &&
	    ctx->v6only == 0 && !bw_sa_is_v4mapped(req) &&
	    bw_sa_class(req) == BW_CLASS_WILDCARD) {
		d->fallback = d->addr;
		d->addr = kept;
		d->action = BW_ACT_CONFINE;
		d->why = "loopback-only, dual-stack";
	}
}

/* The override for a node name: case-insensitive, a trailing dot ignored. */
const struct bw_resolve *
bw_policy_lookup(const struct bw_policy *p, const char *node)
{
	size_t i, n;

	if (node == NULL)
		return NULL;
	n = strlen(node);
	if (n > 0 && node[n - 1] == '.')
		n--;
	for (i = 0; i < p->nresolve; i++)
		if (strlen(p->resolve[i].name) == n &&
		    strncasecmp(p->resolve[i].name, node, n) == 0)
			return &p->resolve[i];
	return NULL;
}

/* Does an address of this family survive the family filter? */
int
bw_policy_family_ok(const struct bw_policy *p, int family)
{
	return p->family == 0 || p->family == family;
}
