/* The logic behind the bind and listen hooks. */
#ifndef BW_SOCK_H
#define BW_SOCK_H

#include <sys/socket.h>
#include <sys/types.h>

#include "addr.h"

struct bw_conf;

#define BW_MAX_REWRITTEN	64

/*
 * A socket this process bound while a policy was active (sock.c keeps
 * them, in the arena).
 */
struct bw_rewritten {
	int		fd;
	ino_t		ino;
	int		proto;
	int		rewrote;
	struct bw_sa	sa;	/* unmapped */
};

typedef int	(*bw_bind_call)(int, const struct sockaddr *, socklen_t);
typedef int	(*bw_listen_call)(int, int);

int	 bw_bind(const struct bw_conf *, int, const struct sockaddr *,
	    socklen_t, bw_bind_call);
int	 bw_listen(const struct bw_conf *, int, int, bw_listen_call);

#endif
