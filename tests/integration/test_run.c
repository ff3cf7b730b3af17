/*
 * bindwatch -- COMMAND: the run, the tree, the channel and the report,
 * each scenario (tests/integration/run/) in private namespaces whose
 * /etc/hosts makes localhost [::1] and 127.0.0.1 (harness.h), checked
 * against ss and against what the programs themselves say.  The rows
 * below say what each scenario's key=value lines must be (cases.h).
 */
#include "cases.h"
#include "harness.h"

#define RUN(name, secs, ...)						\
	BW_CASE(run, name, secs, .script = "run/" #name ".sh",		\
	    .hosts = bw_hosts_dual, .expect = BW_LIST(__VA_ARGS__))

RUN(perl_fallback_story, 90,
    /* ended by --timeout */
    "status=143",
    "failed=yes",
    "listening~127.0.0.1:3000*",
    "fallback~::1 127.0.0.1*",
    "split~3000 ::1 false*",
    "ss_pid=yes")

RUN(text_summary_explains_the_trap, 90,
    "status=143",
    "bind>0",
    "failed>0",
    "fallback>0",
    "split>0",
    "reaches>0",
    /* no colour off a terminal */
    "colour=0")

/* curl tries 127.0.0.1 first; nc, Python and node walk the resolver's
 * order: each real client reaches whom bindwatch names for its kind. */
RUN(split_names_whom_each_client_reaches, 60,
    "nc=yes",
    "python=yes",
    "curl=yes",
    "node=yes",
    "differ=yes",
    "reached=yes")

/* Sockets the shim never saw are exposed, split and not applied. */
RUN(unseen_static_joins_the_analysis, 60,
    "ss=yes",
    "exposed=yes",
    "notapplied=yes",
    "text=1",
    "text_socket=1",
    "text_unseen=1",
    "plain_exposed=1",
    "plain_notapplied=0")

BW_CASE(run, unseen_go_server_joins_the_analysis, 60,
    .script = "run/unseen_go_server_joins_the_analysis.sh",
    .hosts = bw_hosts_dual, .program = "go",
    .expect = BW_LIST("ss=yes", "exposed=yes", "notapplied=yes", "split=yes",
	"nc=yes", "curl=yes", "differ=yes"))

RUN(exit_statuses, 60,
    "true=0",
    "exit7=7",
    "noexec=126",
    "notfound=127",
    "term=143",
    "kill=137",
    "bogus=125",
    "timeout=125",
    "force=125",
    "nothing=125",
    "e_notfound>0",
    "e_bogus>0",
    "e_timeout>0",
    "e_force>0",
    /* one line per refusal */
    "lines=6")

RUN(signals_are_forwarded, 60,
    "usr1_out=got-usr1",
    "usr1=3",
    "term=143")

/* Parent, 4 children and the exec'd image each listen on their own. */
RUN(forking_server_and_exec, 90,
    "status=0",
    "parent>0",
    "listening_pids>=6",
    "processes>=6",
    "execs=2",
    "lost=0")

BW_CASE(run, double_forking_daemon_that_closes_everything, 90,
    .script = "run/double_forking_daemon.sh",
    .hosts = bw_hosts_dual,
    .expect = BW_LIST("status=0",
	"listening~127.0.0.1:4567*",
	"processes>=3",
	"lost=0"))

RUN(one_channel_for_the_tree, 90,
    "status=0",
    "channel=yes",
    "kept=only the channel",
    "notours=0",
    "low_channel=no channel",
    "low_listening=4604",
    "summary=0 4601,4602,4603")

/* lost, malformed, listeners */
RUN(five_hundred_short_lived_binders, 120,
    "status=0",
    "summary=0 0 500")

RUN(static_binary_is_warned_and_unseen, 60,
    "warnings~static,unseen:4000*",
    /* said up front */
    "said>0",
    "static>0",
    "unseen>0",
    "holds>0")

RUN(shell_wrappers_and_env, 60,
    "listen>0",
    "exec>0",
    /* ours first, the user's kept after it */
    "preload~*/libbindwatch.so:/nonexistent.so")

RUN(hostile_names_are_escaped, 60,
    "esc=0",
    "bel=0",
    "escaped>0",
    "octal=0",
    "json>0")

RUN(stragglers_are_waited_for_and_ctrl_c_ends_them, 60,
    "alive=yes",
    /* the command's status */
    "status=5",
    "gone=yes",
    "killed>0")

/* Issue 13, items 8 and 11. */
RUN(timeout_and_small_things, 60,
    "sigterm_zero=0",
    "json_timed_out=true",
    "json_status=0",
    "text_timed_out=1",
    "not_timed_out=false",
    "timeout_zero=4 0",
    "ports_nothing=nothing listens on port 1 at a loopback or wildcard "
	"address (--all: at any)",
    "notfound_other=0",
    "notfound_said=1",
    "true_other=0")

/* Issue 13, item 1: a failed listen is a failure, with its holder. */
RUN(failed_listen_names_its_holder, 60,
    "status=143",
    "failed=listen 127.0.0.1:4700 EADDRINUSE python3",
    "holder_is_it=true",
    "text=1")

/* Issue 13, item 10: the command's own process group; the terminal. */
RUN(own_process_group, 90,
    "outer=0",
    "group_bw=143",
    "group_shell=survived",
    "child_bw=143",
    "own_group=yes",
    "handed=yes",
    "ctrl_c=130",
    "stopped=yes",
    "fg=yes",
    "jobs=130")

/* Issue 13, item 9: forked workers are processes of the run. */
RUN(forked_workers_are_processes, 90,
    "fx_status=0",
    "fx_match=yes",
    "fx_nprocs=3",
    "fx_ppids=true",
    "gu_get=200 hello",
    "gu_status=0",
    "gu_listed=3",
    "gu_holds=2",
    "gu_count=1",
    "ha_get=200 haproxy-ok",
    "ha_status=0",
    "ha_listening=127.0.0.1:4802",
    "ha_closed=0",
    "ha_held=yes",
    "ha_nprocs=2")

/* Issue 13, item 7: what the program closed is not listening. */
RUN(closed_listeners_are_not_listening, 90,
    "probe_ss=127.0.0.1:4910",
    "probe_status=143",
    "probe_listening=127.0.0.1:4910",
    "probe_closed=0.0.0.0:eph",
    "probe_warnings=",
    "probe_close_event=0.0.0.0 tcp",
    "failed_status=1",
    "failed_listening=",
    "failed_closed=0.0.0.0:4911 127.0.0.1:4912",
    "failed_warnings=",
    "clean_status=0",
    "clean_listening=127.0.0.1:4913",
    "clean_closed=",
    "forked_ss=1",
    "forked_status=0",
    "forked_listening=127.0.0.1:4914",
    "forked_closed=")
