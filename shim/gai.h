/* The logic behind the getaddrinfo and freeaddrinfo hooks. */
#ifndef BW_GAI_H
#define BW_GAI_H

#include <netdb.h>

struct bw_conf;

int	 bw_gai_setup(void);
int	 bw_getaddrinfo(const struct bw_conf *, const char *, const char *,
	    const struct addrinfo *, struct addrinfo **);
void	 bw_freeaddrinfo(struct addrinfo *);

#endif
