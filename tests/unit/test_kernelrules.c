/*
 * The kernel's rules (shim/core/kernelrules.c), one table per rule, one
 * case per line.  tests/integration/test_kernelrules.c checks the bind
 * and lookup rules against real sockets.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "event.h"
#include "kernelrules.h"
#include "unit.h"

#define T	BW_PROTO_TCP
#define U	BW_PROTO_UDP
#define B	BW_KR_BOUND
#define L	BW_KR_LISTEN
#define C	BW_KR_CONNECTED
#define W	BW_KR_TIMEWAIT
#define NOUID	BW_KR_NOUID

/* A socket of a table: "ADDR:PORT" or "[V6]:PORT"; -1 options: unknown. */
struct krs {
	const char	*addr;
	int		 proto, state, v6only, reuseaddr, reuseport;
	uid_t		 uid;
};

static struct bw_kr_sock
kr_sock(const struct krs *r)
{
	struct bw_kr_sock k;

	memset(&k, 0, sizeof(k));
	k.addr = unit_sa(r->addr);
	k.proto = r->proto;
	k.state = r->state;
	k.v6only = r->v6only;
	k.reuseaddr = r->reuseaddr;
	k.reuseport = r->reuseport;
	k.uid = r->uid;
	return k;
}

Test(kernelrules, accepts)
{
	static const struct {
		const char	*l;
		int		 v6only;
		const char	*dst;
		int		 want;
	} t[] = {
		{ "127.0.0.1:80", -1, "127.0.0.1:80", 1 },
		{ "127.0.0.1:80", -1, "127.0.0.2:80", 0 },
		{ "127.0.0.1:80", -1, "127.0.0.1:81", 0 },	/* other port */
		{ "0.0.0.0:80", -1, "127.0.0.1:80", 1 },
		{ "0.0.0.0:80", -1, "192.0.2.1:80", 1 },
		{ "0.0.0.0:80", -1, "[::1]:80", 0 },
		{ "[::]:80", 0, "127.0.0.1:80", 1 },		/* dual-stack */
		{ "[::]:80", -1, "127.0.0.1:80", 1 },		/* the default */
		{ "[::]:80", 1, "127.0.0.1:80", 0 },
		{ "[::]:80", 1, "[::1]:80", 1 },
		{ "[::1]:80", 1, "[::1]:80", 1 },
		{ "[::1]:80", 1, "127.0.0.1:80", 0 },
		{ "[::1]:80", 0, "127.0.0.1:80", 0 },		/* not a wildcard */
		{ "[::1]:80", 1, "[::2]:80", 0 },
		{ "[::ffff:127.0.0.1]:80", 0, "127.0.0.1:80", 1 },
		{ "[::ffff:127.0.0.1]:80", 0, "[::1]:80", 0 },
		{ "[::ffff:0.0.0.0]:80", 0, "127.0.0.5:80", 1 },
		{ "[::ffff:0.0.0.0]:80", 0, "[::1]:80", 0 },
		{ "127.0.0.1:80", -1, "[::ffff:127.0.0.1]:80", 1 },	/* IPv4 */
		{ "[::]:80", 1, "[::ffff:127.0.0.1]:80", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct bw_sa l = unit_sa(t[i].l), d = unit_sa(t[i].dst);

		cr_expect_eq(bw_kr_accepts(&l, t[i].v6only, &d), t[i].want,
		    "%s (v6only %d) takes %s: want %d", t[i].l, t[i].v6only,
		    t[i].dst, t[i].want);
	}
}

/* A listener with IPV6_V6ONLY v6 and SO_REUSEPORT rp, uid 0. */
#define LS(a, v6, rp)	{ a, T, L, v6, -1, rp, 0 }

Test(kernelrules, pick)
{
	static const struct {
		struct krs	 s[4];		/* up to the first addr NULL */
		int		 proto;
		const char	*dst;
		int		 first;		/* -1: refused */
		size_t		 group;
	} t[] = {
		{ { LS("127.0.0.1:80", -1, 0), LS("0.0.0.0:80", -1, 0), LS("[::]:80", 0, 0) }, T, "127.0.0.1:80", 0, 1 },
		{ { LS("127.0.0.1:80", -1, 0), LS("0.0.0.0:80", -1, 0), LS("[::]:80", 0, 0) }, T, "127.0.0.2:80", 1, 1 },
		{ { LS("127.0.0.1:80", -1, 0), LS("0.0.0.0:80", -1, 0), LS("[::]:80", 0, 0) }, T, "[::1]:80", 2, 1 },
		{ { LS("[::]:80", 0, 0), LS("0.0.0.0:80", -1, 0) }, T, "127.0.0.1:80", 1, 1 },
		{ { LS("[::]:80", 0, 0) }, T, "127.0.0.1:80", 0, 1 },
		{ { LS("[::]:80", 1, 0) }, T, "127.0.0.1:80", -1, 0 },
		{ { LS("[::]:80", 1, 0) }, T, "[::1]:80", 0, 1 },
		{ { LS("127.0.0.1:80", -1, 1), LS("127.0.0.1:80", -1, 1) }, T, "127.0.0.1:80", 0, 2 },
		{ { LS("0.0.0.0:80", -1, 1), LS("127.0.0.1:80", -1, 1) }, T, "127.0.0.1:80", 1, 1 },
		{ { LS("0.0.0.0:80", -1, 1), LS("127.0.0.1:80", -1, 1) }, T, "127.0.0.9:80", 0, 1 },
		{ { LS("[::ffff:127.0.0.1]:80", 0, 1), LS("127.0.0.1:80", -1, 1) }, T, "127.0.0.1:80", 1, 1 },
		{ { LS("[::ffff:0.0.0.0]:80", 0, 1), LS("0.0.0.0:80", -1, 1) }, T, "127.0.0.1:80", 1, 1 },
		{ { LS("[::ffff:0.0.0.0]:80", 0, 1), LS("[::]:80", 0, 1) }, T, "127.0.0.1:80", 0, 2 },
		{ { LS("[::]:80", 1, 1), LS("[::]:80", 0, 1) }, T, "[::1]:80", 0, 2 },
		{ { LS("[::]:80", 1, 1), LS("[::]:80", 0, 1) }, T, "127.0.0.1:80", 1, 1 },
		{ { LS("[::ffff:127.0.0.1]:80", 0, 0) }, T, "[::ffff:127.0.0.1]:80", 0, 1 },
		{ { LS("127.0.0.1:81", -1, 0) }, T, "127.0.0.1:80", -1, 0 },
		{ { { "127.0.0.1:80", T, B, -1, -1, -1, 0 } }, T, "127.0.0.1:80", -1, 0 },
		{ { { "127.0.0.1:80", T, C, -1, -1, -1, 0 } }, T, "127.0.0.1:80", -1, 0 },
		{ { { "127.0.0.1:80", U, B, -1, -1, -1, 0 } }, T, "127.0.0.1:80", -1, 0 },
		{ { { "127.0.0.1:80", U, B, -1, -1, -1, 0 } }, U, "127.0.0.1:80", 0, 1 },
		{ { { "127.0.0.1:80", U, C, -1, -1, -1, 0 } }, U, "127.0.0.1:80", -1, 0 },
		{ { { "0.0.0.0:80", U, B, -1, 1, -1, 0 }, { "0.0.0.0:80", U, B, -1, 1, -1, 0 } }, U, "127.0.0.1:80", 0, 2 },
		{ { { NULL, 0, 0, 0, 0, 0, 0 } }, T, "127.0.0.1:80", -1, 0 },
	};
	size_t i, j, n, got, idx[4];

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct bw_kr_sock k[4];
		struct bw_sa d = unit_sa(t[i].dst);

		for (n = 0; n < 4 && t[i].s[n].addr != NULL; n++)
			k[n] = kr_sock(&t[i].s[n]);
		got = bw_kr_pick(k, n, t[i].proto, &d, idx, 4);
		cr_expect_eq(got, t[i].group, "row %zu (%s): group %zu, "
		    "want %zu", i, t[i].dst, got, t[i].group);
		if (got > 0 && t[i].first >= 0)
			cr_expect_eq(idx[0], (size_t)t[i].first,
			    "row %zu (%s): picked %zu, want %d", i, t[i].dst,
			    idx[0], t[i].first);
		/* The whole group ranks as the pick, in order. */
		for (j = 1; j < got && j < 4; j++) {
			cr_expect_gt(idx[j], idx[j - 1]);
			cr_expect_eq(bw_kr_rank(&k[idx[j]], t[i].proto, &d),
			    bw_kr_rank(&k[idx[0]], t[i].proto, &d));
		}
	}
}

/*
 * The socket there, then the bind: address, protocol, (state,) v6only,
 * reuseaddr, reuseport, uid.
 */
#define S(a, p, st, v6, ra, rp, uid)	{ a, p, st, v6, ra, rp, uid }
#define NEW(a, p, v6, ra, rp, uid)	{ a, p, B, v6, ra, rp, uid }

Test(kernelrules, bind_conflict)
{
	static const struct {
		struct krs	have, bind;
		int		want;
	} t[] = {
		{ S("127.0.0.1:80", T, L, -1, 0, 0, 0), NEW("127.0.0.1:80", T, -1, 0, 0, 0), 1 },
		{ S("127.0.0.1:80", T, L, -1, 0, 0, 0), NEW("127.0.0.2:80", T, -1, 0, 0, 0), 0 },
		{ S("127.0.0.1:80", T, L, -1, 0, 0, 0), NEW("127.0.0.1:81", T, -1, 0, 0, 0), 0 },
		{ S("127.0.0.1:80", T, L, -1, 0, 0, 0), NEW("127.0.0.1:80", U, -1, 0, 0, 0), 0 },
		{ S("127.0.0.1:0", T, B, -1, 0, 0, 0), NEW("127.0.0.1:0", T, -1, 0, 0, 0), 0 },
		{ S("0.0.0.0:80", T, L, -1, 0, 0, 0), NEW("127.0.0.1:80", T, -1, 0, 0, 0), 1 },
		{ S("127.0.0.1:80", T, L, -1, 0, 0, 0), NEW("0.0.0.0:80", T, -1, 0, 0, 0), 1 },
		{ S("[::1]:80", T, L, 1, 0, 0, 0), NEW("127.0.0.1:80", T, -1, 0, 0, 0), 0 },
		{ S("[::1]:80", T, L, 1, 0, 0, 0), NEW("[::]:80", T, 1, 0, 0, 0), 1 },
		{ S("[::]:80", T, L, 0, 0, 0, 0), NEW("0.0.0.0:80", T, -1, 0, 0, 0), 1 },
		{ S("[::]:80", T, L, -1, 0, 0, 0), NEW("127.0.0.1:80", T, -1, 0, 0, 0), 1 },
		{ S("[::]:80", T, L, 1, 0, 0, 0), NEW("0.0.0.0:80", T, -1, 0, 0, 0), 0 },
		{ S("[::]:80", T, L, 1, 0, 0, 0), NEW("[::]:80", T, 0, 0, 0, 0), 1 },
		{ S("127.0.0.1:80", T, L, -1, 0, 0, 0), NEW("[::]:80", T, 0, 0, 0, 0), 1 },
		{ S("127.0.0.1:80", T, L, -1, 0, 0, 0), NEW("[::]:80", T, 1, 0, 0, 0), 0 },
		{ S("127.0.0.1:80", T, L, -1, 0, 0, 0), NEW("[::1]:80", T, -1, 0, 0, 0), 0 },
		{ S("[::]:80", T, L, 1, 0, 0, 0), NEW("[::ffff:127.0.0.1]:80", T, 0, 0, 0, 0), 0 },
		{ S("[::]:80", T, L, 0, 0, 0, 0), NEW("[::ffff:127.0.0.1]:80", T, 0, 0, 0, 0), 1 },
		{ S("0.0.0.0:80", T, L, -1, 0, 0, 0), NEW("[::ffff:127.0.0.1]:80", T, 0, 0, 0, 0), 1 },
		{ S("[::ffff:0.0.0.0]:80", T, L, 0, 0, 0, 0), NEW("127.0.0.5:80", T, -1, 0, 0, 0), 1 },
		{ S("[::ffff:127.0.0.1]:80", T, L, 0, 0, 0, 0), NEW("[::1]:80", T, 1, 0, 0, 0), 0 },
		/* SO_REUSEADDR: never over a listener, over anything else. */
		{ S("127.0.0.1:80", T, L, -1, 1, 0, 0), NEW("127.0.0.1:80", T, -1, 1, 0, 0), 1 },
		{ S("127.0.0.1:80", T, B, -1, 1, 0, 0), NEW("127.0.0.1:80", T, -1, 1, 0, 0), 0 },
		{ S("127.0.0.1:80", T, B, -1, 1, 0, 0), NEW("127.0.0.1:80", T, -1, 0, 0, 0), 1 },
		{ S("127.0.0.1:80", T, B, -1, 0, 0, 0), NEW("127.0.0.1:80", T, -1, 1, 0, 0), 1 },
		{ S("127.0.0.1:80", T, W, -1, 1, 0, 0), NEW("127.0.0.1:80", T, -1, 1, 0, 0), 0 },
		{ S("127.0.0.1:80", T, W, -1, 0, 0, 0), NEW("127.0.0.1:80", T, -1, 1, 0, 0), 1 },
		{ S("127.0.0.1:80", T, W, -1, 1, 0, 0), NEW("0.0.0.0:80", T, -1, 1, 0, 0), 0 },
		{ S("127.0.0.1:80", T, C, -1, 1, 0, 0), NEW("127.0.0.1:80", T, -1, 1, 0, 0), 0 },
		{ S("127.0.0.1:80", T, B, -1, -1, 0, 0), NEW("127.0.0.1:80", T, -1, 1, 0, 0), 1 },
		/* SO_REUSEPORT: a group of one uid (any uid over TIME_WAIT). */
		{ S("127.0.0.1:80", T, L, -1, 0, 1, 0), NEW("127.0.0.1:80", T, -1, 0, 1, 0), 0 },
		{ S("127.0.0.1:80", T, L, -1, 0, 1, 0), NEW("127.0.0.1:80", T, -1, 0, 1, 1000), 1 },
		{ S("127.0.0.1:80", T, L, -1, 0, 1, 0), NEW("127.0.0.1:80", T, -1, 0, 0, 0), 1 },
		{ S("127.0.0.1:80", T, L, -1, 0, 0, 0), NEW("127.0.0.1:80", T, -1, 0, 1, 0), 1 },
		{ S("127.0.0.1:80", T, L, -1, 0, 1, NOUID), NEW("127.0.0.1:80", T, -1, 0, 1, NOUID), 1 },
		{ S("127.0.0.1:80", T, W, -1, 0, 1, 1000), NEW("127.0.0.1:80", T, -1, 0, 1, 0), 0 },
		{ S("0.0.0.0:80", T, L, -1, 0, 1, 0), NEW("127.0.0.1:80", T, -1, 0, 1, 0), 0 },
		{ S("[::]:80", T, L, 0, 0, 1, 0), NEW("0.0.0.0:80", T, -1, 0, 1, 0), 0 },
		/* UDP: SO_REUSEADDR on both shares, whatever the state. */
		{ S("0.0.0.0:53", U, B, -1, 0, 0, 0), NEW("0.0.0.0:53", U, -1, 0, 0, 0), 1 },
		{ S("0.0.0.0:53", U, B, -1, 0, 0, 0), NEW("127.0.0.1:53", U, -1, 0, 0, 0), 1 },
		{ S("127.0.0.1:53", U, B, -1, 0, 0, 0), NEW("127.0.0.2:53", U, -1, 0, 0, 0), 0 },
		{ S("0.0.0.0:53", U, B, -1, 1, 0, 0), NEW("0.0.0.0:53", U, -1, 1, 0, 0), 0 },
		{ S("0.0.0.0:53", U, C, -1, 1, 0, 0), NEW("0.0.0.0:53", U, -1, 1, 0, 0), 0 },
		{ S("0.0.0.0:53", U, C, -1, 0, 0, 0), NEW("0.0.0.0:53", U, -1, 0, 0, 0), 1 },
		{ S("0.0.0.0:53", U, B, -1, 0, 1, 0), NEW("0.0.0.0:53", U, -1, 0, 1, 0), 0 },
		{ S("0.0.0.0:53", U, B, -1, 0, 1, 0), NEW("0.0.0.0:53", U, -1, 0, 1, 1000), 1 },
		{ S("[::]:53", U, B, 1, 0, 0, 0), NEW("0.0.0.0:53", U, -1, 0, 0, 0), 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct bw_kr_sock h = kr_sock(&t[i].have);
		struct bw_kr_sock b = kr_sock(&t[i].bind);

		cr_expect_eq(bw_kr_bind_conflict(&h, &b), t[i].want,
		    "row %zu: bind %s over %s: want %d", i, t[i].bind.addr,
		    t[i].have.addr, t[i].want);
	}
}

/*
 * One side of a name: "PID:UID:SOCK ..." holders (UID "?": not known),
 * "" nothing answers.  Fills h from *used on; returns the side.
 */
static struct bw_kr_side
kr_side(const char *spec, struct bw_kr_holder *h, size_t *used)
{
	struct bw_kr_side s = { h + *used, 0 };
	const char *p = spec;
	char uid[16];
	long pid, sock;
	int len;

	while (sscanf(p, " %ld:%15[0-9?]:%ld%n", &pid, uid, &sock, &len) == 3) {
		h[*used].pid = (pid_t)pid;
		h[*used].uid = uid[0] == '?' ? NOUID : (uid_t)atol(uid);
		h[*used].sock = (uint64_t)sock;
		(*used)++;
		s.n++;
		p += len;
	}
	cr_assert_eq(*p, '\0', "bad side %s", spec);
	return s;
}

Test(kernelrules, split)
{
	static const struct {
		const char	*side[3];	/* up to the first NULL */
		int		 want;
	} t[] = {
		{ { "1:0:1", "2:0:2" }, 1 },
		{ { "1:0:1", "1:0:2" }, 0 },		/* one process, two sockets */
		{ { "1:0:1", "" }, 0 },			/* one address answers */
		{ { "", "" }, 0 },
		{ { "1:0:1 2:0:1", "1:0:2" }, 1 },	/* 2 holds only one */
		{ { "1:0:1 2:0:1", "2:0:2 1:0:2" }, 0 },
		{ { "0:0:1", "0:0:1" }, 0 },		/* the same socket */
		{ { "0:0:1", "2:0:2" }, 0 },		/* hidden, same uid */
		{ { "0:1000:1", "2:0:2" }, 1 },		/* hidden, other uid */
		{ { "0:?:1", "2:0:2" }, 0 },		/* no uid: no proof */
		{ { "0:1000:1", "2:?:2 2:0:3" }, 1 },
		{ { "1:0:0", "1:0:0" }, 0 },		/* sockets not known */
		{ { "1:0:0", "2:0:0" }, 1 },
		{ { "1:0:1", "1:0:2", "2:0:3" }, 1 },	/* the third differs */
		{ { "1:0:1", "", "1:0:3" }, 0 },
		{ { "1:0:1" }, 0 },
	};
	size_t i, n;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct bw_kr_holder h[16];
		struct bw_kr_side s[3];
		size_t used = 0;

		for (n = 0; n < 3 && t[i].side[n] != NULL; n++)
			s[n] = kr_side(t[i].side[n], h, &used);
		cr_expect_eq(bw_kr_split(s, n), t[i].want, "row %zu: want %d",
		    i, t[i].want);
	}
}

Test(kernelrules, exposed)
{
	static const struct {
		int		 proto;
		const char	*addr;
		int		 state, want;
	} t[] = {
		{ T, "0.0.0.0:80", L, 1 },
		{ T, "[::]:80", L, 1 },
		{ T, "192.0.2.1:80", L, 1 },
		{ T, "[fe80::1]:80", L, 1 },
		{ T, "127.0.0.1:80", L, 0 },
		{ T, "127.0.0.2:80", L, 0 },
		{ T, "[::1]:80", L, 0 },
		{ T, "[::ffff:127.0.0.1]:80", L, 0 },
		{ T, "[::ffff:0.0.0.0]:80", L, 1 },
		{ T, "0.0.0.0:80", B, 0 },		/* bound, not listening */
		{ T, "0.0.0.0:80", C, 0 },
		{ T, "0.0.0.0:80", W, 0 },
		{ U, "0.0.0.0:53", B, 1 },		/* a UDP service */
		{ U, "[::]:53", B, 1 },
		{ U, "192.0.2.1:53", B, 1 },
		{ U, "127.0.0.53:53", B, 0 },
		{ U, "0.0.0.0:0", B, 0 },		/* a client's port */
		{ U, "0.0.0.0:53", C, 0 },		/* one peer only */
		{ BW_PROTO_OTHER, "0.0.0.0:80", L, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct bw_sa a = unit_sa(t[i].addr);

		cr_expect_eq(bw_kr_exposed(t[i].proto, &a, t[i].state),
		    t[i].want, "%d %s state %d: want %d", t[i].proto,
		    t[i].addr, t[i].state, t[i].want);
	}
	{
		struct bw_sa unix_sa;

		memset(&unix_sa, 0, sizeof(unix_sa));
		unix_sa.family = AF_UNIX;
		cr_expect_eq(bw_kr_exposed(T, &unix_sa, L), 0);
	}
}

/*
 * The order each kind of client tries the addresses of a name in: gai is
 * the resolver's list ("ADDR" words), want what the client tries, port 80.
 * Checked against the real clients by tests/integration/scope/.
 */
Test(kernelrules, client_order)
{
	static const struct {
		int		 kind;
		const char	*host, *gai, *want;
	} t[] = {
		{ BW_KR_CLIENT_GAI, "localhost", "::1 127.0.0.1", "::1 127.0.0.1" },
		{ BW_KR_CLIENT_GAI, "localhost", "127.0.0.1 ::1", "127.0.0.1 ::1" },
		{ BW_KR_CLIENT_GAI, "localhost", "127.0.0.1", "127.0.0.1" },
		{ BW_KR_CLIENT_GAI, "x", "", "" },
		/* curl resolves localhost itself, /etc/hosts or not. */
		{ BW_KR_CLIENT_CURL, "localhost", "::1 127.0.0.1", "127.0.0.1 ::1" },
		{ BW_KR_CLIENT_CURL, "localhost", "::1", "127.0.0.1 ::1" },
		{ BW_KR_CLIENT_CURL, "LocalHost.", "", "127.0.0.1 ::1" },
		{ BW_KR_CLIENT_CURL, "app.localhost", "::1", "127.0.0.1 ::1" },
		{ BW_KR_CLIENT_CURL, "notlocalhost", "::1 127.0.0.1", "::1 127.0.0.1" },
		{ BW_KR_CLIENT_CURL, "dual.test", "::1 127.0.0.1", "::1 127.0.0.1" },
		{ BW_KR_CLIENT_CURL, NULL, "::1", "::1" },
		/* node: families in turn, from the first address's. */
		{ BW_KR_CLIENT_NODE, "localhost", "::1 127.0.0.1", "::1 127.0.0.1" },
		{ BW_KR_CLIENT_NODE, "localhost", "127.0.0.1 ::1", "127.0.0.1 ::1" },
		{ BW_KR_CLIENT_NODE, "h", "::1 ::2 127.0.0.1 127.0.0.2",
		    "::1 127.0.0.1 ::2 127.0.0.2" },
		{ BW_KR_CLIENT_NODE, "h", "127.0.0.1 127.0.0.2 ::1",
		    "127.0.0.1 ::1 127.0.0.2" },
		{ BW_KR_CLIENT_NODE, "h", "::1 ::2", "::1 ::2" },
	};
	size_t i, j;

	cr_expect_str_eq(bw_kr_client_name(BW_KR_CLIENT_GAI), "getaddrinfo-order");
	cr_expect_str_eq(bw_kr_client_name(BW_KR_CLIENT_CURL), "curl");
	cr_expect_str_eq(bw_kr_client_name(BW_KR_CLIENT_NODE), "node");
	cr_expect_null(bw_kr_client_name(BW_KR_NCLIENTS));
	cr_expect_null(bw_kr_client_name(-1));
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct bw_sa gai[8], out[8];
		char buf[128], got[256], a[BW_ADDRSTRLEN], *w, *save;
		size_t n = 0, k;

		snprintf(buf, sizeof(buf), "%s", t[i].gai);
		for (w = strtok_r(buf, " ", &save); w != NULL;
		    w = strtok_r(NULL, " ", &save)) {
			char one[64];

			snprintf(one, sizeof(one), strchr(w, ':') ? "[%s]:9" :
			    "%s:9", w);
			gai[n++] = unit_sa(one);
		}
		k = bw_kr_client_order(t[i].kind, t[i].host, 80, gai, n, out, 8);
		got[0] = '\0';
		for (j = 0; j < k; j++) {
			cr_expect_eq(out[j].port, 80);
			bw_sa_format(&out[j], a, sizeof(a),
			    BW_FMT_NOPORT | BW_FMT_BARE);
			snprintf(got + strlen(got), sizeof(got) - strlen(got),
			    "%s%s", j ? " " : "", a);
		}
		cr_expect_str_eq(got, t[i].want, "%s %s [%s]",
		    bw_kr_client_name(t[i].kind), t[i].host ? t[i].host : "NULL",
		    t[i].gai);
	}
	{
		struct bw_sa out[1];

		cr_expect_eq(bw_kr_client_order(BW_KR_CLIENT_CURL, "localhost",
		    80, NULL, 0, out, 1), 1, "max is kept");
	}
}

/* The socket a and b of a row: addr, proto, state, v6only, reuseaddr,
 * reuseport, uid. */
Test(kernelrules, group)
{
	static const struct {
		struct krs	 a, b;
		int		 want;
	} t[] = {
		/* TCP: two listeners on one address prove the group. */
		{ S("127.0.0.1:80", T, L, -1, -1, -1, NOUID), S("127.0.0.1:80", T, L, -1, -1, -1, NOUID), 1 },
		{ S("127.0.0.1:80", T, L, -1, 0, 1, 0), S("127.0.0.1:80", T, L, -1, 0, 1, 0), 1 },
		{ S("[::1]:80", T, L, 1, 0, 1, 0), S("[::1]:80", T, L, 1, 0, 1, 0), 1 },
		{ S("[::]:80", T, L, 0, 0, 1, 0), S("[::]:80", T, L, 0, 0, 1, 0), 1 },
		/* one not listening: no lookup group */
		{ S("127.0.0.1:80", T, L, -1, 0, 1, 0), S("127.0.0.1:80", T, B, -1, 0, 1, 0), 0 },
		{ S("127.0.0.1:80", T, L, -1, 0, 1, 0), S("127.0.0.1:80", T, W, -1, 0, 1, 0), 0 },
		/* an exact address and a wildcard: two groups */
		{ S("127.0.0.1:80", T, L, -1, 0, 1, 0), S("0.0.0.0:80", T, L, -1, 0, 1, 0), 0 },
		{ S("127.0.0.1:80", T, L, -1, 0, 1, 0), S("127.0.0.2:80", T, L, -1, 0, 1, 0), 0 },
		{ S("127.0.0.1:80", T, L, -1, 0, 1, 0), S("127.0.0.1:81", T, L, -1, 0, 1, 0), 0 },
		/* IPv4 and v4-mapped: the same address, two families */
		{ S("127.0.0.1:80", T, L, -1, 0, 1, 0), S("[::ffff:127.0.0.1]:80", T, L, 0, 0, 1, 0), 0 },
		{ S("[::]:80", T, L, 1, 0, 1, 0), S("[::]:80", T, L, 0, 0, 1, 0), 0 },
		{ S("[::]:80", T, L, -1, 0, 1, 0), S("[::]:80", T, L, 0, 0, 1, 0), 1 },
		{ S("127.0.0.1:80", T, L, -1, 0, 1, 0), S("127.0.0.1:80", U, B, -1, 0, 1, 0), 0 },
		/* UDP: SO_REUSEADDR also shares, so the options must say */
		{ S("0.0.0.0:53", U, B, -1, 0, 1, 0), S("0.0.0.0:53", U, B, -1, 0, 1, 0), 1 },
		{ S("0.0.0.0:53", U, B, -1, 1, 0, 0), S("0.0.0.0:53", U, B, -1, 1, 0, 0), 0 },
		{ S("0.0.0.0:53", U, B, -1, 0, 1, 0), S("0.0.0.0:53", U, B, -1, 0, 1, 1000), 0 },
		{ S("0.0.0.0:53", U, B, -1, -1, -1, 0), S("0.0.0.0:53", U, B, -1, -1, 1, 0), -1 },
		{ S("0.0.0.0:53", U, B, -1, 0, 1, NOUID), S("0.0.0.0:53", U, B, -1, 0, 1, 0), -1 },
		{ S("0.0.0.0:53", U, C, -1, 0, 1, 0), S("0.0.0.0:53", U, B, -1, 0, 1, 0), 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct bw_kr_sock a = kr_sock(&t[i].a), b = kr_sock(&t[i].b);

		cr_expect_eq(bw_kr_group(&a, &b), t[i].want, "row %zu (%s, "
		    "%s): want %d", i, t[i].a.addr, t[i].b.addr, t[i].want);
		cr_expect_eq(bw_kr_group(&b, &a), t[i].want, "row %zu "
		    "swapped: want %d", i, t[i].want);
	}
}

Test(kernelrules, passed_over)
{
	static const struct {
		struct krs	 s[4];		/* up to the first addr NULL */
		int		 proto;
		const char	*dst;
		const char	*want;		/* indexes passed over */
	} t[] = {
		/* exact beats wildcard, whatever the order */
		{ { LS("0.0.0.0:80", -1, 1), LS("127.0.0.1:80", -1, 1) }, T, "127.0.0.1:80", "0" },
		{ { LS("127.0.0.1:80", -1, 1), LS("0.0.0.0:80", -1, 1) }, T, "127.0.0.1:80", "1" },
		/* another address: the exact one does not take it */
		{ { LS("0.0.0.0:80", -1, 1), LS("127.0.0.1:80", -1, 1) }, T, "127.0.0.2:80", "" },
		/* IPv4 wildcard beats a dual-stack "::" for IPv4 */
		{ { LS("[::]:80", 0, 0), LS("0.0.0.0:80", -1, 0) }, T, "127.0.0.1:80", "0" },
		{ { LS("[::]:80", 0, 0), LS("0.0.0.0:80", -1, 0) }, T, "[::1]:80", "" },
		/* a v6only "::" does not take IPv4 at all */
		{ { LS("[::]:80", 1, 0), LS("127.0.0.1:80", -1, 0) }, T, "127.0.0.1:80", "" },
		{ { LS("[::]:80", 0, 1), LS("127.0.0.1:80", -1, 1), LS("0.0.0.0:80", -1, 1) }, T, "127.0.0.1:80", "02" },
		{ { LS("[::1]:80", 1, 1), LS("[::]:80", 1, 1) }, T, "[::1]:80", "1" },
		/* a group of equals passes over nobody */
		{ { LS("127.0.0.1:80", -1, 1), LS("127.0.0.1:80", -1, 1) }, T, "127.0.0.1:80", "" },
		{ { { "127.0.0.1:53", U, B, -1, 0, 1, 0 }, { "0.0.0.0:53", U, B, -1, 0, 1, 0 } }, U, "127.0.0.1:53", "1" },
		/* not a receiver: never counted */
		{ { { "0.0.0.0:80", T, B, -1, 0, 0, 0 }, LS("127.0.0.1:80", -1, 0) }, T, "127.0.0.1:80", "" },
	};
	size_t i, j, n, got, idx[4];

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct bw_kr_sock k[4];
		struct bw_sa d = unit_sa(t[i].dst);
		char s[8];

		for (n = 0; n < 4 && t[i].s[n].addr != NULL; n++)
			k[n] = kr_sock(&t[i].s[n]);
		got = bw_kr_passed_over(k, n, t[i].proto, &d, idx, 4);
		for (j = 0; j < got && j < 4; j++)
			s[j] = (char)('0' + idx[j]);
		s[j] = '\0';
		cr_expect_str_eq(s, t[i].want, "row %zu (%s)", i, t[i].dst);
	}
}

/*
 * The sockets there, the bind, what the program asked (NULL: as bound),
 * denied; the cause, how many of its sockets, the first, the time left,
 * the SO_REUSEADDR verdict.
 */
#define TW(a, ra, ms)	{ a, T, W, -1, ra, -1, 0, ms }

struct krs_t {
	const char	*addr;
	int		 proto, state, v6only, reuseaddr, reuseport;
	uid_t		 uid;
	uint32_t	 ms;
};

Test(kernelrules, inuse)
{
	static const struct {
		struct krs_t	 s[4];
		struct krs	 bind;
		const char	*req;
		int		 denied;
		int		 cause;
		size_t		 n, first;
		uint32_t	 wait;
		int		 reuseaddr;
	} t[] = {
		/* a listener: nothing but its going helps */
		{ { { "127.0.0.1:80", T, L, -1, 0, 0, 0, 0 } }, NEW("127.0.0.1:80", T, -1, 0, 0, NOUID), NULL, 0,
		    BW_KR_CAUSE_LISTENER, 1, 0, 0, 0 },
		{ { { "0.0.0.0:80", T, L, -1, 1, 0, 0, 0 } }, NEW("127.0.0.1:80", T, -1, 1, 0, NOUID), NULL, 0,
		    BW_KR_CAUSE_LISTENER, 1, 0, 0, 0 },
		/* TIME_WAIT: the longest wait; SO_REUSEADDR on both helps */
		{ { TW("127.0.0.1:80", 1, 3000), TW("127.0.0.1:80", 1, 58000) }, NEW("127.0.0.1:80", T, -1, 0, 0, NOUID), NULL, 0,
		    BW_KR_CAUSE_TIMEWAIT, 2, 0, 58000, 1 },
		{ { TW("127.0.0.1:80", -1, 0) }, NEW("127.0.0.1:80", T, -1, 0, 0, NOUID), NULL, 0,
		    BW_KR_CAUSE_TIMEWAIT, 1, 0, 0, -1 },
		{ { TW("127.0.0.1:80", 0, 100) }, NEW("127.0.0.1:80", T, -1, 0, 0, NOUID), NULL, 0,
		    BW_KR_CAUSE_TIMEWAIT, 1, 0, 100, 0 },
		{ { TW("0.0.0.0:80", -1, 100) }, NEW("127.0.0.1:80", T, -1, 0, 0, NOUID), NULL, 0,
		    BW_KR_CAUSE_TIMEWAIT, 1, 0, 100, -1 },
		/* TIME_WAIT elsewhere is not in the way */
		{ { TW("127.0.0.2:80", -1, 100), { "127.0.0.1:80", T, C, -1, -1, -1, 0, 0 } }, NEW("127.0.0.1:80", T, -1, 0, 0, NOUID), NULL, 0,
		    BW_KR_CAUSE_CONNECTION, 1, 1, 0, -1 },
		/* a listener comes before the rest */
		{ { TW("127.0.0.1:80", -1, 100), { "127.0.0.1:80", T, C, -1, -1, -1, 0, 0 }, { "127.0.0.1:80", T, L, -1, -1, -1, 0, 0 } },
		    NEW("127.0.0.1:80", T, -1, 0, 0, NOUID), NULL, 0, BW_KR_CAUSE_LISTENER, 1, 2, 100, 0 },
		/* a bound socket before connections */
		{ { { "127.0.0.1:80", T, C, -1, -1, -1, 0, 0 }, { "127.0.0.1:80", T, B, -1, -1, -1, 0, 0 } },
		    NEW("127.0.0.1:80", T, -1, 0, 0, NOUID), NULL, 0, BW_KR_CAUSE_BOUND, 1, 1, 0, -1 },
		{ { { "0.0.0.0:80", T, B, -1, 0, 0, 0, 0 } }, NEW("127.0.0.1:80", T, -1, 1, 0, NOUID), NULL, 0,
		    BW_KR_CAUSE_BOUND, 1, 0, 0, 0 },
		/* UDP: a bound socket is the receiver */
		{ { { "0.0.0.0:53", U, B, -1, -1, -1, 0, 0 } }, NEW("127.0.0.1:53", U, -1, 0, 0, NOUID), NULL, 0,
		    BW_KR_CAUSE_LISTENER, 1, 0, 0, -1 },
		/* a policy moved it where it is in use; asked, it was free */
		{ { { "127.0.0.1:6000", T, L, -1, -1, -1, 0, 0 } }, NEW("127.0.0.1:6000", T, -1, 0, 0, NOUID), "127.0.0.1:5000", 0,
		    BW_KR_CAUSE_POLICY, 1, 0, 0, 0 },
		{ { { "127.0.0.1:80", T, L, -1, -1, -1, 0, 0 } }, NEW("127.0.0.1:80", T, -1, 0, 0, NOUID), "[::1]:80", 0,
		    BW_KR_CAUSE_POLICY, 1, 0, 0, 0 },
		/* asked for a wildcard, it was in use there too */
		{ { { "127.0.0.1:80", T, L, -1, -1, -1, 0, 0 } }, NEW("127.0.0.1:80", T, -1, 0, 0, NOUID), "0.0.0.0:80", 0,
		    BW_KR_CAUSE_LISTENER, 1, 0, 0, 0 },
		{ { { "127.0.0.1:80", T, L, -1, -1, -1, 0, 0 } }, NEW("127.0.0.1:80", T, -1, 0, 0, NOUID), "127.0.0.1:80", 0,
		    BW_KR_CAUSE_LISTENER, 1, 0, 0, 0 },
		/* refused by a policy */
		{ { { NULL, 0, 0, 0, 0, 0, 0, 0 } }, NEW("0.0.0.0:80", T, -1, 0, 0, NOUID), NULL, 1,
		    BW_KR_CAUSE_POLICY, 0, 0, 0, 0 },
		/* nothing in the way that we saw */
		{ { { "127.0.0.2:80", T, L, -1, -1, -1, 0, 0 } }, NEW("127.0.0.1:80", T, -1, 0, 0, NOUID), NULL, 0,
		    BW_KR_CAUSE_NONE, 0, 0, 0, 0 },
		{ { { "127.0.0.1:80", U, B, -1, -1, -1, 0, 0 } }, NEW("127.0.0.1:80", T, -1, 0, 0, NOUID), NULL, 0,
		    BW_KR_CAUSE_NONE, 0, 0, 0, 0 },
	};
	size_t i, n, idx[4];

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct bw_kr_sock k[4], b = kr_sock(&t[i].bind), r;
		struct bw_kr_inuse u;

		for (n = 0; n < 4 && t[i].s[n].addr != NULL; n++) {
			const struct krs_t *x = &t[i].s[n];
			const struct krs y = { x->addr, x->proto, x->state,
			    x->v6only, x->reuseaddr, x->reuseport, x->uid };

			k[n] = kr_sock(&y);
			k[n].expires_ms = x->ms;
		}
		if (t[i].req != NULL) {
			r = b;
			r.addr = unit_sa(t[i].req);
		}
		bw_kr_inuse(k, n, &b, t[i].req != NULL ? &r : NULL,
		    t[i].denied, &u, idx, 4);
		cr_expect_eq(u.cause, t[i].cause, "row %zu: cause %s, want %s",
		    i, bw_kr_cause_name(u.cause), bw_kr_cause_name(t[i].cause));
		cr_expect_eq(u.n, t[i].n, "row %zu: %zu sockets", i, u.n);
		if (u.n > 0 && t[i].n > 0)
			cr_expect_eq(idx[0], t[i].first, "row %zu: first %zu",
			    i, idx[0]);
		cr_expect_eq(u.wait_ms, t[i].wait, "row %zu: wait %u", i,
		    (unsigned)u.wait_ms);
		cr_expect_eq(u.reuseaddr, t[i].reuseaddr, "row %zu: "
		    "reuseaddr %d", i, u.reuseaddr);
	}
	cr_expect_str_eq(bw_kr_cause_name(BW_KR_CAUSE_TIMEWAIT), "time-wait");
	cr_expect_null(bw_kr_cause_name(BW_KR_CAUSE_NONE));
}
