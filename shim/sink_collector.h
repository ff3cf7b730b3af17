/* Records to the CLI's collector, by its connection or ring. */
#ifndef BW_SINK_COLLECTOR_H
#define BW_SINK_COLLECTOR_H

#include "config.h"
#include "event.h"

void	 bw_sink_collector_send(const struct bw_conf *,
	    const struct bw_event *);
void	 bw_sink_collector_forked(void);

#endif
