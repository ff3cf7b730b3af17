/* How often the collector looks at the rings while records flow. */
#ifndef BW_PACE_H
#define BW_PACE_H

#include <stdint.h>

#define BW_PACE_MIN_MS	2
#define BW_PACE_MAX_MS	16

int	 bw_pace_next(int, uint64_t);

#endif
