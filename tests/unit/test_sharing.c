/*
 * The sharing warnings (tools/report/sharing.c) and the cause of a failed
 * bind, asserted on the findings with a fake kernel: a SO_REUSEPORT group
 * held by several processes, one socket shared by a fork (no group), an
 * exact address beside another process's wildcard.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <string.h>

#include "analyze.h"
#include "fake_kernel.h"

static struct fake_kernel fk;
static struct bw_model m;
static struct bw_findings f;

static void
setup(void)
{
	fake_kernel_init(&fk);
	bw_model_init(&m);
	memset(&f, 0, sizeof(f));
}

static void
teardown(void)
{
	bw_findings_free(&f);
	bw_model_free(&m);
}

TestSuite(sharing, .init = setup, .fini = teardown);

/* A listener of the kernel with an inode. */
static struct bw_sock *
ksock(const char *addr, struct bw_owner *o, size_t nowners, uint64_t inode)
{
	struct bw_sock *s = fake_sock(&fk, addr, o);

	s->nowners = nowners;
	s->inode = inode;
	s->reuseport = -1;
	s->v6only = -1;
	return s;
}

/* pid of the tree listens at addr with options opts. */
static void
tree_listen(pid_t pid, const char *addr, int opts)
{
	struct bw_event e = fake_event(BW_EV_LISTEN, pid, "srv");

	e.bound = fake_sa(addr);
	e.opts = (uint8_t)opts;
	bw_model_event(&m, &e, NULL);
	fk.tree[fk.ntree++] = pid;
}

Test(sharing, reuseport_group_with_an_outsider)
{
	struct bw_owner in = { 200, "srv" }, out = { 100, "old" };

	tree_listen(200, "127.0.0.1:4000", BW_OPT_REUSEPORT);
	ksock("127.0.0.1:4000", &in, 1, 11);
	ksock("127.0.0.1:4000", &out, 1, 12);
	bw_model_snapshot(&m, &fk.ops);
	bw_analyze(&m, &fk.ops, &f);
	cr_assert_eq(f.nshares, 1);
	cr_expect_eq(f.shares[0].nsockets, 2);
	cr_expect_eq(f.shares[0].nprocs, 2);
	cr_expect_eq(f.shares[0].procs[0].pid, 200, "the tree's first");
	cr_expect_eq(f.shares[0].procs[0].in_run, 1);
	cr_expect_eq(f.shares[0].procs[1].pid, 100);
	cr_expect_eq(f.shares[0].procs[1].in_run, 0);
	cr_expect_eq(f.nexacts, 0, "one address, one group");
	cr_expect_eq(f.nwarnings, 1);
}

Test(sharing, one_socket_of_a_fork_is_no_group)
{
	struct bw_owner two[2] = { { 200, "srv" }, { 201, "srv" } };

	tree_listen(200, "127.0.0.1:4000", 0);
	fk.tree[fk.ntree++] = 201;
	ksock("127.0.0.1:4000", two, 2, 11);
	bw_model_snapshot(&m, &fk.ops);
	bw_analyze(&m, &fk.ops, &f);
	cr_expect_eq(f.nshares, 0);
}

Test(sharing, others_group_without_the_tree)
{
	struct bw_owner a = { 100, "a" }, b = { 101, "b" }, in = { 200, "srv" };

	tree_listen(200, "127.0.0.2:4000", 0);
	ksock("127.0.0.2:4000", &in, 1, 10);
	ksock("127.0.0.1:4000", &a, 1, 11);
	ksock("127.0.0.1:4000", &b, 1, 12);
	bw_model_snapshot(&m, &fk.ops);
	bw_analyze(&m, &fk.ops, &f);
	cr_expect_eq(f.nshares, 0, "the tree is not in that group");
	cr_expect_eq(f.nexacts, 0, "no wildcard on the port");
}

Test(sharing, group_of_the_tree_from_events_alone)
{
	/* No snapshot: the events' SO_REUSEPORT and addresses say it. */
	tree_listen(200, "127.0.0.1:4000", BW_OPT_REUSEPORT);
	tree_listen(201, "127.0.0.1:4000", BW_OPT_REUSEPORT);
	bw_analyze(&m, NULL, &f);
	cr_assert_eq(f.nshares, 1);
	cr_expect_eq(f.shares[0].nprocs, 2);
	cr_expect_eq(f.shares[0].procs[1].in_run, 1);
}

Test(sharing, exact_beats_an_outsiders_wildcard)
{
	struct bw_owner in = { 200, "srv" }, out = { 100, "old" };
	const struct bw_fexact *x;
	struct bw_sa dst = fake_sa("127.0.0.1:8080");

	tree_listen(200, "127.0.0.1:8080", BW_OPT_REUSEPORT);
	ksock("127.0.0.1:8080", &in, 1, 11);
	ksock("0.0.0.0:8080", &out, 1, 12);
	bw_model_snapshot(&m, &fk.ops);
	bw_analyze(&m, &fk.ops, &f);
	cr_expect_eq(f.nshares, 0, "two addresses: two groups");
	cr_assert_eq(f.nexacts, 1);
	x = &f.exacts[0];
	cr_expect(bw_sa_equal(&x->dst, &dst, 1));
	cr_assert_eq(x->nto, 1);
	cr_expect_eq(x->to[0].who.pid, 200);
	cr_assert_eq(x->npassed, 1);
	cr_expect_eq(x->passed[0].who.pid, 100);
	cr_expect_eq(x->passed[0].who.in_run, 0);
	cr_expect_eq(x->passed[0].addr.port, 8080);
}

Test(sharing, exact_and_wildcard_of_one_process)
{
	struct bw_owner in = { 200, "srv" };

	tree_listen(200, "127.0.0.1:8080", BW_OPT_REUSEPORT);
	tree_listen(200, "0.0.0.0:8080", BW_OPT_REUSEPORT);
	ksock("127.0.0.1:8080", &in, 1, 11);
	ksock("0.0.0.0:8080", &in, 1, 12);
	bw_model_snapshot(&m, &fk.ops);
	bw_analyze(&m, &fk.ops, &f);
	cr_expect_eq(f.nexacts, 0, "one process gets both");
}

Test(sharing, failed_bind_cause_is_the_listener)
{
	struct bw_owner old = { 100, "oldsrv" };

	fake_story(&fk, &m, &old);
	bw_analyze(&m, &fk.ops, &f);
	cr_assert_eq(f.nbinds, 2);
	cr_expect_eq(f.binds[0].inuse.cause, BW_KR_CAUSE_LISTENER);
	cr_expect_eq(f.binds[0].inuse.n, 1);
	cr_expect_eq(f.binds[1].inuse.cause, BW_KR_CAUSE_NONE, "it bound");
}

/* pid of the tree binds UDP addr with options opts. */
static void
tree_udp(pid_t pid, const char *addr, int opts)
{
	struct bw_event e = fake_event(BW_EV_BIND, pid, "dns");
	struct bw_sock *s;

	e.proto = BW_PROTO_UDP;
	e.req = e.used = e.bound = fake_sa(addr);
	e.opts = (uint8_t)opts;
	bw_model_event(&m, &e, NULL);
	fk.tree[fk.ntree++] = pid;
	s = ksock(addr, NULL, 0, 20 + (uint64_t)pid);
	s->proto = BW_PROTO_UDP;
	s->state = BW_UDP_UNCONN;
}

/* Two processes of the tree bind UDP 127.0.0.1:5353 with opts. */
static void
udp_pair(int opts)
{
	static struct bw_owner a = { 300, "dns" }, b = { 301, "dns" };

	tree_udp(300, "127.0.0.1:5353", opts);
	tree_udp(301, "127.0.0.1:5353", opts);
	fk.socks[0].owners = &a;
	fk.socks[0].nowners = 1;
	fk.socks[1].owners = &b;
	fk.socks[1].nowners = 1;
	bw_model_snapshot(&m, &fk.ops);
	bw_analyze(&m, &fk.ops, &f);
}

Test(sharing, udp_group_needs_the_options)
{
	udp_pair(BW_OPT_REUSEPORT);
	cr_assert_eq(f.nshares, 1);
	cr_expect_eq(f.shares[0].proto, BW_PROTO_UDP);
	cr_expect_eq(f.shares[0].nprocs, 2);
}

Test(sharing, udp_with_reuseaddr_is_no_group)
{
	/* SO_REUSEADDR lets UDP share a port too, without spreading. */
	udp_pair(BW_OPT_REUSEADDR);
	cr_expect_eq(f.nshares, 0);
}
