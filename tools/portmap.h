/*
 * Listening sockets grouped by (proto, port), as `bindwatch ports` shows
 * them: which ports are split (the loopback addresses a client of
 * "localhost" may try reach different processes) and which are exposed
 * (a wildcard or non-loopback address).  Pure: no I/O.
 */
#ifndef BW_PORTMAP_H
#define BW_PORTMAP_H

#include <stddef.h>
#include <stdint.h>

#include "netstate.h"

struct bw_portgroup {
	uint8_t		 proto;		/* BW_PROTO_TCP or BW_PROTO_UDP */
	uint16_t	 port;
	int		 split;
	int		 exposed;
	size_t		 first;		/* its sockets: idx[first .. first+n) */
	size_t		 n;
};

struct bw_portmap {
	size_t			*idx;		/* into ns->socks, sorted */
	size_t			 nidx;
	struct bw_portgroup	*groups;	/* by proto (tcp first), port */
	size_t			 ngroups;
};

/* bw_portmap_build flags */
#define BW_PM_ALL	0x1	/* every address, not only loopback and wildcard */

/*
 * Group the sockets of ns.  ports/nports, when nports > 0, keep only those
 * ports.
 */
void	 bw_portmap_build(struct bw_portmap *pm, const struct bw_netstate *ns,
	    int flags, const uint16_t *ports, size_t nports);
void	 bw_portmap_free(struct bw_portmap *);

/*
 * Pure: 1 when a client of localhost:port (127.0.0.1 and ::1) would reach
 * different processes depending on the family it tries first.
 */
int	 bw_port_is_split(const struct bw_netstate *, int proto, uint16_t port);

/*
 * Pure: how many processes hold the SO_REUSEPORT group (bw_kr_group) of
 * ns->socks[idx[i]] among the sockets idx[0..n); 1 when it is alone.
 */
size_t	 bw_sock_group_procs(const struct bw_netstate *, const size_t *idx,
	    size_t n, size_t i);

/* Pure: reachable from the network (bw_kr_exposed). */
int	 bw_sock_is_exposed(const struct bw_sock *);

#endif
