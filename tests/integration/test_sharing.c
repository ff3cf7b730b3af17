/*
 * Every way two sockets share a port, and why a bind finds its port in
 * use: each scenario (tests/integration/sharing/) makes the sockets on
 * purpose in private namespaces, runs bindwatch, and checks what it says
 * against ss and the holders' own pids.  All traffic stays on the
 * namespace's loopback.  The rows say what each scenario's key=value
 * lines must be (cases.h).
 */
#include "cases.h"
#include "harness.h"

#define SHARING(name, ...)						\
	BW_CASE(sharing, name, 60, .script = "sharing/" #name ".sh",	\
	    .hosts = bw_hosts_dual, .expect = BW_LIST(__VA_ARGS__))

SHARING(time_wait_cause,
    "ss_tw=2",
    "status=1",
    "cause=time-wait",
    "sockets=yes",
    "wait_ms>1000",
    "wait_ms<=60000",
    "holder=null",
    /* the old sockets' SO_REUSEADDR is not known to the kernel's tables */
    "reuseaddr=null",
    "text=1",
    "advice=1",
    "status_reuseaddr=0")

SHARING(connection_cause,
    "ss_listen=0",
    "ss_pid=yes",
    "status=1",
    "cause=connection",
    "sockets=yes",
    "holder=yes",
    "wait_ms=null",
    "text=1")

SHARING(bound_cause,
    /* ss 6.1 and /proc/net/tcp do not list a bound socket */
    "ss_sees=0",
    "status=1",
    "cause=bound",
    "holder=yes",
    "text=1")

SHARING(policy_cause,
    "ss_holder=yes",
    "free=0",
    "status=1",
    "cause=policy",
    "port=7401",
    "holder=yes",
    "text=1",
    "deny_cause=policy",
    "listener_cause=listener",
    "listener_holder=yes")

SHARING(reuseport_inside_and_outside,
    "ss0=yes",
    "ss1=yes",
    "ports_procs=2,2",
    /* two rows and the line that says what SHARED means */
    "ports_shared=3",
    "which_procs=2",
    "which_text=1",
    "w0=yes",
    "w1=yes",
    "w1_run=true",
    "landed_elsewhere=0",
    "text=1",
    "plain_cause=listener")

SHARING(exact_beside_wildcard,
    "ss_wild=yes",
    "ss_exact=yes",
    "which_passed=yes",
    "which_reached=yes",
    "which_text=1",
    "to_exact=yes",
    "to_wild=yes",
    "addr=127.0.0.1:7600",
    "to=yes",
    "passed=yes",
    "shared=0")
