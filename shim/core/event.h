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
#include "contract.h"
#include "types.h"

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

	uint8_t		source;		/* enum bw_source: who saw the call */
	/* connect: req is the destination, bound the local end.  The peer
	 * is the CLI's finding, never on the wire; 0: none known. */
	int32_t		peer_pid;
	char		peer_comm[BINDWATCH_MAX_COMM];
};

const char *bw_evtype_name(int);
size_t	 bw_event_encode(const struct bw_event *, uint8_t *, size_t);
int	 bw_event_decode(struct bw_event *, const uint8_t *, size_t);

#endif
