/*
 * The enums and option bits that the shim, the CLI and the kernel rules
 * share: what was called, what a policy did, which protocol, which
 * sharing options a socket had.  Values cross the event channel: append,
 * never renumber.
 */
#ifndef BW_TYPES_H
#define BW_TYPES_H

enum bw_evtype {
	BW_EV_GAI = 1,
	BW_EV_BIND,
	BW_EV_LISTEN,
	BW_EV_EXEC,	/* a new image loaded the shim (sent by the shim) */
	BW_EV_EXIT,	/* a process of the tree was reaped (made by the CLI) */
	BW_EV_CLOSE,	/* close(2) of a socket this process listened on */
	BW_EV_CONNECT,	/* a TCP connect: its outcome, once known */
	BW_EV_MAX
};

/* What a policy did to the call. */
enum bw_action {
	BW_ACT_PASS = 0,
	BW_ACT_REWRITE,	/* bound (or resolved) something else than asked */
	BW_ACT_DENY,	/* refused without calling the kernel */
	BW_ACT_CONFINE,	/* the address kept, the socket bound to the
			 * loopback device (SO_BINDTODEVICE "lo") */
};

/* Socket options that decide sharing, as seen just before the bind. */
#define BW_OPT_REUSEADDR	0x01
#define BW_OPT_REUSEPORT	0x02
#define BW_OPT_V6ONLY		0x04
#define BW_OPT_FREEBIND		0x08

/* opts of a getaddrinfo event: a resolve override answered, libc was not asked. */
#define BW_GAI_OVERRIDE		0x01

/* Who saw a call: the shim (libc) or the seccomp supervisor (the kernel). */
enum bw_source { BW_SRC_SHIM = 0, BW_SRC_SECCOMP };
/* opts of a connect event: non-blocking, its outcome learnt later. */
#define BW_CONN_ASYNC		0x01

/* Socket types as reported. */
enum bw_proto { BW_PROTO_OTHER = 0, BW_PROTO_TCP, BW_PROTO_UDP };

#endif
