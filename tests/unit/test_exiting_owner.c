/*
 * A snapshot that catches a listener of the tree while its process exits:
 * the kernel still lists the socket, /proc no longer names its owner.
 * The model kept it as held by an unknown process ("?"), and copying that
 * name read 16 bytes of the 2-byte literal: under ASan the CLI died before
 * its summary, which is how policy::force_http_server_cli lost its text
 * summary once (issue 13, item 11; fixed by 264a88b).  It is the tree's
 * own socket: no unknown process holds it, and no split comes of it.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_kernel.h"
#include "report.h"

Test(exiting_owner, a_listener_without_owner_keeps_the_summary)
{
	struct fake_kernel fk;
	struct bw_findings fi;
	struct bw_model m;
	char *text = NULL;
	size_t len = 0, i;
	FILE *f;
	int unknown = 0;

	fake_kernel_init(&fk);
	bw_model_init(&m);
	fake_bind(&m, &fk.ops, 20, "127.0.0.1:18000", 0);
	fake_listen(&m, 20, "127.0.0.1:18000");
	fake_sock(&fk, "127.0.0.1:18000", NULL);	/* its owner is exiting */
	fk.tree[fk.ntree++] = 20;
	bw_model_snapshot(&m, &fk.ops);
	for (i = 0; i < m.nksocks; i++)
		if (m.ksocks[i].pid == 0) {
			cr_expect_str_eq(m.ksocks[i].comm, "?");
			unknown++;
		}
	cr_expect_eq(unknown, 0);
	bw_analyze(&m, &fk.ops, &fi);
	f = open_memstream(&text, &len);
	cr_assert_not_null(f);
	bw_report_text(&fi, f, 0, 0);
	fclose(f);
	cr_expect(strstr(text, "    listening  tcp 127.0.0.1:18000") != NULL,
	    "%s", text);
	cr_expect(strstr(text, "unknown") == NULL, "%s", text);
	free(text);
	bw_findings_free(&fi);
	bw_model_free(&m);
}
