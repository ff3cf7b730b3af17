/* Before the run: will the loader honour LD_PRELOAD for this command? */
#ifndef BW_PREFLIGHT_H
#define BW_PREFLIGHT_H

#include <stddef.h>

#include "elfimage.h"
#include "model.h"

void	 bw_preflight(const char *, const char *, const char *,
	    struct bw_model *, int);
int	 bw_preflight_blind(const char *, const char *);

#endif
