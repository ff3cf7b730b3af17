/* Delivery of an event: to the CLI's collector, or as a line to stderr / a log. */
#ifndef BW_EMIT_H
#define BW_EMIT_H

#include "event.h"

struct bw_conf;

void	 bw_emit(const struct bw_conf *, struct bw_event *);
void	 bw_emit_exec(const struct bw_conf *);
int	 bw_emit_open_log(const char *);
void	 bw_emit_atfork_child(void);

#endif
