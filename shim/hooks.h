/*
 * Our hooks under hidden names (hooks.c), each exported under libc's name
 * by an alias.  real.c compares with these to never take our own hook for
 * libc's: the address of an exported function would cost a symbol lookup
 * at every process's start.
 */
#ifndef BW_HOOKS_H
#define BW_HOOKS_H

#include <sys/socket.h>
#include <netdb.h>

#define BW_HIDDEN	__attribute__((visibility("hidden")))

BW_HIDDEN int	 bw_hook_bind(int, const struct sockaddr *, socklen_t);
BW_HIDDEN int	 bw_hook_listen(int, int);
BW_HIDDEN int	 bw_hook_getaddrinfo(const char *, const char *,
		    const struct addrinfo *, struct addrinfo **);
BW_HIDDEN void	 bw_hook_freeaddrinfo(struct addrinfo *);
BW_HIDDEN long	 bw_hook_syscall(long, ...);
BW_HIDDEN int	 bw_hook_socket(int, int, int);
BW_HIDDEN int	 bw_hook_setsockopt(int, int, int, const void *, socklen_t);
BW_HIDDEN int	 bw_hook_close(int);
BW_HIDDEN int	 bw_hook_dup2(int, int);
BW_HIDDEN int	 bw_hook_dup3(int, int, int);
BW_HIDDEN int	 bw_hook_close_range(unsigned int, unsigned int, int);
BW_HIDDEN void	 bw_hook_closefrom(int);

#endif
