/* Events as lines on stderr or in BINDWATCH_LOG (sink_log.c). */
#ifndef BW_SINK_LOG_H
#define BW_SINK_LOG_H

#include "config.h"
#include "event.h"

int	 bw_sink_log_open(const char *);
void	 bw_sink_log_write(const struct bw_conf *, const struct bw_event *);

#endif
