/* The logic behind the bind and listen hooks. */
#ifndef BW_SOCK_H
#define BW_SOCK_H

#include <sys/socket.h>

typedef int	(*bw_bind_call)(int, const struct sockaddr *, socklen_t);
typedef int	(*bw_listen_call)(int, int);

int	 bw_bind(int, const struct sockaddr *, socklen_t, bw_bind_call);
int	 bw_listen(int, int, bw_listen_call);

#endif
