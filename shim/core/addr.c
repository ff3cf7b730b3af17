/*
 * Socket addresses as plain data.  Everything here is pure so that the
 * shim can call it from any hook and the tests can call it without a
 * preload.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <string.h>

#include "addr.h"
#include "buf.h"

static const uint8_t v4mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

/*
 * Copy an IP sockaddr into plain data.  Returns 0, or -1 when the family
 * is not IP or the length is too short to hold it (the caller then passes
 * the call through untouched and lets the kernel say EINVAL).
 */
int
bw_sa_from_sockaddr(struct bw_sa *sa, const struct sockaddr *s, size_t len)
{
	memset(sa, 0, sizeof(*sa));
	if (s == NULL || len < sizeof(sa_family_t))
		return -1;
	if (s->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)s;

		if (len < sizeof(*in))
			return -1;
		sa->family = AF_INET;
		sa->port = ntohs(in->sin_port);
		memcpy(sa->addr, &in->sin_addr, 4);
		return 0;
	}
	if (s->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)s;

		/* The kernel accepts the old 24-byte sockaddr_in6 (no scope). */
		if (len < 24)
			return -1;
		sa->family = AF_INET6;
		sa->port = ntohs(in6->sin6_port);
		memcpy(sa->addr, &in6->sin6_addr, 16);
		if (len >= sizeof(*in6))
			sa->scope_id = in6->sin6_scope_id;
		return 0;
	}
	return -1;
}

/* The reverse; returns the sockaddr length, 0 for a non-IP family. */
size_t
bw_sa_to_sockaddr(const struct bw_sa *sa, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (sa->family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;

		in->sin_family = AF_INET;
		in->sin_port = htons(sa->port);
		memcpy(&in->sin_addr, sa->addr, 4);
		return sizeof(*in);
	}
	if (sa->family == AF_INET6) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(sa->port);
		in6->sin6_scope_id = sa->scope_id;
		memcpy(&in6->sin6_addr, sa->addr, 16);
		return sizeof(*in6);
	}
	return 0;
}

int
bw_sa_is_v4mapped(const struct bw_sa *sa)
{
	return sa->family == AF_INET6 &&
	    memcmp(sa->addr, v4mapped_prefix, sizeof(v4mapped_prefix)) == 0;
}

/* Make dst the v4-mapped IPv6 form (::ffff:a.b.c.d) of the IPv4 src. */
void
bw_sa_v4mapped(struct bw_sa *dst, const struct bw_sa *src)
{
	struct bw_sa t = *src;

	memset(dst, 0, sizeof(*dst));
	dst->family = AF_INET6;
	dst->port = t.port;
	memcpy(dst->addr, v4mapped_prefix, sizeof(v4mapped_prefix));
	memcpy(dst->addr + 12, t.addr, 4);
}

/* The reverse: a v4-mapped address becomes the IPv4 address it stands for. */
void
bw_sa_unmap(struct bw_sa *sa)
{
	struct bw_sa v4;

	if (!bw_sa_is_v4mapped(sa))
		return;
	memset(&v4, 0, sizeof(v4));
	v4.family = AF_INET;
	v4.port = sa->port;
	memcpy(v4.addr, sa->addr + 12, 4);
	*sa = v4;
}

/* True for the IPv6 wildcard only: the one bind IPV6_V6ONLY changes. */
int
bw_sa_is_v6only_capable(const struct bw_sa *sa)
{
	static const uint8_t any[16];

	return sa->family == AF_INET6 && memcmp(sa->addr, any, 16) == 0;
}

int
bw_sa_class(const struct bw_sa *sa)
{
	static const uint8_t any[16];
	const uint8_t *v4;

	if (sa->family == AF_INET)
		v4 = sa->addr;
	else if (bw_sa_is_v4mapped(sa))
		v4 = sa->addr + 12;
	else if (sa->family == AF_INET6) {
		if (memcmp(sa->addr, any, 16) == 0)
			return BW_CLASS_WILDCARD;
		if (memcmp(sa->addr, any, 15) == 0 && sa->addr[15] == 1)
			return BW_CLASS_LOOPBACK;
		return BW_CLASS_OTHER;
	} else
		return BW_CLASS_OTHER;
	if (v4[0] == 127)
		return BW_CLASS_LOOPBACK;
	if (memcmp(v4, any, 4) == 0)
		return BW_CLASS_WILDCARD;
	return BW_CLASS_OTHER;
}

const char *
bw_class_name(int c)
{
	switch (c) {
	case BW_CLASS_LOOPBACK:
		return "loopback";
	case BW_CLASS_WILDCARD:
		return "wildcard";
	default:
		return "other";
	}
}

/* Same address (and port, when withport) and family. */
int
bw_sa_equal(const struct bw_sa *a, const struct bw_sa *b, int withport)
{
	size_t n = a->family == AF_INET ? 4 : 16;

	if (a->family != b->family || (withport && a->port != b->port))
		return 0;
	return memcmp(a->addr, b->addr, n) == 0;
}

/* 127.0.0.1:port or [::1]:port: where a client of localhost goes. */
void
bw_sa_loopback(struct bw_sa *sa, int family, uint16_t port)
{
	memset(sa, 0, sizeof(*sa));
	sa->family = (uint16_t)family;
	sa->port = port;
	if (family == AF_INET) {
		sa->addr[0] = 127;
		sa->addr[3] = 1;
	} else
		sa->addr[15] = 1;
}

static void
put_dec(struct bw_buf *b, const uint8_t *v4)
{
	int i;

	for (i = 0; i < 4; i++) {
		if (i > 0)
			bw_buf_str(b, ".");
		bw_buf_u64(b, v4[i]);
	}
}

/*
 * An address as inet_ntop(3) writes it (RFC 5952 for IPv6: the first
 * longest run of two or more zero groups as "::", an IPv4 tail after
 * ::ffff: and after six zero groups), without its sprintf: formatting runs
 * on hook paths, in signal handlers too.
 */
void
bw_addr_ntop(int family, const uint8_t *a, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	struct bw_buf b;
	unsigned int w[8];
	int i, best = -1, bestlen = 0, cur = -1, curlen = 0, shift, any;
	char g[5];
	size_t n;

	bw_buf_init(&b, buf, len);
	if (family == AF_INET) {
		put_dec(&b, a);
		return;
	}
	for (i = 0; i < 8; i++) {
		w[i] = (unsigned int)a[(size_t)i * 2] << 8 | a[(size_t)i * 2 + 1];
		if (w[i] == 0) {
			if (cur == -1)
				cur = i, curlen = 0;
			if (++curlen > bestlen)
				best = cur, bestlen = curlen;
		} else
			cur = -1;
	}
	if (bestlen < 2)
		best = -1;
	for (i = 0; i < 8; i++) {
		if (i == best) {
			bw_buf_str(&b, "::");
			i += bestlen - 1;
			continue;
		}
		if (i > 0 && i != best + bestlen)
			bw_buf_str(&b, ":");
		if (i == 6 && best == 0 && (bestlen == 6 ||
		    (bestlen == 5 && w[5] == 0xffff))) {
			put_dec(&b, a + 12);
			break;
		}
		for (n = 0, shift = 12, any = 0; shift >= 0; shift -= 4)
			if ((any |= (int)((w[i] >> shift) & 0xf)) || shift == 0)
				g[n++] = hex[(w[i] >> shift) & 0xf];
		g[n] = '\0';
		bw_buf_str(&b, g);
	}
}

/*
 * "127.0.0.1:3000", "[::1]:3000", "[fe80::1%2]:80"; with BW_FMT_NOPORT
 * the address alone, with BW_FMT_BARE no brackets.  Always terminates buf.
 */
char *
bw_sa_format(const struct bw_sa *sa, char *buf, size_t len, int flags)
{
	char a[INET6_ADDRSTRLEN];
	struct bw_buf b;
	int br;

	bw_buf_init(&b, buf, len);
	if (sa->family != AF_INET && sa->family != AF_INET6) {
		bw_buf_str(&b, "?");
		return buf;
	}
	bw_addr_ntop(sa->family, sa->addr, a, sizeof(a));
	br = sa->family == AF_INET6 && !(flags & BW_FMT_BARE);
	if (br)
		bw_buf_str(&b, "[");
	bw_buf_str(&b, a);
	if (sa->family == AF_INET6 && sa->scope_id != 0) {
		bw_buf_str(&b, "%");
		bw_buf_u64(&b, sa->scope_id);
	}
	if (br)
		bw_buf_str(&b, "]");
	if (!(flags & BW_FMT_NOPORT)) {
		bw_buf_str(&b, ":");
		bw_buf_u64(&b, sa->port);
	}
	return buf;
}

/* A decimal port 0..65535 of exactly n characters. */
int
bw_parse_port(const char *s, size_t n, uint16_t *port)
{
	unsigned long v = 0;
	size_t i;

	if (n == 0 || n > 5)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

/* Parse a numeric address, IPv6 optionally with a numeric %scope. */
static int
parse_addr_n(const char *s, size_t n, struct bw_sa *sa)
{
	char b[INET6_ADDRSTRLEN + 12];
	char *pct;

	memset(sa, 0, sizeof(*sa));
	if (n == 0 || n >= sizeof(b))
		return -1;
	memcpy(b, s, n);
	b[n] = '\0';
	if (inet_pton(AF_INET, b, sa->addr) == 1) {
		sa->family = AF_INET;
		return 0;
	}
	if ((pct = strchr(b, '%')) != NULL) {
		uint16_t scope;

		/* Numeric scopes only: a name would need if_nametoindex (I/O). */
		if (bw_parse_port(pct + 1, strlen(pct + 1), &scope) == -1)
			return -1;
		*pct = '\0';
		sa->scope_id = scope;
	}
	if (inet_pton(AF_INET6, b, sa->addr) == 1) {
		sa->family = AF_INET6;
		return 0;
	}
	return -1;
}

/* A bare numeric address: "127.0.0.1", "::1", "[::1]". */
int
bw_sa_parse_addr(const char *s, struct bw_sa *sa)
{
	size_t n = strlen(s);

	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		if (parse_addr_n(s + 1, n - 2, sa) == -1 || sa->family != AF_INET6)
			return -1;
		return 0;
	}
	return parse_addr_n(s, n, sa);
}

/*
 * ADDR, ADDR:PORT or [V6]:PORT (a bare V6 has no port: its colons are
 * taken as the address).  *has_port says which.
 */
int
bw_sa_parse_endpoint(const char *s, struct bw_sa *sa, int *has_port)
{
	const char *colon, *close;
	size_t n = strlen(s);

	*has_port = 0;
	if (s[0] == '[') {
		if ((close = strchr(s, ']')) == NULL)
			return -1;
		if (parse_addr_n(s + 1, (size_t)(close - s - 1), sa) == -1 ||
		    sa->family != AF_INET6)
			return -1;
		if (close[1] == '\0')
			return 0;
		if (close[1] != ':' ||
		    bw_parse_port(close + 2, strlen(close + 2), &sa->port) == -1)
			return -1;
		*has_port = 1;
		return 0;
	}
	colon = strchr(s, ':');
	if (colon != NULL && strchr(colon + 1, ':') == NULL) {
		uint16_t port;

		if (bw_parse_port(colon + 1, strlen(colon + 1), &port) == -1)
			return -1;
		if (parse_addr_n(s, (size_t)(colon - s), sa) == -1 ||
		    sa->family != AF_INET)
			return -1;
		sa->port = port;
		*has_port = 1;
		return 0;
	}
	return parse_addr_n(s, n, sa);
}
