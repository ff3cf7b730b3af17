/*
 * bindwatch ports / which against real listeners, each test in a private
 * network and mount namespace (unshare -n -m, plus -r when not root) whose
 * /etc/hosts maps localhost to both ::1 and 127.0.0.1.  The answers are
 * checked against ss(8) and against a real client connection: the servers
 * write their pid to whoever connects.  All traffic stays on the
 * namespace's own loopback.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

/*
 * Shell helpers of every test.  Waits are bounded (100 x 50 ms); the
 * servers die on their own after 30 s should a test leave them behind.
 */
static const char ports_prelude[] =
    "set -u\n"
    /* dash forgets its jobs inside $(...): list them to a file first */
    "trap 'jobs -p > \"$D/jobs\"; kill $(cat \"$D/jobs\") 2>/dev/null; wait' EXIT\n"
    "wait_tcp() {\n"
    "	i=0\n"
    "	until ss -Hltn \"sport = :$1\" | grep -qF \"$2\"; do\n"
    "		i=$((i + 1)); [ $i -ge 100 ] && { echo \"timeout: $2\" >&2; exit 99; }\n"
    "		sleep 0.05\n"
    "	done\n"
    "}\n"
    "wait_file() {\n"
    "	i=0\n"
    "	until [ -s \"$1\" ]; do\n"
    "		i=$((i + 1)); [ $i -ge 100 ] && { echo \"timeout: $1\" >&2; exit 99; }\n"
    "		sleep 0.05\n"
    "	done\n"
    "}\n"
    /* proto addr port pid, one line per (socket, process), as ss sees it */
    "ss_list() {\n"
    "	ss -Hltnup | awk '{\n"
    "		n = split($5, a, \":\"); port = a[n]\n"
    "		addr = substr($5, 1, length($5) - length(port) - 1)\n"
    "		gsub(/^\\[|\\]$/, \"\", addr); if (addr == \"*\") addr = \"::\"\n"
    "		p = $0\n"
    "		while (match(p, /pid=[0-9]+/)) {\n"
    "			print $1, addr, port, substr(p, RSTART + 4, RLENGTH - 4)\n"
    "			p = substr(p, RSTART + RLENGTH)\n"
    "		}\n"
    "	}' | sort -u\n"
    "}\n"
    "bw_list() {\n"
    "	\"$BW\" ports --json --all | jq -r '.ports[] | . as $g | .sockets[] |\n"
    "	    \"\\($g.proto) \\(.addr) \\($g.port) \\(.pid)\"' | sort -u\n"
    "}\n"
    /* a client that tries the addresses in getaddrinfo order, like nc */
    "ask() {\n"
    "	perl -MIO::Socket::IP -e '$s = IO::Socket::IP->new(PeerHost =>\n"
    "	    $ARGV[0], PeerPort => $ARGV[1]) or exit 1; print scalar <$s>' \"$1\" \"$2\"\n"
    "}\n"
    /* perl itself in the background, so that $! is the server's pid */
    "SRV=\"perl $D/srv.pl\"\n";

/* A server that tells each client its pid.  Options after HOST PORT. */
static const char ports_server[] =
    "use IO::Socket::IP;\n"
    "alarm 30;\n"
    "open STDOUT, '>', '/dev/null';\n"
    "my ($host, $port, @o) = @ARGV; my %o = map { $_ => 1 } @o;\n"
    "my $s = IO::Socket::IP->new(LocalHost => $host, LocalPort => $port,\n"
    "    Listen => 5, ReuseAddr => 1, ($o{reuseport} ? (ReusePort => 1) : ()),\n"
    "    ($o{v6only} ? (V6Only => 1) : ()), ($o{dual} ? (V6Only => 0) : ()))\n"
    "    or exit($!{EADDRINUSE} ? 3 : 4);\n"
    "if ($o{comm}) { open my $c, '>', '/proc/self/comm'; print $c \"ev\\033il\"; close $c }\n"
    "if ($o{fork}) {\n"
    "	my $k = fork; defined $k or exit 5;\n"
    "	$SIG{TERM} = sub { kill 'TERM', $k; exit 0 } if $k;\n"
    "	if ($k) { open my $f, '>', \"$ENV{D}/fork.pid\"; print $f \"$k\\n\"; close $f }\n"
    "}\n"
    "$SIG{PIPE} = 'IGNORE';\n"
    "while (my $c = $s->accept) { print $c \"$$\\n\"; close $c }\n";

struct ports_ns {
	char	 dir[64];
	char	*out;		/* the script's stdout */
	int	 status;	/* its exit status, or -1 */
};

static void
ports_write(const char *dir, const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
}

static const char *
ports_bw(void)
{
	static char path[4096];
	const char *b = getenv("BW_BUILD");

	cr_assert_not_null(b, "BW_BUILD is not set (run through make)");
	snprintf(path, sizeof(path), "%s/bindwatch", b);
	cr_assert_eq(access(path, X_OK), 0, "%s: %s", path, strerror(errno));
	return path;
}

/*
 * Run body in a fresh namespace (the harness's: loopback up, pid namespace,
 * a hosts file where localhost is 127.0.0.1 then ::1).  The shell sees $D,
 * a directory of ours that outlives the run so the test can read its files,
 * and $BW.
 */
static void
ports_run(struct ports_ns *ns, const char *body)
{
	char *script, *err = NULL;

	snprintf(ns->dir, sizeof(ns->dir), "/tmp/bw-ports.XXXXXX");
	cr_assert_not_null(mkdtemp(ns->dir));
	(void)chmod(ns->dir, 0755);
	ports_write(ns->dir, "srv.pl", ports_server);
	cr_assert_neq(asprintf(&script, "D='%s'; BW='%s'; export D BW; cd \"$D\"\n"
	    "%s\n%s", ns->dir, ports_bw(), ports_prelude, body), -1);
	cr_assert_eq(bw_ns_run_with(script, "127.0.0.1 localhost\n::1 localhost\n",
	    0, &ns->out, &err, &ns->status), 0, "cannot run the namespace");
	free(script);
	if (ns->status != 0)
		cr_log_error("script exit %d, stderr:\n%s\nstdout:\n%s",
		    ns->status, err, ns->out);
	free(err);
}

/* The script's files, and its "key=value" stdout lines. */
static char *
ports_file(const struct ports_ns *ns, const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", ns->dir, name);
	return bw_slurp(path);
}

static char *
ports_get(const struct ports_ns *ns, const char *key)
{
	char *v = bw_value(ns->out, key);

	cr_assert_not_null(v, "no %s= in the script's output:\n%s", key, ns->out);
	return v;
}

static void
ports_expect(const struct ports_ns *ns, const char *key, const char *want)
{
	char *v = ports_get(ns, key);

	cr_expect_str_eq(v, want, "%s", key);
	free(v);
}

static void
ports_done(struct ports_ns *ns)
{
	char cmd[128];

	free(ns->out);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", ns->dir);
	if (system(cmd) != 0)
		cr_log_warn("could not remove %s", ns->dir);
}

/*
 * The article: three servers asked for localhost:3000.  The first gets
 * [::1], the second falls back to 127.0.0.1, the third fails; a client of
 * localhost:3000 reaches the first, and `which` must say so.
 */
Test(ports, three_server_story, .timeout = 60)
{
	struct ports_ns ns;
	char *a, *b, *bw, *ss;

	ports_run(&ns,
	    "$SRV localhost 3000 & A=$!; wait_tcp 3000 '[::1]:3000'\n"
	    "$SRV localhost 3000 & B=$!; wait_tcp 3000 '127.0.0.1:3000'\n"
	    "$SRV localhost 3000; echo third=$?\n"
	    "echo A=$A; echo B=$B\n"
	    "\"$BW\" ports --json 3000 > $D/ports.json; echo ports_rc=$?\n"
	    "jq -r '[.ports[].port] | join(\",\")' $D/ports.json | sed 's/^/groups=/'\n"
	    "jq -r '.ports[0].split' $D/ports.json | sed 's/^/split=/'\n"
	    "jq -r '.ports[0].exposed' $D/ports.json | sed 's/^/exposed=/'\n"
	    "jq -r '.ports[0].sockets[] | select(.addr == \"::1\") | .pid' $D/ports.json | sed 's/^/v6pid=/'\n"
	    "jq -r '.ports[0].sockets[] | select(.addr == \"127.0.0.1\") | .pid' $D/ports.json | sed 's/^/v4pid=/'\n"
	    "jq -r '.ports[0].sockets[0].comm' $D/ports.json | sed 's/^/comm=/'\n"
	    "\"$BW\" ports > $D/ports.txt; echo text_rc=$?\n"
	    "\"$BW\" which --json localhost:3000 > $D/which.json; echo which_rc=$?\n"
	    "jq -r '[.candidates[].addr] | join(\",\")' $D/which.json | sed 's/^/order=/'\n"
	    "jq -r '.reached.pid' $D/which.json | sed 's/^/reached=/'\n"
	    "jq -r '.reached.addr' $D/which.json | sed 's/^/reached_addr=/'\n"
	    "jq -r '.split' $D/which.json | sed 's/^/which_split=/'\n"
	    "jq -r '.candidates[1].listeners[0].pid' $D/which.json | sed 's/^/cand1=/'\n"
	    "echo answered=$(ask localhost 3000)\n"
	    "echo answered4=$(ask 127.0.0.1 3000)\n"
	    "bw_list > $D/bw.list; ss_list > $D/ss.list\n");
	cr_assert_eq(ns.status, 0);
	a = ports_get(&ns, "A");
	b = ports_get(&ns, "B");
	ports_expect(&ns, "third", "3");	/* EADDRINUSE */
	ports_expect(&ns, "ports_rc", "0");
	ports_expect(&ns, "groups", "3000");
	ports_expect(&ns, "split", "true");
	ports_expect(&ns, "exposed", "false");
	ports_expect(&ns, "v6pid", a);
	ports_expect(&ns, "v4pid", b);
	ports_expect(&ns, "comm", "perl");
	ports_expect(&ns, "which_rc", "0");
	ports_expect(&ns, "order", "::1,127.0.0.1");
	ports_expect(&ns, "reached", a);
	ports_expect(&ns, "reached_addr", "::1");
	ports_expect(&ns, "which_split", "true");
	ports_expect(&ns, "cand1", b);
	/* The real client lands where `which` said. */
	ports_expect(&ns, "answered", a);
	ports_expect(&ns, "answered4", b);

	bw = ports_file(&ns, "bw.list");
	ss = ports_file(&ns, "ss.list");
	cr_expect_str_eq(bw, ss, "ports and ss disagree");
	cr_expect_neq(strlen(ss), 0);
	free(bw);
	free(ss);
	bw = ports_file(&ns, "ports.txt");
	cr_expect_not_null(strstr(bw, "SPLIT"), "text:\n%s", bw);
	cr_expect_not_null(strstr(bw, "[::1]:3000"), "text:\n%s", bw);
	free(bw);
	free(a);
	free(b);
	ports_done(&ns);
}

/* Two processes share 127.0.0.1:4000 with SO_REUSEPORT: not a split. */
Test(ports, reuseport_pair, .timeout = 60)
{
	struct ports_ns ns;
	char *a, *b, *got, *bw, *ss;

	ports_run(&ns,
	    "$SRV 127.0.0.1 4000 reuseport & A=$!; wait_tcp 4000 127.0.0.1:4000\n"
	    "$SRV 127.0.0.1 4000 reuseport & B=$!\n"
	    "i=0; until [ $(ss -Hltn 'sport = :4000' | wc -l) -eq 2 ]; do\n"
	    "	i=$((i + 1)); [ $i -ge 100 ] && exit 99; sleep 0.05; done\n"
	    "echo A=$A; echo B=$B\n"
	    "\"$BW\" ports --json > $D/p.json\n"
	    "jq -r '.ports[0].sockets | length' $D/p.json | sed 's/^/n=/'\n"
	    "jq -r '.ports[0].split' $D/p.json | sed 's/^/split=/'\n"
	    "jq -r '[.ports[0].sockets[].options[]] | join(\",\")' $D/p.json | sed 's/^/opts=/'\n"
	    "jq -r '[.ports[0].sockets[].pid] | sort | join(\",\")' $D/p.json | sed 's/^/pids=/'\n"
	    "\"$BW\" which --json 127.0.0.1:4000 > $D/w.json; echo which_rc=$?\n"
	    "jq -r '[.candidates[0].listeners[].pid] | sort | join(\",\")' $D/w.json | sed 's/^/listeners=/'\n"
	    "jq -r '.split' $D/w.json | sed 's/^/which_split=/'\n"
	    "echo answered=$(ask 127.0.0.1 4000)\n"
	    "bw_list > $D/bw.list; ss_list > $D/ss.list\n");
	cr_assert_eq(ns.status, 0);
	a = ports_get(&ns, "A");
	b = ports_get(&ns, "B");
	ports_expect(&ns, "n", "2");
	ports_expect(&ns, "split", "false");
	ports_expect(&ns, "opts", "reuseport,reuseport");
	ports_expect(&ns, "which_rc", "0");
	ports_expect(&ns, "which_split", "false");
	{
		char want[64];

		snprintf(want, sizeof(want), "%s,%s",
		    atoi(a) < atoi(b) ? a : b, atoi(a) < atoi(b) ? b : a);
		ports_expect(&ns, "pids", want);
		ports_expect(&ns, "listeners", want);
	}
	/* Whichever sibling the kernel picked is one `which` named. */
	got = ports_get(&ns, "answered");
	cr_expect(strcmp(got, a) == 0 || strcmp(got, b) == 0,
	    "answered by %s, not %s or %s", got, a, b);
	bw = ports_file(&ns, "bw.list");
	ss = ports_file(&ns, "ss.list");
	cr_expect_str_eq(bw, ss, "ports and ss disagree");
	free(bw);
	free(ss);
	free(got);
	free(a);
	free(b);
	ports_done(&ns);
}

/* One listening socket held by a parent and its forked child. */
Test(ports, forked_listener, .timeout = 60)
{
	struct ports_ns ns;
	char *p, *c, *got, *bw, *ss, want[64];

	ports_run(&ns,
	    "$SRV 127.0.0.1 5000 fork & P=$!; wait_tcp 5000 127.0.0.1:5000\n"
	    "wait_file $D/fork.pid; echo P=$P; echo C=$(cat $D/fork.pid)\n"
	    "\"$BW\" ports --json 5000 > $D/p.json\n"
	    "jq -r '[.ports[0].sockets[].pid] | join(\",\")' $D/p.json | sed 's/^/pids=/'\n"
	    "jq -r '[.ports[0].sockets[].addr] | join(\",\")' $D/p.json | sed 's/^/addrs=/'\n"
	    "jq -r '[.ports[0].sockets[].options[]] | length' $D/p.json | sed 's/^/nopts=/'\n"
	    "\"$BW\" which --json localhost:5000 > $D/w.json; echo which_rc=$?\n"
	    "jq -r '[.candidates[].listeners | length] | join(\",\")' $D/w.json | sed 's/^/nl=/'\n"
	    "jq -r '.reached.addr' $D/w.json | sed 's/^/reached_addr=/'\n"
	    "echo answered=$(ask localhost 5000)\n"
	    "bw_list > $D/bw.list; ss_list > $D/ss.list\n");
	cr_assert_eq(ns.status, 0);
	p = ports_get(&ns, "P");
	c = ports_get(&ns, "C");
	snprintf(want, sizeof(want), "%s,%s", atoi(p) < atoi(c) ? p : c,
	    atoi(p) < atoi(c) ? c : p);
	ports_expect(&ns, "pids", want);
	ports_expect(&ns, "addrs", "127.0.0.1,127.0.0.1");
	ports_expect(&ns, "nopts", "0");	/* one socket: no reuseport */
	ports_expect(&ns, "which_rc", "0");
	ports_expect(&ns, "nl", "0,2");		/* ::1 refused, then both pids */
	ports_expect(&ns, "reached_addr", "127.0.0.1");
	got = ports_get(&ns, "answered");
	cr_expect(strcmp(got, p) == 0 || strcmp(got, c) == 0,
	    "answered by %s, not %s or %s", got, p, c);
	bw = ports_file(&ns, "bw.list");
	ss = ports_file(&ns, "ss.list");
	cr_expect_str_eq(bw, ss, "ports and ss disagree");
	free(bw);
	free(ss);
	free(got);
	free(p);
	free(c);
	ports_done(&ns);
}

/*
 * A dual-stack "::" answers 127.0.0.1, a v6only "::" does not (the kernel
 * option read through sock_diag), and which agrees with a real connect.
 */
Test(ports, wildcards_and_v6only, .timeout = 60)
{
	struct ports_ns ns;
	char *d;

	ports_run(&ns,
	    "$SRV :: 7000 dual & D7=$!; wait_tcp 7000 ':7000'\n"
	    "$SRV :: 7001 v6only & D8=$!; wait_tcp 7001 ':7001'\n"
	    "$SRV 0.0.0.0 7002 & D9=$!; wait_tcp 7002 '0.0.0.0:7002'\n"
	    "echo D7=$D7\n"
	    "\"$BW\" which --json 127.0.0.1:7000 > $D/w0.json; echo rc0=$?\n"
	    "jq -r '.reached.pid' $D/w0.json | sed 's/^/r0=/'\n"
	    "echo answered0=$(ask 127.0.0.1 7000)\n"
	    "\"$BW\" which --json 127.0.0.1:7001 > $D/w1.json; echo rc1=$?\n"
	    "jq -r '.reached' $D/w1.json | sed 's/^/r1=/'\n"
	    "ask 127.0.0.1 7001 >/dev/null; echo connect1=$?\n"
	    "\"$BW\" which --json '[::1]:7002' > $D/w2.json; echo rc2=$?\n"
	    "ask ::1 7002 >/dev/null; echo connect2=$?\n"
	    "\"$BW\" ports --json > $D/p.json\n"
	    "jq -r '[.ports[] | select(.port == 7001) | .sockets[0].options[]] | join(\",\")' $D/p.json | sed 's/^/opts1=/'\n"
	    "jq -r '[.ports[] | select(.port == 7000) | .sockets[0].options[]] | join(\",\")' $D/p.json | sed 's/^/opts0=/'\n"
	    "jq -r '[.ports[] | .exposed] | join(\",\")' $D/p.json | sed 's/^/exposed=/'\n"
	    "\"$BW\" which localhost:7003 > $D/w3.txt; echo rc3=$?\n"
	    "\"$BW\" which --json localhost:7003 | jq -r '.reached' | sed 's/^/r3=/'\n");
	cr_assert_eq(ns.status, 0);
	d = ports_get(&ns, "D7");
	ports_expect(&ns, "rc0", "0");
	ports_expect(&ns, "r0", d);
	ports_expect(&ns, "answered0", d);
	ports_expect(&ns, "rc1", "1");
	ports_expect(&ns, "r1", "null");
	ports_expect(&ns, "connect1", "1");	/* refused for real */
	ports_expect(&ns, "rc2", "1");
	ports_expect(&ns, "connect2", "1");
	ports_expect(&ns, "opts1", "v6only");
	ports_expect(&ns, "opts0", "");
	ports_expect(&ns, "exposed", "true,true,true");
	ports_expect(&ns, "rc3", "1");
	ports_expect(&ns, "r3", "null");
	free(d);
	ports_done(&ns);
}

/* A comm with an escape sequence never reaches the terminal raw. */
Test(ports, hostile_comm_escaped, .timeout = 60)
{
	struct ports_ns ns;
	char *txt, *wt;

	ports_run(&ns,
	    "$SRV 127.0.0.1 6100 comm & wait_tcp 6100 127.0.0.1:6100\n"
	    "i=0; until ss -Hltnp 'sport = :6100' | grep -q 'ev.*il'; do\n"
	    "	i=$((i + 1)); [ $i -ge 100 ] && exit 99; sleep 0.05; done\n"
	    "\"$BW\" ports > $D/p.txt\n"
	    "\"$BW\" which 127.0.0.1:6100 > $D/w.txt\n"
	    "\"$BW\" ports --json | jq -j '.ports[0].sockets[0].comm' | od -An -c | tr -d ' \\n' | sed 's/^/comm=/'; echo\n");
	cr_assert_eq(ns.status, 0);
	txt = ports_file(&ns, "p.txt");
	wt = ports_file(&ns, "w.txt");
	cr_expect_null(strchr(txt, '\033'), "raw ESC in:\n%s", txt);
	cr_expect_null(strchr(wt, '\033'), "raw ESC in:\n%s", wt);
	/* As the live lines write it (README, the event format). */
	cr_expect_not_null(strstr(txt, "ev\\x1bil"), "text:\n%s", txt);
	cr_expect_not_null(strstr(wt, "ev\\x1bil"), "text:\n%s", wt);
	/* JSON carries the true bytes (jq decodes \u001b back to ESC). */
	ports_expect(&ns, "comm", "ev033il");
	free(txt);
	free(wt);
	ports_done(&ns);
}

/* Owners an unprivileged user may not see: "?", and a hint, no crash. */
Test(ports, hidden_owners, .timeout = 60)
{
	struct ports_ns ns;
	char *err;

	if (geteuid() != 0)
		cr_skip_test("needs root to run bindwatch as another user");
	ports_run(&ns,
	    "$SRV 127.0.0.1 6200 & wait_tcp 6200 127.0.0.1:6200\n"
	    "NB=\"setpriv --reuid=65534 --regid=65534 --clear-groups\"\n"
	    "$NB \"$BW\" ports --json 6200 > $D/p.json 2> $D/p.err; echo rc=$?\n"
	    "jq -r '.ports[0].sockets[0].pid' $D/p.json | sed 's/^/pid=/'\n"
	    "jq -r '.ports[0].sockets[0].comm' $D/p.json | sed 's/^/comm=/'\n"
	    "jq -r '.ports[0].sockets[0].user' $D/p.json | sed 's/^/user=/'\n"
	    "$NB \"$BW\" which 127.0.0.1:6200 > $D/w.txt 2>/dev/null; echo wrc=$?\n");
	cr_assert_eq(ns.status, 0);
	ports_expect(&ns, "rc", "0");
	ports_expect(&ns, "pid", "null");
	ports_expect(&ns, "comm", "?");
	ports_expect(&ns, "user", "root");
	ports_expect(&ns, "wrc", "0");	/* the listener is there, owner or not */
	err = ports_file(&ns, "p.err");
	cr_expect_not_null(strstr(err, "run as root"), "stderr: %s", err);
	cr_expect_eq(strncmp(err, "bindwatch: ", 11), 0, "stderr: %s", err);
	free(err);
	ports_done(&ns);
}

/*
 * Bad input: exit 125 and exactly one line "bindwatch: ..." on stderr;
 * where given, that line word for word, from the one helper of every
 * subcommand (tools/usage.c): what was typed is escaped as the live lines
 * escape (\xNN).
 */
Test(ports, bad_input)
{
	static const struct {
		const char	*args, *line;
	} cases[] = {
		/* ports: options, then the ports themselves */
		{ "ports --bogus", "ports: unknown option: --bogus" },
		{ "ports -x", "ports: unknown option: -x" },
		{ "ports --json=yes", "ports: option takes no value: --json=yes" },
		{ "ports 70000", NULL },
		{ "ports 0", NULL },
		{ "ports 30x", "ports: not a port (1-65535): 30x" },
		{ "ports \"$(printf 'a\\033 b')\"",
		    "ports: not a port (1-65535): a\\x1b b" },
		/* which: the target, then options */
		{ "which", NULL },
		{ "which localhost", NULL },
		{ "which ::1:3000", NULL },
		{ "which [::1:3000", NULL },
		{ "which [::1]", NULL },
		{ "which localhost:", NULL },
		{ "which :3000", NULL },
		{ "which localhost:99999", NULL },
		{ "which localhost:3000 extra", NULL },
		{ "which --nope localhost:3000", "which: unknown option: --nope" },
		{ "which \"$(printf -- '--a\\033')\" x:1",
		    "which: unknown option: --a\\x1b" },
		{ "which \"$(printf -- '-\\033')\" x:1",
		    "which: unknown option: -\\x1b" },
		/* a run's own options */
		{ "--bogus true", "--bogus: unknown option" },
		{ "-Z true", "-Z: unknown option" },
		{ "--json=1 true", "--json=1: option takes no value" },
		{ "--force", "--force needs a value" },
		{ "-o", "-o needs a value" },
	};
	char cmd[4200], want[128], *err, path[64];
	size_t i;
	int st;

	snprintf(path, sizeof(path), "/tmp/bw-ports-err.%ld", (long)getpid());
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(cmd, sizeof(cmd), "'%s' %s >/dev/null 2>%s", ports_bw(),
		    cases[i].args, path);
		st = system(cmd);
		cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 125,
		    "bindwatch %s: status %d", cases[i].args, WEXITSTATUS(st));
		err = bw_slurp(path);
		cr_expect_eq(strncmp(err, "bindwatch: ", 11), 0,
		    "bindwatch %s: stderr %s", cases[i].args, err);
		cr_expect(strlen(err) > 0 && strchr(err, '\n') ==
		    err + strlen(err) - 1, "bindwatch %s: not one line: %s",
		    cases[i].args, err);
		if (cases[i].line != NULL) {
			snprintf(want, sizeof(want), "bindwatch: %s\n",
			    cases[i].line);
			cr_expect_str_eq(err, want, "bindwatch %s",
			    cases[i].args);
		}
		free(err);
	}
	unlink(path);
}
