/*
 * Rewrite policies (issue 4) against real programs: python3's http.server,
 * nginx with its master and two workers, Perl's IO::Socket::IP, small
 * fixtures; each test in a private network and mount namespace (unshare
 * -n -m, plus -r when not root), checked against ss(8) inside it and
 * against real clients on the namespace's loopback.  Every policy is run
 * both ways: through the CLI (bindwatch --json -o FILE --POLICY -- CMD,
 * whose report must say what was rewritten) and through the bare shim
 * (LD_PRELOAD with BINDWATCH_*, events as JSON Lines in BINDWATCH_LOG).
 *
 * The scripts print key=value lines; the C side compares them with what
 * must be, so every check can fail.  Waits are bounded (5 s); what a
 * script started is killed when it exits (trap), the CLI's runs end
 * after --timeout 60 at the latest, the scripts' own servers after 30 s
 * (alarm), and each namespace script after 120 s (timeout(1)).
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

enum pol_mode { POL_CLI, POL_ENV };

/*
 * $D/under CMD ARG...: run CMD under the policy of the moment, the CLI's
 * way or the bare shim's, exec'ing so that $! is the runner itself.
 * POLCLI / POLENV are word-split on purpose (globbing is off).  $FMT is
 * json (events and the CLI's report) or text.
 */
static const char pol_under[] =
    "#!/bin/sh\n"
    "set -f\n"
    "if [ \"$MODE\" = cli ]; then\n"
    "	J=--json; [ \"$FMT\" = json ] || J=\n"
    "	exec \"$BW\" $J --timeout 60 -o \"$D/report.json\" $POLCLI -- \"$@\"\n"
    "fi\n"
    "exec env LD_PRELOAD=\"$LIB\" BINDWATCH_FORMAT=\"$FMT\" \\\n"
    "    BINDWATCH_LOG=\"$D/events.json\" $POLENV \"$@\"\n";

static const char pol_prelude[] =
    "set -u\n"
    "set -f\n"
    "cd \"$D\" || exit 96\n"
    /* dash forgets its jobs inside $(...): list them to a file first */
    "trap 'jobs -p > \"$D/jobs\"; kill $(cat \"$D/jobs\") 2>/dev/null; wait' EXIT\n"
    "ip link set lo up || exit 98\n"
    "FMT=json\n"
    "export MODE BW D POLCLI POLENV LIB PY FIX FMT\n"
    "if [ \"$MODE\" = cli ]; then EV=\"$D/report.json\"; else EV=\"$D/events.json\"; fi\n"
    "fresh() { rm -f \"$D/report.json\" \"$D/events.json\"; : > \"$EV\"; }\n"
    /* proto local-address for everything ss -ltu lists on a port */
    "listening() {\n"
    "	ss -Hltnup \"sport = :$1\" | awk '{ print $1 \" \" $5 }' | sort | paste -sd ' ' -\n"
    "}\n"
    /* PORT [EXPECTED]: until something (or exactly EXPECTED) is there */
    "wait_listen() {\n"
    "	i=0\n"
    "	while :; do\n"
    "		l=$(listening \"$1\")\n"
    "		if [ -n \"$l\" ] && { [ $# -lt 2 ] || [ \"$l\" = \"$2\" ]; }; then return 0; fi\n"
    "		i=$((i + 1)); [ $i -ge 100 ] && { echo \"timeout: port $1: $l\" >&2; return 1; }\n"
    "		sleep 0.05\n"
    "	done\n"
    "}\n"
    "npids() { ss -Hltnup \"sport = :$1\" | grep -o 'pid=[0-9]*' | sort -u | wc -l; }\n"
    /* PORT N: until N processes hold the port's sockets */
    "wait_pids() {\n"
    "	i=0\n"
    "	until [ \"$(npids \"$1\")\" -ge \"$2\" ]; do\n"
    "		i=$((i + 1)); [ $i -ge 100 ] && { echo \"timeout: pids on $1\" >&2; return 1; }\n"
    "		sleep 0.05\n"
    "	done\n"
    "}\n"
    /* FILE TEXT: until FILE has a line with TEXT */
    "wait_text() {\n"
    "	i=0\n"
    "	until grep -qF \"$2\" \"$1\" 2>/dev/null; do\n"
    "		i=$((i + 1)); [ $i -ge 100 ] && { echo \"timeout: $1: $2\" >&2; return 1; }\n"
    "		sleep 0.05\n"
    "	done\n"
    "}\n"
    "client() { \"$PY\" \"$D/client.py\" \"$@\"; }\n"
    "stop() { kill -TERM \"$PID\" 2>/dev/null; wait \"$PID\"; echo \"status=$?\"; }\n"
    "joined() { paste -sd ' ' -; }\n"
    /* requested>used=ret[:errno]:action, one word per bind event */
    "binds() {\n"
    "	jq -r 'select(.type==\"bind\") | \"\\(.requested_addr)/\\(.requested_port)>\\(.addr)/\\(.port)=\\(.ret)\\(if .errno then \":\" + .errno else \"\" end):\\(.action)\"' \"$EV\" | joined\n"
    "}\n"
    "listens() {\n"
    "	jq -r 'select(.type==\"listen\") | \"\\(.addr)/\\(.port)=\\(.ret):\\(.action)\"' \"$EV\" | joined\n"
    "}\n"
    "bind_pids() { jq -r 'select(.type==\"bind\") | .pid' \"$EV\" | sort -u | joined; }\n"
    "bind_fds() { jq -r 'select(.type==\"bind\") | .fd' \"$EV\" | joined; }\n"
    /* the CLI's summary */
    "rewritten() {\n"
    "	jq -r 'select(.type==\"summary\") | .rewritten[] | \"\\(.requested_addr)/\\(.requested_port)>\\(.addr)/\\(.port):\\(.action)\\(if .alias_of_fd != null then \":alias\" else \"\" end)\"' \"$EV\" | joined\n"
    "}\n"
    "failed() {\n"
    "	jq -r 'select(.type==\"summary\") | .failed[] | \"\\(.addr)/\\(.port):\\(.errno):\\(if .refused_by_policy then \"policy\" else \"kernel\" end)\"' \"$EV\" | joined\n"
    "}\n"
    "fallbacks() {\n"
    "	jq -r 'select(.type==\"summary\") | .fallbacks[] | \"\\(.tried_addr)/\\(.tried_port)>\\(.addr)/\\(.port)\"' \"$EV\" | joined\n"
    "}\n"
    "summary_listening() {\n"
    "	jq -r 'select(.type==\"summary\") | .listening[] | \"\\(.addr)/\\(.port)\"' \"$EV\" | sort | joined\n"
    "}\n"
    /* NODE (or null): the addresses of each getaddrinfo event for it */
    "gai() {\n"
    "	jq -r --arg n \"$1\" 'select(.type==\"getaddrinfo\" and ((.node // \"null\") == $n)) | \"\\([.addrs[] | (if .family == \"inet6\" then \"[\\(.addr)]\" else .addr end) + \":\\(.port)\"] | join(\",\")):\\(.action)\"' \"$EV\" | joined\n"
    "}\n"
    "gai_orig() {\n"
    "	jq -r --arg n \"$1\" 'select(.type==\"getaddrinfo\" and ((.node // \"null\") == $n)) | [(.original // [])[] | .addr] | join(\",\")' \"$EV\" | joined\n"
    "}\n";

/* Clients, all to the namespace's loopback. */
static const char pol_client_py[] =
    "import socket, sys, urllib.request\n"
    "what = sys.argv[1]\n"
    "try:\n"
    "    if what == 'get':\n"
    "        o = urllib.request.build_opener(urllib.request.ProxyHandler({}))\n"
    "        r = o.open(sys.argv[2], timeout=5)\n"
    "        print(r.status, r.read().decode().strip().splitlines()[0])\n"
    "    elif what == 'connect':\n"
    "        socket.create_connection((sys.argv[2], int(sys.argv[3])), timeout=5).close()\n"
    "        print('open')\n"
    "    elif what == 'line':\n"
    "        s = socket.create_connection((sys.argv[2], int(sys.argv[3])), timeout=5)\n"
    "        print(s.makefile().readline().strip())\n"
    "    elif what == 'unix':\n"
    "        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n"
    "        s.connect(sys.argv[2])\n"
    "        print('open')\n"
    "except ConnectionRefusedError:\n"
    "    print('refused')\n"
    "except Exception as e:\n"
    "    print('fail', type(e).__name__)\n";

/*
 * bindtry.py OUT SPEC...: for each SPEC, a TCP socket and a bind, in
 * order; one word per SPEC in OUT (ok or the errno name), then "ready".
 *	4,ADDR,PORT	6,ADDR,PORT	AF_INET / AF_INET6 bind, then listen
 *	u,PATH		AF_UNIX bind, then listen
 *	L4		AF_INET listen without bind (the kernel's autobind)
 */
static const char pol_bindtry_py[] =
    "import errno, os, signal, socket, sys\n"
    "signal.alarm(30)\n"
    "out, words, keep = open(sys.argv[1], 'w'), [], []\n"
    "for spec in sys.argv[2:]:\n"
    "    f = spec.split(',')\n"
    "    fam = {'4': socket.AF_INET, '6': socket.AF_INET6, 'u': socket.AF_UNIX,\n"
    "           'L4': socket.AF_INET}[f[0]]\n"
    "    s = socket.socket(fam, socket.SOCK_STREAM)\n"
    "    try:\n"
    "        if f[0] == 'L4':\n"
    "            s.listen(5)\n"
    "            words.append('L4=%s:%d' % s.getsockname())\n"
    "            keep.append(s)\n"
    "            continue\n"
    "        if fam != socket.AF_UNIX:\n"
    "            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
    "        s.bind(f[1] if fam == socket.AF_UNIX else (f[1], int(f[2])))\n"
    "        s.listen(5)\n"
    "        words.append(spec + '=ok')\n"
    "        keep.append(s)\n"
    "    except OSError as e:\n"
    "        words.append(spec + '=' + errno.errorcode.get(e.errno, str(e.errno)))\n"
    "out.write(' '.join(words) + '\\nready\\n')\n"
    "out.close()\n"
    "signal.pause()\n";

/*
 * inherit.py PORT CMD...: bind 0.0.0.0:PORT here, without the shim (no
 * listen), and exec CMD with the socket inherited as $LISTEN_FD.
 */
static const char pol_inherit_py[] =
    "import os, socket, sys\n"
    "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n"
    "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
    "s.bind(('0.0.0.0', int(sys.argv[1])))\n"
    "s.set_inheritable(True)\n"
    "os.environ['LISTEN_FD'] = str(s.fileno())\n"
    "os.execvp(sys.argv[2], sys.argv[2:])\n";

/* child.py OUT: listen() on the inherited socket, nothing else. */
static const char pol_child_py[] =
    "import os, signal, socket, sys\n"
    "signal.alarm(30)\n"
    "s = socket.socket(fileno=int(os.environ['LISTEN_FD']))\n"
    "s.listen(5)\n"
    "with open(sys.argv[1], 'w') as f:\n"
    "    f.write('listening %s:%d\\n' % s.getsockname())\n"
    "signal.pause()\n";

/* A Perl server on HOST PORT via IO::Socket::IP, telling clients its pid. */
static const char pol_srv_pl[] =
    "use IO::Socket::IP;\n"
    "alarm 30;\n"
    "$| = 1;\n"
    "my $s = IO::Socket::IP->new(LocalHost => $ARGV[0], LocalPort => $ARGV[1],\n"
    "    Listen => 5, ReuseAddr => 1) or do { print \"fail $!\\n\"; exit 3 };\n"
    "print 'bound ', $s->sockhost, \"\\n\";\n"
    "$SIG{PIPE} = 'IGNORE';\n"
    "while (my $c = $s->accept) { print $c \"$$\\n\"; close $c }\n";

struct pol_ns {
	char	 dir[64];
	char	*out;		/* the script's stdout */
	int	 status;	/* its exit status, or -1 */
};

static void
pol_write(const char *dir, const char *name, const char *text, mode_t mode)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(chmod(path, mode), 0);
}

static const char *
pol_build(void)
{
	const char *b = getenv("BW_BUILD");

	cr_assert_not_null(b, "BW_BUILD is not set (run through make)");
	return b;
}

static const char *
pol_path(const char *rel)
{
	static char path[4][4096];
	static int next;
	char *p = path[next++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s", pol_build(), rel);
	cr_assert_eq(access(p, R_OK), 0, "%s: %s (make all?)", p, strerror(errno));
	return p;
}

/* The real python3 (not a version manager's wrapper script). */
static const char *
pol_python(void)
{
	static char py[4096];
	FILE *p;

	if (py[0] != '\0')
		return py;
	p = popen("python3 -c 'import sys; print(sys.executable)'", "r");
	cr_assert_not_null(p);
	if (fgets(py, sizeof(py), p) == NULL)
		py[0] = '\0';
	pclose(p);
	py[strcspn(py, "\n")] = '\0';
	cr_assert(py[0] == '/', "cannot find python3");
	return py;
}

/*
 * Run body in a fresh namespace.  The shell sees $D (a private dir, the
 * cwd), $BW, $LIB, $FIX (fixtures), $PY, $MODE (cli or env) and the
 * policy in both spellings, $POLCLI and $POLENV.
 */
static void
pol_run(struct pol_ns *ns, enum pol_mode mode, const char *polcli,
    const char *polenv, const char *body)
{
	char *script, *fix, *err = NULL;

	snprintf(ns->dir, sizeof(ns->dir), "/tmp/bw-policy.XXXXXX");
	cr_assert_not_null(mkdtemp(ns->dir));
	/* nginx's workers run as nobody and read files from here. */
	cr_assert_eq(chmod(ns->dir, 0755), 0);
	pol_write(ns->dir, "under", pol_under, 0755);
	pol_write(ns->dir, "client.py", pol_client_py, 0644);
	pol_write(ns->dir, "bindtry.py", pol_bindtry_py, 0644);
	pol_write(ns->dir, "inherit.py", pol_inherit_py, 0644);
	pol_write(ns->dir, "child.py", pol_child_py, 0644);
	pol_write(ns->dir, "srv.pl", pol_srv_pl, 0644);
	pol_write(ns->dir, "hello.txt", "hello\n", 0644);
	fix = strdup(pol_path("fixtures"));
	cr_assert_not_null(fix);
	/* The harness's namespace (and its pid namespace), the host's hosts
	 * file, and $D a directory of ours that outlives the run. */
	cr_assert_neq(asprintf(&script, "MODE=%s D='%s' BW='%s' LIB='%s' FIX='%s' "
	    "PY='%s' POLCLI='%s' POLENV='%s'\n%s\n%s",
	    mode == POL_CLI ? "cli" : "env", ns->dir, pol_path("bindwatch"),
	    pol_path("libbindwatch.so"), fix, pol_python(), polcli, polenv,
	    pol_prelude, body), -1);
	free(fix);
	cr_assert_eq(bw_ns_run_with(script, NULL, 120, &ns->out, &err,
	    &ns->status), 0, "cannot run the namespace");
	free(script);
	if (ns->status != 0)
		cr_log_error("script exit %d, stderr:\n%s\nstdout:\n%s",
		    ns->status, err, ns->out);
	free(err);
}

static char *
pol_get(const struct pol_ns *ns, const char *key)
{
	char *v = bw_value(ns->out, key);

	cr_assert_not_null(v, "no %s= in the script's output:\n%s", key, ns->out);
	return v;
}

static void
pol_expect(const struct pol_ns *ns, const char *key, const char *want)
{
	char *v = pol_get(ns, key);

	cr_expect_str_eq(v, want, "%s: got '%s', want '%s'", key, v, want);
	free(v);
}

static void
pol_expect_has(const struct pol_ns *ns, const char *key, const char *part)
{
	char *v = pol_get(ns, key);

	cr_expect(strstr(v, part) != NULL, "%s: '%s' does not contain '%s'",
	    key, v, part);
	free(v);
}

static char *
pol_file(const struct pol_ns *ns, const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", ns->dir, name);
	return bw_slurp(path);
}

static void
pol_done(struct pol_ns *ns)
{
	char cmd[128];

	free(ns->out);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", ns->dir);
	if (system(cmd) != 0)
		cr_log_warn("could not remove %s", ns->dir);
}

/*
 * python3 -m http.server --bind 0.0.0.0 under --force 127.0.0.1 or
 * --loopback-only: only 127.0.0.1 listens (ss), a request over loopback
 * is answered, another loopback address is not (it was no wildcard), and
 * both the event and the report say 0.0.0.0 -> 127.0.0.1.
 */
static void
pol_http_to_loopback(enum pol_mode mode, const char *polcli, const char *polenv)
{
	struct pol_ns ns;

	pol_run(&ns, mode, polcli, polenv,
	    "fresh\n"
	    "\"$D/under\" \"$PY\" -m http.server --bind 0.0.0.0 18000 > \"$D/srv.out\" 2>&1 &\n"
	    "PID=$!\n"
	    "wait_listen 18000\n"
	    "echo \"ss=$(listening 18000)\"\n"
	    "echo \"get=$(client get http://127.0.0.1:18000/hello.txt)\"\n"
	    "echo \"other=$(client connect 127.0.0.2 18000)\"\n"
	    "stop\n"
	    "echo \"binds=$(binds)\"\n"
	    "echo \"listens=$(listens)\"\n"
	    "echo \"rewritten=$(rewritten)\"\n"
	    "echo \"summary=$(summary_listening)\"\n"
	    /* the same in text: the event line, and the CLI's summary */
	    "FMT=text; fresh\n"
	    "\"$D/under\" \"$PY\" -m http.server --bind 0.0.0.0 18000 > \"$D/srv.out\" 2>&1 &\n"
	    "PID=$!\n"
	    "wait_listen 18000\n"
	    "stop\n"
	    "echo \"text_bind=$(grep -c 'bind([0-9]*, 0\\.0\\.0\\.0:18000 => 127\\.0\\.0\\.1:18000) = 0 .*\\[rewritten by policy\\]' \"$EV\")\"\n"
	    "echo \"text_summary=$(grep -c '^ *rewritten  tcp 0\\.0\\.0\\.0:18000 => 127\\.0\\.0\\.1:18000$' \"$EV\")\"\n");
	cr_assert_eq(ns.status, 0);
	pol_expect(&ns, "text_bind", "1");
	pol_expect(&ns, "text_summary", mode == POL_CLI ? "1" : "0");
	pol_expect(&ns, "ss", "tcp 127.0.0.1:18000");
	pol_expect(&ns, "get", "200 hello");
	pol_expect(&ns, "other", "refused");
	pol_expect(&ns, "binds", "0.0.0.0/18000>127.0.0.1/18000=0:rewrite");
	pol_expect(&ns, "listens", "127.0.0.1/18000=0:pass");
	if (mode == POL_CLI) {
		pol_expect(&ns, "rewritten", "0.0.0.0/18000>127.0.0.1/18000:rewrite");
		pol_expect(&ns, "summary", "127.0.0.1/18000");
	}
	pol_done(&ns);
}

Test(policy, force_http_server_cli, .timeout = 120)
{
	pol_http_to_loopback(POL_CLI, "--force 127.0.0.1", "");
}

Test(policy, force_http_server_env, .timeout = 120)
{
	pol_http_to_loopback(POL_ENV, "", "BINDWATCH_FORCE=127.0.0.1");
}

Test(policy, loopback_only_http_server_cli, .timeout = 120)
{
	pol_http_to_loopback(POL_CLI, "--loopback-only", "");
}

Test(policy, loopback_only_http_server_env, .timeout = 120)
{
	pol_http_to_loopback(POL_ENV, "", "BINDWATCH_LOOPBACK_ONLY=1");
}

/*
 * nginx: master_process on, 2 workers (switching to nobody), and both
 * `listen P; listen [::]:P;`.  Started in the background; the script
 * waits until the expected sockets are there, a file has been served and
 * all three processes hold the sockets.
 */
static const char pol_nginx_start[] =
    "fresh\n"
    "mkdir -p \"$D/www\" \"$D/tmp\"\n"
    "echo hello > \"$D/www/index.html\"\n"
    "cat > \"$D/nginx.conf\" <<EOF\n"
    "daemon off;\n"
    "master_process on;\n"
    "worker_processes 2;\n"
    "pid $D/nginx.pid;\n"
    "error_log $D/error.log;\n"
    "events { worker_connections 64; }\n"
    "http {\n"
    "	access_log $D/access.log;\n"
    "	client_body_temp_path $D/tmp/body;\n"
    "	proxy_temp_path $D/tmp/proxy;\n"
    "	fastcgi_temp_path $D/tmp/fastcgi;\n"
    "	uwsgi_temp_path $D/tmp/uwsgi;\n"
    "	scgi_temp_path $D/tmp/scgi;\n"
    "	server { listen 18080; listen [::]:18080; root $D/www; }\n"
    "}\n"
    "EOF\n"
    "\"$D/under\" nginx -c \"$D/nginx.conf\" -p \"$D\" -e \"$D/error.log\" > \"$D/nginx.out\" 2>&1 &\n"
    "PID=$!\n"
    "wait_listen 18080 \"$WANT\"\n"
    "echo \"get4=$(client get http://127.0.0.1:18080/index.html)\"\n"
    "echo \"get6=$(client get http://[::1]:18080/index.html)\"\n"
    "echo \"conn6=$(client connect ::1 18080)\"\n"
    "wait_pids 18080 3\n"
    "echo \"ss=$(listening 18080)\"\n"
    "echo \"npids=$(npids 18080)\"\n"
    "MASTER=$(cat \"$D/nginx.pid\")\n"
    "echo \"master_binds=$([ \"$(bind_pids)\" = \"$MASTER\" ] && echo yes || echo \"no: $(bind_pids) vs $MASTER\")\"\n"
    "set -- $(bind_fds)\n"
    "echo \"same_socket=$([ $# -eq 2 ] && [ \"$(readlink /proc/$MASTER/fd/$1)\" = \"$(readlink /proc/$MASTER/fd/$2)\" ] && echo yes || echo no)\"\n"
    "stop\n"
    "echo \"binds=$(binds)\"\n"
    "echo \"rewritten=$(rewritten)\"\n"
    "echo \"summary=$(summary_listening)\"\n"
    "echo \"nginx_out=$(cat \"$D/nginx.out\" | tr '\\n' ' ')\"\n";

static void
pol_nginx_loopback(enum pol_mode mode)
{
	struct pol_ns ns;
	char *body;

	cr_assert_neq(asprintf(&body, "WANT='tcp 127.0.0.1:18080 tcp [::1]:18080'\n%s",
	    pol_nginx_start), -1);
	pol_run(&ns, mode, "--loopback-only", "BINDWATCH_LOOPBACK_ONLY=1", body);
	free(body);
	cr_assert_eq(ns.status, 0);
	pol_expect(&ns, "ss", "tcp 127.0.0.1:18080 tcp [::1]:18080");
	pol_expect(&ns, "get4", "200 hello");
	pol_expect(&ns, "get6", "200 hello");
	pol_expect(&ns, "conn6", "open");
	pol_expect(&ns, "npids", "3");
	pol_expect(&ns, "master_binds", "yes");
	pol_expect(&ns, "same_socket", "no");
	pol_expect(&ns, "binds", "0.0.0.0/18080>127.0.0.1/18080=0:rewrite "
	    "::/18080>::1/18080=0:rewrite");
	if (mode == POL_CLI) {
		pol_expect(&ns, "rewritten", "0.0.0.0/18080>127.0.0.1/18080:rewrite "
		    "::/18080>::1/18080:rewrite");
		pol_expect(&ns, "summary", "127.0.0.1/18080 ::1/18080");
	}
	pol_done(&ns);
}

Test(policy, nginx_loopback_only_cli, .timeout = 120)
{
	pol_nginx_loopback(POL_CLI);
}

Test(policy, nginx_loopback_only_env, .timeout = 120)
{
	pol_nginx_loopback(POL_ENV);
}

/*
 * --force 127.0.0.1: the [::] socket is bound to ::ffff:127.0.0.1, which
 * the 0.0.0.0 socket (forced to 127.0.0.1) already holds; the shim makes
 * the second descriptor an alias (dup3) of the first, so nginx starts,
 * serves over 127.0.0.1 and nothing listens on IPv6.
 */
static void
pol_nginx_force(enum pol_mode mode)
{
	struct pol_ns ns;
	char *body;

	cr_assert_neq(asprintf(&body, "WANT='tcp 127.0.0.1:18080'\n%s%s",
	    pol_nginx_start,
	    "FMT=text; fresh\n"
	    "\"$D/under\" nginx -c \"$D/nginx.conf\" -p \"$D\" -e \"$D/error.log\" > \"$D/nginx.out\" 2>&1 &\n"
	    "PID=$!\n"
	    "wait_listen 18080 \"$WANT\"\n"
	    "wait_pids 18080 3\n"
	    "stop\n"
	    "echo \"text_bind6=$(grep -c 'bind([0-9]*, \\[::\\]:18080 => \\[::ffff:127\\.0\\.0\\.1\\]:18080) = 0 -> 127\\.0\\.0\\.1:18080 ' \"$EV\")\"\n"
	    "echo \"text_alias=$(grep -c '^ *rewritten  tcp \\[::\\]:18080 => \\[::ffff:127\\.0\\.0\\.1\\]:18080 (same endpoint as an earlier socket: made an alias of it)$' \"$EV\")\"\n"), -1);
	pol_run(&ns, mode, "--force 127.0.0.1", "BINDWATCH_FORCE=127.0.0.1", body);
	free(body);
	cr_assert_eq(ns.status, 0);
	pol_expect(&ns, "ss", "tcp 127.0.0.1:18080");
	pol_expect(&ns, "get4", "200 hello");
	pol_expect(&ns, "get6", "fail URLError");
	pol_expect(&ns, "conn6", "refused");
	pol_expect(&ns, "npids", "3");
	pol_expect(&ns, "master_binds", "yes");
	/* the kernel's truth of the alias: both descriptors, one socket */
	pol_expect(&ns, "same_socket", "yes");
	pol_expect(&ns, "text_bind6", "1");
	pol_expect(&ns, "text_alias", mode == POL_CLI ? "1" : "0");
	pol_expect(&ns, "binds", "0.0.0.0/18080>127.0.0.1/18080=0:rewrite "
	    "::/18080>::ffff:127.0.0.1/18080=0:rewrite");
	if (mode == POL_CLI) {
		pol_expect(&ns, "rewritten", "0.0.0.0/18080>127.0.0.1/18080:rewrite "
		    "::/18080>::ffff:127.0.0.1/18080:rewrite:alias");
		pol_expect(&ns, "summary", "127.0.0.1/18080");
	}
	pol_done(&ns);
}

Test(policy, nginx_force_cli, .timeout = 120)
{
	pol_nginx_force(POL_CLI);
}

Test(policy, nginx_force_env, .timeout = 120)
{
	pol_nginx_force(POL_ENV);
}

/*
 * --resolve localhost=::1,127.0.0.1 while /etc/hosts says 127.0.0.1 only:
 * IO::Socket::IP walks the list we return.  Alone, it gets [::1]; with a
 * holder (not under the shim) on [::1]:P, the fallback story: EADDRINUSE
 * on ::1, listening on 127.0.0.1, two processes on "localhost:P".
 */
static void
pol_perl_resolve(enum pol_mode mode)
{
	struct pol_ns ns;

	pol_run(&ns, mode, "--resolve localhost=::1,127.0.0.1",
	    "BINDWATCH_RESOLVE=localhost=::1,127.0.0.1",
	    "echo \"hosts=$(perl -MSocket -e 'my ($e, @r) = Socket::getaddrinfo(\"localhost\", 0, {socktype => 1}); print scalar @r')\"\n"
	    "fresh\n"
	    "\"$D/under\" perl \"$D/srv.pl\" localhost 13000 > \"$D/srv.out\" &\n"
	    "PID=$!\n"
	    "wait_listen 13000\n"
	    "wait_text \"$D/srv.out\" bound\n"
	    "echo \"ss=$(listening 13000)\"\n"
	    "echo \"srv=$(cat \"$D/srv.out\")\"\n"
	    "stop\n"
	    "echo \"gai=$(gai localhost)\"\n"
	    "echo \"binds=$(binds)\"\n");
	cr_assert_eq(ns.status, 0);
	/* the real resolver gives one address: the list below is ours */
	pol_expect(&ns, "hosts", "1");
	pol_expect(&ns, "ss", "tcp [::1]:13000");
	pol_expect(&ns, "srv", "bound ::1");
	pol_expect(&ns, "gai", "[::1]:13000,127.0.0.1:13000:rewrite");
	pol_expect(&ns, "binds", "::1/13000>::1/13000=0:pass");
	pol_done(&ns);
}

Test(policy, perl_resolve_cli, .timeout = 120)
{
	pol_perl_resolve(POL_CLI);
}

Test(policy, perl_resolve_env, .timeout = 120)
{
	pol_perl_resolve(POL_ENV);
}

static void
pol_perl_fallback(enum pol_mode mode)
{
	struct pol_ns ns;
	char *holder, *server;

	pol_run(&ns, mode, "--resolve localhost=::1,127.0.0.1",
	    "BINDWATCH_RESOLVE=localhost=::1,127.0.0.1",
	    "fresh\n"
	    "perl \"$D/srv.pl\" ::1 13000 > \"$D/holder.out\" &\n"
	    "HOLDER=$!\n"
	    "wait_listen 13000 'tcp [::1]:13000'\n"
	    "\"$D/under\" perl \"$D/srv.pl\" localhost 13000 > \"$D/srv.out\" &\n"
	    "PID=$!\n"
	    "wait_listen 13000 'tcp 127.0.0.1:13000 tcp [::1]:13000'\n"
	    "wait_text \"$D/srv.out\" bound\n"
	    "echo \"ss=$(listening 13000)\"\n"
	    "echo \"srv=$(cat \"$D/srv.out\")\"\n"
	    "echo \"holder=$HOLDER\"\n"
	    "echo \"server=$(client line 127.0.0.1 13000)\"\n"
	    "echo \"v6=$(client line ::1 13000)\"\n"
	    "stop\n"
	    "echo \"gai=$(gai localhost)\"\n"
	    "echo \"binds=$(binds)\"\n"
	    "echo \"failed=$(failed)\"\n"
	    "echo \"fallbacks=$(fallbacks)\"\n"
	    "echo \"failed_holder=$(jq -r 'select(.type==\"summary\") | .failed[0].holder.pid' \"$EV\")\"\n");
	cr_assert_eq(ns.status, 0);
	pol_expect(&ns, "ss", "tcp 127.0.0.1:13000 tcp [::1]:13000");
	pol_expect(&ns, "srv", "bound 127.0.0.1");
	pol_expect(&ns, "gai", "[::1]:13000,127.0.0.1:13000:rewrite");
	pol_expect(&ns, "binds", "::1/13000>::1/13000=-1:EADDRINUSE:pass "
	    "127.0.0.1/13000>127.0.0.1/13000=0:pass");
	/* two processes answer on "localhost:13000" */
	holder = pol_get(&ns, "holder");
	server = pol_get(&ns, "server");
	pol_expect(&ns, "v6", holder);
	cr_expect_str_neq(server, holder);
	cr_expect(atoi(server) > 0, "server answered '%s'", server);
	if (mode == POL_CLI) {
		pol_expect(&ns, "failed", "::1/13000:EADDRINUSE:kernel");
		pol_expect(&ns, "fallbacks", "::1/13000>127.0.0.1/13000");
		pol_expect(&ns, "failed_holder", holder);
	}
	free(holder);
	free(server);
	pol_done(&ns);
}

Test(policy, perl_resolve_fallback_cli, .timeout = 120)
{
	pol_perl_fallback(POL_CLI);
}

Test(policy, perl_resolve_fallback_env, .timeout = 120)
{
	pol_perl_fallback(POL_ENV);
}

/*
 * --ipv4 / --ipv6: the other family is dropped from getaddrinfo lists,
 * both from an override (--resolve with both families) and from libc's
 * own list (NULL node, passive: 0.0.0.0 and ::; a name with both in a
 * bind-mounted hosts file, with its canonical name kept).  Checked with
 * the gai_dump fixture and with python3's socket.getaddrinfo.
 */
static const char pol_family_body[] =
    "printf '127.0.0.1 localhost\\n::1 dual.example dual\\n127.0.0.1 dual.example dual\\n' > \"$D/hosts\"\n"
    "mount --bind \"$D/hosts\" /etc/hosts || exit 97\n"
    "Q='0/unspec/stream/localhost/80 passive/unspec/stream/-/80 canonname/unspec/stream/dual/80'\n"
    "PYQ='import socket; print(\",\".join(a[4][0] for a in socket.getaddrinfo(\"localhost\", 80, type=socket.SOCK_STREAM)))'\n"
    "R='localhost=::1,127.0.0.1'\n"
    "run() {\n"
    "	fresh\n"
    "	echo \"$1=$(\"$D/under\" \"$FIX/gai_dump\" $Q | paste -sd '|' -)\"\n"
    "	echo \"$1_null=$(gai null)\"\n"
    "	echo \"$1_null_orig=$(gai_orig null)\"\n"
    "	echo \"$1_py=$(\"$D/under\" \"$PY\" -c \"$PYQ\")\"\n"
    "}\n"
    "echo \"plain=$(\"$FIX/gai_dump\" $Q | paste -sd '|' -)\"\n"
    "POLCLI=\"--resolve $R\"; POLENV=\"BINDWATCH_RESOLVE=$R\"; run both\n"
    "POLCLI=\"--resolve $R --ipv4\"; POLENV=\"BINDWATCH_RESOLVE=$R BINDWATCH_FAMILY=4\"; run v4\n"
    "POLCLI=\"--resolve $R --ipv6\"; POLENV=\"BINDWATCH_RESOLVE=$R BINDWATCH_FAMILY=6\"; run v6\n";

static void
pol_family(enum pol_mode mode)
{
	struct pol_ns ns;

	pol_run(&ns, mode, "", "", pol_family_body);
	cr_assert_eq(ns.status, 0);
	/* without the shim: what libc says (the reference) */
	pol_expect(&ns, "plain",
	    "q0 rc=OK canon=- addrs=127.0.0.1:80/stream|"
	    "q1 rc=OK canon=- addrs=0.0.0.0:80/stream,[::]:80/stream|"
	    "q2 rc=OK canon=dual.example addrs=[::1]:80/stream,127.0.0.1:80/stream");
	pol_expect(&ns, "both",
	    "q0 rc=OK canon=- addrs=[::1]:80/stream,127.0.0.1:80/stream|"
	    "q1 rc=OK canon=- addrs=0.0.0.0:80/stream,[::]:80/stream|"
	    "q2 rc=OK canon=dual.example addrs=[::1]:80/stream,127.0.0.1:80/stream");
	pol_expect(&ns, "both_null", "0.0.0.0:80,[::]:80:pass");
	pol_expect(&ns, "both_py", "::1,127.0.0.1");
	pol_expect(&ns, "v4",
	    "q0 rc=OK canon=- addrs=127.0.0.1:80/stream|"
	    "q1 rc=OK canon=- addrs=0.0.0.0:80/stream|"
	    "q2 rc=OK canon=dual.example addrs=127.0.0.1:80/stream");
	pol_expect(&ns, "v4_null", "0.0.0.0:80:rewrite");
	pol_expect(&ns, "v4_null_orig", "0.0.0.0,::");
	pol_expect(&ns, "v4_py", "127.0.0.1");
	pol_expect(&ns, "v6",
	    "q0 rc=OK canon=- addrs=[::1]:80/stream|"
	    "q1 rc=OK canon=- addrs=[::]:80/stream|"
	    "q2 rc=OK canon=dual.example addrs=[::1]:80/stream");
	pol_expect(&ns, "v6_null", "[::]:80:rewrite");
	pol_expect(&ns, "v6_null_orig", "0.0.0.0,::");
	pol_expect(&ns, "v6_py", "::1");
	pol_done(&ns);
}

Test(policy, family_filter_cli, .timeout = 120)
{
	pol_family(POL_CLI);
}

Test(policy, family_filter_env, .timeout = 120)
{
	pol_family(POL_ENV);
}

/* --map-port 8080=18080: a server binding 8080 really listens on 18080. */
static void
pol_map_port(enum pol_mode mode)
{
	struct pol_ns ns;

	pol_run(&ns, mode, "--map-port 8080=18080", "BINDWATCH_MAP_PORT=8080=18080",
	    "fresh\n"
	    "\"$D/under\" \"$PY\" -m http.server --bind 127.0.0.1 8080 > \"$D/srv.out\" 2>&1 &\n"
	    "PID=$!\n"
	    "wait_listen 18080\n"
	    "echo \"ss=$(listening 18080)\"\n"
	    "echo \"ss8080=$(listening 8080)\"\n"
	    "echo \"get=$(client get http://127.0.0.1:18080/hello.txt)\"\n"
	    "echo \"get8080=$(client connect 127.0.0.1 8080)\"\n"
	    "stop\n"
	    "echo \"binds=$(binds)\"\n"
	    "echo \"listens=$(listens)\"\n"
	    "echo \"rewritten=$(rewritten)\"\n");
	cr_assert_eq(ns.status, 0);
	pol_expect(&ns, "ss", "tcp 127.0.0.1:18080");
	pol_expect(&ns, "ss8080", "");
	pol_expect(&ns, "get", "200 hello");
	pol_expect(&ns, "get8080", "refused");
	pol_expect(&ns, "binds", "127.0.0.1/8080>127.0.0.1/18080=0:rewrite");
	pol_expect(&ns, "listens", "127.0.0.1/18080=0:pass");
	if (mode == POL_CLI)
		pol_expect(&ns, "rewritten", "127.0.0.1/8080>127.0.0.1/18080:rewrite");
	pol_done(&ns);
}

Test(policy, map_port_cli, .timeout = 120)
{
	pol_map_port(POL_CLI);
}

Test(policy, map_port_env, .timeout = 120)
{
	pol_map_port(POL_ENV);
}

/*
 * --deny: the program's bind fails with EACCES and nothing listens; an
 * address:port not on the list still works; a wildcard bind that
 * loopback-only would rewrite onto a denied address is denied too.
 */
static void
pol_deny(enum pol_mode mode)
{
	struct pol_ns ns;

	pol_run(&ns, mode,
	    "--loopback-only --deny 127.0.0.1:18000 --deny [::1]:18000 --deny 127.0.0.1:18002",
	    "BINDWATCH_LOOPBACK_ONLY=1 BINDWATCH_DENY=127.0.0.1:18000,[::1]:18000,127.0.0.1:18002",
	    "fresh\n"
	    "\"$D/under\" \"$PY\" \"$D/bindtry.py\" \"$D/try.out\" 4,127.0.0.1,18000 "
	    "6,::1,18000 4,127.0.0.1,18001 4,0.0.0.0,18002 > \"$D/srv.out\" 2>&1 &\n"
	    "PID=$!\n"
	    "wait_text \"$D/try.out\" ready\n"
	    "echo \"try=$(head -n 1 \"$D/try.out\")\"\n"
	    "echo \"ss18000=$(listening 18000)\"\n"
	    "echo \"ss18001=$(listening 18001)\"\n"
	    "echo \"ss18002=$(listening 18002)\"\n"
	    "stop\n"
	    "echo \"binds=$(binds)\"\n"
	    "echo \"failed=$(failed)\"\n");
	cr_assert_eq(ns.status, 0);
	pol_expect(&ns, "try", "4,127.0.0.1,18000=EACCES 6,::1,18000=EACCES "
	    "4,127.0.0.1,18001=ok 4,0.0.0.0,18002=EACCES");
	pol_expect(&ns, "ss18000", "");
	pol_expect(&ns, "ss18001", "tcp 127.0.0.1:18001");
	pol_expect(&ns, "ss18002", "");
	pol_expect(&ns, "binds", "127.0.0.1/18000>127.0.0.1/18000=-1:EACCES:deny "
	    "::1/18000>::1/18000=-1:EACCES:deny "
	    "127.0.0.1/18001>127.0.0.1/18001=0:pass "
	    "0.0.0.0/18002>127.0.0.1/18002=-1:EACCES:deny");
	if (mode == POL_CLI)
		pol_expect(&ns, "failed", "127.0.0.1/18000:EACCES:policy "
		    "::1/18000:EACCES:policy 127.0.0.1/18002:EACCES:policy");
	pol_done(&ns);
}

Test(policy, deny_cli, .timeout = 120)
{
	pol_deny(POL_CLI);
}

Test(policy, deny_env, .timeout = 120)
{
	pol_deny(POL_ENV);
}

/*
 * --force ::1 on AF_INET sockets cannot be honoured: the bind is refused
 * with EADDRNOTAVAIL and reported, never bound elsewhere; the AF_INET6
 * socket of the same program is forced to ::1.
 */
static void
pol_force_v6_on_inet(enum pol_mode mode)
{
	struct pol_ns ns;

	pol_run(&ns, mode, "--force ::1", "BINDWATCH_FORCE=::1",
	    "fresh\n"
	    "\"$D/under\" \"$PY\" \"$D/bindtry.py\" \"$D/try.out\" 4,127.0.0.1,18000 "
	    "4,0.0.0.0,18001 6,::,18002 > \"$D/srv.out\" 2>&1 &\n"
	    "PID=$!\n"
	    "wait_text \"$D/try.out\" ready\n"
	    "echo \"try=$(head -n 1 \"$D/try.out\")\"\n"
	    "echo \"ss18000=$(listening 18000)\"\n"
	    "echo \"ss18001=$(listening 18001)\"\n"
	    "echo \"ss18002=$(listening 18002)\"\n"
	    "echo \"all=$(ss -Hltnup | wc -l)\"\n"
	    "stop\n"
	    "echo \"binds=$(binds)\"\n"
	    "echo \"failed=$(failed)\"\n");
	cr_assert_eq(ns.status, 0);
	pol_expect(&ns, "try", "4,127.0.0.1,18000=EADDRNOTAVAIL "
	    "4,0.0.0.0,18001=EADDRNOTAVAIL 6,::,18002=ok");
	pol_expect(&ns, "ss18000", "");
	pol_expect(&ns, "ss18001", "");
	pol_expect(&ns, "ss18002", "tcp [::1]:18002");
	pol_expect(&ns, "all", "1");
	pol_expect(&ns, "binds",
	    "127.0.0.1/18000>127.0.0.1/18000=-1:EADDRNOTAVAIL:deny "
	    "0.0.0.0/18001>0.0.0.0/18001=-1:EADDRNOTAVAIL:deny "
	    "::/18002>::1/18002=0:rewrite");
	if (mode == POL_CLI)
		pol_expect(&ns, "failed", "127.0.0.1/18000:EADDRNOTAVAIL:policy "
		    "0.0.0.0/18001:EADDRNOTAVAIL:policy");
	pol_done(&ns);
}

Test(policy, force_v6_on_inet_socket_cli, .timeout = 120)
{
	pol_force_v6_on_inet(POL_CLI);
}

Test(policy, force_v6_on_inet_socket_env, .timeout = 120)
{
	pol_force_v6_on_inet(POL_ENV);
}

/*
 * Invalid values: exit 125, exactly one line on stderr naming the option
 * (or variable) and the value, and the command (touch MARKER) never ran.
 * The first row of each table is valid: the command must run there, so
 * the check itself can tell the difference.
 */
struct pol_bad {
	const char	*args;		/* shell words before the command */
	const char	*want[2];	/* both on the stderr line */
};

static void
pol_invalid(const char *runner, const struct pol_bad *rows, size_t n)
{
	struct pol_ns ns;
	char *body = NULL, *t;
	size_t i, j;

	cr_assert_neq(asprintf(&body,
	    "try() {\n"
	    "	rm -f \"$D/marker\"\n"
	    "	\"$@\" > /dev/null 2> \"$D/err\"\n"
	    "	rc=$?\n"
	    "	echo \"rc=$rc lines=$(wc -l < \"$D/err\") marker=$([ -e \"$D/marker\" ] && echo yes || echo no) err=$(head -n 3 \"$D/err\" | tr '\\n' '|')\"\n"
	    "}\n"), -1);
	for (i = 0; i < n; i++) {
		cr_assert_neq(asprintf(&t, "%secho \"case%zu=$(try %s %s touch \"$D/marker\")\"\n",
		    body, i, runner, rows[i].args), -1);
		free(body);
		body = t;
	}
	pol_run(&ns, POL_CLI, "", "", body);
	free(body);
	cr_assert_eq(ns.status, 0);
	for (i = 0; i < n; i++) {
		char key[32], *v, *err;

		snprintf(key, sizeof(key), "case%zu", i);
		v = pol_get(&ns, key);
		if (i == 0) {
			cr_expect(strncmp(v, "rc=0 ", 5) == 0 &&
			    strstr(v, " marker=yes ") != NULL,
			    "valid %s: %s", rows[i].args, v);
			free(v);
			continue;
		}
		cr_expect(strncmp(v, "rc=125 lines=1 marker=no err=bindwatch: ", 40) == 0,
		    "%s: %s", rows[i].args, v);
		err = strstr(v, "err=");
		for (j = 0; j < 2 && err != NULL; j++)
			if (rows[i].want[j] != NULL)
				cr_expect(strstr(err, rows[i].want[j]) != NULL,
				    "%s: '%s' does not name '%s'", rows[i].args,
				    err, rows[i].want[j]);
		free(v);
	}
	pol_done(&ns);
}

Test(policy, invalid_cli_options, .timeout = 120)
{
#define BW "\"$BW\" "
	static const struct pol_bad rows[] = {
		{ BW "--force 127.0.0.1 --loopback-only --map-port 80=8080 "
		    "--deny '[::1]:80' --resolve localhost=::1 --ipv4 --", { NULL, NULL } },
		{ BW "--force 1.2.3.x --", { "--force", "1.2.3.x" } },
		{ BW "--force localhost --", { "--force", "localhost" } },
		{ BW "--map-port 8080= --", { "--map-port", "8080=" } },
		{ BW "--map-port 70000=1 --", { "--map-port", "70000=1" } },
		{ BW "--map-port 80=8080 --map-port 80=8081 --", { "--map-port", "80=8081" } },
		{ BW "--ipv4 --ipv6 --", { "--ipv4", "--ipv6" } },
		{ BW "--resolve localhost --", { "--resolve", "localhost" } },
		{ BW "--resolve localhost=::1,1.2.3.x --", { "--resolve", "1.2.3.x" } },
		{ BW "--deny '[::1' --", { "--deny", "[::1" } },
		{ BW "--deny 127.0.0.1:70000 --", { "--deny", "127.0.0.1:70000" } },
		{ BW "--force ::1 --ipv4 --", { "::1", "IPv4" } },
		{ BW "--force 10.1.2.3 --loopback-only --", { "10.1.2.3", "loopback" } },
		/* what the CLI passes on from the environment must parse too */
		{ "BINDWATCH_DENY=nope " BW "--ipv4 --", { "BINDWATCH_DENY", "nope" } },
	};
#undef BW

	pol_invalid("env", rows, sizeof(rows) / sizeof(rows[0]));
}

Test(policy, invalid_env_values, .timeout = 120)
{
	static const struct pol_bad rows[] = {
		{ "BINDWATCH_FORCE=127.0.0.1 BINDWATCH_LOOPBACK_ONLY=1 "
		    "BINDWATCH_RESOLVE='localhost=::1;x=1.2.3.4' BINDWATCH_FAMILY=4 "
		    "BINDWATCH_MAP_PORT=80=8080,443=8443 BINDWATCH_DENY='127.0.0.2,[::1]:80'",
		    { NULL, NULL } },
		{ "BINDWATCH_FORCE=1.2.3.x", { "BINDWATCH_FORCE", "1.2.3.x" } },
		{ "BINDWATCH_FORCE=localhost", { "BINDWATCH_FORCE", "localhost" } },
		{ "BINDWATCH_LOOPBACK_ONLY=yes", { "BINDWATCH_LOOPBACK_ONLY", "yes" } },
		{ "BINDWATCH_RESOLVE=localhost", { "BINDWATCH_RESOLVE", "localhost" } },
		{ "BINDWATCH_RESOLVE='localhost=::1;x=1.2.3.x'",
		    { "BINDWATCH_RESOLVE", "1.2.3.x" } },
		{ "BINDWATCH_FAMILY=5", { "BINDWATCH_FAMILY", "5" } },
		{ "BINDWATCH_FAMILY=inet", { "BINDWATCH_FAMILY", "inet" } },
		{ "BINDWATCH_MAP_PORT=8080=", { "BINDWATCH_MAP_PORT", "8080=" } },
		{ "BINDWATCH_MAP_PORT=70000=1", { "BINDWATCH_MAP_PORT", "70000=1" } },
		{ "BINDWATCH_MAP_PORT=80=8080,", { "BINDWATCH_MAP_PORT", "80=8080," } },
		{ "BINDWATCH_DENY='[::1'", { "BINDWATCH_DENY", "[::1" } },
		{ "BINDWATCH_FORCE=::1 BINDWATCH_FAMILY=4", { "::1", "IPv4" } },
		{ "BINDWATCH_FORMAT=xml", { "BINDWATCH_FORMAT", "xml" } },
		/* the CLI's own variables are checked as strictly */
		{ "BINDWATCH_COLLECTOR=/nonexistent BINDWATCH_COLLECTOR_FD=700",
		    { "BINDWATCH_COLLECTOR_FD", "700" } },
		{ "BINDWATCH_COLLECTOR=/nonexistent BINDWATCH_COLLECTOR_FD=7:x",
		    { "BINDWATCH_COLLECTOR_FD", "7:x" } },
	};

	pol_invalid("env LD_PRELOAD=\"$LIB\"", rows, sizeof(rows) / sizeof(rows[0]));
}

/*
 * Policies leave AF_UNIX alone: under --force 127.0.0.1 a program binds
 * a Unix socket (untouched, unreported, connectable) and 0.0.0.0 (forced,
 * so the shim is at work in that very process).
 */
static void
pol_unix(enum pol_mode mode)
{
	struct pol_ns ns;

	pol_run(&ns, mode, "--force 127.0.0.1 --deny 127.0.0.1:18001",
	    "BINDWATCH_FORCE=127.0.0.1 BINDWATCH_DENY=127.0.0.1:18001",
	    "fresh\n"
	    "\"$D/under\" \"$PY\" \"$D/bindtry.py\" \"$D/try.out\" \"u,$D/s.sock\" "
	    "4,0.0.0.0,18000 > \"$D/srv.out\" 2>&1 &\n"
	    "PID=$!\n"
	    "wait_text \"$D/try.out\" ready\n"
	    "echo \"try=$(head -n 1 \"$D/try.out\" | sed \"s|$D|D|g\")\"\n"
	    "echo \"unix=$(ss -Hlxn | grep -cF \"$D/s.sock\")\"\n"
	    "echo \"connect=$(client unix \"$D/s.sock\")\"\n"
	    "echo \"ss=$(listening 18000)\"\n"
	    "stop\n"
	    "echo \"binds=$(binds)\"\n"
	    "echo \"listens=$(listens)\"\n"
	    "echo \"nonip=$(jq -r 'select(.type==\"bind\" or .type==\"listen\") | select(.addr == null or (.family // \"inet\") != \"inet\")' \"$EV\" | wc -l)\"\n");
	cr_assert_eq(ns.status, 0);
	pol_expect(&ns, "try", "u,D/s.sock=ok 4,0.0.0.0,18000=ok");
	pol_expect(&ns, "unix", "1");
	pol_expect(&ns, "connect", "open");
	pol_expect(&ns, "ss", "tcp 127.0.0.1:18000");
	pol_expect(&ns, "binds", "0.0.0.0/18000>127.0.0.1/18000=0:rewrite");
	pol_expect(&ns, "listens", "127.0.0.1/18000=0:pass");
	pol_expect(&ns, "nonip", "0");
	pol_done(&ns);
}

Test(policy, unix_untouched_cli, .timeout = 120)
{
	pol_unix(POL_CLI);
}

Test(policy, unix_untouched_env, .timeout = 120)
{
	pol_unix(POL_ENV);
}

/*
 * An inherited socket is not the program's bind: a parent without the
 * shim binds 0.0.0.0:18000 and execs a child under --loopback-only that
 * only calls listen() on it; it stays 0.0.0.0 (and the listen event says
 * so).  The same child's own listen() without bind (an implicit bind) is
 * moved to loopback, so the policy was active there.
 */
static void
pol_inherited(enum pol_mode mode)
{
	struct pol_ns ns;

	pol_run(&ns, mode, "--loopback-only", "BINDWATCH_LOOPBACK_ONLY=1",
	    "fresh\n"
	    "\"$PY\" \"$D/inherit.py\" 18000 \"$D/under\" \"$PY\" \"$D/child.py\" \"$D/child.out\" &\n"
	    "PID=$!\n"
	    "wait_text \"$D/child.out\" listening\n"
	    "echo \"child=$(cat \"$D/child.out\")\"\n"
	    "echo \"ss=$(listening 18000)\"\n"
	    "echo \"get=$(client connect 127.0.0.2 18000)\"\n"
	    "stop\n"
	    "echo \"binds=$(binds)\"\n"
	    "echo \"listens=$(listens)\"\n"
	    "fresh\n"
	    "\"$D/under\" \"$PY\" \"$D/bindtry.py\" \"$D/try.out\" L4 > \"$D/srv.out\" 2>&1 &\n"
	    "PID=$!\n"
	    "wait_text \"$D/try.out\" ready\n"
	    "echo \"auto=$(head -n 1 \"$D/try.out\" | sed 's/:[0-9]*$//')\"\n"
	    "stop\n"
	    "echo \"auto_listens=$(jq -r 'select(.type==\"listen\") | \"\\(.addr):\\(.autobound):\\(.action)\"' \"$EV\")\"\n");
	cr_assert_eq(ns.status, 0);
	pol_expect(&ns, "child", "listening 0.0.0.0:18000");
	pol_expect(&ns, "ss", "tcp 0.0.0.0:18000");
	pol_expect(&ns, "get", "open");
	pol_expect(&ns, "binds", "");
	pol_expect(&ns, "listens", "0.0.0.0/18000=0:pass");
	pol_expect(&ns, "auto", "L4=127.0.0.1");
	pol_expect(&ns, "auto_listens", "127.0.0.1:true:rewrite");
	pol_done(&ns);
}

Test(policy, inherited_listener_cli, .timeout = 120)
{
	pol_inherited(POL_CLI);
}

Test(policy, inherited_listener_env, .timeout = 120)
{
	pol_inherited(POL_ENV);
}

/*
 * Lists the shim builds are freed by the program's own freeaddrinfo, with
 * no leak (valgrind), and keep libc's semantics: ai_canonname, no
 * override for AI_NUMERICHOST, AI_NUMERICSERV, NULL hints, service names,
 * EAI_SERVICE.  First a run that leaks on purpose (-k: never free), to
 * show that valgrind sees our lists at all.
 */
static const char pol_gai_queries[] =
    "Q='passive,canonname/unspec/stream/localhost/8080 null/-/-/localhost/80 "
    "numerichost/unspec/stream/localhost/80 numerichost/unspec/stream/::1/80 "
    "numericserv/unspec/stream/localhost/8080 numericserv/unspec/stream/localhost/http "
    "0/unspec/stream/localhost/http 0/unspec/stream/localhost/nosuchsvc "
    "0/unspec/dgram/LOCALHOST./domain passive/unspec/stream/-/80 "
    "canonname/unspec/stream/dual/80 0/inet6/stream/localhost/80'\n";

static const char *const pol_gai_resolved[] = {
	"q0 rc=OK canon=localhost addrs=[::1]:8080/stream,127.0.0.1:8080/stream",
	("q1 rc=OK canon=- addrs=[::1]:80/stream,[::1]:80/dgram,[::1]:80/raw,"
	    "127.0.0.1:80/stream,127.0.0.1:80/dgram,127.0.0.1:80/raw"),
	"q2 rc=EAI_NONAME canon=- addrs=-",
	"q3 rc=OK canon=- addrs=[::1]:80/stream",
	"q4 rc=OK canon=- addrs=[::1]:8080/stream,127.0.0.1:8080/stream",
	"q5 rc=EAI_NONAME canon=- addrs=-",
	"q6 rc=OK canon=- addrs=[::1]:80/stream,127.0.0.1:80/stream",
	"q7 rc=EAI_SERVICE canon=- addrs=-",
	"q8 rc=OK canon=- addrs=[::1]:53/dgram,127.0.0.1:53/dgram",
	"q9 rc=OK canon=- addrs=0.0.0.0:80/stream,[::]:80/stream",
	"q10 rc=OK canon=dual.example addrs=[::1]:80/stream,127.0.0.1:80/stream",
	"q11 rc=OK canon=- addrs=[::1]:80/stream",
};

/* The same under BINDWATCH_FAMILY=4. */
static const char *const pol_gai_v4[] = {
	"q0 rc=OK canon=localhost addrs=127.0.0.1:8080/stream",
	"q1 rc=OK canon=- addrs=127.0.0.1:80/stream,127.0.0.1:80/dgram,127.0.0.1:80/raw",
	"q2 rc=EAI_NONAME canon=- addrs=-",
	/* numeric ::1 dropped: the code glibc gives a numeric address of a
	 * family it was not asked for */
	"q3 rc=EAI_ADDRFAMILY canon=- addrs=-",
	"q4 rc=OK canon=- addrs=127.0.0.1:8080/stream",
	"q5 rc=EAI_NONAME canon=- addrs=-",
	"q6 rc=OK canon=- addrs=127.0.0.1:80/stream",
	"q7 rc=EAI_SERVICE canon=- addrs=-",
	"q8 rc=OK canon=- addrs=127.0.0.1:53/dgram",
	"q9 rc=OK canon=- addrs=0.0.0.0:80/stream",
	"q10 rc=OK canon=dual.example addrs=127.0.0.1:80/stream",
	NULL,	/* inet6 asked, only inet kept: an EAI_* error (EAI_ADDRFAMILY) */
};

static void
pol_expect_lines(const char *what, const char *out, const char *const *want,
    size_t n)
{
	const char *l = out;
	size_t i;

	for (i = 0; i < n; i++) {
		size_t len = l ? strcspn(l, "\n") : 0;

		cr_expect(l != NULL && *l != '\0', "%s: no line %zu in:\n%s", what, i, out);
		if (l == NULL || *l == '\0')
			return;
		if (want[i] != NULL)
			cr_expect(strlen(want[i]) == len && strncmp(l, want[i], len) == 0,
			    "%s: line %zu is '%.*s', want '%s'", what, i, (int)len, l, want[i]);
		else
			cr_expect(strncmp(l, "q", 1) == 0 && strstr(l, " rc=EAI_") != NULL &&
			    (size_t)(strstr(l, " rc=EAI_") - l) < len,
			    "%s: line %zu is '%.*s', want an EAI_* error", what, i, (int)len, l);
		l = strchr(l, '\n');
		if (l != NULL)
			l++;
	}
}

Test(policy, gai_lists_valgrind, .timeout = 120)
{
	struct pol_ns ns;
	char *plain, *vg, *v4, *log;
	char *body;

	cr_assert_neq(asprintf(&body, "%s%s", pol_gai_queries,
	    "printf '127.0.0.1 localhost\\n::1 dual.example dual\\n127.0.0.1 dual.example dual\\n' > \"$D/hosts\"\n"
	    "mount --bind \"$D/hosts\" /etc/hosts || exit 97\n"
	    "\"$FIX/gai_dump\" $Q > \"$D/plain.out\"\n"
	    "VG='valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=definite,possible --error-exitcode=1'\n"
	    "env LD_PRELOAD=\"$LIB\" BINDWATCH_LOG=\"$D/leak.json\" BINDWATCH_FORMAT=json "
	    "BINDWATCH_RESOLVE=localhost=::1,127.0.0.1 $VG --log-file=\"$D/leak.log\" "
	    "\"$FIX/gai_dump\" -k -n 3 0/unspec/stream/localhost/80 > /dev/null\n"
	    "echo \"leak=$?\"\n"
	    "echo \"leak_seen=$(grep -c 'gai\\.c:' \"$D/leak.log\")\"\n"
	    "env LD_PRELOAD=\"$LIB\" BINDWATCH_LOG=\"$D/vg.json\" BINDWATCH_FORMAT=json "
	    "BINDWATCH_RESOLVE=localhost=::1,127.0.0.1 $VG --log-file=\"$D/vg.log\" "
	    "\"$FIX/gai_dump\" -n 20 $Q > \"$D/vg.out\"\n"
	    "echo \"vg=$?\"\n"
	    "echo \"vg_ours=$(grep -c 'gai\\.c:' \"$D/vg.log\")\"\n"
	    "echo \"vg_events=$(jq -r 'select(.type==\"getaddrinfo\" and .action==\"rewrite\") | .node' \"$D/vg.json\" | wc -l)\"\n"
	    "env LD_PRELOAD=\"$LIB\" BINDWATCH_LOG=/dev/null "
	    "BINDWATCH_RESOLVE=localhost=::1,127.0.0.1 BINDWATCH_FAMILY=4 $VG --log-file=\"$D/v4.log\" "
	    "\"$FIX/gai_dump\" -n 20 $Q > \"$D/v4.out\"\n"
	    "echo \"v4=$?\"\n"
	    "echo \"v4_ours=$(grep -c 'gai\\.c:' \"$D/v4.log\")\"\n"), -1);
	pol_run(&ns, POL_ENV, "", "", body);
	free(body);
	cr_assert_eq(ns.status, 0);
	/*
	 * The control: lists never freed show up, allocated in gai.c.  (Still
	 * reachable, not lost: the shim's registry of its lists points to
	 * them.  So the runs below check for any record from gai.c, not only
	 * for valgrind's error status.)
	 */
	pol_expect(&ns, "leak", "0");
	log = pol_get(&ns, "leak_seen");
	cr_expect_neq(atoi(log), 0, "valgrind did not see the kept lists");
	free(log);
	plain = pol_file(&ns, "plain.out");
	vg = pol_file(&ns, "vg.out");
	v4 = pol_file(&ns, "v4.out");
	/* libc's own answers where no policy applies (errors included) */
	pol_expect_lines("plain libc", plain, (const char *const[]){
	    "q0 rc=OK canon=localhost addrs=127.0.0.1:8080/stream",
	    "q1 rc=OK canon=- addrs=127.0.0.1:80/stream,127.0.0.1:80/dgram,127.0.0.1:80/raw",
	    "q2 rc=EAI_NONAME canon=- addrs=-",
	    "q3 rc=OK canon=- addrs=[::1]:80/stream",
	    "q4 rc=OK canon=- addrs=127.0.0.1:8080/stream",
	    "q5 rc=EAI_NONAME canon=- addrs=-",
	    "q6 rc=OK canon=- addrs=127.0.0.1:80/stream",
	    "q7 rc=EAI_SERVICE canon=- addrs=-",
	    NULL,	/* LOCALHOST. is not in the hosts file: EAI_NONAME or EAI_AGAIN */
	    "q9 rc=OK canon=- addrs=0.0.0.0:80/stream,[::]:80/stream",
	    "q10 rc=OK canon=dual.example addrs=[::1]:80/stream,127.0.0.1:80/stream",
	}, 11);
	pol_expect(&ns, "vg", "0");
	pol_expect(&ns, "vg_ours", "0");
	pol_expect_lines("resolve", vg, pol_gai_resolved,
	    sizeof(pol_gai_resolved) / sizeof(pol_gai_resolved[0]));
	/* 20 rounds of the 8 overridden queries (q0 q1 q4 q5 q6 q7 q8 q11) */
	pol_expect(&ns, "vg_events", "160");
	pol_expect(&ns, "v4", "0");
	pol_expect(&ns, "v4_ours", "0");
	pol_expect_lines("resolve + ipv4", v4, pol_gai_v4,
	    sizeof(pol_gai_v4) / sizeof(pol_gai_v4[0]));
	if (strstr(vg, "unstable") != NULL || strstr(v4, "unstable") != NULL)
		cr_expect_fail("a later round gave another answer:\n%s%s", vg, v4);
	log = pol_file(&ns, "vg.log");
	if (strstr(log, "gai.c:") != NULL || strstr(log, "== ") != NULL)
		cr_log_info("valgrind, resolve:\n%s", log);
	free(log);
	log = pol_file(&ns, "v4.log");
	if (strstr(log, "gai.c:") != NULL || strstr(log, "== ") != NULL)
		cr_log_info("valgrind, resolve + ipv4:\n%s", log);
	free(log);
	free(plain);
	free(vg);
	free(v4);
	pol_done(&ns);
}

/*
 * musl: the shim and gai_dump built with musl-gcc (make musl).  The
 * override and the family filter hand musl programs lists that their own
 * freeaddrinfo must free (musl's allocator and list layout differ from
 * glibc's); a loop of 200 rounds, then valgrind on the musl binary.  That
 * one runs through musl's loader with --preload naming valgrind's preloads
 * and the shim: LD_PRELOAD would also reach valgrind's glibc launcher,
 * which cannot load a musl library, and --preload replaces LD_PRELOAD.
 */
Test(policy, musl_gai_lists, .timeout = 120)
{
	struct pol_ns ns;
	char dir[4096], *out;

	snprintf(dir, sizeof(dir), "%s/musl", pol_build());
	if (access(dir, F_OK) != 0)
		cr_skip_test("%s is missing: `make musl` (needs musl-gcc from "
		    "Debian's musl-tools) before the musl test can run", dir);
	pol_run(&ns, POL_ENV, "", "",
	    "M=\"$(dirname \"$LIB\")/musl\"\n"
	    "Q='passive,canonname/unspec/stream/localhost/8080 passive/unspec/stream/-/80 "
	    "0/unspec/stream/localhost/nosuchsvc numerichost/unspec/stream/localhost/80 "
	    "0/unspec/dgram/localhost/domain'\n"
	    "LDSO=$(readelf -l \"$M/gai_dump\" | sed -n 's/.*interpreter: \\(.*\\)]/\\1/p')\n"
	    "echo \"ldso=$LDSO\"\n"
	    "echo \"needed=$(readelf -d \"$M/libbindwatch.so\" | sed -n 's/.*NEEDED.*\\[\\(.*\\)\\]/\\1/p' | joined)\"\n"
	    "echo \"plain=$(\"$M/gai_dump\" $Q | paste -sd '|' -)\"\n"
	    "LD_PRELOAD=\"$M/libbindwatch.so\" BINDWATCH_FORMAT=json BINDWATCH_LOG=\"$D/m.json\" "
	    "BINDWATCH_RESOLVE=localhost=::1,127.0.0.1 \"$M/gai_dump\" -n 200 $Q > \"$D/m1.out\"\n"
	    "echo \"m1rc=$?\"\n"
	    "echo \"m1=$(paste -sd '|' \"$D/m1.out\")\"\n"
	    "echo \"events=$(jq -r 'select(.type==\"getaddrinfo\" and .action==\"rewrite\") | .pid' \"$D/m.json\" | wc -l)\"\n"
	    "LD_PRELOAD=\"$M/libbindwatch.so\" BINDWATCH_LOG=/dev/null "
	    "BINDWATCH_RESOLVE=localhost=::1,127.0.0.1 BINDWATCH_FAMILY=6 \"$M/gai_dump\" -n 200 $Q > \"$D/m2.out\"\n"
	    "echo \"m2rc=$?\"\n"
	    "echo \"m2=$(paste -sd '|' \"$D/m2.out\")\"\n"
	    /* musl's --preload replaces LD_PRELOAD: name valgrind's own too */
	    "ARCH=$(uname -m | sed 's/x86_64/amd64/; s/aarch64/arm64/')\n"
	    "VGP=$(dirname \"$(find /usr/libexec/valgrind /usr/lib/valgrind "
	    "/usr/lib/x86_64-linux-gnu/valgrind /usr/lib/aarch64-linux-gnu/valgrind "
	    "-name \"vgpreload_memcheck-$ARCH-linux.so\" 2>/dev/null | head -n 1)\")\n"
	    "VGPRE=\"$VGP/vgpreload_core-$ARCH-linux.so:$VGP/vgpreload_memcheck-$ARCH-linux.so\"\n"
	    "echo \"vgpre=$([ -r \"$VGP/vgpreload_memcheck-$ARCH-linux.so\" ] && echo yes || echo \"no: $VGP\")\"\n"
	    "VG='valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=definite,possible --error-exitcode=1'\n"
	    "BINDWATCH_LOG=/dev/null BINDWATCH_RESOLVE=localhost=::1,127.0.0.1 "
	    "$VG --log-file=\"$D/leak.log\" \"$LDSO\" --preload \"$VGPRE:$M/libbindwatch.so\" "
	    "\"$M/gai_dump\" -k -n 3 0/unspec/stream/localhost/80 > /dev/null\n"
	    "echo \"leak_seen=$(grep -c 'gai\\.c:' \"$D/leak.log\")\"\n"
	    "BINDWATCH_LOG=/dev/null BINDWATCH_RESOLVE=localhost=::1,127.0.0.1 BINDWATCH_FAMILY=4 "
	    "$VG --log-file=\"$D/vg.log\" \"$LDSO\" --preload \"$VGPRE:$M/libbindwatch.so\" "
	    "\"$M/gai_dump\" -n 20 $Q > \"$D/m3.out\"\n"
	    "echo \"m3rc=$?\"\n"
	    "echo \"m3_ours=$(grep -c 'gai\\.c:' \"$D/vg.log\")\"\n"
	    "echo \"m3=$(paste -sd '|' \"$D/m3.out\")\"\n");
	cr_assert_eq(ns.status, 0);
	pol_expect_has(&ns, "ldso", "ld-musl");
	pol_expect(&ns, "needed", "libc.so");
	/* musl's own answers: the reference for what the shim passes through */
	pol_expect(&ns, "plain",
	    "q0 rc=OK canon=localhost addrs=127.0.0.1:8080/stream|"
	    "q1 rc=OK canon=- addrs=0.0.0.0:80/stream,[::]:80/stream|"
	    "q2 rc=EAI_SERVICE canon=- addrs=-|"
	    "q3 rc=EAI_NONAME canon=- addrs=-|"
	    "q4 rc=OK canon=localhost addrs=127.0.0.1:53/dgram");
	pol_expect(&ns, "m1rc", "0");
	pol_expect(&ns, "m1",
	    "q0 rc=OK canon=localhost addrs=[::1]:8080/stream,127.0.0.1:8080/stream|"
	    "q1 rc=OK canon=- addrs=0.0.0.0:80/stream,[::]:80/stream|"
	    "q2 rc=EAI_SERVICE canon=- addrs=-|"
	    "q3 rc=EAI_NONAME canon=- addrs=-|"
	    "q4 rc=OK canon=- addrs=[::1]:53/dgram,127.0.0.1:53/dgram");
	/* 200 rounds of q0, q2, q4 */
	pol_expect(&ns, "events", "600");
	pol_expect(&ns, "m2rc", "0");
	pol_expect(&ns, "m2",
	    "q0 rc=OK canon=localhost addrs=[::1]:8080/stream|"
	    "q1 rc=OK canon=- addrs=[::]:80/stream|"
	    "q2 rc=EAI_SERVICE canon=- addrs=-|"
	    "q3 rc=EAI_NONAME canon=- addrs=-|"
	    "q4 rc=OK canon=- addrs=[::1]:53/dgram");
	pol_expect(&ns, "vgpre", "yes");
	/* the control: lists a musl program never frees are seen */
	out = pol_get(&ns, "leak_seen");
	cr_expect_neq(atoi(out), 0, "valgrind did not see the kept lists");
	free(out);
	pol_expect(&ns, "m3rc", "0");
	pol_expect(&ns, "m3_ours", "0");
	pol_expect(&ns, "m3",
	    "q0 rc=OK canon=localhost addrs=127.0.0.1:8080/stream|"
	    "q1 rc=OK canon=- addrs=0.0.0.0:80/stream|"
	    "q2 rc=EAI_SERVICE canon=- addrs=-|"
	    "q3 rc=EAI_NONAME canon=- addrs=-|"
	    "q4 rc=OK canon=- addrs=127.0.0.1:53/dgram");
	out = pol_file(&ns, "vg.log");
	if (strstr(out, "== ") != NULL)
		cr_log_info("valgrind, musl:\n%s", out);
	free(out);
	pol_done(&ns);
}
