/*
 * The wire encoding of an event: a 4-byte header ("BW", version, type)
 * then the fields in a fixed order, little-endian, strings as length +
 * bytes.  The decoder checks every length against what is left and against
 * the destination, and rejects trailing bytes: a record from another
 * version or a truncated one is refused, never half-read.
 *
 * Fixed-size runs of fields are bounds-checked once, as a block, and read
 * or written with the byte-by-byte idiom compilers turn into one load or
 * store: every record passes here twice (shim and collector), and a
 * memcpy per field was half the collector's cost of a connect event.
 */
#include <string.h>

#include "event.h"

#define BW_WIRE_VERSION	1

/* Blocks: the common header (magic included), fd/ret/err, an address. */
#define HEAD_LEN	36
#define CALL_LEN	12
#define SA_LEN		24

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
st16(uint8_t *p, uint64_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
st32(uint8_t *p, uint64_t v)
{
	st16(p, v);
	st16(p + 2, v >> 16);
}

static void
st64(uint8_t *p, uint64_t v)
{
	st32(p, v);
	st32(p + 4, v >> 32);
}

static uint16_t
ld16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
ld32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint64_t
ld64(const uint8_t *p)
{
	return (uint64_t)ld32(p) | (uint64_t)ld32(p + 4) << 32;
}

/* Room for the next n bytes, or NULL (and overflow from then on). */
static uint8_t *
wtake(struct wbuf *w, size_t n)
{
	uint8_t *q;

	if (w->overflow || w->len - w->off < n) {
		w->overflow = 1;
		return NULL;
	}
	q = w->p + w->off;
	w->off += n;
	return q;
}

/* The next n bytes, or NULL (and bad from then on). */
static const uint8_t *
rtake(struct rbuf *r, size_t n)
{
	const uint8_t *q;

	if (r->bad || r->len - r->off < n) {
		r->bad = 1;
		return NULL;
	}
	q = r->p + r->off;
	r->off += n;
	return q;
}

static void
put_u(struct wbuf *w, uint64_t v, size_t n)
{
	uint8_t *q;
	size_t i;

	if ((q = wtake(w, n)) != NULL)
		for (i = 0; i < n; i++)
			q[i] = (uint8_t)(v >> (8 * i));
}

static void
put_str(struct wbuf *w, const char *s, size_t cap)
{
	size_t n = strnlen(s, cap - 1);
	uint8_t *q;

	if ((q = wtake(w, 2 + n)) == NULL)
		return;
	st16(q, n);
	memcpy(q + 2, s, n);
}

static void
put_sa(struct wbuf *w, const struct bw_sa *sa)
{
	uint8_t *q;

	if ((q = wtake(w, SA_LEN)) == NULL)
		return;
	st16(q, sa->family);
	st16(q + 2, sa->port);
	st32(q + 4, sa->scope_id);
	memcpy(q + 8, sa->addr, 16);
}

static uint64_t
get_u(struct rbuf *r, size_t n)
{
	const uint8_t *q;
	uint64_t v = 0;
	size_t i;

	if ((q = rtake(r, n)) != NULL)
		for (i = 0; i < n; i++)
			v |= (uint64_t)q[i] << (8 * i);
	return v;
}

static void
get_str(struct rbuf *r, char *s, size_t cap)
{
	const uint8_t *q;
	size_t n;

	s[0] = '\0';
	if ((q = rtake(r, 2)) == NULL)
		return;
	if ((n = ld16(q)) >= cap) {
		r->bad = 1;
		return;
	}
	if ((q = rtake(r, n)) == NULL)
		return;
	/* An embedded NUL would hide what follows it: refuse. */
	if (memchr(q, '\0', n) != NULL) {
		r->bad = 1;
		return;
	}
	memcpy(s, q, n);
	s[n] = '\0';
}

static void
get_sa(struct rbuf *r, struct bw_sa *sa)
{
	const uint8_t *q;

	if ((q = rtake(r, SA_LEN)) == NULL)
		return;
	sa->family = ld16(q);
	sa->port = ld16(q + 2);
	sa->scope_id = ld32(q + 4);
	memcpy(sa->addr, q + 8, 16);
	if (sa->family != 0 && sa->family != AF_INET && sa->family != AF_INET6)
		r->bad = 1;
}

/* Returns the encoded length, or 0 when buf is too small. */
size_t
bw_event_encode(const struct bw_event *e, uint8_t *buf, size_t len)
{
	struct wbuf w = { buf, len, 0, 0 };
	size_t i, n;
	uint8_t *q;

	if ((q = wtake(&w, HEAD_LEN)) == NULL)
		return 0;
	q[0] = 'B';
	q[1] = 'W';
	q[2] = BW_WIRE_VERSION;
	q[3] = e->type;
	q[4] = e->action;
	q[5] = e->proto;
	q[6] = e->opts;
	q[7] = e->truncated;
	st32(q + 8, (uint32_t)e->pid);
	st32(q + 12, (uint32_t)e->ppid);
	st32(q + 16, e->seq);
	st64(q + 20, e->boot);
	st64(q + 28, e->time_ns);
	put_str(&w, e->comm, sizeof(e->comm));
	if ((q = wtake(&w, CALL_LEN)) == NULL)
		return 0;
	st32(q, (uint32_t)e->fd);
	st32(q + 4, (uint32_t)e->ret);
	st32(q + 8, (uint32_t)e->err);
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
	const uint8_t *q;
	size_t i, n;

	memset(e, 0, sizeof(*e));
	if ((q = rtake(&r, HEAD_LEN)) == NULL || q[0] != 'B' ||
	    q[1] != 'W' || q[2] != BW_WIRE_VERSION)
		return -1;
	e->type = q[3];
	e->action = q[4];
	e->proto = q[5];
	e->opts = q[6];
	e->truncated = q[7];
	e->pid = (int32_t)ld32(q + 8);
	e->ppid = (int32_t)ld32(q + 12);
	e->seq = ld32(q + 16);
	e->boot = ld64(q + 20);
	e->time_ns = ld64(q + 28);
	get_str(&r, e->comm, sizeof(e->comm));
	if ((q = rtake(&r, CALL_LEN)) == NULL)
		return -1;
	e->fd = (int32_t)ld32(q);
	e->ret = (int32_t)ld32(q + 4);
	e->err = (int32_t)ld32(q + 8);
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
