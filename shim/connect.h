/* The logic behind the connect hook, and the pending connects (connect.c). */
#ifndef BW_CONNECT_H
#define BW_CONNECT_H

#include <sys/socket.h>

struct bw_conf;

typedef int	(*bw_connect_call)(int, const struct sockaddr *, socklen_t);

int	 bw_connect_setup(void);
int	 bw_connect(const struct bw_conf *, int, const struct sockaddr *,
	    socklen_t, bw_connect_call);
int	 bw_connect_getsockopt(int, int, int, void *, socklen_t *);
void	 bw_connect_closing(int);
void	 bw_connect_closing_from(unsigned int, unsigned int);
void	 bw_connect_forked(void);

#endif
