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
