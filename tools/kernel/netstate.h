/*
 * The kernel's view of bound and listening IP sockets and of the processes
 * that hold them (like `ss -ltnup`): /proc/net/{tcp,tcp6,udp,udp6} and
 * /proc/PID/fd.  The parsers are pure (unit-tested on recorded lines); only
 * bw_netstate_read does I/O.
 */
#ifndef BW_NETSTATE_H
#define BW_NETSTATE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "addr.h"
#include "contract.h"
#include "kernelrules.h"

#define BW_TCP_TIME_WAIT 0x06	/* st column of /proc/net/tcp */
#define BW_TCP_CLOSE	0x07	/* bound, not listening */
#define BW_TCP_LISTEN	0x0a
#define BW_UDP_UNCONN	0x07

struct bw_owner {
	pid_t	pid;
	char	comm[BINDWATCH_MAX_COMM];	/* raw, unescaped */
};

struct bw_sock {
	uint8_t		 proto;		/* BW_PROTO_TCP or BW_PROTO_UDP */
	uint8_t		 state;		/* st column */
	struct bw_sa	 local;
	struct bw_sa	 remote;
	uid_t		 uid;
	uint64_t	 inode;
	int		 reuseport;	/* 1, 0, -1 unknown */
	int		 v6only;	/* 1, 0, -1 unknown / not IPv6 */
	uint32_t	 expires_ms;	/* TIME_WAIT: ms left; 0 unknown */
	size_t		 nowners;
	struct bw_owner	*owners;	/* empty when no inspectable owner */
};

struct bw_netstate {
	struct bw_sock	*socks;
	size_t		 nsocks;
	int		 hidden;	/* some /proc/PID/fd could not be read */
	size_t		 malformed;	/* /proc/net lines refused */
};

/* bw_netstate_read flags */
#define BW_NS_ALL	0x1	/* every socket, not only TCP LISTEN / UDP unconnected */
#define BW_NS_NOOWNERS	0x2	/* skip the /proc/PID/fd scan */

int	 bw_netstate_read(struct bw_netstate *, const char *procroot, int flags);
void	 bw_netstate_free(struct bw_netstate *);
int	 bw_netstate_tcp_listener_at(const struct bw_sa *);
int	 bw_netstate_tcp_listener_inode(const struct bw_sa *, uint64_t *);

/*
 * Pure: one line of /proc/net/{tcp,tcp6,udp,udp6}.  family is AF_INET or
 * AF_INET6.  Returns 1 and fills *s (owners empty), 0 for the header line,
 * -1 for a malformed line.
 */
int	 bw_procnet_parse_line(const char *line, int proto, int family, struct bw_sock *s);

/* Pure: the rules' view (kernelrules.h) of a socket of the table. */
void	 bw_sock_kr(const struct bw_sock *, struct bw_kr_sock *);

/*
 * Pure: the sockets of ns that conflict with binding proto to addr:port
 * (bw_kr_bind_conflict; the new socket's options are not known: off).
 * Fills up to max indexes into ns->socks, returns how many matched.
 */
size_t	 bw_netstate_conflicts(const struct bw_netstate *, int proto,
	    const struct bw_sa *, size_t *idx, size_t max);

/*
 * Pure: why binding proto to used (with the BW_OPT_* options opts; req:
 * what the program asked before a policy, or NULL) failed with
 * EADDRINUSE, from ns read with BW_NS_ALL (bw_kr_inuse).  Fills up to max
 * indexes into ns->socks of the cause's sockets.
 */
void	 bw_netstate_inuse(const struct bw_netstate *, int proto,
	    const struct bw_sa *used, const struct bw_sa *req, int opts,
	    struct bw_kr_inuse *, size_t *idx, size_t max);

/*
 * Pure: the sockets of ns that would receive a connection (TCP LISTEN) or
 * a datagram (UDP unconnected) sent to dst, as bw_kr_pick: the kernel's
 * choice first, then the rest of its SO_REUSEPORT group (the kernel picks
 * one per flow).  Fills up to max indexes into ns->socks, returns how
 * many it filled.
 */
size_t	 bw_netstate_reaching(const struct bw_netstate *, int proto,
	    const struct bw_sa *dst, size_t *idx, size_t max);

/*
 * Pure: the sockets of ns that would take proto traffic to dst but for a
 * better one (bw_kr_passed_over: an exact address passes over a
 * wildcard).  Fills up to max indexes, returns how many it filled.
 */
size_t	 bw_netstate_passed_over(const struct bw_netstate *, int proto,
	    const struct bw_sa *dst, size_t *idx, size_t max);

/* The same among the sockets among[] only (e.g. those of one port). */
size_t	 bw_netstate_reaching_among(const struct bw_netstate *,
	    const size_t *among, size_t namong, int proto,
	    const struct bw_sa *dst, size_t *idx, size_t max);

/*
 * Pure: is a name split (bw_kr_split)?  recv[i] holds the nrecv[i]
 * receivers (indexes into ns->socks) of its address i.  1 split, 0 not.
 */
int	 bw_netstate_split(const struct bw_netstate *,
	    const size_t *const *recv, const size_t *nrecv, size_t n);

#endif
