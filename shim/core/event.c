/*
 * The wire encoding of an event: a 4-byte header ("BW", version, type)
 * then the fields in a fixed order, little-endian, strings as length +
 * bytes.  The decoder checks every length against what is left and against
 * the destination, and rejects trailing bytes: a record from another
 * version or a truncated one is refused, never half-read.
 */
#include <string.h>

#include "event.h"

#define BW_WIRE_VERSION	1

struct wbuf {
	uint8_t	*p;
	size_t	 len, off;
	int	 overflow;
};

struct rbuf {
	const uint8_t	*p;
	size_t		 len, off;
	int		 bad;
};

static const char *const evnames[BW_EV_MAX] = {
	NULL, "getaddrinfo", "bind", "listen", "exec", "exit", "close",
	"connect"
};

const char *
bw_evtype_name(int t)
{
	if (t <= 0 || t >= BW_EV_MAX)
		return "unknown";
	return evnames[t];
}

static void
put(struct wbuf *w, const void *v, size_t n)
{
	if (w->overflow || w->len - w->off < n) {
		w->overflow = 1;
		return;
	}
	memcpy(w->p + w->off, v, n);
	w->off += n;
}

static void
put_u(struct wbuf *w, uint64_t v, size_t n)
{
	uint8_t b[8];
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	put(w, b, n);
}

static void
put_str(struct wbuf *w, const char *s, size_t cap)
{
	size_t n = strnlen(s, cap - 1);

	put_u(w, n, 2);
	put(w, s, n);
}

static void
put_sa(struct wbuf *w, const struct bw_sa *sa)
{
	put_u(w, sa->family, 2);
	put_u(w, sa->port, 2);
	put_u(w, sa->scope_id, 4);
	put(w, sa->addr, 16);
}

static void
get(struct rbuf *r, void *v, size_t n)
{
	if (r->bad || r->len - r->off < n) {
		r->bad = 1;
		memset(v, 0, n);
		return;
	}
	memcpy(v, r->p + r->off, n);
	r->off += n;
}

static uint64_t
get_u(struct rbuf *r, size_t n)
{
	uint8_t b[8];
	uint64_t v = 0;
	size_t i;

	get(r, b, n);
	for (i = 0; i < n; i++)
		v |= (uint64_t)b[i] << (8 * i);
	return v;
}

static void
get_str(struct rbuf *r, char *s, size_t cap)
{
	size_t n = (size_t)get_u(r, 2);

	if (n >= cap) {
		r->bad = 1;
		n = 0;
	}
	get(r, s, n);
	s[r->bad ? 0 : n] = '\0';
	/* An embedded NUL would hide what follows it: refuse. */
	if (!r->bad && strlen(s) != n)
		r->bad = 1;
}

static void
get_sa(struct rbuf *r, struct bw_sa *sa)
{
	sa->family = (uint16_t)get_u(r, 2);
	sa->port = (uint16_t)get_u(r, 2);
	sa->scope_id = (uint32_t)get_u(r, 4);
	get(r, sa->addr, 16);
	if (sa->family != 0 && sa->family != AF_INET && sa->family != AF_INET6)
		r->bad = 1;
}

/* Returns the encoded length, or 0 when buf is too small. */
size_t
bw_event_encode(const struct bw_event *e, uint8_t *buf, size_t len)
{
	struct wbuf w = { buf, len, 0, 0 };
	size_t i, n;

	put_u(&w, 'B', 1);
	put_u(&w, 'W', 1);
	put_u(&w, BW_WIRE_VERSION, 1);
	put_u(&w, e->type, 1);
	put_u(&w, e->action, 1);
	put_u(&w, e->proto, 1);
	put_u(&w, e->opts, 1);
	put_u(&w, e->truncated, 1);
	put_u(&w, (uint32_t)e->pid, 4);
	put_u(&w, (uint32_t)e->ppid, 4);
	put_u(&w, e->seq, 4);
	put_u(&w, e->boot, 8);
	put_u(&w, e->time_ns, 8);
	put_str(&w, e->comm, sizeof(e->comm));
	put_u(&w, (uint32_t)e->fd, 4);
	put_u(&w, (uint32_t)e->ret, 4);
	put_u(&w, (uint32_t)e->err, 4);
	switch (e->type) {
	case BW_EV_GAI:
		put_u(&w, e->has_node, 1);
		put_u(&w, e->has_service, 1);
		put_u(&w, e->has_hints, 1);
		put_str(&w, e->node, sizeof(e->node));
		put_str(&w, e->service, sizeof(e->service));
		put_u(&w, (uint32_t)e->h_flags, 4);
		put_u(&w, (uint32_t)e->h_family, 4);
		put_u(&w, (uint32_t)e->h_socktype, 4);
		put_u(&w, (uint32_t)e->h_protocol, 4);
		n = e->naddrs < BINDWATCH_MAX_ADDRS ? e->naddrs : BINDWATCH_MAX_ADDRS;
		put_u(&w, n, 2);
		put_u(&w, e->naddrs_total, 2);
		for (i = 0; i < n; i++) {
			put_sa(&w, &e->addrs[i]);
			put_u(&w, e->addr_proto[i], 1);
		}
		n = e->norig < BINDWATCH_MAX_ADDRS ? e->norig : BINDWATCH_MAX_ADDRS;
		put_u(&w, n, 2);
		for (i = 0; i < n; i++)
			put_sa(&w, &e->orig[i]);
		break;
	case BW_EV_BIND:
	case BW_EV_LISTEN:
	case BW_EV_CLOSE:
		put_sa(&w, &e->req);
		put_sa(&w, &e->used);
		put_sa(&w, &e->bound);
		put_u(&w, (uint32_t)e->backlog, 4);
		put_u(&w, e->autobound, 1);
		put_u(&w, (uint32_t)e->alias_fd, 4);
		break;
	case BW_EV_EXEC:
	case BW_EV_EXIT:
		put_str(&w, e->exe, sizeof(e->exe));
		break;
	case BW_EV_CONNECT:
		put_sa(&w, &e->req);
		put_sa(&w, &e->bound);
		break;
	default:
		return 0;
	}
	return w.overflow ? 0 : w.off;
}

/* Returns 0, or -1 for a record that is malformed in any way. */
int
bw_event_decode(struct bw_event *e, const uint8_t *buf, size_t len)
{
	struct rbuf r = { buf, len, 0, 0 };
	size_t i, n;

	memset(e, 0, sizeof(*e));
	// NOLINTNEXTLINE(misc-redundant-expression): not redundant, each get_u consumes the next byte
	if (get_u(&r, 1) != 'B' || get_u(&r, 1) != 'W' ||
	    get_u(&r, 1) != BW_WIRE_VERSION)
		return -1;
	e->type = (uint8_t)get_u(&r, 1);
	e->action = (uint8_t)get_u(&r, 1);
	e->proto = (uint8_t)get_u(&r, 1);
	e->opts = (uint8_t)get_u(&r, 1);
	e->truncated = (uint8_t)get_u(&r, 1);
	e->pid = (int32_t)get_u(&r, 4);
	e->ppid = (int32_t)get_u(&r, 4);
	e->seq = (uint32_t)get_u(&r, 4);
	e->boot = get_u(&r, 8);
	e->time_ns = get_u(&r, 8);
	get_str(&r, e->comm, sizeof(e->comm));
	e->fd = (int32_t)get_u(&r, 4);
	e->ret = (int32_t)get_u(&r, 4);
	e->err = (int32_t)get_u(&r, 4);
	if (e->action > BW_ACT_CONFINE || e->proto > BW_PROTO_UDP)
		return -1;
	switch (e->type) {
	case BW_EV_GAI:
		e->has_node = (uint8_t)get_u(&r, 1);
		e->has_service = (uint8_t)get_u(&r, 1);
		e->has_hints = (uint8_t)get_u(&r, 1);
		get_str(&r, e->node, sizeof(e->node));
		get_str(&r, e->service, sizeof(e->service));
		e->h_flags = (int32_t)get_u(&r, 4);
		e->h_family = (int32_t)get_u(&r, 4);
		e->h_socktype = (int32_t)get_u(&r, 4);
		e->h_protocol = (int32_t)get_u(&r, 4);
		n = (size_t)get_u(&r, 2);
		e->naddrs_total = (uint16_t)get_u(&r, 2);
		if (n > BINDWATCH_MAX_ADDRS || n > e->naddrs_total)
			return -1;
		e->naddrs = (uint16_t)n;
		for (i = 0; i < n && !r.bad; i++) {
			get_sa(&r, &e->addrs[i]);
			e->addr_proto[i] = (uint8_t)get_u(&r, 1);
		}
		n = (size_t)get_u(&r, 2);
		if (n > BINDWATCH_MAX_ADDRS)
			return -1;
		e->norig = (uint16_t)n;
		for (i = 0; i < n && !r.bad; i++)
			get_sa(&r, &e->orig[i]);
		break;
	case BW_EV_BIND:
	case BW_EV_LISTEN:
	case BW_EV_CLOSE:
		get_sa(&r, &e->req);
		get_sa(&r, &e->used);
		get_sa(&r, &e->bound);
		e->backlog = (int32_t)get_u(&r, 4);
		e->autobound = (uint8_t)get_u(&r, 1);
		e->alias_fd = (int32_t)get_u(&r, 4);
		break;
	case BW_EV_EXEC:
	case BW_EV_EXIT:
		get_str(&r, e->exe, sizeof(e->exe));
		break;
	case BW_EV_CONNECT:
		get_sa(&r, &e->req);
		get_sa(&r, &e->bound);
		break;
	default:
		return -1;
	}
	if (r.bad || r.off != len)
		return -1;
	return 0;
}
