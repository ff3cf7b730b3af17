/* The aliases a policy makes (alias.c). */
#ifndef BW_ALIAS_H
#define BW_ALIAS_H

#include "addr.h"

int	 bw_alias_setup(void);
void	 bw_alias_remember(int, int, const struct bw_sa *, int, int);
int	 bw_alias_deferred(int);
int	 bw_alias_bind(int, int, const struct bw_sa *, int, int *);
int	 bw_alias_listen(int, const struct bw_sa *, int *);

#endif
