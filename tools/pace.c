/*
 * The collector's period while records flow.  Every look at the rings is
 * a wake-up and a context switch.  A client that connects in a loop gives
 * a 2 ms timer only tens of records a look, and the wake-ups then cost
 * more than the records (bench/RESULTS.md, clients).
 * So the period follows the flow, by the bytes a look found: little, and
 * the next look comes twice as late, up to BW_PACE_MAX_MS; much, and it
 * comes after BW_PACE_MIN_MS again.  A ring holds 512 KiB (the shim's
 * sink_collector.c): looks stay within a quarter of it at any steady
 * rate, since a period is only doubled while a look finds under PACE_FEW.
 * A burst that fills a ring within a long period makes its producer wait
 * for the next look, once; nothing is lost.
 */
#include "pace.h"

#define PACE_FEW	32768u		/* bytes a look: fewer, look later */
#define PACE_MANY	65536u		/* ...more, look soon again */

/* The next period, after a look of period ms that found got bytes. */
int
bw_pace_next(int ms, uint64_t got)
{
	if (got >= PACE_MANY || ms < BW_PACE_MIN_MS)
		return BW_PACE_MIN_MS;
	if (got < PACE_FEW && ms < BW_PACE_MAX_MS)
		return ms * 2 < BW_PACE_MAX_MS ? ms * 2 : BW_PACE_MAX_MS;
	return ms > BW_PACE_MAX_MS ? BW_PACE_MAX_MS : ms;
}
