/*
 * Listeners the program closed (closes.c): a close counts when the
 * process went on after it (a later call, not another close) or failed to
 * start (a failed bind, then an exit other than 0); any other close is a
 * shutdown, and the listener stays listed as listening; a listen again
 * opens it again.
 */
#include <errno.h>

#include <criterion/criterion.h>

#include "analyze.h"
#include "fake_kernel.h"

static struct bw_model m;
/* The kernel the model asks at a close: none but where a test sets it. */
static const struct bw_kernel_ops *kops;

static void
setup(void)
{
	bw_model_init(&m);
	kops = NULL;
}

static void
teardown(void)
{
	bw_model_free(&m);
}

TestSuite(closes, .init = setup, .fini = teardown);

static void
closes(int pid, const char *addr)
{
	struct bw_event e = fake_event(BW_EV_CLOSE, pid, "srv");

	e.bound = fake_sa(addr);
	bw_model_event(&m, &e, kops);
}

static void
gai(int pid)
{
	struct bw_event e = fake_event(BW_EV_GAI, pid, "srv");

	bw_model_event(&m, &e, NULL);
}

Test(closes, a_probe_then_more_calls_is_closed)
{
	fake_listen(&m, 10, "0.0.0.0:41000");
	closes(10, "0.0.0.0:41000");
	fake_listen(&m, 10, "127.0.0.1:8000");
	bw_model_closes_settle(&m);
	cr_assert_eq(m.nclosed, 1);
	cr_assert_eq(m.closed[0].addr.port, 41000);
	cr_assert_eq(m.nlistens, 1);
	cr_assert_eq(m.listens[0].addr.port, 8000);
}

Test(closes, closed_on_a_clean_exit_still_listened)
{
	fake_listen(&m, 11, "127.0.0.1:8001");
	closes(11, "127.0.0.1:8001");
	bw_model_exit(&m, 11, "srv", 0);
	bw_model_closes_settle(&m);
	cr_assert_eq(m.nclosed, 0);
	cr_assert_eq(m.nlistens, 1);
}

Test(closes, closed_before_a_failed_exit_is_closed)
{
	fake_listen(&m, 12, "0.0.0.0:8002");
	fake_bind(&m, NULL, 12, "127.0.0.1:8003", EADDRINUSE);
	closes(12, "0.0.0.0:8002");
	bw_model_exit(&m, 12, "srv", 1);
	bw_model_closes_settle(&m);
	cr_assert_eq(m.nclosed, 1);
	cr_assert_eq(m.nlistens, 0);
}

Test(closes, listened_again_is_listening)
{
	fake_listen(&m, 13, "0.0.0.0:8003");
	closes(13, "0.0.0.0:8003");
	fake_listen(&m, 13, "0.0.0.0:8003");
	gai(13);
	bw_model_closes_settle(&m);
	cr_assert_eq(m.nclosed, 0);
	cr_assert_eq(m.nlistens, 1);
}

Test(closes, another_process_close_is_not_ours)
{
	fake_listen(&m, 14, "0.0.0.0:8004");
	closes(15, "0.0.0.0:8004");
	gai(14);
	gai(15);
	bw_model_closes_settle(&m);
	cr_assert_eq(m.nclosed, 0);
}

/* Perl serves, closes on the way out, exits 7: it listened till then. */
Test(closes, a_chosen_status_is_no_failure)
{
	fake_listen(&m, 16, "127.0.0.1:3000");
	closes(16, "127.0.0.1:3000");
	bw_model_exit(&m, 16, "srv", 7);
	bw_model_closes_settle(&m);
	cr_assert_eq(m.nclosed, 0);
}

/* nginx closes every listener on SIGTERM: one shutdown, not a probe. */
Test(closes, closes_in_a_row_are_one_shutdown)
{
	fake_listen(&m, 17, "127.0.0.1:8080");
	fake_listen(&m, 17, "[::1]:8080");
	closes(17, "127.0.0.1:8080");
	closes(17, "[::1]:8080");
	bw_model_exit(&m, 17, "srv", 0);
	bw_model_closes_settle(&m);
	cr_assert_eq(m.nclosed, 0);
	cr_assert_eq(m.nlistens, 2);
}

/*
 * haproxy -W: the master listens, its worker inherits the socket, the
 * master closes its copy.  The worker alone holds it from that close on,
 * though the last look at the kernel was before it.
 */
Test(closes, a_holder_that_closed_holds_no_more)
{
	static struct fake_kernel fk;
	static struct bw_owner master = { 205, "haproxy" };
	static struct bw_owner worker = { 213, "haproxy" };
	struct bw_findings fi;

	fake_kernel_init(&fk);
	fake_sock(&fk, "127.0.0.1:4802", &master);
	fake_sock(&fk, "127.0.0.1:4802", &worker);
	fk.tree[fk.ntree++] = 205;
	fk.tree[fk.ntree++] = 213;
	fk.listeners[fk.nlisteners++] = fake_sa("127.0.0.1:4802");
	kops = &fk.ops;
	fake_listen(&m, 205, "127.0.0.1:4802");
	bw_model_snapshot(&m, &fk.ops);
	bw_analyze(&m, &fk.ops, &fi);
	cr_assert_eq(fi.listens[0].nheld, 2, "both hold it before the close");
	bw_findings_free(&fi);

	closes(205, "127.0.0.1:4802");
	gai(205);
	bw_model_closes_settle(&m);
	bw_analyze(&m, &fk.ops, &fi);
	cr_assert_eq(fi.nlistens, 1, "the worker still listens");
	cr_assert_eq(fi.listens[0].nheld, 1);
	cr_assert_eq(fi.listens[0].held[0].pid, 213);
	bw_findings_free(&fi);
}
