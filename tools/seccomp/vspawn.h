/* A vfork-like child that runs a function of ours, then execs. */
#ifndef BW_VSPAWN_H
#define BW_VSPAWN_H

#include <sys/types.h>

pid_t	 bw_vspawn(void (*)(void *), void *);

#endif
