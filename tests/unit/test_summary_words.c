/*
 * The words of the text summary where it once misled (issue 13): the
 * warnings block says "none" before why there may be more, a run whose
 * processes bound nothing lists no "other" processes, a command that never
 * ran is said to be so, and a run that --timeout ended says it, in text
 * and in JSON.  Findings are made by hand: only the rendering is tested.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static char *
render(const struct bw_findings *fi, int json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	if (json)
		bw_report_json(fi, f, 0);
	else
		bw_report_text(fi, f, 0, 0);
	fclose(f);
	return buf;
}

Test(summary_words, hidden_owners_come_after_none)
{
	struct bw_findings fi;
	char *t, *none, *hid;

	memset(&fi, 0, sizeof(fi));
	fi.hidden = 1;
	t = render(&fi, 0);
	none = strstr(t, "  none\n");
	hid = strstr(t, "owners are hidden");
	cr_assert(none != NULL && hid != NULL && none < hid, "%s", t);
	free(t);
}

Test(summary_words, quiet_processes_are_not_other)
{
	struct bw_fproc p = { .pid = 7, .comm = "true", .exe = "", .quiet = 1 };
	struct bw_findings fi;
	char *t;

	memset(&fi, 0, sizeof(fi));
	fi.procs = &p;
	fi.nprocs = fi.nquiet = 1;
	t = render(&fi, 0);
	cr_assert(strstr(t, "other") == NULL, "%s", t);
	cr_assert(strstr(t, "no process bound or listened on anything (1 "
	    "process ran)") != NULL, "%s", t);
	free(t);
}

Test(summary_words, a_command_that_never_ran)
{
	struct bw_findings fi;
	char *t;

	memset(&fi, 0, sizeof(fi));
	fi.not_run = 1;
	t = render(&fi, 0);
	cr_assert(strstr(t, "did not run") != NULL, "%s", t);
	cr_assert(strstr(t, "bound nothing") == NULL, "%s", t);
	free(t);
}

Test(summary_words, timed_out_is_said)
{
	struct bw_findings fi;
	char *t;

	memset(&fi, 0, sizeof(fi));
	t = render(&fi, 1);
	cr_assert(strstr(t, "\"timed_out\":false") != NULL, "%s", t);
	free(t);
	t = render(&fi, 0);
	cr_assert(strstr(t, "timed out") == NULL, "%s", t);
	free(t);
	fi.timed_out = 1;
	t = render(&fi, 1);
	cr_assert(strstr(t, "\"timed_out\":true") != NULL, "%s", t);
	free(t);
	t = render(&fi, 0);
	cr_assert(strstr(t, "timed out: --timeout ended the run") != NULL,
	    "%s", t);
	free(t);
}
