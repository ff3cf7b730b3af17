/* Loss accounting from per-process sequence numbers, order-independent. */
#include <criterion/criterion.h>

#include <string.h>

#include "collect.h"

Test(collect, losses_are_counted_in_any_order)
{
	struct bw_collector c;

	memset(&c, 0, sizeof(c));
	bw_seq_note(&c, 10, 1, 1);
	bw_seq_note(&c, 10, 1, 2);
	bw_seq_note(&c, 10, 1, 5);	/* 3 and 4 lost */
	bw_seq_note(&c, 11, 7, 2);	/* another process: 1 lost */
	cr_assert_eq(bw_collector_lost(&c), 3);
	bw_seq_note(&c, 10, 1, 4);	/* late, over another connection */
	cr_assert_eq(bw_collector_lost(&c), 2);
	bw_seq_note(&c, 10, 2, 1);	/* same pid, new image */
	cr_assert_eq(bw_collector_lost(&c), 2);
	bw_seq_note(&c, 10, 1, 0);	/* unsequenced: ignored */
	cr_assert_eq(bw_collector_lost(&c), 2);
	free(c.keys);
}

Test(collect, many_processes)
{
	struct bw_collector c;
	int pid;

	memset(&c, 0, sizeof(c));
	for (pid = 1; pid <= 5000; pid++)
		bw_seq_note(&c, pid, (uint64_t)pid * 3, 1);
	cr_assert_eq(bw_collector_lost(&c), 0);
	cr_assert_eq(c.nkeys, 5000);
	free(c.keys);
}
