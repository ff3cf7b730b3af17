/*
 * One observed call, as plain data, and its wire encoding between the
 * shim and the collector.  Pure: encode/decode never read past the buffer
 * they are given.
 */
#ifndef BW_EVENT_H
#define BW_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "bindwatch.h"

enum bw_evtype {
	BW_EV_GAI = 1,
	BW_EV_BIND,
	BW_EV_LISTEN,
	BW_EV_EXEC,	/* a new image loaded the shim (sent by the shim) */
	BW_EV_EXIT,	/* a process of the tree was reaped (made by the CLI) */
	BW_EV_MAX
};

/* What a policy did to the call. */
enum bw_action {
	BW_ACT_PASS = 0,
	BW_ACT_REWRITE,	/* bound (or resolved) something else than asked */
	BW_ACT_DENY,	/* refused without calling the kernel */
};

/* Socket options that decide sharing, as seen just before the bind. */
#define BW_OPT_REUSEADDR	0x01
#define BW_OPT_REUSEPORT	0x02
#define BW_OPT_V6ONLY		0x04
#define BW_OPT_FREEBIND		0x08

/* opts of a getaddrinfo event: a resolve override answered, libc was not asked. */
#define BW_GAI_OVERRIDE		0x01

/* Socket types as reported. */
enum bw_proto { BW_PROTO_OTHER = 0, BW_PROTO_TCP, BW_PROTO_UDP };

struct bw_event {
	uint8_t		type;
	uint8_t		action;		/* enum bw_action */
	uint8_t		proto;		/* enum bw_proto (bind, listen) */
	uint8_t		opts;		/* BW_OPT_* (bind, listen) */
	int32_t		pid;
	int32_t		ppid;
	uint32_t	seq;		/* per (pid, boot), from 1; 0: unsequenced */
	uint64_t	boot;		/* identifies one image of one process */
	uint64_t	time_ns;	/* CLOCK_REALTIME */
	char		comm[BINDWATCH_MAX_COMM];

	int32_t		fd;
	int32_t		ret;		/* return value of the call */
	int32_t		err;		/* errno when ret == -1, else 0 */

	/* getaddrinfo */
	uint8_t		has_node, has_service, has_hints;
	uint8_t		truncated;	/* a name did not fit */
	char		node[BINDWATCH_MAX_NAME];
	char		service[BINDWATCH_MAX_SERV];
	int32_t		h_flags, h_family, h_socktype, h_protocol;
	uint16_t	naddrs;		/* addresses kept in addrs[] */
	uint16_t	naddrs_total;	/* addresses returned */
	struct bw_sa	addrs[BINDWATCH_MAX_ADDRS];
	uint8_t		addr_proto[BINDWATCH_MAX_ADDRS];
	uint16_t	norig;		/* rewritten list: what libc had said */
	struct bw_sa	orig[BINDWATCH_MAX_ADDRS];

	/* bind: req as asked, used after policy, bound from getsockname;
	 * listen: bound is the listening address. */
	struct bw_sa	req, used, bound;
	int32_t		backlog;
	uint8_t		autobound;	/* listen bound an unbound socket */
	int32_t		alias_fd;	/* bind made fd an alias of this one, or -1 */

	/* exec */
	char		exe[BINDWATCH_MAX_NAME];
};

const char *bw_evtype_name(int);
int	 bw_evtype_parse(const char *);
size_t	 bw_event_encode(const struct bw_event *, uint8_t *, size_t);
int	 bw_event_decode(struct bw_event *, const uint8_t *, size_t);

#endif
