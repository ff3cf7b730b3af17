/* The shim's initialisation (init.c), and the configuration it reads. */
#ifndef BW_INIT_H
#define BW_INIT_H

#include "config.h"

const struct bw_conf	*bw_ready(void);
const struct bw_conf	*bw_ready_now(void);

#endif
