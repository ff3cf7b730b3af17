/*
 * Why a bind found its address in use, from the kernel's table: the
 * TIME_WAIT timer of /proc/net/tcp, bw_netstate_inuse over a table, and
 * the cause of a bind a policy refused.
 */
#include <sys/socket.h>

#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "analyze.h"
#include "event.h"
#include "netstate.h"
#include "unit.h"

/* Recorded in a namespace: 127.0.0.1:7100 in TIME_WAIT, timer 3. */
static const char *tw_line =
    "   2: 0100007F:1BBC 0100007F:D24E 06 00000000:00000000 03:000016F3 "
    "00000000     0        0 0 3 0000000000000000";

Test(inuse, procnet_time_wait_timer)
{
	struct bw_sock s;

	cr_assert_eq(bw_procnet_parse_line(tw_line, BW_PROTO_TCP, AF_INET,
	    &s), 1);
	cr_expect_eq(s.state, BW_TCP_TIME_WAIT);
	/* 0x16F3 clock ticks at USER_HZ 100 */
	cr_expect_eq(s.expires_ms, 58750);
	/* A listener's timer field says nothing of the kind. */
	cr_assert_eq(bw_procnet_parse_line("   1: 0100007F:0BB8 00000000:0000 "
	    "0A 00000000:00000000 02:00000100 00000000  1000        0 9222 1 "
	    "00000000b150cd11 100 0 0 10 0", BW_PROTO_TCP, AF_INET, &s), 1);
	cr_expect_eq(s.expires_ms, 0);
}

static struct bw_sock
sock(const char *addr, uint8_t state, uint32_t ms, pid_t owner,
    struct bw_owner *o)
{
	struct bw_sock s;

	memset(&s, 0, sizeof(s));
	s.proto = BW_PROTO_TCP;
	s.state = state;
	s.local = unit_sa(addr);
	s.reuseport = s.v6only = -1;
	s.expires_ms = ms;
	if (owner != 0) {
		o->pid = owner;
		s.owners = o;
		s.nowners = 1;
	}
	return s;
}

Test(inuse, netstate_table)
{
	struct bw_owner o[3];
	struct bw_sock v[4];
	struct bw_netstate ns = { .socks = v, .nsocks = 4 };
	struct bw_kr_inuse u;
	struct bw_sa used = unit_sa("127.0.0.1:7100"), req;
	size_t idx[4];

	v[0] = sock("127.0.0.1:7100", BW_TCP_TIME_WAIT, 58000, 0, NULL);
	v[1] = sock("127.0.0.1:7100", BW_TCP_TIME_WAIT, 12000, 0, NULL);
	v[2] = sock("127.0.0.1:7101", BW_TCP_LISTEN, 0, 42, &o[0]);
	v[3] = sock("127.0.0.1:7102", BW_TCP_CLOSE, 0, 43, &o[1]);
	bw_netstate_inuse(&ns, BW_PROTO_TCP, &used, NULL, 0, &u, idx, 4);
	cr_expect_eq(u.cause, BW_KR_CAUSE_TIMEWAIT);
	cr_expect_eq(u.n, 2);
	cr_expect_eq(u.wait_ms, 58000);
	cr_expect_eq(u.reuseaddr, -1);
	/* With SO_REUSEADDR the new socket still meets theirs, unknown. */
	bw_netstate_inuse(&ns, BW_PROTO_TCP, &used, NULL, BW_OPT_REUSEADDR,
	    &u, idx, 4);
	cr_expect_eq(u.cause, BW_KR_CAUSE_TIMEWAIT);
	/* Moved by a policy from 7100 onto the listener of 7101. */
	used = unit_sa("127.0.0.1:7101");
	req = unit_sa("127.0.0.1:7102");
	bw_netstate_inuse(&ns, BW_PROTO_TCP, &used, &req, 0, &u, idx, 4);
	cr_expect_eq(u.cause, BW_KR_CAUSE_LISTENER, "7102 is bound: no policy");
	req = unit_sa("127.0.0.1:7109");
	bw_netstate_inuse(&ns, BW_PROTO_TCP, &used, &req, 0, &u, idx, 4);
	cr_expect_eq(u.cause, BW_KR_CAUSE_POLICY);
	cr_expect_eq(u.n, 1);
	cr_expect_eq(idx[0], 2);
	used = unit_sa("0.0.0.0:7102");
	bw_netstate_inuse(&ns, BW_PROTO_TCP, &used, NULL, 0, &u, idx, 4);
	cr_expect_eq(u.cause, BW_KR_CAUSE_BOUND);
	cr_expect_eq(idx[0], 3);
	bw_netstate_inuse(&ns, BW_PROTO_UDP, &used, NULL, 0, &u, idx, 4);
	cr_expect_eq(u.cause, BW_KR_CAUSE_NONE);
}

Test(inuse, denied_by_policy)
{
	struct bw_rbind b;
	struct bw_kr_inuse u;

	memset(&b, 0, sizeof(b));
	b.proto = BW_PROTO_TCP;
	b.used = unit_sa("0.0.0.0:80");
	b.ret = -1;
	b.err = EACCES;
	b.action = BW_ACT_DENY;
	bw_failed_cause(&b, &u);
	cr_expect_eq(u.cause, BW_KR_CAUSE_POLICY);
	b.action = BW_ACT_PASS;
	b.inuse.cause = BW_KR_CAUSE_BOUND;
	bw_failed_cause(&b, &u);
	cr_expect_eq(u.cause, BW_KR_CAUSE_BOUND);
}
