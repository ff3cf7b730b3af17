/*
 * Which binds a policy touches, checked from both sides: a second network
 * namespace joined by a veth pair plays the network (scope/common.sh).  A
 * dual-stack [::] server under --loopback-only answers on 127.0.0.1 and
 * [::1] and not from the network; a client's socket bound to port 0 (UDP,
 * or TCP that connects) still reaches the network; a TCP socket bound to
 * port 0 is confined when it listens.  Each against the same program run
 * bare, ss and a real request.
 */
#include "cases.h"
#include "harness.h"

#define SCOPE(name, ...)						\
	BW_CASE(scope, name, 90, .script = "scope/" #name ".sh",	\
	    .root = 1, __VA_ARGS__)

SCOPE(dual_stack_wildcard_loopback_only,
    .expect = BW_LIST("bare_v4=200",
	"bare_v6=200",
	"bare_net=open",
	"v4=200",
	"v6=200",
	"net=ConnectionRefusedError",
	"ss=*%lo:8000",
	"action=confine",
	"addr=::",
	"device=lo",
	"exposed=0",
	"summary_action=confine"))

SCOPE(client_sockets_are_left_alone,
    .expect = BW_LIST("bare_cli=sent",
	"bare_udp=udp-hello",
	"bare_tcp=tcp-hello",
	"bw_cli=sent",
	"bw_udp=udp-hello",
	"bw_tcp=tcp-hello",
	"touched=0",
	"udp_bound=0.0.0.0",
	"tcp_bound=0.0.0.0",
	"client=true"))

SCOPE(tcp_port_zero_is_confined_at_listen,
    .expect = BW_LIST("local=200",
	"net=ConnectionRefusedError",
	"bind_action=pass",
	"listen_action=confine",
	"device=lo",
	"exposed=0"))
