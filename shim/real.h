/* The real libc functions behind our hooks (real.c), never our own. */
#ifndef BW_REAL_H
#define BW_REAL_H

#include <sys/socket.h>
#include <sys/syscall.h>
#include <netdb.h>

/* Same number on every architecture (the unified table); old headers. */
#ifndef SYS_close_range
#define SYS_close_range	436
#endif

int	 real_bind(int, const struct sockaddr *, socklen_t);
int	 real_listen(int, int);
int	 real_getaddrinfo(const char *, const char *, const struct addrinfo *,
	    struct addrinfo **);
void	 real_freeaddrinfo(struct addrinfo *);
long	 real_syscall6(long, long, long, long, long, long, long);
int	 real_socket(int, int, int);
int	 real_setsockopt(int, int, int, const void *, socklen_t);
int	 real_close(int);
int	 real_dup2(int, int);
int	 real_dup3(int, int, int);
int	 real_close_range(unsigned int, unsigned int, int);
void	 real_closefrom(int);
void	 real_bind_early(void);

#endif
