/*
 * An event, made a record: who the process is (self.c) and when, then
 * handed to the sink the configuration names: the CLI's collector
 * (sink_collector.c) or a line on stderr or in BINDWATCH_LOG (sink_log.c).
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "emit.h"
#include "self.h"
#include "sink_collector.h"
#include "sink_log.h"

/*
 * No guard against our own re-entry: a signal handler's bind that
 * interrupts an event of the same thread emits its own (the ring is
 * lock-free, a send atomic); refusing it would lose it without a trace.
 */
void
bw_emit(const struct bw_conf *c, struct bw_event *e)
{
	struct timespec ts;
	int saved = errno;

	bw_self_stamp(e);
	clock_gettime(CLOCK_REALTIME, &ts);
	e->time_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	if (c->out == BW_OUT_COLLECTOR)
		bw_sink_collector_send(c, e);
	else
		bw_sink_log_write(c, e);
	errno = saved;
}

/* Under the CLI, a new image says so: the CLI follows the tree by it. */
void
bw_emit_exec(const struct bw_conf *c)
{
	struct bw_event e;
	ssize_t n;

	memset(&e, 0, sizeof(e));
	e.type = BW_EV_EXEC;
	e.fd = -1;
	e.alias_fd = -1;
	n = readlink("/proc/self/exe", e.exe, sizeof(e.exe) - 1);
	e.exe[n > 0 ? n : 0] = '\0';
	bw_emit(c, &e);
}

