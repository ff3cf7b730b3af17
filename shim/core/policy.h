/*
 * Rewrite policies: parsed from BINDWATCH_* values into plain data, then
 * asked per call.  Pure: no getenv, no I/O, no allocation, no globals.
 */
#ifndef BW_POLICY_H
#define BW_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "contract.h"

#define BW_POLICY_MAX_RESOLVE	16
#define BW_POLICY_MAX_MAP	64
#define BW_POLICY_MAX_DENY	64

struct bw_resolve {
	char		name[BINDWATCH_MAX_NAME];
	size_t		naddrs;
	struct bw_sa	addrs[BINDWATCH_MAX_ADDRS];
};

struct bw_policy {
	int		 has_force;
	struct bw_sa	 force;
	int		 loopback_only;
	int		 family;		/* 0, AF_INET or AF_INET6 */
	size_t		 nresolve;
	struct bw_resolve resolve[BW_POLICY_MAX_RESOLVE];
	size_t		 nmap;
	struct { uint16_t from, to; } map[BW_POLICY_MAX_MAP];
	size_t		 ndeny;
	struct { struct bw_sa sa; int has_port; } deny[BW_POLICY_MAX_DENY];
};

/* What the bind decision asks the hook to do. */
struct bw_bind_decision {
	int		action;		/* BW_ACT_PASS / REWRITE / DENY / CONFINE */
	int		err;		/* DENY: the errno to fail with */
	struct bw_sa	addr;		/* REWRITE: bind this instead;
					 * CONFINE: bind this, on "lo" */
	struct bw_sa	fallback;	/* CONFINE: bind this where the kernel
					 * refuses SO_BINDTODEVICE */
	int		clear_v6only;	/* REWRITE: IPV6_V6ONLY must be off */
	int		client;		/* a client's socket: left alone */
	const char	*why;		/* a few words for the report */
};

/* The socket a bind decision is about, as far as the policy cares. */
struct bw_bind_ctx {
	int		family;		/* the socket's: AF_INET, AF_INET6 */
	int		proto;		/* BW_PROTO_* */
	int		v6only;		/* IPV6_V6ONLY: 1 on, 0 off */
	int		phase;		/* BW_PHASE_* */
};

enum {
	BW_PHASE_BIND = 0,	/* bind(2) */
	BW_PHASE_AUTOBIND,	/* listen(2) on a socket never bound */
	BW_PHASE_BOUND,		/* listen(2) on a socket bound to req: it can
				 * be confined, no longer moved */
};

void	 bw_policy_init(struct bw_policy *);
int	 bw_policy_set(struct bw_policy *, const char *var, const char *value,
	    char *err, size_t errlen);
int	 bw_policy_check(const struct bw_policy *, char *err, size_t errlen);
int	 bw_policy_active(const struct bw_policy *);
int	 bw_policy_rewrites_gai(const struct bw_policy *);

void	 bw_policy_bind(const struct bw_policy *, int sockfamily,
	    const struct bw_sa *req, struct bw_bind_decision *);
void	 bw_policy_socket(const struct bw_policy *, const struct bw_bind_ctx *,
	    const struct bw_sa *req, struct bw_bind_decision *);
int	 bw_policy_unconfined(struct bw_bind_decision *);
const struct bw_resolve *bw_policy_lookup(const struct bw_policy *, const char *node);
int	 bw_policy_family_ok(const struct bw_policy *, int family);

#endif
