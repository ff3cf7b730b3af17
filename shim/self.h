/* Who this process is, as its events say it (self.c). */
#ifndef BW_SELF_H
#define BW_SELF_H

#include "event.h"

void	 bw_self_init(void);
void	 bw_self_forked(void);
void	 bw_self_stamp(struct bw_event *);

#endif
