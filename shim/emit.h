/* Delivery of an event: to the CLI's collector, or as a line to stderr / a log. */
#ifndef BW_EMIT_H
#define BW_EMIT_H

#include "event.h"

void	 bw_emit(struct bw_event *);
void	 bw_emit_exec(void);
int	 bw_emit_open_log(const char *);
void	 bw_emit_atfork_child(void);

#endif
