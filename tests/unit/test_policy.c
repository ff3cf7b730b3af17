/*
 * shim/core/policy.c: parsing of every BINDWATCH_* policy variable (a value
 * that does not parse is refused, never ignored), the checks of their
 * combinations, and the bind and resolve decisions, table-driven.
 */
#include <sys/socket.h>

#include <errno.h>
#include <netinet/in.h>

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "event.h"
#include "policy.h"

#define FORCE	BINDWATCH_ENV_FORCE
#define LOOP	BINDWATCH_ENV_LOOPBACK_ONLY
#define RESOLVE	BINDWATCH_ENV_RESOLVE
#define FAMILY	BINDWATCH_ENV_FAMILY
#define MAP	BINDWATCH_ENV_MAP_PORT
#define DENY	BINDWATCH_ENV_DENY

/* The policy struct is large: one per test, not on the stack. */
static struct bw_policy pol;

static const char *
pol_fmt(const struct bw_sa *sa)
{
	static char b[4][BW_ADDRSTRLEN];
	static int i;

	i = (i + 1) % 4;
	return bw_sa_format(sa, b[i], sizeof(b[i]), 0);
}

static struct bw_sa
pol_ep(const char *s)
{
	struct bw_sa sa;
	int hp;

	cr_assert_eq(bw_sa_parse_endpoint(s, &sa, &hp), 0, "bad test endpoint %s", s);
	return sa;
}

/* A fresh policy from up to three VAR, VALUE pairs; all must parse. */
static void
pol_make(const char *v1, const char *x1, const char *v2, const char *x2,
    const char *v3, const char *x3)
{
	const char *v[3] = { v1, v2, v3 }, *x[3] = { x1, x2, x3 };
	char err[256];
	int i;

	bw_policy_init(&pol);
	for (i = 0; i < 3; i++)
		if (v[i] != NULL)
			cr_assert_eq(bw_policy_set(&pol, v[i], x[i], err,
			    sizeof(err)), 0, "%s=%s: %s", v[i], x[i], err);
}

static int
pol_set1(const char *var, const char *value, char *err, size_t errlen)
{
	bw_policy_init(&pol);
	err[0] = '\0';
	return bw_policy_set(&pol, var, value, err, errlen);
}

Test(policy, set_table)
{
	static const struct {
		const char	*var;
		const char	*value;
		int		 ok;
	} t[] = {
		/* FORCE */
		{ FORCE, "127.0.0.1", 1 }, { FORCE, "::1", 1 },
		{ FORCE, "[::1]", 1 }, { FORCE, "::ffff:127.0.0.1", 1 },
		{ FORCE, "fe80::1%2", 1 }, { FORCE, "10.0.0.1", 1 },
		{ FORCE, "127.0.0.l", 0 }, { FORCE, "127.0.0.1:80", 0 },
		{ FORCE, "[::1]:80", 0 }, { FORCE, "localhost", 0 },
		{ FORCE, "127.0.0.1,::1", 0 }, { FORCE, " 127.0.0.1", 0 },
		{ FORCE, "127.0.0.1 ", 0 }, { FORCE, "1.2.3", 0 },
		{ FORCE, "[1.2.3.4]", 0 }, { FORCE, "fe80::1%eth0", 0 },
		/* LOOPBACK_ONLY */
		{ LOOP, "1", 1 }, { LOOP, "0", 1 }, { LOOP, "yes", 0 },
		{ LOOP, "true", 0 }, { LOOP, "2", 0 }, { LOOP, "01", 0 },
		{ LOOP, " 1", 0 }, { LOOP, "1 ", 0 }, { LOOP, "-1", 0 },
		/* FAMILY */
		{ FAMILY, "4", 1 }, { FAMILY, "6", 1 }, { FAMILY, "5", 0 },
		{ FAMILY, "0", 0 }, { FAMILY, "46", 0 }, { FAMILY, "inet", 0 },
		{ FAMILY, "ipv4", 0 }, { FAMILY, "4 ", 0 },
		/* RESOLVE */
		{ RESOLVE, "localhost=::1,127.0.0.1", 1 },
		{ RESOLVE, "localhost=::1;db=10.0.0.5", 1 },
		{ RESOLVE, "localhost=[::1]", 1 },
		{ RESOLVE, "host.example.=10.0.0.1", 1 },
		{ RESOLVE, "localhost=", 0 }, { RESOLVE, "=127.0.0.1", 0 },
		{ RESOLVE, "localhost", 0 }, { RESOLVE, "localhost=::1,", 0 },
		{ RESOLVE, "localhost=,::1", 0 },
		{ RESOLVE, "localhost=::1,,127.0.0.1", 0 },
		{ RESOLVE, "localhost=::1;", 0 }, { RESOLVE, ";localhost=::1", 0 },
		{ RESOLVE, "a=::1;;b=::2", 0 }, { RESOLVE, "localhost=127.0.0.l", 0 },
		{ RESOLVE, "localhost=127.0.0.1:80", 0 },
		{ RESOLVE, "localhost=localhost", 0 },
		{ RESOLVE, "local host=::1", 0 }, { RESOLVE, "h\xc3\xa9=::1", 0 },
		{ RESOLVE, "h\x1b=::1", 0 }, { RESOLVE, "a=b=::1", 0 },
		{ RESOLVE, ".=::1", 0 },
		{ RESOLVE, "a=::1;a=::2", 0 }, { RESOLVE, "a=::1;A.=::2", 0 },
		/* MAP_PORT */
		{ MAP, "8080=80", 1 }, { MAP, "80=8080,443=8443", 1 },
		{ MAP, "0=1", 1 }, { MAP, "65535=0", 1 }, { MAP, "80=80", 1 },
		{ MAP, "80=", 0 }, { MAP, "=80", 0 }, { MAP, "80", 0 },
		{ MAP, "80=70000", 0 }, { MAP, "70000=80", 0 },
		{ MAP, "80=65536", 0 }, { MAP, "80=8080,", 0 },
		{ MAP, ",80=8080", 0 }, { MAP, "80=8080,,443=1", 0 },
		{ MAP, "80=81,80=82", 0 }, { MAP, "80=81=82", 0 },
		{ MAP, "a=b", 0 }, { MAP, "-1=80", 0 }, { MAP, " 80=81", 0 },
		{ MAP, "80=81 ", 0 }, { MAP, "80:81", 0 }, { MAP, "080000=1", 0 },
		/* DENY */
		{ DENY, "10.0.0.1", 1 }, { DENY, "10.0.0.1:80", 1 },
		{ DENY, "[::1]:80", 1 }, { DENY, "::1", 1 }, { DENY, "[::1]", 1 },
		{ DENY, "::ffff:10.0.0.1", 1 }, { DENY, "0.0.0.0,::", 1 },
		{ DENY, "10.0.0.1,10.0.0.1", 1 },	/* harmless */
		{ DENY, "10.0.0.1:70000", 0 }, { DENY, "10.0.0.1:", 0 },
		{ DENY, "10.0.0.1,", 0 }, { DENY, ",10.0.0.1", 0 },
		{ DENY, "10.0.0.1,,::1", 0 }, { DENY, "[::1", 0 },
		{ DENY, "::1]:80", 0 }, { DENY, "localhost", 0 },
		{ DENY, "localhost:80", 0 }, { DENY, "[10.0.0.1]:80", 0 },
		{ DENY, ":80", 0 }, { DENY, "10.0.0.1;::1", 0 },
		/* Not a policy variable. */
		{ "BINDWATCH_FORCEX", "127.0.0.1", 0 },
		{ BINDWATCH_ENV_LOG, "stderr", 0 },
		{ "", "1", 0 },
	};
	char err[256];
	size_t i;
	int r;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		r = pol_set1(t[i].var, t[i].value, err, sizeof(err));
		cr_expect_eq(r, t[i].ok ? 0 : -1, "%s='%s': %d (%s)", t[i].var,
		    t[i].value, r, err);
		if (r == -1)
			cr_expect_neq(err[0], '\0', "%s='%s': no reason given",
			    t[i].var, t[i].value);
		else
			cr_expect(bw_policy_active(&pol) ||
			    strcmp(t[i].value, "0") == 0, "%s='%s': not active",
			    t[i].var, t[i].value);
	}
}

Test(policy, empty_value_means_unset)
{
	static const char *const vars[] = { FORCE, LOOP, RESOLVE, FAMILY, MAP,
	    DENY };
	char err[64];
	size_t i;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		cr_expect_eq(pol_set1(vars[i], "", err, sizeof(err)), 0);
		cr_expect_not(bw_policy_active(&pol), "%s", vars[i]);
		cr_expect_eq(pol_set1(vars[i], NULL, err, sizeof(err)), 0);
		cr_expect_not(bw_policy_active(&pol), "%s", vars[i]);
	}
}

Test(policy, error_messages)
{
	char err[256];

	pol_set1(LOOP, "yes", err, sizeof(err));
	cr_expect_str_eq(err, "must be 1 or 0");
	pol_set1(FAMILY, "5", err, sizeof(err));
	cr_expect_str_eq(err, "must be 4 or 6");
	pol_set1(FORCE, "127.0.0.l", err, sizeof(err));
	cr_expect_str_eq(err, "not a numeric IPv4 or IPv6 address");
	pol_set1(MAP, "80=81,443=", err, sizeof(err));
	cr_expect_str_eq(err, "'443=' is not FROM=TO with ports 0-65535");
	pol_set1(MAP, "80=81,80=82", err, sizeof(err));
	cr_expect_str_eq(err, "port 80 is mapped twice");
	pol_set1(DENY, "10.0.0.1,10.0.0.300", err, sizeof(err));
	cr_expect_str_eq(err,
	    "'10.0.0.300' is not ADDR, ADDR:PORT or [V6ADDR]:PORT");
	pol_set1(RESOLVE, "localhost=::1,127.0.0.l", err, sizeof(err));
	cr_expect_str_eq(err, "'127.0.0.l' is not a numeric IP address");
	pol_set1(RESOLVE, "localhost", err, sizeof(err));
	cr_expect_str_eq(err, "'localhost' is not NAME=ADDR[,ADDR...]");
	pol_set1(RESOLVE, "LocalHost=::1;localhost.=127.0.0.1", err, sizeof(err));
	cr_expect_str_eq(err, "'localhost' is given twice");
	/* A small err buffer is cut, not overrun. */
	{
		char small[8];

		memset(small, 'X', sizeof(small));
		cr_expect_eq(pol_set1(LOOP, "yes", small, 5), -1);
		cr_expect_str_eq(small, "must");
		cr_expect_eq(small[5], 'X');
	}
}

Test(policy, parsed_values)
{
	const struct bw_resolve *r;

	pol_make(FORCE, "::ffff:127.0.0.1", LOOP, "1", FAMILY, "6");
	cr_expect(pol.has_force);
	cr_expect_eq(pol.force.family, AF_INET, "v4-mapped force is unmapped");
	cr_expect_str_eq(pol_fmt(&pol.force), "127.0.0.1:0");
	cr_expect_eq(pol.loopback_only, 1);
	cr_expect_eq(pol.family, AF_INET6);
	pol_make(LOOP, "0", FAMILY, "4", NULL, NULL);
	cr_expect_eq(pol.loopback_only, 0);
	cr_expect_eq(pol.family, AF_INET);

	pol_make(MAP, "80=8080,443=8443,0=1", NULL, NULL, NULL, NULL);
	cr_assert_eq(pol.nmap, 3);
	cr_expect_eq(pol.map[0].from, 80);
	cr_expect_eq(pol.map[0].to, 8080);
	cr_expect_eq(pol.map[2].from, 0);
	cr_expect_eq(pol.map[2].to, 1);

	pol_make(DENY, "10.0.0.1,10.0.0.2:80,[::1]:443,::ffff:10.0.0.3", NULL,
	    NULL, NULL, NULL);
	cr_assert_eq(pol.ndeny, 4);
	cr_expect_eq(pol.deny[0].has_port, 0);
	cr_expect_eq(pol.deny[1].has_port, 1);
	cr_expect_str_eq(pol_fmt(&pol.deny[1].sa), "10.0.0.2:80");
	cr_expect_str_eq(pol_fmt(&pol.deny[2].sa), "[::1]:443");
	cr_expect_str_eq(pol_fmt(&pol.deny[3].sa), "10.0.0.3:0");

	pol_make(RESOLVE, "localhost=::1,127.0.0.1;Host.Example.=10.0.0.5",
	    NULL, NULL, NULL, NULL);
	cr_assert_eq(pol.nresolve, 2);
	r = &pol.resolve[0];
	cr_expect_str_eq(r->name, "localhost");
	cr_assert_eq(r->naddrs, 2);
	cr_expect_str_eq(pol_fmt(&r->addrs[0]), "[::1]:0");
	cr_expect_str_eq(pol_fmt(&r->addrs[1]), "127.0.0.1:0");
	cr_expect_str_eq(pol.resolve[1].name, "Host.Example");
	cr_expect(bw_policy_rewrites_gai(&pol));
}

/* "N=V,N=V,..." with n entries made by fn, into buf. */
static const char *
pol_list(char *buf, size_t len, size_t n, const char *sepfmt, int kind)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		int w;

		switch (kind) {
		case 0:		/* map */
			w = snprintf(buf + off, len - off, "%s%zu=%zu",
			    i ? sepfmt : "", 1000 + i, 2000 + i);
			break;
		case 1:		/* deny */
			w = snprintf(buf + off, len - off, "%s10.0.%zu.%zu:%zu",
			    i ? sepfmt : "", i / 250, i % 250, i);
			break;
		case 2:		/* resolve names */
			w = snprintf(buf + off, len - off, "%sh%zu=10.0.0.%zu",
			    i ? sepfmt : "", i, i);
			break;
		default:	/* resolve addresses of one name */
			w = snprintf(buf + off, len - off, "%s%s10.0.0.%zu",
			    i ? "" : "h=", i ? sepfmt : "", i);
			break;
		}
		cr_assert(w > 0 && (size_t)w < len - off);
		off += (size_t)w;
	}
	return buf;
}

Test(policy, limits)
{
	char buf[4096], err[256], name[BINDWATCH_MAX_NAME + 8];

	cr_expect_eq(pol_set1(MAP, pol_list(buf, sizeof(buf), BW_POLICY_MAX_MAP,
	    ",", 0), err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(pol.nmap, BW_POLICY_MAX_MAP);
	cr_expect_eq(pol_set1(MAP, pol_list(buf, sizeof(buf),
	    BW_POLICY_MAX_MAP + 1, ",", 0), err, sizeof(err)), -1);

	cr_expect_eq(pol_set1(DENY, pol_list(buf, sizeof(buf), BW_POLICY_MAX_DENY,
	    ",", 1), err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(pol.ndeny, BW_POLICY_MAX_DENY);
	cr_expect_eq(pol_set1(DENY, pol_list(buf, sizeof(buf),
	    BW_POLICY_MAX_DENY + 1, ",", 1), err, sizeof(err)), -1);

	cr_expect_eq(pol_set1(RESOLVE, pol_list(buf, sizeof(buf),
	    BW_POLICY_MAX_RESOLVE, ";", 2), err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(pol.nresolve, BW_POLICY_MAX_RESOLVE);
	cr_expect_eq(pol_set1(RESOLVE, pol_list(buf, sizeof(buf),
	    BW_POLICY_MAX_RESOLVE + 1, ";", 2), err, sizeof(err)), -1);

	cr_expect_eq(pol_set1(RESOLVE, pol_list(buf, sizeof(buf),
	    BINDWATCH_MAX_ADDRS, ",", 3), err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(pol.resolve[0].naddrs, BINDWATCH_MAX_ADDRS);
	cr_expect_eq(pol_set1(RESOLVE, pol_list(buf, sizeof(buf),
	    BINDWATCH_MAX_ADDRS + 1, ",", 3), err, sizeof(err)), -1);

	/* Names: up to 255 bytes. */
	memset(name, 'a', BINDWATCH_MAX_NAME - 1);
	strcpy(name + BINDWATCH_MAX_NAME - 1, "=::1");
	cr_expect_eq(pol_set1(RESOLVE, name, err, sizeof(err)), 0, "%s", err);
	memset(name, 'a', BINDWATCH_MAX_NAME);
	strcpy(name + BINDWATCH_MAX_NAME, "=::1");
	cr_expect_eq(pol_set1(RESOLVE, name, err, sizeof(err)), -1);

	/* Longer than any entry: refused, not overrun. */
	memset(buf, '1', sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = '\0';
	cr_expect_eq(pol_set1(RESOLVE, buf, err, sizeof(err)), -1);
	cr_expect_eq(pol_set1(DENY, buf, err, sizeof(err)), -1);
	cr_expect_eq(pol_set1(MAP, buf, err, sizeof(err)), -1);
	cr_expect_eq(pol_set1(FORCE, buf, err, sizeof(err)), -1);
	buf[0] = 'h';
	buf[1] = '=';
	cr_expect_eq(pol_set1(RESOLVE, buf, err, sizeof(err)), -1);
}

Test(policy, check_combinations)
{
	static const struct {
		const char	*force;
		const char	*loop;
		const char	*family;
		int		 ok;
	} t[] = {
		{ NULL, NULL, NULL, 1 },
		{ "127.0.0.1", "1", NULL, 1 },
		{ "127.0.0.5", "1", NULL, 1 },
		{ "::1", "1", NULL, 1 },
		{ "::ffff:127.0.0.1", "1", NULL, 1 },
		{ "10.0.0.1", "1", NULL, 0 },
		{ "0.0.0.0", "1", NULL, 0 },
		{ "::", "1", NULL, 0 },
		{ "10.0.0.1", "0", NULL, 1 },
		{ "127.0.0.1", NULL, "4", 1 },
		{ "127.0.0.1", NULL, "6", 0 },
		{ "::1", NULL, "6", 1 },
		{ "::1", NULL, "4", 0 },
		{ NULL, "1", "6", 1 },
	};
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		pol_make(t[i].force ? FORCE : NULL, t[i].force,
		    t[i].loop ? LOOP : NULL, t[i].loop,
		    t[i].family ? FAMILY : NULL, t[i].family);
		err[0] = '\0';
		cr_expect_eq(bw_policy_check(&pol, err, sizeof(err)),
		    t[i].ok ? 0 : -1, "row %zu", i);
		if (!t[i].ok)
			cr_expect_neq(err[0], '\0', "row %zu", i);
	}
}

Test(policy, active_and_rewrites_gai)
{
	bw_policy_init(&pol);
	cr_expect_not(bw_policy_active(&pol));
	cr_expect_not(bw_policy_rewrites_gai(&pol));
	pol_make(MAP, "1=2", NULL, NULL, NULL, NULL);
	cr_expect(bw_policy_active(&pol));
	cr_expect_not(bw_policy_rewrites_gai(&pol));
	pol_make(FAMILY, "4", NULL, NULL, NULL, NULL);
	cr_expect(bw_policy_rewrites_gai(&pol));
	pol_make(RESOLVE, "a=::1", NULL, NULL, NULL, NULL);
	cr_expect(bw_policy_rewrites_gai(&pol));
	pol_make(LOOP, "0", NULL, NULL, NULL, NULL);
	cr_expect_not(bw_policy_active(&pol));
}

#define PASS	BW_ACT_PASS
#define RW	BW_ACT_REWRITE
#define DENIED	BW_ACT_DENY

Test(policy, bind_decisions)
{
	static const struct {
		const char	*v1, *x1, *v2, *x2;
		int		 sockfamily;
		const char	*req;
		int		 action;
		int		 err;		/* DENY */
		const char	*addr;		/* REWRITE */
		int		 clear_v6only;
	} t[] = {
		/* No policy. */
		{ NULL, NULL, NULL, NULL, AF_INET, "0.0.0.0:80", PASS, 0, NULL, 0 },
		{ NULL, NULL, NULL, NULL, AF_INET6, "[::]:80", PASS, 0, NULL, 0 },

		/* Force 127.0.0.1, on both kinds of sockets. */
		{ FORCE, "127.0.0.1", NULL, NULL, AF_INET, "0.0.0.0:80", RW, 0,
		    "127.0.0.1:80", 0 },
		{ FORCE, "127.0.0.1", NULL, NULL, AF_INET, "10.0.0.1:8080", RW, 0,
		    "127.0.0.1:8080", 0 },
		{ FORCE, "127.0.0.1", NULL, NULL, AF_INET, "0.0.0.0:0", RW, 0,
		    "127.0.0.1:0", 0 },
		{ FORCE, "127.0.0.1", NULL, NULL, AF_INET, "127.0.0.1:80", PASS, 0,
		    NULL, 0 },
		{ FORCE, "127.0.0.1", NULL, NULL, AF_INET6, "[::]:80", RW, 0,
		    "[::ffff:127.0.0.1]:80", 1 },
		{ FORCE, "127.0.0.1", NULL, NULL, AF_INET6, "[::1]:80", RW, 0,
		    "[::ffff:127.0.0.1]:80", 1 },
		{ FORCE, "127.0.0.1", NULL, NULL, AF_INET6, "[::ffff:0.0.0.0]:80",
		    RW, 0, "[::ffff:127.0.0.1]:80", 1 },
		{ FORCE, "127.0.0.1", NULL, NULL, AF_INET6, "[::ffff:10.1.2.3]:80",
		    RW, 0, "[::ffff:127.0.0.1]:80", 1 },
		{ FORCE, "127.0.0.1", NULL, NULL, AF_INET6, "[fe80::1%2]:80", RW, 0,
		    "[::ffff:127.0.0.1]:80", 1 },
		{ FORCE, "127.0.0.1", NULL, NULL, AF_INET6, "[::ffff:127.0.0.1]:80",
		    PASS, 0, NULL, 0 },
		{ FORCE, "::ffff:127.0.0.1", NULL, NULL, AF_INET6, "[::]:80", RW, 0,
		    "[::ffff:127.0.0.1]:80", 1 },
		/* Force ::1: impossible on IPv4 sockets, never replaced. */
		{ FORCE, "::1", NULL, NULL, AF_INET, "0.0.0.0:80", DENIED,
		    EADDRNOTAVAIL, NULL, 0 },
		{ FORCE, "::1", NULL, NULL, AF_INET, "127.0.0.1:80", DENIED,
		    EADDRNOTAVAIL, NULL, 0 },
		{ FORCE, "::1", NULL, NULL, AF_INET6, "[::]:80", RW, 0, "[::1]:80", 0 },
		{ FORCE, "::1", NULL, NULL, AF_INET6, "[::ffff:127.0.0.1]:80", RW, 0,
		    "[::1]:80", 0 },
		{ FORCE, "::1", NULL, NULL, AF_INET6, "[::1]:80", PASS, 0, NULL, 0 },
		/* Scoped: the scope is part of the address. */
		{ FORCE, "fe80::1%2", NULL, NULL, AF_INET6, "[::]:80", RW, 0,
		    "[fe80::1%2]:80", 0 },
		{ FORCE, "fe80::1%2", NULL, NULL, AF_INET6, "[fe80::1]:80", RW, 0,
		    "[fe80::1%2]:80", 0 },
		{ FORCE, "fe80::1%2", NULL, NULL, AF_INET6, "[fe80::1%2]:80", PASS,
		    0, NULL, 0 },

		/* Loopback-only. */
		{ LOOP, "1", NULL, NULL, AF_INET, "0.0.0.0:80", RW, 0,
		    "127.0.0.1:80", 0 },
		{ LOOP, "1", NULL, NULL, AF_INET6, "[::]:80", RW, 0, "[::1]:80", 0 },
		{ LOOP, "1", NULL, NULL, AF_INET6, "[::ffff:0.0.0.0]:80", RW, 0,
		    "[::ffff:127.0.0.1]:80", 0 },
		{ LOOP, "1", NULL, NULL, AF_INET, "10.0.0.1:80", DENIED,
		    EADDRNOTAVAIL, NULL, 0 },
		{ LOOP, "1", NULL, NULL, AF_INET6, "[2001:db8::1]:80", DENIED,
		    EADDRNOTAVAIL, NULL, 0 },
		{ LOOP, "1", NULL, NULL, AF_INET6, "[::ffff:10.1.2.3]:80", DENIED,
		    EADDRNOTAVAIL, NULL, 0 },
		{ LOOP, "1", NULL, NULL, AF_INET6, "[fe80::1%2]:80", DENIED,
		    EADDRNOTAVAIL, NULL, 0 },
		{ LOOP, "1", NULL, NULL, AF_INET, "127.0.0.5:80", PASS, 0, NULL, 0 },
		{ LOOP, "1", NULL, NULL, AF_INET6, "[::1]:80", PASS, 0, NULL, 0 },
		{ LOOP, "1", NULL, NULL, AF_INET6, "[::ffff:127.0.0.1]:80", PASS, 0,
		    NULL, 0 },
		{ LOOP, "0", NULL, NULL, AF_INET, "0.0.0.0:80", PASS, 0, NULL, 0 },
		/* Force wins over loopback-only (check() makes them agree). */
		{ LOOP, "1", FORCE, "127.0.0.2", AF_INET, "127.0.0.1:80", RW, 0,
		    "127.0.0.2:80", 0 },

		/* Port maps: any address, no chains, with force. */
		{ MAP, "3000=3001,80=8080", NULL, NULL, AF_INET, "127.0.0.1:3000",
		    RW, 0, "127.0.0.1:3001", 0 },
		{ MAP, "3000=3001,80=8080", NULL, NULL, AF_INET, "10.0.0.1:80", RW,
		    0, "10.0.0.1:8080", 0 },
		{ MAP, "3000=3001,80=8080", NULL, NULL, AF_INET6, "[::]:80", RW, 0,
		    "[::]:8080", 0 },
		{ MAP, "3000=3001,3001=3002", NULL, NULL, AF_INET, "0.0.0.0:3000",
		    RW, 0, "0.0.0.0:3001", 0 },
		{ MAP, "3000=3001", NULL, NULL, AF_INET, "0.0.0.0:3001", PASS, 0,
		    NULL, 0 },
		{ MAP, "3000=3001", NULL, NULL, AF_INET, "0.0.0.0:0", PASS, 0,
		    NULL, 0 },
		{ MAP, "0=3001", NULL, NULL, AF_INET, "0.0.0.0:0", RW, 0,
		    "0.0.0.0:3001", 0 },
		{ MAP, "80=80", NULL, NULL, AF_INET, "0.0.0.0:80", PASS, 0, NULL, 0 },
		{ MAP, "80=8080", FORCE, "127.0.0.1", AF_INET, "0.0.0.0:80", RW, 0,
		    "127.0.0.1:8080", 0 },
		{ MAP, "80=8080", FORCE, "127.0.0.1", AF_INET6, "[::]:80", RW, 0,
		    "[::ffff:127.0.0.1]:8080", 1 },
		{ MAP, "80=8080", LOOP, "1", AF_INET6, "[::]:80", RW, 0,
		    "[::1]:8080", 0 },
		{ MAP, "80=8080", LOOP, "1", AF_INET, "10.0.0.1:80", DENIED,
		    EADDRNOTAVAIL, NULL, 0 },

		/* Deny lists. */
		{ DENY, "10.0.0.1", NULL, NULL, AF_INET, "10.0.0.1:80", DENIED,
		    EACCES, NULL, 0 },
		{ DENY, "10.0.0.1", NULL, NULL, AF_INET, "10.0.0.1:0", DENIED,
		    EACCES, NULL, 0 },
		{ DENY, "10.0.0.1", NULL, NULL, AF_INET, "10.0.0.2:80", PASS, 0,
		    NULL, 0 },
		{ DENY, "10.0.0.1", NULL, NULL, AF_INET6, "[::ffff:10.0.0.1]:80",
		    DENIED, EACCES, NULL, 0 },
		{ DENY, "127.0.0.1:3000", NULL, NULL, AF_INET, "127.0.0.1:3000",
		    DENIED, EACCES, NULL, 0 },
		{ DENY, "127.0.0.1:3000", NULL, NULL, AF_INET, "127.0.0.1:3001",
		    PASS, 0, NULL, 0 },
		{ DENY, "127.0.0.1:3000", NULL, NULL, AF_INET6,
		    "[::ffff:127.0.0.1]:3000", DENIED, EACCES, NULL, 0 },
		{ DENY, "[::1]:80", NULL, NULL, AF_INET6, "[::1]:80", DENIED, EACCES,
		    NULL, 0 },
		{ DENY, "[::1]:80", NULL, NULL, AF_INET6, "[::1]:81", PASS, 0, NULL,
		    0 },
		{ DENY, "[::1]:80", NULL, NULL, AF_INET, "127.0.0.1:80", PASS, 0,
		    NULL, 0 },
		{ DENY, "::1", NULL, NULL, AF_INET6, "[::1]:65535", DENIED, EACCES,
		    NULL, 0 },
		{ DENY, "0.0.0.0", NULL, NULL, AF_INET, "0.0.0.0:80", DENIED, EACCES,
		    NULL, 0 },
		{ DENY, "0.0.0.0", NULL, NULL, AF_INET6, "[::]:80", PASS, 0, NULL, 0 },
		{ DENY, "0.0.0.0", NULL, NULL, AF_INET6, "[::ffff:0.0.0.0]:80",
		    DENIED, EACCES, NULL, 0 },
		{ DENY, "[::ffff:127.0.0.1]:80", NULL, NULL, AF_INET,
		    "127.0.0.1:80", DENIED, EACCES, NULL, 0 },
		{ DENY, "fe80::1%2", NULL, NULL, AF_INET6, "[fe80::1%5]:80", DENIED,
		    EACCES, NULL, 0 },
		/* A rewrite never lands on a denied address... */
		{ DENY, "127.0.0.1", FORCE, "127.0.0.1", AF_INET, "0.0.0.0:80",
		    DENIED, EACCES, NULL, 0 },
		{ DENY, "127.0.0.1", FORCE, "127.0.0.1", AF_INET6, "[::]:80",
		    DENIED, EACCES, NULL, 0 },
		{ DENY, "127.0.0.1:80", LOOP, "1", AF_INET, "0.0.0.0:80", DENIED,
		    EACCES, NULL, 0 },
		{ DENY, "127.0.0.1:80", LOOP, "1", AF_INET, "0.0.0.0:81", RW, 0,
		    "127.0.0.1:81", 0 },
		{ DENY, "127.0.0.1:8080", MAP, "80=8080", AF_INET, "127.0.0.1:80",
		    DENIED, EACCES, NULL, 0 },
		/* ...and a denied request is not saved by a rewrite. */
		{ DENY, "127.0.0.1:80", MAP, "80=8080", AF_INET, "127.0.0.1:80",
		    DENIED, EACCES, NULL, 0 },
		{ DENY, "10.0.0.1", FORCE, "127.0.0.1", AF_INET, "10.0.0.1:80",
		    DENIED, EACCES, NULL, 0 },

		/* An address of another family than the socket: the kernel's. */
		{ FORCE, "127.0.0.1", NULL, NULL, AF_INET6, "0.0.0.0:80", PASS, 0,
		    NULL, 0 },
		{ FORCE, "::1", NULL, NULL, AF_INET6, "0.0.0.0:80", PASS, 0, NULL, 0 },
		{ LOOP, "1", NULL, NULL, AF_INET, "[::]:80", PASS, 0, NULL, 0 },
		{ DENY, "10.0.0.1", NULL, NULL, AF_INET6, "10.0.0.1:80", PASS, 0,
		    NULL, 0 },
		{ MAP, "80=81", NULL, NULL, AF_UNIX, "10.0.0.1:80", PASS, 0, NULL, 0 },
	};
	struct bw_bind_decision d;
	struct bw_sa req;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		pol_make(t[i].v1, t[i].x1, t[i].v2, t[i].x2, NULL, NULL);
		req = pol_ep(t[i].req);
		memset(&d, 0x5a, sizeof(d));
		bw_policy_bind(&pol, t[i].sockfamily, &req, &d);
		cr_expect_eq(d.action, t[i].action, "row %zu (%s %s): action %d",
		    i, t[i].x1, t[i].req, d.action);
		if (d.action != t[i].action)
			continue;
		switch (d.action) {
		case BW_ACT_DENY:
			cr_expect_eq(d.err, t[i].err, "row %zu: errno %d", i, d.err);
			cr_expect_not_null(d.why, "row %zu", i);
			break;
		case BW_ACT_REWRITE:
			cr_expect_str_eq(pol_fmt(&d.addr), t[i].addr,
			    "row %zu (%s %s): %s", i, t[i].x1, t[i].req,
			    pol_fmt(&d.addr));
			cr_expect_eq(d.addr.family, t[i].sockfamily,
			    "row %zu: rewritten across families", i);
			cr_expect_eq(!!d.clear_v6only, t[i].clear_v6only,
			    "row %zu: clear_v6only", i);
			cr_expect_not_null(d.why, "row %zu", i);
			break;
		default:
			cr_expect_null(d.why, "row %zu: why %s", i, d.why);
		}
	}
}

/*
 * Which binds a policy touches (bw_policy_socket): servers, not clients;
 * port 0 over TCP at listen; a dual-stack [::] under loopback-only is
 * confined to the loopback device, not moved to ::1.
 */
Test(policy, socket_scope_table)
{
	static const struct {
		const char	*v1, *x1;
		int		 family, proto, v6only, phase;
		const char	*req;
		int		 action;
		const char	*addr;		/* REWRITE, CONFINE */
		const char	*fallback;	/* CONFINE */
		int		 client;
	} t[] = {
		/* A UDP client's socket (a resolver's): left alone. */
		{ LOOP, "1", AF_INET, BW_PROTO_UDP, 0, BW_PHASE_BIND,
		    "0.0.0.0:0", PASS, NULL, NULL, 1 },
		{ FORCE, "127.0.0.1", AF_INET, BW_PROTO_UDP, 0, BW_PHASE_BIND,
		    "0.0.0.0:0", PASS, NULL, NULL, 1 },
		{ DENY, "0.0.0.0", AF_INET, BW_PROTO_UDP, 0, BW_PHASE_BIND,
		    "0.0.0.0:0", PASS, NULL, NULL, 1 },
		/* A UDP server, on its own port: moved. */
		{ LOOP, "1", AF_INET, BW_PROTO_UDP, 0, BW_PHASE_BIND,
		    "0.0.0.0:53", RW, "127.0.0.1:53", NULL, 0 },
		/* TCP on port 0: left alone at bind... */
		{ LOOP, "1", AF_INET, BW_PROTO_TCP, 0, BW_PHASE_BIND,
		    "0.0.0.0:0", PASS, NULL, NULL, 0 },
		{ LOOP, "1", AF_INET, BW_PROTO_TCP, 0, BW_PHASE_BIND,
		    "10.0.0.1:0", PASS, NULL, NULL, 0 },
		/* ...and at listen, where it is bound, confined... */
		{ LOOP, "1", AF_INET, BW_PROTO_TCP, 0, BW_PHASE_BOUND,
		    "0.0.0.0:40000", BW_ACT_CONFINE, "0.0.0.0:40000",
		    "127.0.0.1:40000", 0 },
		{ FORCE, "127.0.0.1", AF_INET, BW_PROTO_TCP, 0, BW_PHASE_BOUND,
		    "0.0.0.0:40000", BW_ACT_CONFINE, "0.0.0.0:40000",
		    "127.0.0.1:40000", 0 },
		{ LOOP, "1", AF_INET6, BW_PROTO_TCP, 0, BW_PHASE_BOUND,
		    "[::]:40000", BW_ACT_CONFINE, "[::]:40000", "[::1]:40000", 0 },
		/* ...refused where the policy refuses it... */
		{ LOOP, "1", AF_INET, BW_PROTO_TCP, 0, BW_PHASE_BOUND,
		    "10.0.0.1:40000", DENIED, NULL, NULL, 0 },
		{ DENY, "0.0.0.0", AF_INET, BW_PROTO_TCP, 0, BW_PHASE_BOUND,
		    "0.0.0.0:40000", DENIED, NULL, NULL, 0 },
		/* ...and left where it is when only a move would do. */
		{ FORCE, "10.0.0.5", AF_INET, BW_PROTO_TCP, 0, BW_PHASE_BOUND,
		    "0.0.0.0:40000", PASS, NULL, NULL, 0 },
		{ LOOP, "1", AF_INET, BW_PROTO_TCP, 0, BW_PHASE_BOUND,
		    "127.0.0.1:40000", PASS, NULL, NULL, 0 },
		/* listen on a socket never bound: rewritten before it binds. */
		{ LOOP, "1", AF_INET, BW_PROTO_TCP, 0, BW_PHASE_AUTOBIND,
		    "0.0.0.0:0", RW, "127.0.0.1:0", NULL, 0 },
		{ LOOP, "1", AF_INET6, BW_PROTO_TCP, 0, BW_PHASE_AUTOBIND,
		    "[::]:0", BW_ACT_CONFINE, "[::]:0", "[::1]:0", 0 },
		/* Dual-stack [::] under loopback-only: confined, IPv4 kept. */
		{ LOOP, "1", AF_INET6, BW_PROTO_TCP, 0, BW_PHASE_BIND,
		    "[::]:8000", BW_ACT_CONFINE, "[::]:8000", "[::1]:8000", 0 },
		{ LOOP, "1", AF_INET6, BW_PROTO_UDP, 0, BW_PHASE_BIND,
		    "[::]:53", BW_ACT_CONFINE, "[::]:53", "[::1]:53", 0 },
		/* v6only [::] serves IPv6 alone: ::1 loses nothing. */
		{ LOOP, "1", AF_INET6, BW_PROTO_TCP, 1, BW_PHASE_BIND,
		    "[::]:8000", RW, "[::1]:8000", NULL, 0 },
		/* A v4-mapped wildcard is IPv4 only: its loopback. */
		{ LOOP, "1", AF_INET6, BW_PROTO_TCP, 0, BW_PHASE_BIND,
		    "[::ffff:0.0.0.0]:8000", RW, "[::ffff:127.0.0.1]:8000",
		    NULL, 0 },
		/* force is exact: [::] goes where it says. */
		{ FORCE, "::1", AF_INET6, BW_PROTO_TCP, 0, BW_PHASE_BIND,
		    "[::]:8000", RW, "[::1]:8000", NULL, 0 },
		/* The port map still applies to a confined socket. */
		{ LOOP, "1", AF_INET6, BW_PROTO_TCP, 0, BW_PHASE_BIND,
		    "[::]:80", BW_ACT_CONFINE, "[::]:8080", "[::1]:8080", 0 },
	};
	struct bw_bind_decision d;
	struct bw_bind_ctx ctx;
	struct bw_sa req;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		pol_make(t[i].v1, t[i].x1, NULL, NULL, NULL, NULL);
		if (i == sizeof(t) / sizeof(t[0]) - 1)
			pol_make(t[i].v1, t[i].x1, MAP, "80=8080", NULL, NULL);
		req = pol_ep(t[i].req);
		ctx.family = t[i].family;
		ctx.proto = t[i].proto;
		ctx.v6only = t[i].v6only;
		ctx.phase = t[i].phase;
		memset(&d, 0x5a, sizeof(d));
		bw_policy_socket(&pol, &ctx, &req, &d);
		cr_expect_eq(d.action, t[i].action, "row %zu (%s %s): action %d",
		    i, t[i].x1, t[i].req, d.action);
		if (d.action == t[i].action && t[i].addr != NULL)
			cr_expect_str_eq(pol_fmt(&d.addr), t[i].addr,
			    "row %zu: %s", i, pol_fmt(&d.addr));
		if (d.action == t[i].action && t[i].fallback != NULL)
			cr_expect_str_eq(pol_fmt(&d.fallback), t[i].fallback,
			    "row %zu: fallback %s", i, pol_fmt(&d.fallback));
		if (d.action == PASS)
			cr_expect_eq(d.client, t[i].client, "row %zu: client", i);
	}
}

Test(policy, lookup)
{
	const struct bw_resolve *r;

	pol_make(RESOLVE, "localhost=::1,127.0.0.1;db.internal=10.0.0.5;"
	    "Example.COM.=10.0.0.6", NULL, NULL, NULL, NULL);
	r = bw_policy_lookup(&pol, "localhost");
	cr_assert_not_null(r);
	cr_expect_eq(r->naddrs, 2);
	cr_expect_str_eq(pol_fmt(&r->addrs[0]), "[::1]:0");
	cr_expect_eq(bw_policy_lookup(&pol, "LOCALHOST"), r);
	cr_expect_eq(bw_policy_lookup(&pol, "localhost."), r);
	cr_expect_eq(bw_policy_lookup(&pol, "LocalHost."), r);
	cr_expect_null(bw_policy_lookup(&pol, "localhost.."));
	cr_expect_null(bw_policy_lookup(&pol, "localhos"));
	cr_expect_null(bw_policy_lookup(&pol, "localhostx"));
	cr_expect_null(bw_policy_lookup(&pol, "xlocalhost"));
	cr_expect_null(bw_policy_lookup(&pol, ".localhost"));
	cr_expect_null(bw_policy_lookup(&pol, NULL));
	cr_expect_null(bw_policy_lookup(&pol, ""));
	cr_expect_null(bw_policy_lookup(&pol, "."));
	r = bw_policy_lookup(&pol, "DB.internal");
	cr_assert_not_null(r);
	cr_expect_str_eq(pol_fmt(&r->addrs[0]), "10.0.0.5:0");
	/* A trailing dot in the policy is the same name. */
	r = bw_policy_lookup(&pol, "example.com");
	cr_assert_not_null(r);
	cr_expect_str_eq(pol_fmt(&r->addrs[0]), "10.0.0.6:0");
	cr_expect_eq(bw_policy_lookup(&pol, "example.com."), r);

	bw_policy_init(&pol);
	cr_expect_null(bw_policy_lookup(&pol, "localhost"));
}

Test(policy, family_filter)
{
	bw_policy_init(&pol);
	cr_expect(bw_policy_family_ok(&pol, AF_INET));
	cr_expect(bw_policy_family_ok(&pol, AF_INET6));

	pol_make(FAMILY, "4", NULL, NULL, NULL, NULL);
	cr_expect(bw_policy_family_ok(&pol, AF_INET));
	cr_expect_not(bw_policy_family_ok(&pol, AF_INET6));

	pol_make(FAMILY, "6", NULL, NULL, NULL, NULL);
	cr_expect(bw_policy_family_ok(&pol, AF_INET6));
	cr_expect_not(bw_policy_family_ok(&pol, AF_INET));
}

Test(policy, unconfined_falls_back_to_the_rewrite)
{
	struct bw_bind_decision d;

	memset(&d, 0, sizeof(d));
	d.action = BW_ACT_CONFINE;
	cr_assert_eq(bw_policy_unconfined(&d), -1);
	d.fallback.family = AF_INET;
	d.fallback.port = 80;
	cr_assert_eq(bw_policy_unconfined(&d), 0);
	cr_assert_eq(d.action, BW_ACT_REWRITE);
	cr_assert_eq(d.addr.port, 80);
}
