/*
 * The floor of the start-up row: a preloaded library with nothing in it.
 * Whatever a preloaded library costs (open, map, relocate) this costs too.
 */
int	bw_bench_empty(void);

int
bw_bench_empty(void)
{
	return 0;
}
