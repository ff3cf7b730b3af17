/*
 * What the files of tools/kernel/ share behind the public netstate.h:
 * procnet.c and sockdiag.c fill the table that netstate.c builds (the
 * owner scan has its own header, owners.h).
 */
#ifndef BW_KERNEL_H
#define BW_KERNEL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "netstate.h"

/* procnet.c */
int	 bw_procnet_dec64(const char *, size_t, uint64_t, uint64_t *);
int	 bw_ns_wanted(const struct bw_sock *, int);
int	 bw_ns_push(struct bw_netstate *, size_t *, const struct bw_sock *);
int	 bw_procnet_read(struct bw_netstate *, size_t *, const char *, int,
	    int, int);

/* sockdiag.c */
int	 bw_diag_read(struct bw_netstate *, size_t *, int, int, uint8_t,
	    int);

#endif
