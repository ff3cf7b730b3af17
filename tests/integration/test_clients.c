/*
 * Clients under bindwatch (tests/integration/clients/): real clients
 * connect to real servers in private namespaces whose /etc/hosts makes
 * localhost [::1] and 127.0.0.1; what bindwatch says answered is checked
 * against the pid the server sent back, and against ss.
 */
#include "cases.h"
#include "harness.h"

#define CLIENTS(name, secs, prog, ...)					\
	BW_CASE(clients, name, secs, .script = "clients/" #name ".sh",	\
	    .hosts = bw_hosts_dual, .program = (prog),			\
	    .expect = BW_LIST(__VA_ARGS__))

/* Each client reaches old ([::1], tried first) or new; bindwatch names
 * whichever answered. */
CLIENTS(story, 120, "node",
    "old_is_pid=yes",
    "nc=yes", "curl=yes", "python=yes", "asyncio=yes", "node=yes",
    "node_auto=yes", "perl=yes",
    "nc_async=true", "python_async=false", "asyncio_async=true",
    "v4=yes", "v4_is_new=yes",
    "keys=addr,async,comm,errno,family,fd,local_addr,local_port,peer,"
    "pid,port,ppid,proto,ret,seq,source,time_ns,type",
    "connections=::1 3000 null 1")

CLIENTS(reached_other, 90, NULL,
    "answered=yes",
    "peer=yes",
    "reached=::1 3000 true 127.0.0.1")

/* Node's ECONNREFUSED ::1, explained and fixed with --resolve. */
CLIENTS(node_wrong_family, 90, "node",
    "node=error ECONNREFUSED ::1",
    "event=::1 5432 -1 ECONNREFUSED true null",
    "warning=5432 ::1 127.0.0.1",
    "listener=yes",
    "fix_text=1",
    "fixed=yes",
    "fixed_peer=yes",
    "fixed_warnings=0",
    "ipv4=yes")

/* errno kept; AF_UNIX and UDP unreported; one event per async connect. */
CLIENTS(shim_connect, 60, NULL,
    "errno=ECONNREFUSED",
    "unix=2",
    "inprogress=EINPROGRESS",
    "so_error=ECONNREFUSED",
    "events=7001:-1:ECONNREFUSED:false 7000:0:null:true "
    "7001:-1:ECONNREFUSED:true 7000:0:null:true "
    "7001:-1:ECONNREFUSED:true 7000:0:null:true",
    "local=127.0.0.1")

/* The local end is read only for JSON events, and is right there. */
CLIENTS(local_ends, 60, "strace",
    "json_calls=5",
    "local_is_peer=yes",
    "local_n=5",
    "local_addr=127.0.0.1",
    "text_calls=0",
    "text_lines=5",
    "quiet_calls=0",
    "quiet_count=5")
