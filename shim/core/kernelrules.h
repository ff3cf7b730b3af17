/*
 * The kernel's rules for IP sockets, written once (after Linux:
 * net/ipv4/inet_connection_sock.c, inet_hashtables.c, udp.c and their
 * IPv6 twins): which binds conflict, which socket receives a connection
 * or a datagram, when the addresses of one name are split between
 * processes, and when a socket is exposed to the network.  report.c,
 * portmap.c, which.c and the netstate queries ask here; nothing else
 * decides.  Pure: plain data in, an answer out; no I/O, no globals, no
 * allocation.
 *
 * Not modelled: SO_BINDTODEVICE, SO_INCOMING_CPU, BPF reuseport
 * programs, multicast and broadcast delivery, and the hash-list order in
 * which the kernel breaks a tie between sockets of equal rank (a snapshot
 * cannot see it: such ties are reported as one group).
 */
#ifndef BW_KERNELRULES_H
#define BW_KERNELRULES_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "addr.h"

enum bw_kr_state {
	BW_KR_BOUND = 1,	/* bound: TCP not listening, UDP unconnected */
	BW_KR_LISTEN,		/* TCP listening */
	BW_KR_CONNECTED,	/* a TCP connection, a connected UDP socket */
	BW_KR_TIMEWAIT,		/* TCP TIME_WAIT: holds the port only */
};

/* A uid that is not known: it proves nothing. */
#define BW_KR_NOUID	((uid_t)-1)

/* One socket as the rules see it.  -1 is "not known": the default. */
struct bw_kr_sock {
	struct bw_sa	addr;		/* the local address and port */
	int		proto;		/* BW_PROTO_TCP or BW_PROTO_UDP */
	int		state;		/* enum bw_kr_state */
	int		v6only;		/* IPV6_V6ONLY: 1, 0, -1 (off) */
	int		reuseaddr;	/* SO_REUSEADDR: 1, 0, -1 (off) */
	int		reuseport;	/* SO_REUSEPORT: 1, 0, -1 (off) */
	uid_t		uid;		/* its creator, or BW_KR_NOUID */
	uint32_t	expires_ms;	/* TIME_WAIT: how long it stays; 0 unknown */
};

/*
 * Does a socket bound to l (IPV6_V6ONLY v6only) take what is sent to dst?
 * Same port, and the same address or a wildcard of dst's family; IPv4 and
 * v4-mapped addresses alike; the IPv6 wildcard takes IPv4 too unless
 * v6only.
 */
int	 bw_kr_accepts(const struct bw_sa *l, int v6only,
	    const struct bw_sa *dst);

/*
 * The kernel's preference for s as the receiver of proto traffic to dst
 * (a TCP listener, an unconnected UDP socket): -1 never; otherwise the
 * higher wins.  An exact address beats a wildcard; at equal address, an
 * IPv4 socket beats an IPv6 one.
 */
int	 bw_kr_rank(const struct bw_kr_sock *s, int proto,
	    const struct bw_sa *dst);

/*
 * Which of v[0..n) receives proto traffic to dst.  Returns how many share
 * the best rank (0: refused): a SO_REUSEPORT group, over which the
 * kernel spreads flows by hash.  idx[0] is the first of them, idx[] holds
 * the first max in order.
 */
size_t	 bw_kr_pick(const struct bw_kr_sock *v, size_t n, int proto,
	    const struct bw_sa *dst, size_t *idx, size_t max);

/*
 * Does binding bind (its address, protocol, options and uid; its state
 * does not matter) fail with EADDRINUSE because of have?  A port of 0
 * never conflicts: the kernel picks a free one.
 */
int	 bw_kr_bind_conflict(const struct bw_kr_sock *have,
	    const struct bw_kr_sock *bind);

/* A process holding a socket that receives one address of a name. */
struct bw_kr_holder {
	uint64_t	sock;		/* which socket; 0: not known */
	uid_t		uid;		/* the socket's, or BW_KR_NOUID */
	pid_t		pid;		/* 0: the owner is not known */
};

/* The holders of the receivers of one address; n == 0: refused. */
struct bw_kr_side {
	const struct bw_kr_holder	*h;
	size_t				 n;
};

/*
 * Is the name split: do two of its addresses that both answer reach
 * different sets of processes?  The very same sockets never differ; with
 * an owner not known, only different uids prove a difference.
 */
int	 bw_kr_split(const struct bw_kr_side *sides, size_t n);

/*
 * Can the network reach a socket of proto bound to a in state?  A TCP
 * listener or an unconnected UDP socket, on a wildcard or a non-loopback
 * address; for UDP, a port the socket asked for (a of port 0: the kernel
 * chose one, as for a client).
 */
int	 bw_kr_exposed(int proto, const struct bw_sa *a, int state);

/*
 * Kinds of client, by the order in which they try the addresses of a name
 * (checked on Debian 12 with ::1 and 127.0.0.1 both "localhost"):
 * getaddrinfo-order: nc, Perl, Python, Ruby: the resolver's list in turn;
 * curl (7.78+): "localhost" and "*.localhost" are not resolved at all:
 *	127.0.0.1 first, then ::1; any other name in the resolver's order;
 * node (20: net.connect and fetch, autoSelectFamily on): the resolver's
 *	order, families interleaved, the next attempt after 250 ms or at
 *	once on a refusal.  Over loopback an attempt never waits, so each
 *	kind reaches the first address of its order that has a receiver.
 */
enum bw_kr_client {
	BW_KR_CLIENT_GAI = 0,
	BW_KR_CLIENT_CURL,
	BW_KR_CLIENT_NODE,
	BW_KR_NCLIENTS
};

/* "getaddrinfo-order", "curl", "node"; NULL past the last. */
const char	*bw_kr_client_name(int kind);

/*
 * The addresses a client of kind tries for host:port, in order, from the
 * resolver's list gai[0..n): up to max in out; returns how many.
 */
size_t	 bw_kr_client_order(int kind, const char *host, uint16_t port,
	    const struct bw_sa *gai, size_t n, struct bw_sa *out, size_t max);

/*
 * Are a and b sockets of one SO_REUSEPORT group, over which the kernel
 * spreads new connections (TCP listeners) or datagrams (UDP unconnected)?
 * 1 yes, 0 no, -1 when an unknown option or uid leaves it open.
 */
int	 bw_kr_group(const struct bw_kr_sock *a, const struct bw_kr_sock *b);

/*
 * The sockets of v[0..n) that would take proto traffic to dst were it
 * not for a better one: an exact address passes over a wildcard, an IPv4
 * socket over an IPv6 one.  Fills the first max indexes, returns how many.
 */
size_t	 bw_kr_passed_over(const struct bw_kr_sock *v, size_t n, int proto,
	    const struct bw_sa *dst, size_t *idx, size_t max);

/* Why a bind failed with EADDRINUSE (or was refused): bw_kr_inuse. */
enum bw_kr_cause {
	BW_KR_CAUSE_NONE = 0,	/* the sockets seen do not explain it */
	BW_KR_CAUSE_LISTENER,	/* a TCP listener, an unconnected UDP socket */
	BW_KR_CAUSE_TIMEWAIT,	/* connections in TIME_WAIT */
	BW_KR_CAUSE_CONNECTION,	/* connections on that local address */
	BW_KR_CAUSE_BOUND,	/* a TCP socket bound, not listening */
	BW_KR_CAUSE_POLICY,	/* a bindwatch policy refused or moved it */
};

struct bw_kr_inuse {
	int		cause;		/* enum bw_kr_cause */
	size_t		n;		/* sockets of that cause */
	uint32_t	wait_ms;	/* TIME_WAIT: the longest left; 0 unknown */
	/* Would SO_REUSEADDR let the bind through: 1 when the sockets in
	 * the way have it too, -1 when theirs is not known, 0 never. */
	int		reuseaddr;
};

/*
 * Why binding bind failed, given the sockets v[0..n) present then.  req,
 * when not NULL, is what the program asked before a policy rewrote it
 * into bind (address or port): a bind that fails only where the policy
 * sent it has the cause "policy"; so has one a policy refused (denied).
 * Otherwise the sockets in its way (bw_kr_bind_conflict), named by the one
 * a person must deal with first: a listener, then a bound socket, then
 * connections, then TIME_WAIT, which ends by itself.  Fills idx with up
 * to max indexes of that cause's sockets (policy: those in the way of
 * bind).
 */
void	 bw_kr_inuse(const struct bw_kr_sock *v, size_t n,
	    const struct bw_kr_sock *bind, const struct bw_kr_sock *req,
	    int denied, struct bw_kr_inuse *out, size_t *idx, size_t max);

/* "listener", "time-wait", ...; NULL for BW_KR_CAUSE_NONE. */
const char	*bw_kr_cause_name(int);

#endif
