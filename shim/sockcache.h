/* Per-descriptor facts about this process's sockets (sockcache.c). */
#ifndef BW_SOCKCACHE_H
#define BW_SOCKCACHE_H

#include <stdint.h>

#include "event.h"

/* Descriptors above this are not cached: their events ask the kernel. */
#define BW_SOCKCACHE_FDS	65536

struct bw_sockfacts {
	int	domain;		/* AF_INET, AF_INET6, AF_UNSPEC: not IP */
	int	proto;		/* BW_PROTO_* */
	uint8_t	known;		/* BW_OPT_* bits whose value is known */
	uint8_t	opts;		/* their values */
};

/* Pure, for the tests. */
uint32_t bw_sockcache_word(int, int, unsigned int);
int	 bw_sockcache_decode(uint32_t, unsigned int, struct bw_sockfacts *);
uint32_t bw_sockcache_learn(uint32_t, unsigned int, uint8_t, int);
uint8_t	 bw_sockcache_optbit(int, int);

int	 bw_sockcache_setup(void);
void	 bw_sockcache_created(int, int, int);
int	 bw_sockcache_forget(int);
void	 bw_sockcache_served(int);
void	 bw_sockcache_forget_from(unsigned int, unsigned int);
void	 bw_sockcache_setopt(int, int, int);
void	 bw_sockcache_unknown(int, uint8_t);
int	 bw_sockcache_get(int, struct bw_sockfacts *);
void	 bw_sockcache_learned(int, uint8_t, int);
void	 bw_sockcache_new_epoch(void);
void	 bw_sockcache_forked(void);

#endif
