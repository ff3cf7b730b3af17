/* The real libc functions behind our hooks, bound once, never our own. */
#ifndef BW_REAL_H
#define BW_REAL_H

#include <sys/socket.h>
#include <sys/syscall.h>
#include <netdb.h>
#include <stdint.h>

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
int	 real_connect(int, const struct sockaddr *, socklen_t);
int	 real_getsockopt(int, int, int, void *, socklen_t *);
int	 real_execve(const char *, char *const[], char *const[]);
int	 real_execv(const char *, char *const[]);
int	 real_execvp(const char *, char *const[]);
int	 real_execvpe(const char *, char *const[], char *const[]);
int	 real_fexecve(int, char *const[], char *const[]);
int	 real_execveat(int, const char *, char *const[], char *const[], int);
void	 real_bind_early(void);
void	 real_set_cookie(uint64_t);

/*
 * Our hooks under hidden names (hooks.c), each exported under libc's name
 * by an alias.  real.c compares with these to never take our own hook for
 * libc's: the address of an exported function would cost a symbol lookup
 * at every process's start.
 */
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
BW_HIDDEN int	 bw_hook_connect(int, const struct sockaddr *, socklen_t);
BW_HIDDEN int	 bw_hook_getsockopt(int, int, int, void *, socklen_t *);
BW_HIDDEN int	 bw_hook_execve(const char *, char *const[], char *const[]);
BW_HIDDEN int	 bw_hook_execv(const char *, char *const[]);
BW_HIDDEN int	 bw_hook_execvp(const char *, char *const[]);
BW_HIDDEN int	 bw_hook_execvpe(const char *, char *const[], char *const[]);
BW_HIDDEN int	 bw_hook_fexecve(int, char *const[], char *const[]);
BW_HIDDEN int	 bw_hook_execveat(int, const char *, char *const[],
		    char *const[], int);
BW_HIDDEN int	 bw_hook_execl(const char *, const char *, ...);
BW_HIDDEN int	 bw_hook_execlp(const char *, const char *, ...);
BW_HIDDEN int	 bw_hook_execle(const char *, const char *, ...);

#endif
