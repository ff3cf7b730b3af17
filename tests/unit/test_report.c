/*
 * The run report end to end on plain data: events and a fake kernel into
 * the model, its findings rendered as text and as JSON (parsed by a real
 * JSON parser); and the model's process table.  The findings themselves
 * are asserted on in test_analyze.c.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_kernel.h"
#include "report.h"

/* Each test: one fake kernel, one model. */
static struct fake_kernel fk;
static struct bw_model m;

static void
setup(void)
{
	fake_kernel_init(&fk);
	bw_model_init(&m);
}

static void
teardown(void)
{
	bw_model_free(&m);
}

TestSuite(report, .init = setup, .fini = teardown);

/* Analyse the model, then render to a string. */
static char *
rep_render(const struct bw_kernel_ops *k, int json)
{
	struct bw_findings fi;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	bw_analyze(&m, k, &fi);
	if (json)
		bw_report_json(&fi, f, 0);
	else
		bw_report_text(&fi, f, 0, 0);
	fclose(f);
	bw_findings_free(&fi);
	return buf;
}

Test(report, split_localhost_names_who_a_client_reaches)
{
	struct bw_owner o = { 100, "oldsrv" };
	char *text, *json;

	fake_story(&fk, &m, &o);
	fk.client[0] = fake_sa("::1");
	fk.client[1] = fake_sa("127.0.0.1");
	fk.nclient = 2;
	text = rep_render(&fk.ops, 0);
	cr_assert(strstr(text, "held by pid 100 (oldsrv)") != NULL, "%s", text);
	cr_assert(strstr(text, "fallback   tried [::1]:3000, got 127.0.0.1:3000") != NULL, "%s", text);
	cr_assert(strstr(text, "split localhost:3000") != NULL, "%s", text);
	cr_assert(strstr(text, "reaches pid 100 (oldsrv), not this program") != NULL, "%s", text);
	json = rep_render(&fk.ops, 1);
	cr_assert(strstr(json, "\"kind\":\"split-localhost\",\"port\":3000") != NULL, "%s", json);
	cr_assert(strstr(json, "\"reached\":{\"pid\":100") != NULL, "%s", json);
	cr_assert(strstr(json, "\"holder\":{\"pid\":100,\"comm\":\"oldsrv\"}") != NULL, "%s", json);
	free(text);
	free(json);

	/* IPv4 first on this machine: the new server is reached, still split. */
	fk.client[0] = fake_sa("127.0.0.1");
	fk.nclient = 1;
	text = rep_render(&fk.ops, 0);
	cr_assert(strstr(text, "reaches pid 200 (srv).") != NULL, "%s", text);
	free(text);
}

Test(report, one_process_on_both_addresses_is_not_split)
{
	char *text;

	fake_listen(&m, 300, "[::1]:8080");
	fake_listen(&m, 300, "127.0.0.1:8080");
	fake_listen(&m, 300, "127.0.0.1:8080");	/* an alias: listed once */
	cr_assert_eq(m.nlistens, 2);
	text = rep_render(NULL, 0);
	cr_assert(strstr(text, "split") == NULL, "%s", text);
	cr_assert(strstr(text, "exposed") == NULL, "%s", text);
	cr_assert(strstr(text, "  none\n") != NULL, "%s", text);
	free(text);
}

Test(report, exposed_and_unseen)
{
	struct bw_owner st = { 400, "static" };
	char *text, *json;

	fake_static(&fk, &m, &st);
	text = rep_render(&fk.ops, 0);
	cr_assert(strstr(text, "exposed: pid 401 (srv) listens on tcp 0.0.0.0:8000") != NULL, "%s", text);
	cr_assert(strstr(text, "unseen: pid 400 (static) holds tcp 127.0.0.1:5000") != NULL, "%s", text);
	cr_assert(strstr(text, "5001") == NULL, "%s", text);
	json = rep_render(&fk.ops, 1);
	cr_assert(strstr(json, "{\"kind\":\"unseen\",\"pid\":400") != NULL, "%s", json);
	cr_assert(strstr(json, "{\"kind\":\"exposed\",\"pid\":401") != NULL, "%s", json);
	free(text);
	free(json);
}

Test(report, json_summary_parses_and_escapes)
{
	struct bw_event e;
	char *json, cmd[64];
	FILE *p;

	e = fake_event(BW_EV_EXEC, 500, "a\"b\x1b[31m");
	snprintf(e.exe, sizeof(e.exe), "/tmp/\xff\n");
	bw_model_event(&m, &e, NULL);
	fake_bind(&m, NULL, 500, "[::1]:1", EACCES);
	bw_model_exit(&m, 500, NULL, -15);
	bw_model_note(&m, "static", "x is \"static\"");
	bw_model_losses(&m, 3, 0, 0);
	json = rep_render(NULL, 1);
	cr_assert(strchr(json, '\x1b') == NULL);
	snprintf(cmd, sizeof(cmd), "python3 -c 'import json,sys; json.loads(sys.stdin.read())'");
	p = popen(cmd, "w");
	cr_assert_not_null(p);
	fputs(json, p);
	cr_assert_eq(pclose(p), 0, "invalid JSON: %s", json);
	cr_assert(strstr(json, "\"lost_events\":3") != NULL);
	cr_assert(strstr(json, "\"signal\":\"SIGTERM\"") != NULL);
	cr_assert(strstr(json, "\"errno\":\"EACCES\"") != NULL);
	free(json);
}

/*
 * A tree of thousands: every pid is found (its newest entry once a pid
 * comes back after its exit with another image), and names that collide
 * in the index stay apart.
 */
Test(report, thousands_of_processes)
{
	struct bw_event e;
	const struct bw_rproc *p;
	char comm[16];
	int pid;

	for (pid = 1; pid <= 5000; pid++) {
		snprintf(comm, sizeof(comm), "p%d", pid);
		e = fake_event(BW_EV_EXEC, pid * 4096, comm);	/* same low bits */
		e.boot = 1;
		bw_model_event(&m, &e, NULL);
	}
	cr_assert_eq(m.nprocs, 5000);
	for (pid = 1; pid <= 5000; pid++) {
		snprintf(comm, sizeof(comm), "p%d", pid);
		cr_assert_not_null(p = bw_model_proc(&m, pid * 4096), "%d", pid);
		cr_assert_str_eq(p->comm, comm);
	}
	cr_expect_null(bw_model_proc(&m, 12345));

	/* Pid 4096 exits; the same pid comes back as another image. */
	bw_model_exit(&m, 4096, "p1", 0);
	e = fake_event(BW_EV_EXEC, 4096, "again");
	e.boot = 2;
	bw_model_event(&m, &e, NULL);
	cr_assert_eq(m.nprocs, 5001);
	cr_assert_not_null(p = bw_model_proc(&m, 4096));
	cr_expect_str_eq(p->comm, "again");
	cr_expect_eq(p->exited, 0);
}
