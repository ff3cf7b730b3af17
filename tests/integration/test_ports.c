/*
 * bindwatch ports / which against real listeners, each scenario
 * (tests/integration/ports/) in private namespaces whose /etc/hosts maps
 * localhost to both 127.0.0.1 and ::1.  The answers are checked against
 * ss(8) and against a real client connection: the servers write their
 * pid to whoever connects.  All traffic stays on the namespace's own
 * loopback.  The rows say what each scenario's key=value lines must be
 * (cases.h).
 */
#include "cases.h"

#define PORTS(name, ...)						\
	BW_CASE(ports, name, 60, .script = "ports/" #name ".sh",	\
	    .hosts = "127.0.0.1 localhost\n::1 localhost\n", __VA_ARGS__)

PORTS(three_server_story,
    .expect = BW_LIST("third=3",	/* EADDRINUSE */
	"ports_rc=0",
	"groups=3000",
	"split=true",
	"exposed=false",
	"v6pid=yes",
	"v4pid=yes",
	"comm=perl",
	"text_rc=0",
	"text_split>0",
	"text_v6>0",
	"which_rc=0",
	"order=::1,127.0.0.1",
	"reached=yes",
	"reached_addr=::1",
	"which_split=true",
	"cand1=yes",
	/* the real client lands where `which` said */
	"answered=yes",
	"answered4=yes",
	/* ports --all and ss: the same sockets and owners */
	"lists=yes"))

PORTS(reuseport_pair,
    .expect = BW_LIST("n=2",
	"split=false",
	"opts=reuseport,reuseport",
	"pids=yes",
	"which_rc=0",
	"listeners=yes",
	"which_split=false",
	"answered=yes",
	"lists=yes"))

PORTS(forked_listener,
    .expect = BW_LIST("pids=yes",
	"addrs=127.0.0.1,127.0.0.1",
	"nopts=0",
	"which_rc=0",
	"nl=0,2",
	"reached_addr=127.0.0.1",
	"answered=yes",
	"lists=yes"))

PORTS(wildcards_and_v6only,
    .expect = BW_LIST("rc0=0",
	"r0=yes",
	"answered0=yes",
	"rc1=1",
	"r1=null",
	"connect1=1",
	"rc2=1",
	"connect2=1",
	"opts1=v6only",
	"opts0=",
	"exposed=true,true,true",
	"rc3=1",
	"r3=null"))

PORTS(hostile_comm_escaped,
    .expect = BW_LIST("p_esc=0",
	"w_esc=0",
	"p_escaped>0",
	"w_escaped>0",
	"octal=0",
	"comm=ev033il"))

PORTS(hidden_owners,
    .root = 1,
    .expect = BW_LIST("rc=0",
	"pid=null",
	"comm=?",
	"user=root",
	"err~bindwatch: *",
	"err*=run as root",
	"wrc=0"))

BW_CASE(ports, bad_input, 60,
    .script = "ports/bad_input.sh",
    .plain = 1,
    .expect = BW_LIST("ports_bogus=ok", "ports_x=ok", "ports_json_yes=ok",
	"ports_70000=ok", "ports_0=ok", "ports_30x=ok", "which=ok",
	"which_no_port=ok", "which_bare_v6=ok", "which_open_bracket=ok",
	"which_v6_no_port=ok", "which_empty_port=ok", "which_no_host=ok",
	"which_99999=ok", "which_extra=ok", "which_nope=ok", "ports_esc=ok",
	"which_long_esc=ok", "which_short_esc=ok", "run_bogus=ok", "run_short=ok",
	"run_json_1=ok", "run_force=ok", "run_o=ok"))

/* node interleaves address families; the others walk the resolver's order. */
BW_CASE(ports, which_names_whom_each_client_reaches, 60,
    .script = "ports/which_names_whom_each_client_reaches.sh",
    .hosts = "::1 multi\n::3 multi\n127.0.0.1 multi\n", .program = "node",
    .expect = BW_LIST("order=::1,::3,127.0.0.1", "nc=yes", "python=yes",
	"curl=yes", "node=yes", "differ=yes"))
