/*
 * The analysis, asserted on its findings (not on rendered text), with a
 * fake kernel: the kernel's accept rules, split localhost and whom a
 * client reaches, fallbacks, holders, exposed and unseen, and which
 * questions the model and the analysis ask the kernel.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "analyze.h"
#include "fake_kernel.h"

/* Each test: one fake kernel, one model, its findings. */
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

TestSuite(analyze, .init = setup, .fini = teardown);

/* The findings of the model as it is now. */
static void
analyze(const struct bw_kernel_ops *k)
{
	bw_findings_free(&f);
	bw_analyze(&m, k, &f);
}

static int
same_sa(const struct bw_sa *a, const char *b)
{
	struct bw_sa sb = fake_sa(b);

	return bw_sa_equal(a, &sb, 1);
}

Test(analyze, accepts_follows_the_kernel)
{
	struct bw_sa any4 = fake_sa("0.0.0.0:80"), any6 = fake_sa("[::]:80");
	struct bw_sa lo4 = fake_sa("127.0.0.1:80"), lo6 = fake_sa("[::1]:80");
	struct bw_sa mapped = fake_sa("[::ffff:127.0.0.1]:80");

	cr_assert(bw_accepts(&lo4, 0, &lo4));
	cr_assert(!bw_accepts(&lo4, 0, &lo6));
	cr_assert(bw_accepts(&any4, 0, &lo4));
	cr_assert(!bw_accepts(&any4, 0, &lo6));
	cr_assert(bw_accepts(&any6, 0, &lo6));
	cr_assert(bw_accepts(&any6, 0, &lo4), "dual-stack [::] takes IPv4");
	cr_assert(!bw_accepts(&any6, 1, &lo4), "v6only [::] does not");
	cr_assert(bw_accepts(&any6, -1, &lo4), "unknown v6only: Linux default");
	cr_assert(bw_accepts(&mapped, 0, &lo4), "v4-mapped listener");
	lo4.port = 81;
	cr_assert(!bw_accepts(&any4, 0, &lo4), "other port");
}

Test(analyze, split_localhost_and_whom_a_client_reaches)
{
	struct bw_owner old = { 100, "oldsrv" };
	const struct bw_fsplit *s;

	fake_story(&fk, &m, &old);
	fk.client[0] = fake_sa("::1");
	fk.client[1] = fake_sa("127.0.0.1");
	fk.nclient = 2;
	analyze(&fk.ops);
	cr_assert_eq(f.nsplits, 1);
	s = &f.splits[0];
	cr_expect_eq(s->port, 3000);
	cr_assert_eq(s->n6, 1);
	cr_expect_eq(s->v6[0].pid, 100);
	cr_expect_str_eq(s->v6[0].comm, "oldsrv");
	cr_expect_eq(s->v6[0].in_run, 0);
	cr_assert_eq(s->n4, 1);
	cr_expect_eq(s->v4[0].pid, 200);
	cr_expect_eq(s->v4[0].in_run, 1);
	cr_assert(s->reached_known);
	cr_expect_eq(s->reached.pid, 100, "::1 first: the old server");
	cr_expect(same_sa(&s->reached_addr, "[::1]:3000"));
	cr_expect_eq(fk.client_asks, 1, "one resolver query");
	cr_expect_eq(f.nwarnings, 1, "127.0.0.1 is not exposed");
	/* Each kind of client: curl tries 127.0.0.1 first. */
	cr_assert_eq(s->nreached_by, 3);
	cr_expect_str_eq(s->reached_by[0].client, "getaddrinfo-order");
	cr_expect_eq(s->reached_by[0].who.pid, 100);
	cr_expect(same_sa(&s->reached_by[0].addr, "[::1]:3000"));
	cr_expect_str_eq(s->reached_by[1].client, "curl");
	cr_expect_eq(s->reached_by[1].who.pid, 200);
	cr_expect_eq(s->reached_by[1].who.in_run, 1);
	cr_expect(same_sa(&s->reached_by[1].addr, "127.0.0.1:3000"));
	cr_expect_str_eq(s->reached_by[2].client, "node");
	cr_expect_eq(s->reached_by[2].who.pid, 100);

	/* IPv4 first: the new server is reached, and it is still split. */
	fk.client[0] = fake_sa("127.0.0.1");
	fk.nclient = 1;
	analyze(&fk.ops);
	cr_assert_eq(f.nsplits, 1);
	cr_expect_eq(f.splits[0].reached.pid, 200);
	cr_expect_eq(f.splits[0].reached.in_run, 1);

	/* No resolver: split all the same, nobody known to be reached. */
	analyze(NULL);
	cr_assert_eq(f.nsplits, 1);
	cr_expect_eq(f.splits[0].reached_known, 0);
	cr_assert_eq(f.splits[0].nreached_by, 1, "curl asks no resolver");
	cr_expect_str_eq(f.splits[0].reached_by[0].client, "curl");
	cr_expect_eq(f.splits[0].reached_by[0].who.pid, 200);
}

Test(analyze, failed_bind_holder_and_fallback)
{
	struct bw_owner old = { 100, "oldsrv" };

	fake_story(&fk, &m, &old);
	cr_expect_eq(fk.recents, 1, "the holder asked for when the bind failed");
	analyze(&fk.ops);
	cr_assert_eq(f.nbinds, 2);
	cr_expect_eq(f.binds[0].kind, BW_FB_FAILED | BW_FB_FELL_BACK);
	cr_expect_eq(f.binds[0].err, EADDRINUSE);
	cr_assert_eq(f.binds[0].nholders, 1);
	cr_expect_eq(f.binds[0].holders[0].pid, 100);
	cr_expect_str_eq(f.binds[0].holders[0].comm, "oldsrv");
	cr_expect(same_sa(&f.binds[0].fallback, "127.0.0.1:3000"));
	cr_expect_eq(f.binds[1].kind, 0, "a plain TCP bind");
	cr_assert_eq(f.nlistens, 1);
	cr_expect_eq(f.listens[0].nheld, 0, "the kernel never showed it");
	cr_expect_eq(f.listens[0].moved, 0);
}

/* A fallback is the same process image, same port, another address. */
Test(analyze, fallback_needs_the_same_image_and_another_address)
{
	fake_bind(&m, NULL, 1, "127.0.0.1:80", EACCES);
	fake_bind(&m, NULL, 1, "127.0.0.1:80", 0);	/* same address */
	fake_bind(&m, NULL, 1, "[::1]:81", EADDRINUSE);
	fake_bind(&m, NULL, 2, "127.0.0.1:81", 0);	/* another process */
	fake_bind(&m, NULL, 1, "[::1]:82", EADDRINUSE);
	fake_bind(&m, NULL, 1, "127.0.0.1:83", 0);	/* another port */
	fake_bind(&m, NULL, 1, "127.0.0.1:82", 0);
	analyze(NULL);
	cr_assert_eq(f.nbinds, 7);
	cr_expect_eq(f.binds[0].kind, BW_FB_FAILED);
	cr_expect_eq(f.binds[2].kind, BW_FB_FAILED);
	cr_expect_eq(f.binds[4].kind, BW_FB_FAILED | BW_FB_FELL_BACK);
	cr_expect(same_sa(&f.binds[4].fallback, "127.0.0.1:82"));
	cr_expect_eq(f.binds[0].nholders, 0, "no kernel asked");
}

/*
 * A burst of identical failing binds is one finding with a count, and the
 * kernel is asked once; a socket whose owner nobody can see is held by
 * an unknown process.
 */
Test(analyze, folded_binds_and_unknown_holders)
{
	int i;

	fake_sock(&fk, "0.0.0.0:5000", NULL);
	fk.hidden = 1;
	for (i = 0; i < 3; i++)
		fake_bind(&m, &fk.ops, 7, "127.0.0.1:5000", EADDRINUSE);
	cr_expect_eq(fk.recents, 1);
	analyze(&fk.ops);
	cr_assert_eq(f.nbinds, 1);
	cr_expect_eq(f.binds[0].count, 3);
	cr_assert_eq(f.binds[0].nholders, 1);
	cr_expect_eq(f.binds[0].holders[0].pid, 0);
	cr_expect_str_eq(f.binds[0].holders[0].comm, "?");
	cr_expect(f.hidden, "some owners could not be seen");
}

Test(analyze, policy_rewrites_and_refusals)
{
	struct bw_event e;

	e = fake_event(BW_EV_BIND, 9, "legacy");
	e.req = fake_sa("0.0.0.0:80");
	e.used = e.bound = fake_sa("127.0.0.1:80");
	e.action = BW_ACT_REWRITE;
	bw_model_event(&m, &e, NULL);
	e = fake_event(BW_EV_BIND, 9, "legacy");
	e.req = e.used = fake_sa("10.0.0.1:81");
	e.action = BW_ACT_DENY;
	e.ret = -1;
	e.err = EACCES;
	bw_model_event(&m, &e, NULL);
	e = fake_event(BW_EV_BIND, 9, "legacy");
	e.proto = BW_PROTO_UDP;
	e.req = e.used = e.bound = fake_sa("127.0.0.1:53");
	bw_model_event(&m, &e, NULL);
	analyze(NULL);
	cr_assert_eq(f.nbinds, 3);
	cr_expect_eq(f.binds[0].kind, BW_FB_POLICY | BW_FB_REWRITTEN);
	cr_expect_eq(f.binds[1].kind, BW_FB_POLICY | BW_FB_DENIED | BW_FB_FAILED);
	cr_expect_eq(f.binds[2].kind, BW_FB_UDP);
	cr_expect_str_eq(f.binds[0].comm, "legacy");
}

Test(analyze, exposed_unseen_and_not_split)
{
	struct bw_owner st = { 400, "static" };

	fake_listen(&m, 402, "[::1]:8080");
	fake_listen(&m, 402, "127.0.0.1:8080");
	fake_static(&fk, &m, &st);
	analyze(&fk.ops);
	cr_assert_eq(f.nexposed, 1);
	cr_expect_eq(f.exposed[0].pid, 401);
	cr_expect(same_sa(&f.exposed[0].addr, "0.0.0.0:8000"));
	cr_assert_eq(f.nunseen, 1, "5001 is no listener");
	cr_expect_eq(f.unseen[0].pid, 400);
	cr_expect_str_eq(f.unseen[0].comm, "static");
	cr_expect(same_sa(&f.unseen[0].addr, "127.0.0.1:5000"));
	cr_expect_eq(f.nsplits, 0, "one process on both addresses");
	cr_expect_eq(fk.client_asks, 0, "no split: no resolver query");
	cr_expect_eq(f.nwarnings, 2);
}

/* After a fork, the kernel shows other processes of the tree holding it. */
Test(analyze, listeners_held_by_others_of_the_tree)
{
	struct bw_owner o[2] = { { 10, "master" }, { 11, "worker" } };
	struct bw_event e;

	fake_sock(&fk, "127.0.0.1:8000", &o[0]);
	fk.tree[fk.ntree++] = 10;
	fk.tree[fk.ntree++] = 11;
	e = fake_event(BW_EV_LISTEN, 10, "master");
	e.bound = fake_sa("127.0.0.1:8000");
	e.opts = BW_OPT_REUSEADDR | BW_OPT_V6ONLY;
	bw_model_event(&m, &e, NULL);
	bw_model_snapshot(&m, &fk.ops);
	analyze(&fk.ops);
	cr_assert_eq(f.nlistens, 1);
	cr_expect_eq(f.listens[0].nheld, 1);
	cr_expect_eq(f.listens[0].moved, 0, "held by the one that listened");
	cr_assert_eq(f.listens[0].nopts, 2);
	cr_expect_str_eq(f.listens[0].opts[0], "reuseaddr");
	cr_expect_str_eq(f.listens[0].opts[1], "v6only");

	fk.socks[0].owners = &o[1];	/* the master left */
	bw_model_snapshot(&m, &fk.ops);
	analyze(&fk.ops);
	cr_assert_eq(f.listens[0].nheld, 2, "kept across snapshots");
	cr_expect_eq(f.listens[0].held[1].pid, 11);
	cr_expect(f.listens[0].moved);
}

Test(analyze, processes_notes_and_losses)
{
	struct bw_event e;

	e = fake_event(BW_EV_EXEC, 600, "sh");
	snprintf(e.exe, sizeof(e.exe), "/bin/sh");
	bw_model_event(&m, &e, NULL);
	fake_listen(&m, 601, "127.0.0.1:9000");
	bw_model_exit(&m, 600, NULL, -9);
	bw_model_note(&m, "static", "x is static");
	bw_model_losses(&m, 0, 2, 0);
	analyze(NULL);
	cr_assert_eq(f.nprocs, 2);
	cr_expect(f.procs[0].quiet);
	cr_expect_str_eq(f.procs[0].exe, "/bin/sh");
	cr_expect(f.procs[0].exited);
	cr_expect_eq(f.procs[0].status, -9);
	cr_expect(!f.procs[1].quiet);
	cr_expect_eq(f.nquiet, 1);
	cr_assert_eq(f.nnotes, 1);
	cr_expect_str_eq(f.notes[0].kind, "static");
	cr_expect(f.incomplete);
	cr_expect_eq(f.counts.malformed, 2);
	cr_expect_eq(f.nwarnings, 2, "the note and the losses");
	cr_expect_eq(f.counts.received, 2);
}

/* What a snapshot asks the kernel, with the tree alive and gone. */
Test(analyze, snapshots_ask_only_what_they_need)
{
	struct bw_owner o = { 100, "other" };
	struct bw_sock *s;
	struct bw_event e;

	bw_model_finish(&m, &fk.ops);
	cr_expect_eq(fk.trees, 0, "nothing bound: no last look");

	fk.tree[fk.ntree++] = 200;
	bw_model_snapshot(&m, &fk.ops);
	cr_expect_eq(fk.owner_reads, 1, "the tree alive: its owners");
	cr_expect_eq(fk.nasked, 0);

	/* The tree gone: TCP ports are asked one by one first. */
	fk.ntree = 0;
	fake_listen(&m, 200, "127.0.0.1:3000");
	fk.reads = fk.owner_reads = 0;
	bw_model_finish(&m, &fk.ops);
	cr_assert_eq(fk.nasked, 2);
	cr_expect(same_sa(&fk.asked[0], "127.0.0.1:3000"));
	cr_expect(same_sa(&fk.asked[1], "[::1]:3000"));
	cr_expect_eq(fk.reads, 0, "nobody listens there: no read");

	/* Somebody does, on another port of theirs: no owner scan. */
	fk.listeners[fk.nlisteners++] = fake_sa("[::1]:3000");
	s = fake_sock(&fk, "[::1]:3001", &o);
	bw_model_finish(&m, &fk.ops);
	cr_expect_eq(fk.reads, 1);
	cr_expect_eq(fk.owner_reads, 0, "not on the tree's ports");

	/* On the tree's port: owners read, the other process kept. */
	s->local.port = 3000;
	fk.reads = 0;
	bw_model_finish(&m, &fk.ops);
	cr_expect_eq(fk.reads, 2);
	cr_expect_eq(fk.owner_reads, 1);
	cr_assert_eq(m.nksocks, 1);
	cr_expect_eq(m.ksocks[0].pid, 100);
	cr_expect_eq(m.ksocks[0].tree, 0);

	/* A UDP port of the tree: the tables are cheap, read at once. */
	fk.nasked = 0;
	fk.reads = 0;
	fk.nlisteners = 0;
	e = fake_event(BW_EV_BIND, 200, "srv");
	e.proto = BW_PROTO_UDP;
	e.req = e.used = e.bound = fake_sa("127.0.0.1:53");
	bw_model_event(&m, &e, NULL);
	bw_model_finish(&m, &fk.ops);
	cr_expect_eq(fk.nasked, 0);
	cr_expect_eq(fk.reads, 2);
}

/*
 * A UDP socket bound to a port it chose is exposed as a listener is (the
 * verdict of bindwatch ports); a loopback one, one whose port the kernel
 * chose, a failed bind and a TCP socket that never listens are not.
 */
Test(analyze, udp_bound_to_its_port_is_exposed)
{
	static const struct {
		int		 proto;
		const char	*addr;
		int		 err;
	} b[] = {
		{ BW_PROTO_UDP, "0.0.0.0:5353", 0 },
		{ BW_PROTO_UDP, "0.0.0.0:5353", 0 },	/* again: warned once */
		{ BW_PROTO_UDP, "[::]:5353", 0 },
		{ BW_PROTO_UDP, "127.0.0.1:53", 0 },
		{ BW_PROTO_UDP, "0.0.0.0:0", 0 },
		{ BW_PROTO_UDP, "0.0.0.0:6000", EADDRINUSE },
		{ BW_PROTO_TCP, "0.0.0.0:7000", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(b) / sizeof(b[0]); i++) {
		struct bw_event e = fake_event(BW_EV_BIND, 600, "mdns");

		e.seq = (uint32_t)(1000 + i);	/* no folding */
		e.proto = (uint8_t)b[i].proto;
		e.req = e.used = e.bound = fake_sa(b[i].addr);
		if (e.bound.port == 0)
			e.bound.port = 40000;	/* the kernel's choice */
		e.ret = b[i].err ? -1 : 0;
		e.err = b[i].err;
		bw_model_event(&m, &e, NULL);
	}
	analyze(NULL);
	cr_assert_eq(f.nexposed, 2);
	cr_expect(same_sa(&f.exposed[0].addr, "0.0.0.0:5353"));
	cr_expect(same_sa(&f.exposed[1].addr, "[::]:5353"));
	cr_expect_eq(f.exposed[0].proto, BW_PROTO_UDP);
	cr_expect_str_eq(f.exposed[0].comm, "mdns");
}

/*
 * Split is decided on who the kernel hands each address to (an exact
 * address beats a wildcard), as bindwatch ports and which decide it.
 */
Test(analyze, split_follows_the_kernels_pick)
{
	/* [::] (dual-stack) by 700, 127.0.0.1 by 701: each gets one. */
	fake_listen(&m, 700, "[::]:3000");
	fake_listen(&m, 701, "127.0.0.1:3000");
	analyze(NULL);
	cr_expect_eq(f.nsplits, 1);

	/* 0.0.0.0 by 700; 127.0.0.1 and [::1] by 701, who gets both. */
	bw_model_free(&m);
	bw_model_init(&m);
	fake_listen(&m, 700, "0.0.0.0:4000");
	fake_listen(&m, 701, "127.0.0.1:4000");
	fake_listen(&m, 701, "[::1]:4000");
	analyze(NULL);
	cr_expect_eq(f.nsplits, 0);
}
