/*
 * The shim's own descriptors in the program (ownfd.c): kept high, and
 * checked by inode before every use, as the program may have closed one
 * and reused its number.
 */
#ifndef BW_OWNFD_H
#define BW_OWNFD_H

#include <sys/stat.h>

#include <stdatomic.h>
#include <stdint.h>

uint64_t bw_ownfd_pack(int, const struct stat *);
int	 bw_ownfd_get(uint64_t);
int	 bw_ownfd_move_high(int);
int	 bw_ownfd_publish(atomic_uint_fast64_t *, uint64_t, int);
void	 bw_ownfd_close(int);

#endif
