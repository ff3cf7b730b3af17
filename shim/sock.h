/* The logic behind the bind and listen hooks. */
#ifndef BW_SOCK_H
#define BW_SOCK_H

#include <sys/socket.h>

struct bw_conf;
struct bw_sa;

typedef int	(*bw_bind_call)(int, const struct sockaddr *, socklen_t);
typedef int	(*bw_listen_call)(int, int);
typedef int	(*bw_close_call)(int);

int	 bw_sock_setup(void);
int	 bw_bind(const struct bw_conf *, int, const struct sockaddr *,
	    socklen_t, bw_bind_call);
int	 bw_listen(const struct bw_conf *, int, int, bw_listen_call);
int	 bw_close(int, bw_close_call);
void	 bw_sock_local(int, struct bw_sa *);

#endif
