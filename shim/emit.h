/* An event made a record and handed to the configured sink (emit.c). */
#ifndef BW_EMIT_H
#define BW_EMIT_H

#include "config.h"
#include "event.h"

void	 bw_emit(const struct bw_conf *, struct bw_event *);
void	 bw_emit_exec(const struct bw_conf *);

#endif
