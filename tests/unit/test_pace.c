/*
 * tools/pace.c: the collector's period while records flow lengthens
 * while looks find little, and is short again as soon as one finds much.
 */
#include <criterion/criterion.h>

#include "pace.h"

Test(pace, starts_short)
{
	cr_assert_eq(bw_pace_next(0, 0), BW_PACE_MIN_MS);
	cr_assert_eq(bw_pace_next(-5, 1), BW_PACE_MIN_MS);
}

/* A client connecting every 35 µs: ~110 bytes a record, few a look. */
Test(pace, a_slow_flow_is_looked_at_less_often)
{
	int ms = BW_PACE_MIN_MS, i;

	for (i = 0; i < 10; i++)
		ms = bw_pace_next(ms, (uint64_t)ms * 1000 / 35 * 112);
	cr_assert_eq(ms, BW_PACE_MAX_MS);
	cr_assert_eq(bw_pace_next(BW_PACE_MAX_MS, 0), BW_PACE_MAX_MS);
}

Test(pace, doubles_up_to_the_cap)
{
	cr_assert_eq(bw_pace_next(2, 100), 4);
	cr_assert_eq(bw_pace_next(4, 100), 8);
	cr_assert_eq(bw_pace_next(12, 100), BW_PACE_MAX_MS);
	cr_assert_eq(bw_pace_next(64, 100), BW_PACE_MAX_MS);
}

/* A fast producer fills a 512 KiB ring in milliseconds: back to short. */
Test(pace, much_at_once_brings_it_back)
{
	cr_assert_eq(bw_pace_next(BW_PACE_MAX_MS, 64 * 1024), BW_PACE_MIN_MS);
	cr_assert_eq(bw_pace_next(8, 1 << 20), BW_PACE_MIN_MS);
}

/* Between few and many: kept, so a steady flow does not oscillate. */
Test(pace, a_steady_middle_keeps_its_period)
{
	cr_assert_eq(bw_pace_next(4, 48 * 1024), 4);
	cr_assert_eq(bw_pace_next(8, 32 * 1024), 8);
}
