/* The real libc functions behind our hooks, resolved once, never our own. */
#ifndef BW_REAL_H
#define BW_REAL_H

#include <sys/socket.h>
#include <netdb.h>

int	 real_bind(int, const struct sockaddr *, socklen_t);
int	 real_listen(int, int);
int	 real_getaddrinfo(const char *, const char *, const struct addrinfo *,
	    struct addrinfo **);
void	 real_freeaddrinfo(struct addrinfo *);
long	 real_syscall6(long, long, long, long, long, long, long);

#endif
