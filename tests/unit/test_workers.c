/*
 * Forked workers (issue 13, item 9): processes of the tree that the kernel
 * shows holding a listener another process listened on, and that never
 * told the shim anything, are processes of the run, with their parent.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_kernel.h"
#include "report.h"

static pid_t
parent_500(void *arg, pid_t pid)
{
	(void)arg;
	return pid == 500 ? 1 : 500;
}

Test(workers, holders_are_processes_of_the_run)
{
	struct bw_owner o[3] = { { 500, "master" }, { 501, "worker" },
	    { 502, "worker" } };
	struct fake_kernel fk;
	struct bw_findings fi;
	struct bw_model m;
	struct bw_sock *s;
	char *text = NULL;
	size_t len = 0, i;
	FILE *f;

	fake_kernel_init(&fk);
	fk.ops.ppid = parent_500;
	bw_model_init(&m);
	s = fake_sock(&fk, "127.0.0.1:8000", o);
	s->nowners = 3;
	for (i = 0; i < 3; i++)
		fk.tree[fk.ntree++] = o[i].pid;
	fake_listen(&m, 500, "127.0.0.1:8000");
	bw_model_snapshot(&m, &fk.ops);
	bw_model_snapshot(&m, &fk.ops);		/* each once */
	cr_assert_eq(m.nprocs, 3);
	cr_assert_eq(bw_model_proc(&m, 501)->ppid, 500);
	cr_assert_str_eq(bw_model_proc(&m, 502)->comm, "worker");

	bw_analyze(&m, &fk.ops, &fi);
	cr_assert_eq(fi.nquiet, 0);
	f = open_memstream(&text, &len);
	cr_assert_not_null(f);
	bw_report_text(&fi, f, 0, 0);
	fclose(f);
	cr_assert(strstr(text, "  pid 501 worker\n    holds      tcp "
	    "127.0.0.1:8000  (listened on by pid 500)\n") != NULL, "%s", text);
	cr_assert(strstr(text, "from 3 processes") != NULL, "%s", text);
	free(text);
	bw_findings_free(&fi);
	bw_model_free(&m);
}
