/*
 * Programs that bypass libc (tests/integration/seccomp/): static, Go,
 * 32-bit and raw-syscall programs under the seccomp supervisor.  Each is
 * checked against ss, a request over loopback and, for policies, a second
 * network namespace over a veth pair that must get no answer
 * (scope/common.sh).
 */
#include "cases.h"
#include "harness.h"

#define SC(name, secs, ...)						\
	BW_CASE(seccomp, name, secs, .script = "seccomp/" #name ".sh",	\
	    __VA_ARGS__)

SC(static_force_reaches_loopback_only, 60, .root = 1,
    .need = "fixtures/sc_probe",
    .expect = BW_LIST("bare_net=open",
	"ss=127.0.0.1:8100",
	"local=answered",
	"net=ConnectionRefusedError",
	"sources=seccomp:2",
	"action=rewrite",
	"bound=127.0.0.1",
	"unseen=0",
	"exposed=0"))

SC(busybox_httpd_policies, 60, .root = 1, .program = "busybox",
    .expect = BW_LIST("lo_ss=*%lo:8101",
	"lo_v4=200",
	"lo_v6=200",
	"lo_net=ConnectionRefusedError",
	"lo_sources=seccomp:2",
	"lo_action=confine",
	"lo_unseen=0",
	"force_v4=200",
	"force_net=ConnectionRefusedError",
	"force_action=rewrite",
	"force_unseen=0"))

SC(caddy_go_policies, 90, .root = 1, .program = "caddy",
    .expect = BW_LIST("force_ss=[::ffff:127.0.0.1]:8103",
	"force_v4=200",
	"force_net=ConnectionRefusedError",
	"force_sources=seccomp",
	"force_action=rewrite",
	"force_unseen=0",
	"lo_v4=200",
	"lo_v6=200",
	"lo_net=ConnectionRefusedError",
	"lo_unseen=0",
	"off_sources=",
	"off_unseen>0"))

SC(threads_fork_vfork, 60, .need = "fixtures/sc_probe",
    .expect = BW_LIST("threads=OK 8",
	"threads_ss=8",
	"threads_sources=seccomp:16",
	"threads_unseen=0",
	"fork_ss=3",
	"fork_reached=answered answered answered",
	"fork_pids=3",
	"fork_sources=seccomp:6",
	"fork_unseen=0"))

SC(signal_during_bind, 60, .need = "fixtures/sc_probe",
    .expect = BW_LIST("result=EINTR 0 FAIL 0", "events>=2000"))

SC(bindwatch_killed, 60, .need = "fixtures/sc_probe",
    .expect = BW_LIST("before=seccomp", "again=AGAIN 0 ok", "listening=yes"))

SC(own_listener_is_ebusy, 60, .need = "fixtures/sc_probe",
    .expect = BW_LIST("status=0", "ran=1", "warned*=(EBUSY)"))

SC(alias_nginx_style, 60, .need = "fixtures/sc_probe",
    .expect = BW_LIST("result=ALIAS 0 0",
	"ss=127.0.0.1:8600",
	"local=answered",
	"alias_of_first=yes"))

SC(no_io_uring, 30, .need = "fixtures/sc_probe",
    .expect = BW_LIST("with=URING ENOSYS", "without!=URING ENOSYS"))

SC(ia32_and_socketcall, 60, .need = "fixtures32/sc_probe",
    .expect = BW_LIST("direct=answered",
	"direct_sources=seccomp:2",
	"sockcall=answered",
	"sockcall_sources=seccomp:2",
	"sockcall_unseen=0",
	"dyn32_sources=shim:2"))

SC(musl_static, 60, .need = "musl/sc_probe",
    .expect = BW_LIST("local=answered", "sources=seccomp:2", "unseen=0"))

SC(all_reports_each_bind_once, 60, .need = "fixtures/sc_probe",
    .expect = BW_LIST("static=answered",
	"py=200",
	"py_sources=shim:2",
	"static_sources=seccomp:2",
	"unseen=0"))

SC(privileged_port_and_unreadable_target, 60, .root = 1,
    .need = "fixtures/sc_probe", .program = "setpriv",
    .expect = BW_LIST("bare=FAILED Permission denied",
	"supervised=FAILED Permission denied",
	"errno=EACCES",
	"root_nnp=0",
	"nodump=FAILED Permission denied",
	"nodump_binds=0",
	"unreadable=1",
	"nnp*=set-user-ID programs below this one will not gain privileges",
	"dumpable=LISTENING 0.0.0.0 8951"))

SC(exit_statuses_under_the_filter, 60, .need = "fixtures/sc_probe",
    .expect = BW_LIST("true=0", "exit7=7", "notfound=127", "noexec=126",
	"said=1 1", "ran=LISTENING 127.0.0.1 8990"))

SC(map_port_and_deny, 60, .need = "fixtures/sc_probe",
    .expect = BW_LIST("mapped=answered",
	"old=ConnectionRefusedError",
	"map_action=rewrite 9100 9101 seccomp",
	"denied=FAILED Permission denied",
	"deny_action=deny EACCES"))

SC(port_zero_confined_at_listen, 60, .root = 1, .need = "fixtures/sc_probe",
    .expect = BW_LIST("local=answered",
	"net=ConnectionRefusedError",
	"actions=pass confine",
	"exposed=0"))

SC(old_kernel_falls_back, 60, .need = "fixtures/sc_probe",
    .expect = BW_LIST("reached=answered", "said=1", "seen=0", "unseen=1"))

SC(local_binds_pass_unreported, 30, .need = "fixtures/sc_probe",
    .expect = BW_LIST("result=LOCAL 0 0", "socket=yes", "reported=0"))

SC(short_lived_named, 60, .program = "busybox",
    .need = "fixtures/static_listener",
    .expect = BW_LIST("status=0",
	"listens=static_listener:8",
	"sources=seccomp:16",
	"unseen=0"))

/* Blind images the tree executes: filtered by the shim's exec hooks. */
SC(exec_caddy_loopback_only, 90, .root = 1, .program = "caddy",
    .expect = BW_LIST("ss=*%lo:9200",
	"v4=200",
	"v6=200",
	"net=ConnectionRefusedError",
	"sources=seccomp",
	"action=confine",
	"unseen=0"))

SC(exec_python_busybox_force, 60, .root = 1, .program = "busybox",
    .expect = BW_LIST("force_ss=[::ffff:127.0.0.1]:9201",
	"force_v4=200",
	"force_net=ConnectionRefusedError",
	"force_sources=seccomp:2",
	"force_action=rewrite",
	"force_unseen=0",
	"off_net=open",
	"off_sources=",
	"off_unseen>0"))

SC(exec_vfork_two_and_failed, 60, .need = "fixtures/exec_via",
    .expect = BW_LIST("vfork_reached=answered",
	"vfork_sources=seccomp:2",
	"vfork_unseen=0",
	"two_reached=answered answered",
	"two_sources=seccomp:4",
	"two_pids=2",
	"two_unseen=0",
	"l_reached=answered answered",
	"l_sources=seccomp:4",
	"system_reached=answered",
	"system_sources=seccomp:2",
	"missing=FAILED ENOENT",
	"missing_reached=answered",
	"missing_sources=seccomp:2",
	"noexec=FAILED EACCES",
	"noexec_reached=answered",
	"noexec_sources=seccomp:2"))

SC(exec_bindwatch_killed, 60, .need = "fixtures/exec_via",
    .expect = BW_LIST("before=seccomp seccomp",
	"again=AGAIN 0 ok AGAIN 0 ok",
	"listening=yes"))

SC(exec_setuid_keeps_privileges, 60, .root = 1, .program = "setpriv",
    .need = "fixtures/exec_via",
    .expect = BW_LIST("suid=LISTENING 127.0.0.1 80",
	"suid_sources=",
	"suid_nnp=0",
	"plain=LISTENING 127.0.0.1 9240",
	"plain_sources=seccomp:2",
	"plain_nnp=1"))

SC(exec_one_after_another, 60, .need = "fixtures/exec_via",
    .expect = BW_LIST("listening=6", "sources=seccomp:12", "grown<=2"))
