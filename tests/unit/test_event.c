/*
 * shim/core/event.c: the wire encoding between the shim and the collector.
 * Every field survives a round trip; a record that is truncated, padded,
 * of another version or otherwise malformed is refused, and random
 * mutations never make the decoder read outside its buffer (the ASan
 * build checks that).
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"

static struct bw_sa
ev_sa(const char *s, uint16_t port)
{
	struct bw_sa sa;

	cr_assert_eq(bw_sa_parse_addr(s, &sa), 0, "bad test address %s", s);
	sa.port = port;
	return sa;
}

static void
ev_fill(char *dst, size_t cap, char c)
{
	memset(dst, c, cap - 1);
	dst[cap - 1] = '\0';
}

/* The fields every event has, each with a value that shows byte order. */
static void
ev_common(struct bw_event *e, int type)
{
	memset(e, 0, sizeof(*e));
	e->type = (uint8_t)type;
	e->action = BW_ACT_REWRITE;
	e->proto = BW_PROTO_UDP;
	e->opts = BW_OPT_REUSEADDR | BW_OPT_V6ONLY | BW_OPT_FREEBIND;
	e->truncated = 1;
	e->pid = 0x7ffffffe;
	e->ppid = -2;
	e->seq = 0xfedcba98u;
	e->boot = 0x0123456789abcdefULL;
	e->time_ns = 0xfedcba9876543210ULL;
	ev_fill(e->comm, sizeof(e->comm), 'c');
	e->fd = 1023;
	e->ret = -1;
	e->err = 98;
}

static void
ev_gai(struct bw_event *e)
{
	size_t i;

	ev_common(e, BW_EV_GAI);
	e->has_node = e->has_service = e->has_hints = 1;
	ev_fill(e->node, sizeof(e->node), 'n');
	ev_fill(e->service, sizeof(e->service), 's');
	e->h_flags = 0x41f;
	e->h_family = AF_INET6;
	e->h_socktype = SOCK_DGRAM;
	e->h_protocol = -17;
	e->naddrs = BINDWATCH_MAX_ADDRS;
	e->naddrs_total = 65535;
	e->norig = BINDWATCH_MAX_ADDRS;
	for (i = 0; i < BINDWATCH_MAX_ADDRS; i++) {
		e->addrs[i] = ev_sa(i % 2 ? "2001:db8::ff" : "10.9.8.7",
		    (uint16_t)(65535 - i));
		e->addrs[i].addr[15] = (uint8_t)i;
		if (i == 3)
			e->addrs[i].scope_id = 0xdeadbeef;
		e->addr_proto[i] = (uint8_t)(i % 3);
		e->orig[i] = ev_sa(i % 2 ? "127.0.0.1" : "::1", (uint16_t)i);
	}
}

static void
ev_bind(struct bw_event *e, int type)
{
	ev_common(e, type);
	e->req = ev_sa("::", 3000);
	e->used = ev_sa("::ffff:127.0.0.1", 3001);
	e->bound = ev_sa("fe80::1%2", 65535);
	e->backlog = -5;
	e->autobound = 1;
	e->alias_fd = 0x12345678;
}

/* What goes on the wire of a connect: the two ends; not the peer. */
static void
ev_connect(struct bw_event *e)
{
	ev_common(e, BW_EV_CONNECT);
	e->req = ev_sa("::1", 3000);
	e->bound = ev_sa("::1", 54321);
}

static void
ev_exec(struct bw_event *e, int type)
{
	ev_common(e, type);
	ev_fill(e->exe, sizeof(e->exe), 'x');
}

static void
ev_expect_sa(const struct bw_sa *a, const struct bw_sa *b, const char *what)
{
	cr_expect_eq(a->family, b->family, "%s family", what);
	cr_expect_eq(a->port, b->port, "%s port", what);
	cr_expect_eq(a->scope_id, b->scope_id, "%s scope", what);
	cr_expect_arr_eq(a->addr, b->addr, 16, "%s addr", what);
}

/* Field by field: the struct has padding, memcmp would lie. */
static void
ev_expect_equal(const struct bw_event *a, const struct bw_event *b)
{
	size_t i;

	cr_expect_eq(a->type, b->type);
	cr_expect_eq(a->action, b->action);
	cr_expect_eq(a->proto, b->proto);
	cr_expect_eq(a->opts, b->opts);
	cr_expect_eq(a->truncated, b->truncated);
	cr_expect_eq(a->pid, b->pid);
	cr_expect_eq(a->ppid, b->ppid);
	cr_expect_eq(a->seq, b->seq);
	cr_expect_eq(a->boot, b->boot);
	cr_expect_eq(a->time_ns, b->time_ns);
	cr_expect_str_eq(a->comm, b->comm);
	cr_expect_eq(a->fd, b->fd);
	cr_expect_eq(a->ret, b->ret);
	cr_expect_eq(a->err, b->err);
	cr_expect_eq(a->has_node, b->has_node);
	cr_expect_eq(a->has_service, b->has_service);
	cr_expect_eq(a->has_hints, b->has_hints);
	cr_expect_str_eq(a->node, b->node);
	cr_expect_str_eq(a->service, b->service);
	cr_expect_eq(a->h_flags, b->h_flags);
	cr_expect_eq(a->h_family, b->h_family);
	cr_expect_eq(a->h_socktype, b->h_socktype);
	cr_expect_eq(a->h_protocol, b->h_protocol);
	cr_expect_eq(a->naddrs, b->naddrs);
	cr_expect_eq(a->naddrs_total, b->naddrs_total);
	cr_expect_eq(a->norig, b->norig);
	for (i = 0; i < BINDWATCH_MAX_ADDRS; i++) {
		ev_expect_sa(&a->addrs[i], &b->addrs[i], "addrs[]");
		cr_expect_eq(a->addr_proto[i], b->addr_proto[i]);
		ev_expect_sa(&a->orig[i], &b->orig[i], "orig[]");
	}
	ev_expect_sa(&a->req, &b->req, "req");
	ev_expect_sa(&a->used, &b->used, "used");
	ev_expect_sa(&a->bound, &b->bound, "bound");
	cr_expect_eq(a->backlog, b->backlog);
	cr_expect_eq(a->autobound, b->autobound);
	cr_expect_eq(a->alias_fd, b->alias_fd);
	cr_expect_str_eq(a->exe, b->exe);
}

/* One full event of each type. */
static void
ev_make(struct bw_event *e, int type)
{
	switch (type) {
	case BW_EV_GAI:
		ev_gai(e);
		break;
	case BW_EV_BIND:
	case BW_EV_LISTEN:
	case BW_EV_CLOSE:
		ev_bind(e, type);
		break;
	case BW_EV_CONNECT:
		ev_connect(e);
		break;
	default:
		ev_exec(e, type);
	}
}

Test(event, type_names)
{
	cr_expect_str_eq(bw_evtype_name(BW_EV_GAI), "getaddrinfo");
	cr_expect_str_eq(bw_evtype_name(BW_EV_BIND), "bind");
	cr_expect_str_eq(bw_evtype_name(BW_EV_LISTEN), "listen");
	cr_expect_str_eq(bw_evtype_name(BW_EV_EXEC), "exec");
	cr_expect_str_eq(bw_evtype_name(BW_EV_EXIT), "exit");
	cr_expect_str_eq(bw_evtype_name(BW_EV_CLOSE), "close");
	cr_expect_str_eq(bw_evtype_name(BW_EV_CONNECT), "connect");
	cr_expect_str_eq(bw_evtype_name(0), "unknown");
	cr_expect_str_eq(bw_evtype_name(BW_EV_MAX), "unknown");
	cr_expect_str_eq(bw_evtype_name(-1), "unknown");
}

Test(event, round_trip_every_type)
{
	static uint8_t buf[BINDWATCH_MAX_RECORD];
	struct bw_event e, d;
	size_t n;
	int t;

	for (t = 1; t < BW_EV_MAX; t++) {
		ev_make(&e, t);
		n = bw_event_encode(&e, buf, sizeof(buf));
		cr_assert_gt(n, 0, "type %d", t);
		cr_assert_leq(n, BINDWATCH_MAX_RECORD);
		cr_assert_eq(bw_event_decode(&d, buf, n), 0, "type %d", t);
		ev_expect_equal(&e, &d);
		/* Names at their maximum length arrive whole. */
		cr_expect_eq(strlen(d.comm), BINDWATCH_MAX_COMM - 1);
	}
	ev_gai(&e);
	n = bw_event_encode(&e, buf, sizeof(buf));
	cr_assert_eq(bw_event_decode(&d, buf, n), 0);
	cr_expect_eq(strlen(d.node), BINDWATCH_MAX_NAME - 1);
	cr_expect_eq(strlen(d.service), BINDWATCH_MAX_SERV - 1);
	cr_expect_eq(d.naddrs, BINDWATCH_MAX_ADDRS);
	cr_expect_eq(d.addrs[3].scope_id, 0xdeadbeef);
}

Test(event, round_trip_minimal)
{
	uint8_t buf[BINDWATCH_MAX_RECORD];
	struct bw_event e, d;
	size_t n;
	int t;

	/* All zero but the type: empty strings, no addresses. */
	for (t = 1; t < BW_EV_MAX; t++) {
		memset(&e, 0, sizeof(e));
		e.type = (uint8_t)t;
		n = bw_event_encode(&e, buf, sizeof(buf));
		cr_assert_gt(n, 0);
		cr_assert_eq(bw_event_decode(&d, buf, n), 0, "type %d", t);
		ev_expect_equal(&e, &d);
	}
}

Test(event, unterminated_name_is_cut_not_overrun)
{
	uint8_t buf[BINDWATCH_MAX_RECORD];
	struct bw_event e, d;
	size_t n;

	ev_bind(&e, BW_EV_BIND);
	memset(e.comm, 'z', sizeof(e.comm));	/* no NUL at all */
	n = bw_event_encode(&e, buf, sizeof(buf));
	cr_assert_gt(n, 0);
	cr_assert_eq(bw_event_decode(&d, buf, n), 0);
	cr_expect_eq(strlen(d.comm), sizeof(d.comm) - 1);
}

Test(event, every_truncation_is_rejected)
{
	uint8_t buf[BINDWATCH_MAX_RECORD];
	struct bw_event e, d;
	size_t n, len;
	int t;

	for (t = 1; t < BW_EV_MAX; t++) {
		ev_make(&e, t);
		n = bw_event_encode(&e, buf, sizeof(buf));
		cr_assert_gt(n, 0);
		for (len = 0; len < n; len++) {
			/* An exact-size heap copy: ASan sees any over-read. */
			uint8_t *p = malloc(len ? len : 1);

			cr_assert_not_null(p);
			memcpy(p, buf, len);
			cr_expect_eq(bw_event_decode(&d, p, len), -1,
			    "type %d: prefix of %zu/%zu bytes accepted", t, len, n);
			free(p);
		}
	}
}

Test(event, trailing_byte_is_rejected)
{
	uint8_t buf[BINDWATCH_MAX_RECORD];
	struct bw_event e, d;
	size_t n;
	int t;

	for (t = 1; t < BW_EV_MAX; t++) {
		ev_make(&e, t);
		n = bw_event_encode(&e, buf, sizeof(buf) - 1);
		cr_assert_gt(n, 0);
		buf[n] = 0;
		cr_expect_eq(bw_event_decode(&d, buf, n + 1), -1, "type %d", t);
		cr_expect_eq(bw_event_decode(&d, buf, n), 0, "type %d", t);
	}
}

/* Encode a valid bind record, corrupt byte off, expect a refusal. */
static void
ev_expect_corrupt(size_t off, uint8_t v, const char *what)
{
	uint8_t buf[BINDWATCH_MAX_RECORD];
	struct bw_event e, d;
	size_t n;

	ev_bind(&e, BW_EV_BIND);
	n = bw_event_encode(&e, buf, sizeof(buf));
	cr_assert_gt(n, off);
	cr_assert_eq(bw_event_decode(&d, buf, n), 0);
	buf[off] = v;
	cr_expect_eq(bw_event_decode(&d, buf, n), -1, "%s", what);
}

Test(event, bad_header_and_enums)
{
	ev_expect_corrupt(0, 'b', "magic B");
	ev_expect_corrupt(1, 'w', "magic W");
	ev_expect_corrupt(2, 0, "version 0");
	ev_expect_corrupt(2, 2, "version 2");
	ev_expect_corrupt(3, 0, "type 0");
	ev_expect_corrupt(3, BW_EV_MAX, "type past the last");
	ev_expect_corrupt(3, 0xff, "type 255");
	ev_expect_corrupt(4, BW_ACT_CONFINE + 1, "action");
	ev_expect_corrupt(5, BW_PROTO_UDP + 1, "proto");
}

/*
 * Offsets in a bind record: header 8, pid/ppid/seq 12, boot/time 16,
 * comm (2 + len), fd/ret/err 12, then req, used, bound (24 each: family,
 * port, scope, addr).
 */
#define EV_OFF_COMM	36
#define EV_OFF_REQ(commlen)	(EV_OFF_COMM + 2 + (commlen) + 12)

Test(event, bad_family_is_rejected)
{
	uint8_t buf[BINDWATCH_MAX_RECORD];
	struct bw_event e, d;
	size_t n, off, k;

	ev_bind(&e, BW_EV_BIND);
	n = bw_event_encode(&e, buf, sizeof(buf));
	/* Make sure the layout assumption holds before relying on it. */
	off = EV_OFF_REQ(strlen(e.comm));
	cr_assert_eq(buf[off] | buf[off + 1] << 8, AF_INET6);
	for (k = 0; k < 3; k++) {
		uint8_t c[BINDWATCH_MAX_RECORD];

		memcpy(c, buf, n);
		c[off + 24 * k] = AF_UNIX;
		cr_expect_eq(bw_event_decode(&d, c, n), -1, "sa %zu", k);
		/* Family 0 (no address) is fine. */
		c[off + 24 * k] = 0;
		cr_expect_eq(bw_event_decode(&d, c, n), 0, "sa %zu", k);
	}
}

Test(event, embedded_nul_is_rejected)
{
	uint8_t buf[BINDWATCH_MAX_RECORD];
	struct bw_event e, d;
	size_t n;

	ev_bind(&e, BW_EV_BIND);
	n = bw_event_encode(&e, buf, sizeof(buf));
	cr_assert_eq(buf[EV_OFF_COMM], strlen(e.comm));
	buf[EV_OFF_COMM + 2 + 3] = '\0';
	cr_expect_eq(bw_event_decode(&d, buf, n), -1);
	/* The NUL as the very last byte of the string: still a lie. */
	buf[EV_OFF_COMM + 2 + 3] = 'c';
	buf[EV_OFF_COMM + 2 + strlen(e.comm) - 1] = '\0';
	cr_expect_eq(bw_event_decode(&d, buf, n), -1);
}

Test(event, oversized_string_length_is_rejected)
{
	uint8_t buf[BINDWATCH_MAX_RECORD];
	struct bw_event e, d;
	size_t n, clen;

	ev_exec(&e, BW_EV_EXEC);
	n = bw_event_encode(&e, buf, sizeof(buf));
	/* comm says 16 bytes where only 15 (+NUL) fit: refused. */
	clen = strlen(e.comm);
	cr_assert_eq(buf[EV_OFF_COMM], clen);
	buf[EV_OFF_COMM] = BINDWATCH_MAX_COMM;
	cr_expect_eq(bw_event_decode(&d, buf, n), -1);
	buf[EV_OFF_COMM] = 0xff;
	buf[EV_OFF_COMM + 1] = 0xff;
	cr_expect_eq(bw_event_decode(&d, buf, n), -1);
}

Test(event, address_counts_are_checked)
{
	uint8_t buf[BINDWATCH_MAX_RECORD];
	struct bw_event e, d;
	size_t n;

	/* More kept than returned is a lie. */
	ev_gai(&e);
	e.naddrs = 2;
	e.naddrs_total = 1;
	n = bw_event_encode(&e, buf, sizeof(buf));
	cr_assert_gt(n, 0);
	cr_expect_eq(bw_event_decode(&d, buf, n), -1);

	/* Fewer kept than returned is the normal cut. */
	e.naddrs_total = 300;
	n = bw_event_encode(&e, buf, sizeof(buf));
	cr_assert_eq(bw_event_decode(&d, buf, n), 0);
	cr_expect_eq(d.naddrs, 2);
	cr_expect_eq(d.naddrs_total, 300);

	/* The encoder never writes more than the array holds. */
	e.naddrs = 40;
	e.naddrs_total = 40;
	e.norig = 40;
	n = bw_event_encode(&e, buf, sizeof(buf));
	cr_assert_eq(bw_event_decode(&d, buf, n), 0);
	cr_expect_eq(d.naddrs, BINDWATCH_MAX_ADDRS);
	cr_expect_eq(d.norig, BINDWATCH_MAX_ADDRS);
}

Test(event, naddrs_over_the_array_is_rejected)
{
	uint8_t buf[BINDWATCH_MAX_RECORD], big[BINDWATCH_MAX_RECORD];
	struct bw_event e, d;
	size_t n, cnt, sz = 25;	/* one address: sa (24) + proto (1) */

	/*
	 * A well-formed record with 17 addresses really present: only the
	 * limit can refuse it (decoding it would overrun addrs[]).
	 */
	ev_gai(&e);
	e.norig = 0;
	n = bw_event_encode(&e, buf, sizeof(buf));
	cr_assert_eq(bw_event_decode(&d, buf, n), 0);
	cnt = n - 2 - BINDWATCH_MAX_ADDRS * sz - 4;	/* naddrs field */
	cr_assert_eq(buf[cnt], BINDWATCH_MAX_ADDRS);
	memcpy(big, buf, n - 2);
	memcpy(big + n - 2, buf + n - 2 - sz, sz);	/* the 17th */
	memcpy(big + n - 2 + sz, buf + n - 2, 2);	/* norig */
	big[cnt] = BINDWATCH_MAX_ADDRS + 1;
	big[cnt + 2] = big[cnt + 3] = 0xff;		/* naddrs_total */
	cr_expect_eq(bw_event_decode(&d, big, n + sz), -1, "naddrs 17");
	/* The same bytes with the count put back: misread, refused. */
	big[cnt] = BINDWATCH_MAX_ADDRS;
	cr_expect_eq(bw_event_decode(&d, big, n + sz), -1, "16 + extra");

	/* norig: 17 original addresses (24 bytes each) present. */
	ev_gai(&e);
	n = bw_event_encode(&e, buf, sizeof(buf));
	cnt = n - BINDWATCH_MAX_ADDRS * 24 - 2;		/* norig field */
	cr_assert_eq(buf[cnt], BINDWATCH_MAX_ADDRS);
	memcpy(big, buf, n);
	memcpy(big + n, buf + n - 24, 24);
	big[cnt] = BINDWATCH_MAX_ADDRS + 1;
	cr_expect_eq(bw_event_decode(&d, big, n + 24), -1, "norig 17");
	big[cnt] = BINDWATCH_MAX_ADDRS;
	cr_expect_eq(bw_event_decode(&d, big, n), 0, "control");
}

Test(event, encode_into_too_small_buffer)
{
	uint8_t buf[BINDWATCH_MAX_RECORD];
	struct bw_event e;
	size_t n, len;
	int t;

	for (t = 1; t < BW_EV_MAX; t++) {
		ev_make(&e, t);
		n = bw_event_encode(&e, buf, sizeof(buf));
		cr_assert_gt(n, 0);
		for (len = 0; len < n; len++) {
			uint8_t *p = malloc(len ? len : 1);

			cr_assert_not_null(p);
			cr_expect_eq(bw_event_encode(&e, p, len), 0,
			    "type %d into %zu bytes", t, len);
			free(p);
		}
		cr_expect_eq(bw_event_encode(&e, buf, n), n);
	}
}

Test(event, encode_unknown_type)
{
	uint8_t buf[BINDWATCH_MAX_RECORD];
	struct bw_event e;

	ev_bind(&e, BW_EV_BIND);
	e.type = 0;
	cr_expect_eq(bw_event_encode(&e, buf, sizeof(buf)), 0);
	e.type = BW_EV_MAX;
	cr_expect_eq(bw_event_encode(&e, buf, sizeof(buf)), 0);
}

static uint32_t
ev_xorshift(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

/*
 * 20,000 mutations of valid records: flipped bytes, changed lengths, cut
 * and grown records.  Each is decoded from an exact-size heap copy, so an
 * over-read is an ASan error; an accepted one must re-encode to the same
 * bytes (the decoder is the inverse of the encoder, nothing is guessed).
 */
Test(event, mutations_never_crash)
{
	uint8_t seed[BW_EV_MAX][BINDWATCH_MAX_RECORD], out[BINDWATCH_MAX_RECORD];
	size_t seedlen[BW_EV_MAX], accepted = 0, i, k, n;
	uint32_t rng = 0x9e3779b9u;
	struct bw_event e;
	int t;

	for (t = 1; t < BW_EV_MAX; t++) {
		ev_make(&e, t);
		seedlen[t] = bw_event_encode(&e, seed[t], sizeof(seed[t]));
		cr_assert_gt(seedlen[t], 0);
	}
	for (i = 0; i < 20000; i++) {
		uint8_t *p;
		size_t len;

		t = 1 + (int)(ev_xorshift(&rng) % (BW_EV_MAX - 1));
		len = seedlen[t];
		switch (ev_xorshift(&rng) % 4) {
		case 0:		/* cut */
			len = ev_xorshift(&rng) % (len + 1);
			break;
		case 1:		/* grow */
			len += 1 + ev_xorshift(&rng) % 16;
			break;
		default:
			break;
		}
		if ((p = malloc(len ? len : 1)) == NULL)
			cr_assert_fail("malloc");
		for (k = 0; k < len; k++)
			p[k] = k < seedlen[t] ? seed[t][k] :
			    (uint8_t)ev_xorshift(&rng);
		/* Keep the header valid most of the time to get deep. */
		n = 1 + ev_xorshift(&rng) % 4;
		for (k = 0; k < n && len > 0; k++) {
			size_t at = ev_xorshift(&rng) % len;

			if (at < 3 && ev_xorshift(&rng) % 8 != 0)
				continue;
			p[at] = (uint8_t)ev_xorshift(&rng);
		}
		if (bw_event_decode(&e, p, len) == 0) {
			accepted++;
			n = bw_event_encode(&e, out, sizeof(out));
			cr_expect_eq(n, len, "mutation %zu: re-encoded length", i);
			if (n == len)
				cr_expect_arr_eq(out, p, len, "mutation %zu", i);
		}
		free(p);
	}
	/* Some mutations hit fields where anything goes: not all refused. */
	cr_expect_gt(accepted, 0);
	cr_expect_lt(accepted, 20000);
}
