/*
 * Sockets the shim never saw (unseen.c), asserted on the findings with a
 * fake kernel: they are unseen, exposed by the kernel's rule, part of
 * split localhost, their process is listed, and a policy that would have
 * changed them says it was not applied.
 */
#include <criterion/criterion.h>

#include <string.h>

#include "analyze.h"
#include "contract.h"
#include "fake_kernel.h"

static struct fake_kernel fk;
static struct bw_model m;
static struct bw_findings f;
static struct bw_policy pol;
static struct bw_owner st = { 300, "gosrv" };

static void
setup(void)
{
	fake_kernel_init(&fk);
	bw_model_init(&m);
	memset(&f, 0, sizeof(f));
	bw_policy_init(&pol);
}

static void
teardown(void)
{
	bw_findings_free(&f);
	bw_model_free(&m);
}

TestSuite(unseen, .init = setup, .fini = teardown);

/* The tree: pid 300 (unseen sockets at addrs), pid 301 under the shim. */
static void
tree(const char *const *addrs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fake_sock(&fk, addrs[i], &st);
	fk.tree[fk.ntree++] = st.pid;
	bw_model_snapshot(&m, &fk.ops);
	bw_analyze(&m, &fk.ops, &f);
}

static void
set(const char *var, const char *val)
{
	char why[128];

	cr_assert_eq(bw_policy_set(&pol, var, val, why, sizeof(why)), 0, "%s",
	    why);
	bw_model_policy(&m, &pol);
}

Test(unseen, wildcard_is_exposed_and_loopback_only_not_applied)
{
	static const char *const a[] = { "0.0.0.0:8080", "127.0.0.1:8081" };

	set(BINDWATCH_ENV_LOOPBACK_ONLY, "1");
	bw_model_exit(&m, st.pid, st.comm, -15);
	tree(a, 2);
	cr_expect_eq(f.nunseen, 2);
	cr_assert_eq(f.nexposed, 1);
	cr_expect_eq(f.exposed[0].pid, 300);
	cr_expect_eq(f.exposed[0].addr.port, 8080);
	cr_assert_eq(f.nnotapplied, 1, "127.0.0.1 is what the policy wants");
	cr_expect_eq(f.notapplied[0].pid, 300);
	cr_expect_str_eq(f.notapplied[0].comm, "gosrv");
	cr_expect_eq(f.notapplied[0].addr.port, 8080);
	cr_expect_eq(f.notapplied[0].action, BW_ACT_REWRITE);
	cr_expect_eq(f.notapplied[0].want.port, 8080);
	cr_expect_eq(bw_sa_class(&f.notapplied[0].want), BW_CLASS_LOOPBACK);
	cr_expect_eq(f.nwarnings, 2 + 1 + 1);
	cr_assert_eq(f.nprocs, 1);
	cr_expect_eq(f.procs[0].quiet, 0, "it holds sockets");
	cr_expect_eq(f.nquiet, 0);
}

Test(unseen, dual_stack_wildcard_would_be_confined)
{
	static const char *const a[] = { "[::]:8080" };

	fk.socks[0].v6only = 0;
	set(BINDWATCH_ENV_LOOPBACK_ONLY, "1");
	tree(a, 1);
	cr_assert_eq(f.nnotapplied, 1);
	cr_expect_eq(f.notapplied[0].action, BW_ACT_CONFINE);
	cr_expect_eq(f.nexposed, 1);
}

Test(unseen, no_policy_no_warning_but_exposed)
{
	static const char *const a[] = { "[::]:8080" };

	tree(a, 1);
	cr_expect_eq(f.nnotapplied, 0);
	cr_expect_eq(f.nexposed, 1);
	cr_expect_eq(f.nunseen, 1);
}

Test(unseen, force_deny_and_map_port)
{
	static const char *const a[] = { "127.0.0.1:8080", "[::1]:9090" };

	set(BINDWATCH_ENV_DENY, "127.0.0.1:8080");
	set(BINDWATCH_ENV_MAP_PORT, "9090=9091");
	tree(a, 2);
	cr_assert_eq(f.nnotapplied, 2);
	cr_expect_eq(f.notapplied[0].action, BW_ACT_DENY);
	cr_expect_eq(f.notapplied[1].action, BW_ACT_REWRITE);
	cr_expect_eq(f.notapplied[1].want.port, 9091);
	cr_expect_eq(f.nexposed, 0, "loopback only");
}

/* A forked static server: one socket, two holders, one warning each. */
Test(unseen, forked_holders_warn_once)
{
	static struct bw_owner two[2] = { { 300, "gosrv" }, { 302, "gosrv" } };
	struct bw_sock *s;

	set(BINDWATCH_ENV_FORCE, "127.0.0.1");
	s = fake_sock(&fk, "0.0.0.0:8080", two);
	s->nowners = 2;
	fk.tree[fk.ntree++] = 300;
	fk.tree[fk.ntree++] = 302;
	bw_model_snapshot(&m, &fk.ops);
	bw_analyze(&m, &fk.ops, &f);
	cr_expect_eq(f.nunseen, 2, "each holder");
	cr_expect_eq(f.nexposed, 1);
	cr_expect_eq(f.nnotapplied, 1);
}

/* Unseen on [::1], another process on 127.0.0.1: split localhost. */
Test(unseen, takes_part_in_split_localhost)
{
	static struct bw_owner other = { 500, "other" };
	static const char *const a[] = { "[::1]:3000" };
	const struct bw_fsplit *s;

	fake_sock(&fk, "127.0.0.1:3000", &other);
	fk.client[0] = fake_sa("::1");
	fk.client[1] = fake_sa("127.0.0.1");
	fk.nclient = 2;
	tree(a, 1);
	cr_assert_eq(f.nsplits, 1, "the shim saw nothing, the kernel did");
	s = &f.splits[0];
	cr_expect_eq(s->port, 3000);
	cr_assert_eq(s->n6, 1);
	cr_expect_eq(s->v6[0].pid, 300);
	cr_expect_eq(s->v6[0].in_run, 1);
	cr_assert_eq(s->n4, 1);
	cr_expect_eq(s->v4[0].pid, 500);
	cr_expect_eq(s->reached.pid, 300);
	cr_assert_eq(s->nreached_by, 3);
	cr_expect_eq(s->reached_by[1].who.pid, 500, "curl: 127.0.0.1");
}

/* A probe the shim saw listen and close, in an earlier snapshot of the
 * kernel, is no socket the shim missed (closes.c drops that view). */
Test(unseen, seen_then_closed_is_not_unseen)
{
	struct bw_event e;

	set(BINDWATCH_ENV_LOOPBACK_ONLY, "1");
	fk.tree[fk.ntree++] = st.pid;
	fake_listen(&m, st.pid, "0.0.0.0:41000");
	fake_sock(&fk, "0.0.0.0:41000", &st);
	bw_model_snapshot(&m, &fk.ops);
	e = fake_event(BW_EV_CLOSE, st.pid, "gosrv");
	e.bound = fake_sa("0.0.0.0:41000");
	bw_model_event(&m, &e, NULL);
	fake_listen(&m, st.pid, "127.0.0.1:8000");
	bw_model_closes_settle(&m);
	cr_assert_eq(m.nclosed, 1);
	bw_analyze(&m, &fk.ops, &f);
	cr_expect_eq(f.nunseen, 0);
	cr_expect_eq(f.nnotapplied, 0);
}
