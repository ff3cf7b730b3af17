/*
 * bindwatch -- COMMAND: the run, the tree, the channel and the report,
 * each in a private network namespace (harness.h), checked against ss and
 * against what the programs themselves say.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

/* Run script in a dual-stack namespace; assert it could run at all. */
static char *
run_ns(const char *script, char **err, int *status)
{
	char *out = NULL, *full;

	/* Inner shells (sh -c '...') see the harness's variables too. */
	cr_assert_not_null(bw_build(), "no build directory (set BW_BUILD)");
	cr_assert(asprintf(&full, "export D BW_BUILD LIB FIX BW\n%s", script) > 0);
	cr_assert_eq(bw_ns_run(full, &out, err, status), 0, "cannot run %s", script);
	free(full);
	return out;
}

/* Every line of text must be valid JSON: python3's parser says. */
static void
run_assert_json_lines(const char *text)
{
	char *out = NULL, *err = NULL, cmd[256], path[] = "/tmp/bw-json.XXXXXX";
	int status, fd = mkstemp(path);
	FILE *f;

	cr_assert_neq(fd, -1);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	/* Only the lines that claim to be JSON: others are the script's. */
	snprintf(cmd, sizeof(cmd), "python3 -c 'import json,sys\n"
	    "n=0\nfor l in open(sys.argv[1], errors=\"strict\"):\n"
	    " if l.startswith(\"{\"): json.loads(l); n+=1\n"
	    "print(n)' %s", path);
	cr_assert_eq(bw_sh_run(cmd, &out, &err, &status), 0);
	unlink(path);
	cr_assert_eq(status, 0, "invalid JSON:\n%s\n%s", err, text);
	cr_assert(atoi(out) > 0, "no JSON lines");
	free(out);
	free(err);
}

/* The summary: the last line that starts with {"type":"summary". */
static char *
run_summary(const char *text)
{
	const char *p = NULL, *q = text;

	while ((q = strstr(q, "{\"type\":\"summary\"")) != NULL)
		p = q++;
	cr_assert_not_null(p, "no summary in:\n%s", text);
	return strndup(p, strcspn(p, "\n"));
}

/* jq -r FILTER on one JSON text. */
static char *
run_jq(const char *json, const char *filter)
{
	char *out = NULL, *cmd;
	int status;

	cr_assert(asprintf(&cmd, "printf '%%s' '%s' | jq -r '%s'", json, filter) > 0);
	cr_assert_eq(bw_sh_run(cmd, &out, NULL, &status), 0);
	cr_assert_eq(status, 0, "jq %s failed on %s", filter, json);
	free(cmd);
	out[strcspn(out, "\n")] = out[strlen(out)] ;
	return out;
}

Test(run, perl_fallback_story, .timeout = 90)
{
	char *out, *err = NULL, *sum, *v;
	int status;

	out = run_ns(
	    "perl -MIO::Socket::IP -e '$s=IO::Socket::IP->new(LocalHost=>\"localhost\","
	    "LocalPort=>3000,Listen=>5) or die; $|=1; print \"HOLDER $$\\n\"; sleep 30' >$D/holder &\n"
	    "bw_wait_listen '[::1]:3000' || exit 90\n"
	    "( bw_wait_listen 127.0.0.1:3000 && bw_ss >$D/ss ) &\n"
	    "$BW --json --timeout 2 -o $D/report -- perl -MIO::Socket::IP -e "
	    "'$s=IO::Socket::IP->new(LocalHost=>\"localhost\",LocalPort=>3000,Listen=>5) "
	    "or die; sleep 30'\n"
	    "echo STATUS $?\nwait $!\ncat $D/holder $D/report\necho SS; cat $D/ss\n",
	    &err, &status);
	cr_assert_eq(status, 0, "%s\n%s", out, err);
	cr_assert(strstr(out, "STATUS 143") != NULL, "ended by --timeout: %s", out);
	run_assert_json_lines(strstr(out, "{"));
	sum = run_summary(out);
	/* The holder named by the summary is the process that holds [::1]:3000. */
	v = run_jq(sum, ".failed[0] | \"\\(.addr) \\(.port) \\(.errno) \\(.holder.pid)\"");
	{
		long holder = bw_number_after(out, "HOLDER ");
		char want[64];

		snprintf(want, sizeof(want), "::1 3000 EADDRINUSE %ld", holder);
		cr_assert(strncmp(v, want, strlen(want)) == 0, "%s vs %s", v, want);
	}
	free(v);
	v = run_jq(sum, ".listening | map(\"\\(.addr):\\(.port)\") | join(\",\")");
	cr_assert(strncmp(v, "127.0.0.1:3000", 14) == 0, "%s", v);
	free(v);
	v = run_jq(sum, ".fallbacks[0] | \"\\(.tried_addr) \\(.addr)\"");
	cr_assert(strncmp(v, "::1 127.0.0.1", 13) == 0, "%s", v);
	free(v);
	v = run_jq(sum, ".warnings[] | select(.kind==\"split-localhost\") | "
	    "\"\\(.port) \\(.reached.addr) \\(.reached.in_run)\"");
	cr_assert(strncmp(v, "3000 ::1 false", 14) == 0, "%s", v);
	free(v);
	/* What the summary says is listening is what ss saw for the run. */
	{
		struct bw_ss_sock s;
		char *ss = strstr(out, "SS\n");

		cr_assert_not_null(ss);
		cr_assert_eq(bw_ss_find(ss, "127.0.0.1:3000", &s), 0, "%s", ss);
		v = run_jq(sum, ".listening[0].pid");
		cr_assert_eq(atol(v), s.pid, "summary pid %s, ss pid %ld", v, s.pid);
		free(v);
	}
	free(sum);
	free(out);
	free(err);
}

Test(run, text_summary_explains_the_trap, .timeout = 90)
{
	char *out, *err = NULL;
	int status;

	out = run_ns(
	    "$FIX/gai_walker localhost 3000 30 >/dev/null &\n"
	    "bw_wait_listen '[::1]:3000' || exit 90\n"
	    "$BW --timeout 1.5 -- $FIX/gai_walker localhost 3000 30 2>&1\n",
	    &err, &status);
	cr_assert_eq(status, 143, "%s\n%s", out, err);
	cr_assert(strstr(out, "bind(3, [::1]:3000) = -1 EADDRINUSE") != NULL, "%s", out);
	cr_assert(strstr(out, "failed     tcp [::1]:3000  EADDRINUSE, held by pid") != NULL, "%s", out);
	cr_assert(strstr(out, "fallback   tried [::1]:3000, got 127.0.0.1:3000") != NULL, "%s", out);
	cr_assert(strstr(out, "! split localhost:3000") != NULL, "%s", out);
	cr_assert(strstr(out, "tries [::1]:3000 first and reaches pid") != NULL, "%s", out);
	cr_assert(strstr(out, "\033[") == NULL, "no colour off a terminal");
	free(out);
	free(err);
}

Test(run, exit_statuses, .timeout = 60)
{
	char *out, *err = NULL;
	int status;

	out = run_ns(
	    "$BW -q -- true 2>/dev/null; echo A $?\n"
	    "$BW -q -- sh -c 'exit 7' 2>/dev/null; echo B $?\n"
	    "printf 'x' >$D/noexec; chmod 644 $D/noexec\n"
	    "$BW -q -- $D/noexec 2>$D/e126; echo C $?\n"
	    "$BW -q -- /nonexistent/cmd 2>$D/e127; echo D $?\n"
	    "$BW -q -- sh -c 'kill -TERM $$' 2>/dev/null; echo E $?\n"
	    "$BW -q -- sh -c 'kill -KILL $$' 2>/dev/null; echo F $?\n"
	    "$BW --bogus -- true 2>$D/e125; echo G $?\n"
	    "$BW --timeout abc -- true 2>>$D/e125; echo H $?\n"
	    "$BW --force 1.2.3.x -- true 2>>$D/e125; echo I $?\n"
	    "$BW 2>>$D/e125; echo J $?\n"
	    "cat $D/e126 $D/e127 $D/e125\n",
	    &err, &status);
	cr_assert_eq(status, 0, "%s\n%s", out, err);
	cr_assert(strstr(out, "A 0\n") != NULL, "%s", out);
	cr_assert(strstr(out, "B 7\n") != NULL, "%s", out);
	cr_assert(strstr(out, "C 126\n") != NULL, "%s", out);
	cr_assert(strstr(out, "D 127\n") != NULL, "%s", out);
	cr_assert(strstr(out, "E 143\n") != NULL, "%s", out);
	cr_assert(strstr(out, "F 137\n") != NULL, "%s", out);
	cr_assert(strstr(out, "G 125\n") != NULL, "%s", out);
	cr_assert(strstr(out, "H 125\n") != NULL, "%s", out);
	cr_assert(strstr(out, "I 125\n") != NULL, "%s", out);
	cr_assert(strstr(out, "J 125\n") != NULL, "%s", out);
	cr_assert(strstr(out, "bindwatch: /nonexistent/cmd: command not found") != NULL, "%s", out);
	cr_assert(strstr(out, "bindwatch: --bogus: unknown option") != NULL, "%s", out);
	cr_assert(strstr(out, "bindwatch: --timeout abc: not a number") != NULL, "%s", out);
	cr_assert(strstr(out, "bindwatch: --force 1.2.3.x: not a numeric") != NULL, "%s", out);
	/* One line per refusal. */
	cr_assert_eq(bw_count_lines(out, "bindwatch: ", NULL), 6, "%s", out);
	free(out);
	free(err);
}

Test(run, signals_are_forwarded, .timeout = 60)
{
	char *out, *err = NULL;
	int status;

	out = run_ns(
	    "$BW -q -- sh -c 'trap \"echo got-usr1; exit 3\" USR1; touch $D/ready; "
	    "while :; do sleep 0.05; done' 2>/dev/null &\n"
	    "bw=$!\nbw_wait_grep /dev/null x; i=0\n"
	    "until [ -e $D/ready ]; do sleep 0.05; i=$((i+1)); [ $i -lt 100 ] || exit 91; done\n"
	    "kill -USR1 $bw; wait $bw; echo USR1 $?\n"
	    "$BW -q -- sh -c 'touch $D/r2; exec sleep 30' 2>/dev/null &\n"
	    "bw=$!; i=0\n"
	    "until [ -e $D/r2 ]; do sleep 0.05; i=$((i+1)); [ $i -lt 100 ] || exit 92; done\n"
	    "sleep 0.2; kill -TERM $bw; wait $bw; echo TERM $?\n",
	    &err, &status);
	cr_assert_eq(status, 0, "%s\n%s", out, err);
	cr_assert(strstr(out, "got-usr1\nUSR1 3\n") != NULL, "%s", out);
	cr_assert(strstr(out, "TERM 143\n") != NULL, "%s", out);
	free(out);
	free(err);
}

Test(run, forking_server_and_exec, .timeout = 90)
{
	char *out, *err = NULL, *sum, *v;
	int status;
	long parent;

	out = run_ns("$BW --json -o $D/report -- $FIX/forker 4 >$D/out 2>$D/err; echo STATUS $?\n"
	    "cat $D/out $D/report; echo STDERR; cat $D/err\n", &err, &status);
	cr_assert_eq(status, 0, "%s\n%s", out, err);
	cr_assert(strstr(out, "STATUS 0") != NULL, "%s\n%s", strstr(out, "STDERR"), out);
	run_assert_json_lines(strstr(out, "{"));
	sum = run_summary(out);
	parent = bw_number_after(out, "PARENT ");
	/* Parent, 4 children and the exec'd image each listen on their own. */
	v = run_jq(sum, ".listening | map(.pid) | unique | length");
	cr_assert_geq(atol(v), 6, "%s", sum);
	free(v);
	v = run_jq(sum, ".processes | map(.pid) | unique | length");
	cr_assert_geq(atol(v), 6, "%s", sum);
	free(v);
	cr_assert_eq(bw_count_lines(out, "\"type\":\"exec\"", "forker"), 2,
	    "the first image and the re-exec: %s", out);
	cr_assert(parent > 0);
	v = run_jq(sum, ".lost_events");
	cr_assert_eq(atol(v), 0);
	free(v);
	free(sum);
	free(out);
	free(err);
}

Test(run, double_forking_daemon_that_closes_everything, .timeout = 90)
{
	char *out, *err = NULL, *sum, *v;
	int status;

	/* Like redis --daemonize: fork, setsid, fork, close every descriptor,
	 * then bind; the first process exits at once.  bindwatch must wait
	 * for the daemon and still see its events. */
	out = run_ns(
	    "$BW --json -o $D/report -- python3 -c '\n"
	    "import os, socket, time\n"
	    "if os.fork(): os._exit(0)\n"
	    "os.setsid()\n"
	    "if os.fork(): os._exit(0)\n"
	    "os.closerange(0, 65536)\n"
	    "s = socket.socket(); s.bind((\"127.0.0.1\", 4567)); s.listen()\n"
	    "time.sleep(1)\n"
	    "'\necho STATUS $?\ncat $D/report\n", &err, &status);
	cr_assert_eq(status, 0, "%s\n%s", out, err);
	cr_assert(strstr(out, "STATUS 0") != NULL, "%s", out);
	sum = run_summary(out);
	v = run_jq(sum, ".listening | map(\"\\(.addr):\\(.port)\") | join(\",\")");
	cr_assert(strncmp(v, "127.0.0.1:4567", 14) == 0, "the daemon's listener: %s", sum);
	free(v);
	v = run_jq(sum, ".processes | length");
	cr_assert_geq(atol(v), 3, "%s", sum);
	free(v);
	v = run_jq(sum, ".lost_events");
	cr_assert_eq(atol(v), 0, "%s", sum);
	free(v);
	free(sum);
	free(out);
	free(err);
}

/*
 * The tree shares one connection to the collector (BINDWATCH_COLLECTOR_FD):
 * every image finds it at the number and inode the variable names and
 * makes no connection of its own.  An image that closed it, or put
 * another file at its number, connects instead: its events arrive all
 * the same, and that file gets nothing.  Below 701 descriptors there is
 * no shared connection, and every image connects.
 */
Test(run, one_channel_for_the_tree, .timeout = 90)
{
	char *out, *err = NULL, *sum, *v;
	int status;

	out = run_ns(
	    "cat > $D/child.py <<'EOF'\n"
	    "import os, socket, sys\n"
	    "mode, port = sys.argv[1], int(sys.argv[2])\n"
	    "if mode == 'closed': os.closerange(3, 65536)\n"
	    "if mode == 'replaced':\n"
	    "    fd = int(os.environ['BINDWATCH_COLLECTOR_FD'].split(':')[0])\n"
	    "    f = os.open(os.environ['D'] + '/notours', os.O_WRONLY | os.O_CREAT, 0o600)\n"
	    "    os.dup2(f, fd)\n"
	    "s = socket.socket(); s.bind(('127.0.0.1', port)); s.listen()\n"
	    "if mode == 'kept':\n"
	    "    ino = os.environ.get('BINDWATCH_COLLECTOR_FD', ':').split(':')[1]\n"
	    "    high = sorted(os.readlink('/proc/self/fd/' + f) for f in\n"
	    "        os.listdir('/proc/self/fd') if int(f) >= 700)\n"
	    "    print('from 700:', 'only the channel' if high == ['socket:[%s]' %\n"
	    "        ino] else high)\n"
	    "EOF\n"
	    "$BW --json -q -o $D/report -- sh -c '\n"
	    "  v=$BINDWATCH_COLLECTOR_FD\n"
	    "  echo \"channel $(readlink /proc/self/fd/${v%%:*}) inode ${v#*:}\"\n"
	    "  python3 $D/child.py kept 4601\n"
	    "  python3 $D/child.py closed 4602\n"
	    "  python3 $D/child.py replaced 4603'\n"
	    "echo STATUS $?\n"
	    "echo \"notours $(wc -c < $D/notours) bytes\"\n"
	    "(ulimit -n 256; $BW --json -q -o $D/report2 -- sh -c "
	    "'echo \"low limit: ${BINDWATCH_COLLECTOR_FD:-no channel}\"; "
	    "python3 $D/child.py kept 4604')\n"
	    "echo \"low limit: listening on $(tail -n 1 $D/report2 | "
	    "jq -r '.listening | map(.port) | join(\",\")')\"\n"
	    "tail -n 1 $D/report\n", &err, &status);
	cr_assert_eq(status, 0, "%s\n%s", out, err);
	cr_assert(strstr(out, "STATUS 0") != NULL, "%s\n%s", out, err);
	v = strstr(out, "channel socket:[");
	cr_assert_not_null(v, "the command has no channel: %s", out);
	cr_expect_eq(strncmp(v + 16, strstr(v, "inode ") + 6,
	    strcspn(v + 16, "]")), 0, "another inode: %s", out);
	cr_expect(strstr(out, "from 700: only the channel\n") != NULL,
	    "an image connected on its own: %s", out);
	cr_expect(strstr(out, "notours 0 bytes") != NULL, "%s", out);
	cr_expect(strstr(out, "low limit: no channel") != NULL, "%s", out);
	cr_expect(strstr(out, "low limit: listening on 4604\n") != NULL, "%s",
	    out);
	sum = run_summary(out);
	v = run_jq(sum, "\"\\(.lost_events) \\(.listening | map(.port) | "
	    "sort | map(tostring) | join(\",\"))\"");
	cr_expect_str_eq(v, "0 4601,4602,4603", "%s", sum);
	free(v);
	free(sum);
	free(out);
	free(err);
}

Test(run, five_hundred_short_lived_binders, .timeout = 120)
{
	char *out, *err = NULL, *sum, *v;
	int status;

	out = run_ns(
	    "$BW --json -q -o $D/report -- sh -c 'i=0; while [ $i -lt 500 ]; do "
	    "$FIX/bind_once & i=$((i+1)); done; wait'\necho STATUS $?\n"
	    "tail -n 1 $D/report\n", &err, &status);
	cr_assert_eq(status, 0, "%s\n%s", out, err);
	cr_assert(strstr(out, "STATUS 0") != NULL, "%s", out);
	sum = run_summary(out);
	v = run_jq(sum, "\"\\(.lost_events) \\(.malformed_events) \\(.listening | map(.pid) | unique | length)\"");
	cr_assert(strncmp(v, "0 0 500", 7) == 0, "lost, malformed, listeners: %s", v);
	free(v);
	free(sum);
	free(out);
	free(err);
}

Test(run, static_binary_is_warned_and_unseen, .timeout = 60)
{
	char *out, *err = NULL, *sum, *v;
	int status;

	out = run_ns(
	    "$BW --json --timeout 1.5 -o $D/report -- $FIX/static_listener 127.0.0.1 4000 30 >/dev/null\n"
	    "cat $D/report\n"
	    "$BW -q --timeout 1 -- $FIX/static_listener 127.0.0.1 4001 30 >/dev/null 2>$D/text\n"
	    "cat $D/text\n", &err, &status);
	cr_assert_eq(status, 0, "%s\n%s", out, err);
	sum = run_summary(out);
	v = run_jq(sum, "[.warnings[] | select(.kind==\"static\" or .kind==\"unseen\") | "
	    ".kind + (if .port then \":\\(.port)\" else \"\" end)] | join(\",\")");
	cr_assert(strncmp(v, "static,unseen:4000", 18) == 0, "%s", sum);
	free(v);
	cr_assert(strstr(out, "bindwatch: warning: ") != NULL &&
	    strstr(out, "is statically linked") != NULL, "said up front: %s", out);
	cr_assert(strstr(out, "! unseen: pid ") != NULL &&
	    strstr(out, "holds tcp 127.0.0.1:4001") != NULL, "%s", out);
	free(sum);
	free(out);
	free(err);
}

Test(run, shell_wrappers_and_env, .timeout = 60)
{
	char *out, *err = NULL;
	int status;

	out = run_ns(
	    "$BW --timeout 1.5 -- sh -c 'env FOO=1 $FIX/gai_walker 127.0.0.1 4100 30' "
	    ">/dev/null 2>$D/text; cat $D/text\n"
	    "LD_PRELOAD=/nonexistent.so $BW -q -- sh -c 'echo \"$LD_PRELOAD\"' 2>/dev/null\n",
	    &err, &status);
	cr_assert_eq(status, 0, "%s\n%s", out, err);
	cr_assert(strstr(out, "gai_walker: listen(3, 128) = 0 on 127.0.0.1:4100") != NULL, "%s", out);
	cr_assert(strstr(out, ": exec /usr/bin/env") != NULL, "%s", out);
	/* Ours first, the user's kept after it. */
	cr_assert(strstr(out, "/libbindwatch.so:/nonexistent.so\n") != NULL, "%s", out);
	free(out);
	free(err);
}

Test(run, hostile_names_are_escaped, .timeout = 60)
{
	char *out, *err = NULL;
	int status;

	out = run_ns(
	    "cp $FIX/gai_walker \"$D/$(printf 'evil\\033[31m')\"\n"
	    "$BW --timeout 1 -o $D/t -- \"$D/$(printf 'evil\\033[31m')\" \"$(printf 'x\\033]0;t\\007')\" 80 "
	    ">/dev/null 2>&1; cat $D/t\n"
	    "$BW --json --timeout 1 -o $D/j -- \"$D/$(printf 'evil\\033[31m')\" \"$(printf 'q\\\"\\377')\" 81 "
	    ">/dev/null 2>&1; cat $D/j\n",
	    &err, &status);
	cr_assert_eq(status, 0, "%s\n%s", out, err);
	cr_assert(!bw_has_byte(out, 0x1b), "raw ESC reached the output: %s", out);
	cr_assert(!bw_has_byte(out, 0x07));
	/* One form everywhere: the live lines' and the summary's. */
	cr_assert(strstr(out, "\\x1b") != NULL, "%s", out);
	cr_assert(strstr(out, "\\033") == NULL, "%s", out);
	run_assert_json_lines(strstr(out, "{"));
	free(out);
	free(err);
}

Test(run, stragglers_are_waited_for_and_ctrl_c_ends_them, .timeout = 60)
{
	char *out, *err = NULL;
	int status;

	/* sh exits at once; the sleep it left behind is the tree's last
	 * process: bindwatch waits for it, says so, and SIGINT ends it. */
	out = run_ns(
	    "$BW -- sh -c 'sleep 30 & echo $! >$D/straggler; exit 5' 2>$D/text &\n"
	    "bw=$!\n"
	    "bw_wait_grep $D/text 'waiting for 1 more process' || exit 93\n"
	    "kill -0 $(cat $D/straggler) && echo STRAGGLER-ALIVE\n"
	    "kill -INT $bw; wait $bw; echo STATUS $?\n"
	    "kill -0 $(cat $D/straggler) 2>/dev/null || echo STRAGGLER-GONE\n"
	    "cat $D/text\n", &err, &status);
	cr_assert_eq(status, 0, "%s\n%s", out, err);
	cr_assert(strstr(out, "STRAGGLER-ALIVE\n") != NULL, "%s", out);
	cr_assert(strstr(out, "STATUS 5\n") != NULL, "the command's status: %s", out);
	cr_assert(strstr(out, "STRAGGLER-GONE\n") != NULL, "%s", out);
	cr_assert(strstr(out, "sleep: killed by SIGTERM") != NULL, "%s", out);
	free(out);
	free(err);
}
