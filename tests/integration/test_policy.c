/*
 * Rewrite policies (issue 4) against real programs: python3's http.server,
 * nginx with its master and two workers, Perl's IO::Socket::IP, small
 * fixtures; each scenario (tests/integration/policy/) in private network,
 * mount and pid namespaces, checked against ss(8) inside them and against
 * real clients on their loopback.  Every policy is run both ways: through
 * the CLI (bindwatch --json -o FILE --POLICY -- CMD, whose report must say
 * what was rewritten; NAME_cli) and through the bare shim (LD_PRELOAD with
 * BINDWATCH_*, events as JSON Lines in BINDWATCH_LOG; NAME_env).
 *
 * The scenarios print key=value lines; the rows below say what they must
 * be (cases.h), so every check can fail.  Waits are bounded (5 s), the
 * CLI's runs end after --timeout 60 at the latest, the scenarios' servers
 * after 30 s, and each namespace run after 120 s.
 */
#include "cases.h"

/* The policy of a row, in both spellings (policy/under.sh). */
#define POLICY(cli, env)	BW_LIST("POLCLI=" cli, "POLENV=" env)

/* 0.0.0.0 -> 127.0.0.1, by --force and by --loopback-only. */
#define HTTP_TO_LOOPBACK						\
	BW_LIST("ss=tcp 127.0.0.1:18000",				\
	    "get=200 hello",						\
	    "other=refused",						\
	    "binds=0.0.0.0/18000>127.0.0.1/18000=0:rewrite",		\
	    "listens=127.0.0.1/18000=0:pass",				\
	    "cli:rewritten=0.0.0.0/18000>127.0.0.1/18000:rewrite",	\
	    "cli:summary=127.0.0.1/18000",				\
	    "text_bind=1",						\
	    "cli:text_summary=1",					\
	    "env:text_summary=0")

BW_CASE_CLI_ENV(policy, force_http_server, 120,
    .script = "policy/http_to_loopback.sh",
    .env = POLICY("--force 127.0.0.1", "BINDWATCH_FORCE=127.0.0.1"),
    .expect = HTTP_TO_LOOPBACK)

BW_CASE_CLI_ENV(policy, loopback_only_http_server, 120,
    .script = "policy/http_to_loopback.sh",
    .env = POLICY("--loopback-only", "BINDWATCH_LOOPBACK_ONLY=1"),
    .expect = HTTP_TO_LOOPBACK)

BW_CASE_CLI_ENV(policy, nginx_loopback_only, 120,
    .script = "policy/nginx.sh",
    .env = BW_LIST("POLCLI=--loopback-only", "POLENV=BINDWATCH_LOOPBACK_ONLY=1",
	"WANT=tcp 127.0.0.1:18080 tcp [::1]:18080"),
    .expect = BW_LIST("ss=tcp 127.0.0.1:18080 tcp [::1]:18080",
	"get4=200 hello",
	"get6=200 hello",
	"conn6=open",
	"npids=3",
	"master_binds=yes",
	"same_socket=no",
	"binds=0.0.0.0/18080>127.0.0.1/18080=0:rewrite "
	    "::/18080>::1/18080=0:rewrite",
	"cli:rewritten=0.0.0.0/18080>127.0.0.1/18080:rewrite "
	    "::/18080>::1/18080:rewrite",
	"cli:summary=127.0.0.1/18080 ::1/18080"))

/* [::] onto ::ffff:127.0.0.1: an alias of the 0.0.0.0 socket (nginx.sh). */
BW_CASE_CLI_ENV(policy, nginx_force, 120,
    .script = "policy/nginx.sh",
    .env = BW_LIST("POLCLI=--force 127.0.0.1", "POLENV=BINDWATCH_FORCE=127.0.0.1",
	"WANT=tcp 127.0.0.1:18080", "TEXT=1"),
    .expect = BW_LIST("ss=tcp 127.0.0.1:18080",
	"get4=200 hello",
	"get6=fail URLError",
	"conn6=refused",
	"npids=3",
	"master_binds=yes",
	"same_socket=yes",
	"text_bind6=1",
	"cli:text_alias=1",
	"env:text_alias=0",
	"binds=0.0.0.0/18080>127.0.0.1/18080=0:rewrite "
	    "::/18080>::ffff:127.0.0.1/18080=0:rewrite",
	"cli:rewritten=0.0.0.0/18080>127.0.0.1/18080:rewrite "
	    "::/18080>::ffff:127.0.0.1/18080:rewrite:alias",
	"cli:summary=127.0.0.1/18080"))

#define RESOLVE_BOTH	POLICY("--resolve localhost=::1,127.0.0.1",	\
			    "BINDWATCH_RESOLVE=localhost=::1,127.0.0.1")

BW_CASE_CLI_ENV(policy, perl_resolve, 120,
    .script = "policy/perl_resolve.sh",
    .env = RESOLVE_BOTH,
    .expect = BW_LIST("hosts=1",
	"ss=tcp [::1]:13000",
	"srv=bound ::1",
	"gai=[::1]:13000,127.0.0.1:13000:rewrite",
	"binds=::1/13000>::1/13000=0:pass"))

BW_CASE_CLI_ENV(policy, perl_resolve_fallback, 120,
    .script = "policy/perl_resolve_fallback.sh",
    .env = RESOLVE_BOTH,
    .expect = BW_LIST("ss=tcp 127.0.0.1:13000 tcp [::1]:13000",
	"srv=bound 127.0.0.1",
	"gai=[::1]:13000,127.0.0.1:13000:rewrite",
	"binds=::1/13000>::1/13000=-1:EADDRINUSE:pass "
	    "127.0.0.1/13000>127.0.0.1/13000=0:pass",
	/* two processes answer on "localhost:13000" */
	"server>0",
	"server_not_holder=yes",
	"v6_is_holder=yes",
	"cli:failed=::1/13000:EADDRINUSE:kernel",
	"cli:fallbacks=::1/13000>127.0.0.1/13000",
	"cli:failed_holder=yes"))

/* The policies are the scenario's own. */
BW_CASE_CLI_ENV(policy, family_filter, 120,
    .script = "policy/family_filter.sh",
    .expect = BW_LIST(
	/* without the shim: what libc says (the reference) */
	"plain=q0 rc=OK canon=- addrs=127.0.0.1:80/stream|"
	    "q1 rc=OK canon=- addrs=0.0.0.0:80/stream,[::]:80/stream|"
	    "q2 rc=OK canon=dual.example addrs=[::1]:80/stream,127.0.0.1:80/stream",
	"both=q0 rc=OK canon=- addrs=[::1]:80/stream,127.0.0.1:80/stream|"
	    "q1 rc=OK canon=- addrs=0.0.0.0:80/stream,[::]:80/stream|"
	    "q2 rc=OK canon=dual.example addrs=[::1]:80/stream,127.0.0.1:80/stream",
	"both_null=0.0.0.0:80,[::]:80:pass",
	"both_py=::1,127.0.0.1",
	"v4=q0 rc=OK canon=- addrs=127.0.0.1:80/stream|"
	    "q1 rc=OK canon=- addrs=0.0.0.0:80/stream|"
	    "q2 rc=OK canon=dual.example addrs=127.0.0.1:80/stream",
	"v4_null=0.0.0.0:80:rewrite",
	"v4_null_orig=0.0.0.0,::",
	"v4_py=127.0.0.1",
	"v6=q0 rc=OK canon=- addrs=[::1]:80/stream|"
	    "q1 rc=OK canon=- addrs=[::]:80/stream|"
	    "q2 rc=OK canon=dual.example addrs=[::1]:80/stream",
	"v6_null=[::]:80:rewrite",
	"v6_null_orig=0.0.0.0,::",
	"v6_py=::1"))

BW_CASE_CLI_ENV(policy, map_port, 120,
    .script = "policy/map_port.sh",
    .env = POLICY("--map-port 8080=18080", "BINDWATCH_MAP_PORT=8080=18080"),
    .expect = BW_LIST("ss=tcp 127.0.0.1:18080",
	"ss8080=",
	"get=200 hello",
	"get8080=refused",
	"binds=127.0.0.1/8080>127.0.0.1/18080=0:rewrite",
	"listens=127.0.0.1/18080=0:pass",
	"cli:rewritten=127.0.0.1/8080>127.0.0.1/18080:rewrite"))

BW_CASE_CLI_ENV(policy, deny, 120,
    .script = "policy/bindtry.sh",
    .env = BW_LIST("POLCLI=--loopback-only --deny 127.0.0.1:18000 "
	    "--deny [::1]:18000 --deny 127.0.0.1:18002",
	"POLENV=BINDWATCH_LOOPBACK_ONLY=1 "
	    "BINDWATCH_DENY=127.0.0.1:18000,[::1]:18000,127.0.0.1:18002",
	"SPECS=4,127.0.0.1,18000 6,::1,18000 4,127.0.0.1,18001 4,0.0.0.0,18002",
	"PORTS=18000 18001 18002"),
    .expect = BW_LIST("try=4,127.0.0.1,18000=EACCES 6,::1,18000=EACCES "
	    "4,127.0.0.1,18001=ok 4,0.0.0.0,18002=EACCES",
	"ss18000=",
	"ss18001=tcp 127.0.0.1:18001",
	"ss18002=",
	"binds=127.0.0.1/18000>127.0.0.1/18000=-1:EACCES:deny "
	    "::1/18000>::1/18000=-1:EACCES:deny "
	    "127.0.0.1/18001>127.0.0.1/18001=0:pass "
	    "0.0.0.0/18002>127.0.0.1/18002=-1:EACCES:deny",
	"cli:failed=127.0.0.1/18000:EACCES:policy "
	    "::1/18000:EACCES:policy 127.0.0.1/18002:EACCES:policy"))

BW_CASE_CLI_ENV(policy, force_v6_on_inet_socket, 120,
    .script = "policy/bindtry.sh",
    .env = BW_LIST("POLCLI=--force ::1", "POLENV=BINDWATCH_FORCE=::1",
	"SPECS=4,127.0.0.1,18000 4,0.0.0.0,18001 6,::,18002",
	"PORTS=18000 18001 18002"),
    .expect = BW_LIST("try=4,127.0.0.1,18000=EADDRNOTAVAIL "
	    "4,0.0.0.0,18001=EADDRNOTAVAIL 6,::,18002=ok",
	"ss18000=",
	"ss18001=",
	"ss18002=tcp [::1]:18002",
	"all=1",
	"binds=127.0.0.1/18000>127.0.0.1/18000=-1:EADDRNOTAVAIL:deny "
	    "0.0.0.0/18001>0.0.0.0/18001=-1:EADDRNOTAVAIL:deny "
	    "::/18002>::1/18002=0:rewrite",
	"cli:failed=127.0.0.1/18000:EADDRNOTAVAIL:policy "
	    "0.0.0.0/18001:EADDRNOTAVAIL:policy"))

/* Each line of these two scenarios is a case; refused.sh checks it. */
BW_CASE(policy, invalid_cli_options, 120,
    .script = "policy/invalid_cli_options.sh",
    .expect = BW_LIST("valid=ok", "force_addr=ok", "force_name=ok",
	"map_empty=ok", "map_range=ok", "map_twice=ok", "families=ok",
	"resolve_no_addr=ok", "resolve_addr=ok", "deny_bracket=ok",
	"deny_port=ok", "force_family=ok", "force_not_loopback=ok",
	"env_deny=ok"))

BW_CASE(policy, invalid_env_values, 120,
    .script = "policy/invalid_env_values.sh",
    .expect = BW_LIST("valid=ok", "force_addr=ok", "force_name=ok",
	"loopback=ok", "resolve_no_addr=ok", "resolve_addr=ok", "family_5=ok",
	"family_name=ok", "map_empty=ok", "map_range=ok", "map_comma=ok",
	"deny_bracket=ok", "force_family=ok", "format=ok", "collector_fd=ok",
	"collector_fd_syntax=ok"))

BW_CASE_CLI_ENV(policy, unix_untouched, 120,
    .script = "policy/unix_untouched.sh",
    .env = POLICY("--force 127.0.0.1 --deny 127.0.0.1:18001",
	"BINDWATCH_FORCE=127.0.0.1 BINDWATCH_DENY=127.0.0.1:18001"),
    .expect = BW_LIST("try=u,D/s.sock=ok 4,0.0.0.0,18000=ok",
	"unix=1",
	"connect=open",
	"ss=tcp 127.0.0.1:18000",
	"binds=0.0.0.0/18000>127.0.0.1/18000=0:rewrite",
	"listens=127.0.0.1/18000=0:pass",
	"nonip=0"))

BW_CASE_CLI_ENV(policy, inherited_listener, 120,
    .script = "policy/inherited_listener.sh",
    .env = POLICY("--loopback-only", "BINDWATCH_LOOPBACK_ONLY=1"),
    .expect = BW_LIST("child=listening 0.0.0.0:18000",
	"ss=tcp 0.0.0.0:18000",
	"get=open",
	"binds=",
	"listens=0.0.0.0/18000=0:pass",
	"auto=L4=127.0.0.1",
	"auto_listens=127.0.0.1:true:rewrite"))

BW_CASE(policy, gai_lists_valgrind, 120,
    .script = "policy/gai_lists_valgrind.sh",
    .expect = BW_LIST("leak=0",
	/* the control: valgrind sees the lists kept on purpose */
	"leak_seen>0",
	/* libc's own answers where no policy applies (errors included) */
	"plain0=q0 rc=OK canon=localhost addrs=127.0.0.1:8080/stream",
	"plain1=q1 rc=OK canon=- addrs=127.0.0.1:80/stream,127.0.0.1:80/dgram,"
	    "127.0.0.1:80/raw",
	"plain2=q2 rc=EAI_NONAME canon=- addrs=-",
	"plain3=q3 rc=OK canon=- addrs=[::1]:80/stream",
	"plain4=q4 rc=OK canon=- addrs=127.0.0.1:8080/stream",
	"plain5=q5 rc=EAI_NONAME canon=- addrs=-",
	"plain6=q6 rc=OK canon=- addrs=127.0.0.1:80/stream",
	"plain7=q7 rc=EAI_SERVICE canon=- addrs=-",
	/* LOCALHOST. is not in the hosts file: EAI_NONAME or EAI_AGAIN */
	"plain8~q8 rc=EAI_*",
	"plain9=q9 rc=OK canon=- addrs=0.0.0.0:80/stream,[::]:80/stream",
	"plain10=q10 rc=OK canon=dual.example addrs=[::1]:80/stream,"
	    "127.0.0.1:80/stream",
	"vg=0",
	"vg_ours=0",
	"vg0=q0 rc=OK canon=localhost addrs=[::1]:8080/stream,127.0.0.1:8080/stream",
	"vg1=q1 rc=OK canon=- addrs=[::1]:80/stream,[::1]:80/dgram,[::1]:80/raw,"
	    "127.0.0.1:80/stream,127.0.0.1:80/dgram,127.0.0.1:80/raw",
	"vg2=q2 rc=EAI_NONAME canon=- addrs=-",
	"vg3=q3 rc=OK canon=- addrs=[::1]:80/stream",
	"vg4=q4 rc=OK canon=- addrs=[::1]:8080/stream,127.0.0.1:8080/stream",
	"vg5=q5 rc=EAI_NONAME canon=- addrs=-",
	"vg6=q6 rc=OK canon=- addrs=[::1]:80/stream,127.0.0.1:80/stream",
	"vg7=q7 rc=EAI_SERVICE canon=- addrs=-",
	"vg8=q8 rc=OK canon=- addrs=[::1]:53/dgram,127.0.0.1:53/dgram",
	"vg9=q9 rc=OK canon=- addrs=0.0.0.0:80/stream,[::]:80/stream",
	"vg10=q10 rc=OK canon=dual.example addrs=[::1]:80/stream,127.0.0.1:80/stream",
	"vg11=q11 rc=OK canon=- addrs=[::1]:80/stream",
	/* 20 rounds of the 8 overridden queries (q0 q1 q4 q5 q6 q7 q8 q11) */
	"vg_events=160",
	"v4=0",
	"v4_ours=0",
	"v40=q0 rc=OK canon=localhost addrs=127.0.0.1:8080/stream",
	"v41=q1 rc=OK canon=- addrs=127.0.0.1:80/stream,127.0.0.1:80/dgram,"
	    "127.0.0.1:80/raw",
	"v42=q2 rc=EAI_NONAME canon=- addrs=-",
	/* numeric ::1 dropped: the code glibc gives a numeric address of a
	 * family it was not asked for */
	"v43=q3 rc=EAI_ADDRFAMILY canon=- addrs=-",
	"v44=q4 rc=OK canon=- addrs=127.0.0.1:8080/stream",
	"v45=q5 rc=EAI_NONAME canon=- addrs=-",
	"v46=q6 rc=OK canon=- addrs=127.0.0.1:80/stream",
	"v47=q7 rc=EAI_SERVICE canon=- addrs=-",
	"v48=q8 rc=OK canon=- addrs=127.0.0.1:53/dgram",
	"v49=q9 rc=OK canon=- addrs=0.0.0.0:80/stream",
	"v410=q10 rc=OK canon=dual.example addrs=127.0.0.1:80/stream",
	/* inet6 asked, only inet kept: an EAI_* error (EAI_ADDRFAMILY) */
	"v411~q11 rc=EAI_*",
	"unstable=0"))

BW_CASE(policy, musl_gai_lists, 120,
    .script = "policy/musl_gai_lists.sh",
    .need = "musl",
    .expect = BW_LIST("ldso~*ld-musl*",
	"needed=libc.so",
	/* musl's own answers: the reference for what the shim passes through */
	"plain=q0 rc=OK canon=localhost addrs=127.0.0.1:8080/stream|"
	    "q1 rc=OK canon=- addrs=0.0.0.0:80/stream,[::]:80/stream|"
	    "q2 rc=EAI_SERVICE canon=- addrs=-|"
	    "q3 rc=EAI_NONAME canon=- addrs=-|"
	    "q4 rc=OK canon=localhost addrs=127.0.0.1:53/dgram",
	"m1rc=0",
	"m1=q0 rc=OK canon=localhost addrs=[::1]:8080/stream,127.0.0.1:8080/stream|"
	    "q1 rc=OK canon=- addrs=0.0.0.0:80/stream,[::]:80/stream|"
	    "q2 rc=EAI_SERVICE canon=- addrs=-|"
	    "q3 rc=EAI_NONAME canon=- addrs=-|"
	    "q4 rc=OK canon=- addrs=[::1]:53/dgram,127.0.0.1:53/dgram",
	/* 200 rounds of q0, q2, q4 */
	"events=600",
	"m2rc=0",
	"m2=q0 rc=OK canon=localhost addrs=[::1]:8080/stream|"
	    "q1 rc=OK canon=- addrs=[::]:80/stream|"
	    "q2 rc=EAI_SERVICE canon=- addrs=-|"
	    "q3 rc=EAI_NONAME canon=- addrs=-|"
	    "q4 rc=OK canon=- addrs=[::1]:53/dgram",
	"vgpre=yes",
	/* the control: lists a musl program never frees are seen */
	"leak_seen>0",
	"m3rc=0",
	"m3_ours=0",
	"m3=q0 rc=OK canon=localhost addrs=127.0.0.1:8080/stream|"
	    "q1 rc=OK canon=- addrs=0.0.0.0:80/stream|"
	    "q2 rc=EAI_SERVICE canon=- addrs=-|"
	    "q3 rc=EAI_NONAME canon=- addrs=-|"
	    "q4 rc=OK canon=- addrs=127.0.0.1:53/dgram"))

/* Bind 0.0.0.0:P and [::]:P, then listen on both (issue 13, item 1). */
BW_CASE_CLI_ENV(policy, force_bind_all_then_listen, 120,
    .script = "policy/bind_all_then_listen.sh",
    .env = POLICY("--force 127.0.0.1", "BINDWATCH_FORCE=127.0.0.1"),
    .expect = BW_LIST("py_ss=tcp 127.0.0.1:18100",
	"py_line=hello",
	"py_other=refused",
	"py_status=143",
	"py_out=0",
	"py_listens=127.0.0.1/18100=0:pass 127.0.0.1/18100=0:rewrite",
	"cli:py_rewritten=0.0.0.0/18100>127.0.0.1/18100:rewrite "
	    "::/18100>::ffff:127.0.0.1/18100:rewrite:alias",
	"cli:py_failed=[]",
	"cli:py_summary=127.0.0.1/18100",
	"rsync_ss=tcp 127.0.0.1:18101",
	"rsync_list=. f.txt",
	"rsync_other=refused",
	"rsync_listens=127.0.0.1/18101=0:pass 127.0.0.1/18101=0:rewrite",
	"cli:rsync_summary=127.0.0.1/18101"))
