/* A few bytes and one descriptor over a local socket. */
#ifndef BW_SC_FDPASS_H
#define BW_SC_FDPASS_H

#include <stddef.h>
#include <stdint.h>

int	 bw_fd_send(int, const void *, size_t, int);
int	 bw_fd_recv(int, void *, size_t, int *);

#endif
