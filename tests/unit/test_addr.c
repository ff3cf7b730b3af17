/*
 * shim/core/addr.c: parsing, formatting and classification of IP endpoints,
 * and the conversions from and to struct sockaddr.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <criterion/criterion.h>
#include <string.h>

#include "addr.h"

static struct bw_sa
addr_sa(const char *s, uint16_t port)
{
	struct bw_sa sa;

	cr_assert_eq(bw_sa_parse_addr(s, &sa), 0, "bad test address %s", s);
	sa.port = port;
	return sa;
}

Test(addr, classification_table)
{
	static const struct {
		const char	*a;
		int		 family;
		int		 cls;
		int		 mapped;
	} t[] = {
		{ "127.0.0.1", AF_INET, BW_CLASS_LOOPBACK, 0 },
		{ "127.255.255.254", AF_INET, BW_CLASS_LOOPBACK, 0 },
		{ "0.0.0.0", AF_INET, BW_CLASS_WILDCARD, 0 },
		{ "10.0.0.1", AF_INET, BW_CLASS_OTHER, 0 },
		{ "::1", AF_INET6, BW_CLASS_LOOPBACK, 0 },
		{ "::", AF_INET6, BW_CLASS_WILDCARD, 0 },
		{ "::ffff:127.0.0.1", AF_INET6, BW_CLASS_LOOPBACK, 1 },
		{ "::ffff:0.0.0.0", AF_INET6, BW_CLASS_WILDCARD, 1 },
		{ "::ffff:10.1.2.3", AF_INET6, BW_CLASS_OTHER, 1 },
		{ "fe80::1%2", AF_INET6, BW_CLASS_OTHER, 0 },
		{ "2001:db8::1", AF_INET6, BW_CLASS_OTHER, 0 },
		/* Near misses of the special cases. */
		{ "128.0.0.1", AF_INET, BW_CLASS_OTHER, 0 },
		{ "0.0.0.1", AF_INET, BW_CLASS_OTHER, 0 },
		{ "::2", AF_INET6, BW_CLASS_OTHER, 0 },
		{ "1::1", AF_INET6, BW_CLASS_OTHER, 0 },
		{ "::fffe:127.0.0.1", AF_INET6, BW_CLASS_OTHER, 0 },
		{ "::127.0.0.1", AF_INET6, BW_CLASS_OTHER, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct bw_sa sa = addr_sa(t[i].a, 0);

		cr_expect_eq(sa.family, t[i].family, "%s: family", t[i].a);
		cr_expect_eq(bw_sa_class(&sa), t[i].cls, "%s: class %s", t[i].a,
		    bw_class_name(bw_sa_class(&sa)));
		cr_expect_eq(!!bw_sa_is_v4mapped(&sa), t[i].mapped,
		    "%s: v4mapped", t[i].a);
	}
}

Test(addr, class_names)
{
	cr_expect_str_eq(bw_class_name(BW_CLASS_LOOPBACK), "loopback");
	cr_expect_str_eq(bw_class_name(BW_CLASS_WILDCARD), "wildcard");
	cr_expect_str_eq(bw_class_name(BW_CLASS_OTHER), "other");
	cr_expect_str_eq(bw_class_name(42), "other");
}

Test(addr, class_of_unspec_is_other)
{
	struct bw_sa sa;

	memset(&sa, 0, sizeof(sa));
	cr_expect_eq(bw_sa_class(&sa), BW_CLASS_OTHER);
	cr_expect_not(bw_sa_is_v4mapped(&sa));
}

Test(addr, v6only_capable)
{
	struct bw_sa a = addr_sa("::", 80), b = addr_sa("0.0.0.0", 80);
	struct bw_sa c = addr_sa("::ffff:0.0.0.0", 80), d = addr_sa("::1", 80);

	cr_expect(bw_sa_is_v6only_capable(&a));
	cr_expect_not(bw_sa_is_v6only_capable(&b));
	cr_expect_not(bw_sa_is_v6only_capable(&c));
	cr_expect_not(bw_sa_is_v6only_capable(&d));
}

Test(addr, map_and_unmap)
{
	struct bw_sa v4 = addr_sa("10.1.2.3", 8080), m, want;
	char buf[BW_ADDRSTRLEN];

	bw_sa_v4mapped(&m, &v4);
	want = addr_sa("::ffff:10.1.2.3", 8080);
	cr_expect(bw_sa_equal(&m, &want, 1), "mapped: %s",
	    bw_sa_format(&m, buf, sizeof(buf), 0));
	/* In place (dst == src) must work too. */
	bw_sa_v4mapped(&v4, &v4);
	cr_expect(bw_sa_equal(&v4, &want, 1));
	bw_sa_unmap(&m);
	cr_expect_eq(m.family, AF_INET);
	cr_expect_eq(m.port, 8080);
	cr_expect_str_eq(bw_sa_format(&m, buf, sizeof(buf), 0), "10.1.2.3:8080");
	/* Not mapped: unchanged. */
	m = addr_sa("::1", 1);
	bw_sa_unmap(&m);
	cr_expect_eq(m.family, AF_INET6);
	cr_expect_str_eq(bw_sa_format(&m, buf, sizeof(buf), 0), "[::1]:1");
}

Test(addr, equal)
{
	struct bw_sa a = addr_sa("127.0.0.1", 80), b = addr_sa("127.0.0.1", 81);
	struct bw_sa c = addr_sa("::ffff:127.0.0.1", 80);

	cr_expect(bw_sa_equal(&a, &b, 0));
	cr_expect_not(bw_sa_equal(&a, &b, 1));
	cr_expect_not(bw_sa_equal(&a, &c, 0), "families differ");
	/* IPv4 compares 4 bytes only: junk beyond them does not matter. */
	b = a;
	b.addr[10] = 0x55;
	cr_expect(bw_sa_equal(&a, &b, 1));
}

Test(addr, format)
{
	static const struct {
		const char	*a;
		uint16_t	 port;
		int		 flags;
		const char	*want;
	} t[] = {
		{ "127.0.0.1", 3000, 0, "127.0.0.1:3000" },
		{ "0.0.0.0", 0, 0, "0.0.0.0:0" },
		{ "127.0.0.1", 65535, BW_FMT_NOPORT, "127.0.0.1" },
		{ "127.0.0.1", 80, BW_FMT_BARE, "127.0.0.1:80" },
		{ "::1", 3000, 0, "[::1]:3000" },
		{ "::1", 3000, BW_FMT_NOPORT, "[::1]" },
		{ "::1", 3000, BW_FMT_BARE, "::1:3000" },
		{ "::1", 3000, BW_FMT_BARE | BW_FMT_NOPORT, "::1" },
		{ "::", 80, 0, "[::]:80" },
		{ "::ffff:127.0.0.1", 80, 0, "[::ffff:127.0.0.1]:80" },
		{ "fe80::1%2", 80, 0, "[fe80::1%2]:80" },
		{ "fe80::1%2", 80, BW_FMT_BARE | BW_FMT_NOPORT, "fe80::1%2" },
		{ "2001:db8::1", 443, 0, "[2001:db8::1]:443" },
	};
	char buf[BW_ADDRSTRLEN];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct bw_sa sa = addr_sa(t[i].a, t[i].port);

		cr_expect_str_eq(bw_sa_format(&sa, buf, sizeof(buf), t[i].flags),
		    t[i].want, "%s flags %d", t[i].a, t[i].flags);
	}
}

Test(addr, format_longest_fits)
{
	struct bw_sa sa = addr_sa("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535);
	char buf[BW_ADDRSTRLEN];

	sa.scope_id = 4294967295u;
	bw_sa_format(&sa, buf, sizeof(buf), 0);
	cr_expect_str_eq(buf,
	    "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff%4294967295]:65535");
}

Test(addr, format_non_ip_and_small_buffers)
{
	struct bw_sa sa;
	char buf[BW_ADDRSTRLEN];

	memset(&sa, 0, sizeof(sa));
	cr_expect_str_eq(bw_sa_format(&sa, buf, sizeof(buf), 0), "?");
	sa.family = AF_UNIX;
	cr_expect_str_eq(bw_sa_format(&sa, buf, sizeof(buf), 0), "?");

	/* Too small: cut between pieces, always terminated, never overrun. */
	sa = addr_sa("::1", 3000);
	memset(buf, 'X', sizeof(buf));
	bw_sa_format(&sa, buf, 6, 0);
	cr_expect_str_eq(buf, "[::1]");
	cr_expect_eq(buf[6], 'X');
	memset(buf, 'X', sizeof(buf));
	bw_sa_format(&sa, buf, 1, 0);
	cr_expect_str_eq(buf, "");
	cr_expect_eq(buf[1], 'X');
}

Test(addr, parse_addr)
{
	static const struct {
		const char	*s;
		int		 ok;
		int		 family;
		uint32_t	 scope;
	} t[] = {
		{ "127.0.0.1", 1, AF_INET, 0 },
		{ "::1", 1, AF_INET6, 0 },
		{ "[::1]", 1, AF_INET6, 0 },
		{ "fe80::1%2", 1, AF_INET6, 2 },
		{ "[fe80::1%65535]", 1, AF_INET6, 65535 },
		{ "::ffff:1.2.3.4", 1, AF_INET6, 0 },
		{ "", 0, 0, 0 },
		{ "[]", 0, 0, 0 },
		{ "[1.2.3.4]", 0, 0, 0 },
		{ "1.2.3", 0, 0, 0 },
		{ "1.2.3.256", 0, 0, 0 },
		{ "127.0.0.1 ", 0, 0, 0 },
		{ " 127.0.0.1", 0, 0, 0 },
		{ "localhost", 0, 0, 0 },
		{ "fe80::1%eth0", 0, 0, 0 },
		{ "fe80::1%", 0, 0, 0 },
		{ "fe80::1%65536", 0, 0, 0 },
		{ "1.2.3.4%2", 0, 0, 0 },
		{ "::1:80:", 0, 0, 0 },
		{ "[::1", 0, 0, 0 },
		{ "::1]", 0, 0, 0 },
		{ "127.0.0.1:80", 0, 0, 0 },
		{ "[::1]:80", 0, 0, 0 },
		{ "1:2:3:4:5:6:7:8:9", 0, 0, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct bw_sa sa;
		int r = bw_sa_parse_addr(t[i].s, &sa);

		cr_expect_eq(r, t[i].ok ? 0 : -1, "'%s': %d", t[i].s, r);
		if (r == 0 && t[i].ok) {
			cr_expect_eq(sa.family, t[i].family, "'%s': family", t[i].s);
			cr_expect_eq(sa.scope_id, t[i].scope, "'%s': scope", t[i].s);
			cr_expect_eq(sa.port, 0, "'%s': port", t[i].s);
		}
	}
}

Test(addr, parse_addr_too_long)
{
	char s[200];

	/* Longer than any address: refused, not overrun. */
	memset(s, '1', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	cr_expect_eq(bw_sa_parse_addr(s, &(struct bw_sa){ 0 }), -1);
}

Test(addr, parse_endpoint)
{
	static const struct {
		const char	*s;
		int		 ok;
		const char	*want;		/* formatted */
		int		 has_port;
	} t[] = {
		{ "127.0.0.1", 1, "127.0.0.1:0", 0 },
		{ "127.0.0.1:80", 1, "127.0.0.1:80", 1 },
		{ "0.0.0.0:0", 1, "0.0.0.0:0", 1 },
		{ "10.0.0.1:65535", 1, "10.0.0.1:65535", 1 },
		{ "[::1]:3000", 1, "[::1]:3000", 1 },
		{ "[::1]", 1, "[::1]:0", 0 },
		{ "::1", 1, "[::1]:0", 0 },
		{ "2001:db8::1", 1, "[2001:db8::1]:0", 0 },
		{ "::ffff:127.0.0.1", 1, "[::ffff:127.0.0.1]:0", 0 },
		{ "[::ffff:127.0.0.1]:80", 1, "[::ffff:127.0.0.1]:80", 1 },
		{ "[fe80::1%2]:80", 1, "[fe80::1%2]:80", 1 },
		/* A bare V6 has no port: its last group is the address. */
		{ "2001:db8::80", 1, "[2001:db8::80]:0", 0 },
		{ "1.2.3", 0, NULL, 0 },
		{ "[::1", 0, NULL, 0 },
		{ "::1]:80", 0, NULL, 0 },
		{ "1.2.3.4:70000", 0, NULL, 0 },
		{ "1.2.3.4:65536", 0, NULL, 0 },
		{ "1.2.3.4:", 0, NULL, 0 },
		{ ":80", 0, NULL, 0 },
		{ "", 0, NULL, 0 },
		{ "[1.2.3.4]:80", 0, NULL, 0 },
		{ "[::1]:", 0, NULL, 0 },
		{ "[::1]80", 0, NULL, 0 },
		{ "[::1]:80x", 0, NULL, 0 },
		{ "[::1]:-1", 0, NULL, 0 },
		{ "[]:80", 0, NULL, 0 },
		{ "1.2.3.4:+80", 0, NULL, 0 },
		{ "1.2.3.4: 80", 0, NULL, 0 },
		{ "1.2.3.4:000080", 0, NULL, 0 },
		{ "host:80", 0, NULL, 0 },
		{ "[::1]:80:81", 0, NULL, 0 },
	};
	char buf[BW_ADDRSTRLEN];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct bw_sa sa;
		int hp = 42, r;

		r = bw_sa_parse_endpoint(t[i].s, &sa, &hp);
		cr_expect_eq(r, t[i].ok ? 0 : -1, "'%s': %d", t[i].s, r);
		if (r == 0 && t[i].ok) {
			bw_sa_format(&sa, buf, sizeof(buf), 0);
			cr_expect_str_eq(buf, t[i].want, "'%s': %s", t[i].s, buf);
			cr_expect_eq(hp, t[i].has_port, "'%s': has_port", t[i].s);
		}
	}
}

Test(addr, parse_port)
{
	uint16_t p = 7;

	cr_expect_eq(bw_parse_port("0", 1, &p), 0);
	cr_expect_eq(p, 0);
	cr_expect_eq(bw_parse_port("65535", 5, &p), 0);
	cr_expect_eq(p, 65535);
	/* Exactly n characters: the rest of the string is not looked at. */
	cr_expect_eq(bw_parse_port("80=90", 2, &p), 0);
	cr_expect_eq(p, 80);
	p = 7;
	cr_expect_eq(bw_parse_port("65536", 5, &p), -1);
	cr_expect_eq(bw_parse_port("99999", 5, &p), -1);
	cr_expect_eq(bw_parse_port("", 0, &p), -1);
	cr_expect_eq(bw_parse_port("000080", 6, &p), -1);
	cr_expect_eq(bw_parse_port("8a", 2, &p), -1);
	cr_expect_eq(bw_parse_port("-1", 2, &p), -1);
	cr_expect_eq(p, 7, "unchanged on failure");
}

Test(addr, from_sockaddr_in)
{
	struct sockaddr_in in;
	struct bw_sa sa;
	char buf[BW_ADDRSTRLEN];

	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	in.sin_port = htons(3000);
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(bw_sa_from_sockaddr(&sa, (struct sockaddr *)&in,
	    sizeof(in)), 0);
	cr_expect_eq(sa.family, AF_INET);
	cr_expect_eq(sa.port, 3000);
	cr_expect_str_eq(bw_sa_format(&sa, buf, sizeof(buf), 0), "127.0.0.1:3000");
	cr_expect_eq(bw_sa_from_sockaddr(&sa, (struct sockaddr *)&in,
	    sizeof(in) - 1), -1);
	cr_expect_eq(sa.family, 0, "cleared on failure");
}

Test(addr, from_sockaddr_in6_lengths)
{
	struct sockaddr_in6 in6;
	struct bw_sa sa;
	char buf[BW_ADDRSTRLEN];

	memset(&in6, 0, sizeof(in6));
	in6.sin6_family = AF_INET6;
	in6.sin6_port = htons(443);
	inet_pton(AF_INET6, "fe80::1", &in6.sin6_addr);
	in6.sin6_scope_id = 3;

	cr_assert_eq(bw_sa_from_sockaddr(&sa, (struct sockaddr *)&in6,
	    sizeof(in6)), 0);
	cr_expect_str_eq(bw_sa_format(&sa, buf, sizeof(buf), 0), "[fe80::1%3]:443");

	/* The old 24-byte form has no scope: accepted, scope left 0. */
	cr_assert_eq(bw_sa_from_sockaddr(&sa, (struct sockaddr *)&in6, 24), 0);
	cr_expect_eq(sa.scope_id, 0);
	cr_expect_str_eq(bw_sa_format(&sa, buf, sizeof(buf), 0), "[fe80::1]:443");

	cr_expect_eq(bw_sa_from_sockaddr(&sa, (struct sockaddr *)&in6, 23), -1);
	cr_expect_eq(bw_sa_from_sockaddr(&sa, (struct sockaddr *)&in6, 1), -1);
	cr_expect_eq(bw_sa_from_sockaddr(&sa, (struct sockaddr *)&in6, 0), -1);
	cr_expect_eq(bw_sa_from_sockaddr(&sa, NULL, sizeof(in6)), -1);
}

Test(addr, from_sockaddr_other_families)
{
	struct sockaddr_un un;
	struct sockaddr_storage ss;
	struct bw_sa sa;

	memset(&un, 0, sizeof(un));
	un.sun_family = AF_UNIX;
	memcpy(un.sun_path, "/tmp/x", 6);
	cr_expect_eq(bw_sa_from_sockaddr(&sa, (struct sockaddr *)&un,
	    sizeof(un)), -1);
	memset(&ss, 0, sizeof(ss));
	ss.ss_family = AF_UNSPEC;
	cr_expect_eq(bw_sa_from_sockaddr(&sa, (struct sockaddr *)&ss,
	    sizeof(ss)), -1);
	ss.ss_family = AF_NETLINK;
	cr_expect_eq(bw_sa_from_sockaddr(&sa, (struct sockaddr *)&ss,
	    sizeof(ss)), -1);
}

Test(addr, to_sockaddr_round_trip)
{
	static const char *const t[] = {
		"127.0.0.1", "0.0.0.0", "::1", "::", "::ffff:127.0.0.1",
		"fe80::1%7", "2001:db8::1",
	};
	struct sockaddr_storage ss;
	struct bw_sa sa, back;
	size_t i, n;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		sa = addr_sa(t[i], (uint16_t)(1000 + i));
		n = bw_sa_to_sockaddr(&sa, &ss);
		cr_expect_eq(n, sa.family == AF_INET ?
		    sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6),
		    "%s", t[i]);
		cr_expect_eq(ss.ss_family, sa.family, "%s", t[i]);
		cr_assert_eq(bw_sa_from_sockaddr(&back, (struct sockaddr *)&ss, n),
		    0, "%s", t[i]);
		cr_expect(bw_sa_equal(&sa, &back, 1), "%s", t[i]);
		cr_expect_eq(back.scope_id, sa.scope_id, "%s", t[i]);
	}
	/* Network byte order on the wire. */
	sa = addr_sa("127.0.0.1", 0x1234);
	bw_sa_to_sockaddr(&sa, &ss);
	cr_expect_eq(((struct sockaddr_in *)&ss)->sin_port, htons(0x1234));

	memset(&sa, 0, sizeof(sa));
	sa.family = AF_UNIX;
	cr_expect_eq(bw_sa_to_sockaddr(&sa, &ss), 0);
}

/*
 * Our inet_ntop (no sprintf on hook paths) writes what libc's writes:
 * every pattern of zero groups, with IPv4 tails, and random addresses.
 */
Test(addr, ntop_as_libc)
{
	char ours[INET6_ADDRSTRLEN], libc[INET6_ADDRSTRLEN];
	uint8_t a[16];
	unsigned int pat, seed = 12345;
	int i, k;

	for (pat = 0; pat < 256; pat++)
		for (k = 0; k < 8; k++) {
			for (i = 0; i < 16; i++) {
				seed = seed * 1103515245u + 12345u;
				a[i] = (pat >> (i / 2)) & 1 ? 0 :
				    (uint8_t)(seed >> 16);
			}
			if (k == 1) {		/* ::ffff:a.b.c.d and near */
				a[10] = a[11] = 0xff;
			} else if (k == 2)	/* single-digit groups */
				for (i = 0; i < 16; i += 2)
					a[i] = 0, a[i + 1] &= 0xf;
			bw_addr_ntop(AF_INET6, a, ours, sizeof(ours));
			cr_assert_not_null(inet_ntop(AF_INET6, a, libc, sizeof(libc)));
			cr_assert_str_eq(ours, libc, "pattern %u/%d", pat, k);
		}
	for (k = 0; k < 1000; k++) {
		for (i = 0; i < 4; i++) {
			seed = seed * 1103515245u + 12345u;
			a[i] = (uint8_t)(seed >> 16);
		}
		bw_addr_ntop(AF_INET, a, ours, sizeof(ours));
		cr_assert_not_null(inet_ntop(AF_INET, a, libc, sizeof(libc)));
		cr_assert_str_eq(ours, libc);
	}
	/* Cut short, still terminated. */
	memset(a, 0x11, sizeof(a));
	bw_addr_ntop(AF_INET6, a, ours, 5);
	cr_expect_eq(strlen(ours), 4);
}

Test(addr, loopback)
{
	char buf[BW_ADDRSTRLEN];
	struct bw_sa sa;

	bw_sa_loopback(&sa, AF_INET, 3000);
	cr_expect_str_eq(bw_sa_format(&sa, buf, sizeof(buf), 0), "127.0.0.1:3000");
	bw_sa_loopback(&sa, AF_INET6, 80);
	cr_expect_str_eq(bw_sa_format(&sa, buf, sizeof(buf), 0), "[::1]:80");
	cr_expect_eq(bw_sa_class(&sa), BW_CLASS_LOOPBACK);
}
