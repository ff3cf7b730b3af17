/*
 * Faults: the collector stalls or dies, the target runs at its descriptor
 * limit, threads bind while another thread forks, signal handlers bind.
 * Whatever happens to bindwatch, the target is never crashed, blocked for
 * long or changed; whatever does not reach bindwatch is counted, never
 * silently dropped and never faked.  Each case in a private network
 * namespace (harness.h); no assertion on timing beyond generous bounds
 * that keep a hang from passing (the figures are printed).
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

/* Run script in a dual-stack namespace; assert it ran and exited 0. */
static char *
fault_run(const char *script)
{
	char *out = NULL, *err = NULL;
	int status;

	cr_assert_not_null(bw_build(), "no build directory (set BW_BUILD)");
	cr_assert_eq(bw_ns_run(script, &out, &err, &status), 0, "cannot run");
	cr_assert_eq(status, 0, "script failed (%d):\n%s\n%s", status, out, err);
	free(err);
	return out;
}

/* The summary: the last line that starts with {"type":"summary". */
static char *
fault_summary(const char *text)
{
	const char *p = NULL, *q = text;

	while ((q = strstr(q, "{\"type\":\"summary\"")) != NULL)
		p = q++;
	cr_assert_not_null(p, "no summary in:\n%s", text);
	return strndup(p, strcspn(p, "\n"));
}

/* jq -r FILTER on one JSON text (python3 parses it first: valid JSON). */
static long
fault_jq_long(const char *json, const char *filter)
{
	char *out = NULL, *cmd, path[] = "/tmp/bw-fault.XXXXXX";
	int status, fd = mkstemp(path);
	long v;
	FILE *f;

	cr_assert_neq(fd, -1);
	cr_assert_not_null(f = fdopen(fd, "w"));
	fputs(json, f);
	fclose(f);
	cr_assert(asprintf(&cmd, "python3 -c 'import json,sys; json.load(open(sys.argv[1]))' %s"
	    " && jq -r '%s' %s", path, filter, path) > 0);
	cr_assert_eq(bw_sh_run(cmd, &out, NULL, &status), 0);
	unlink(path);
	cr_assert_eq(status, 0, "jq %s failed on %s", filter, json);
	cr_assert(out[0] != '\0' && strcmp(out, "null\n") != 0,
	    "jq %s: nothing in %s", filter, json);
	v = strtol(out, NULL, 10);
	free(cmd);
	free(out);
	return v;
}

/* The number after key (e.g. "STATUS "), which must be there. */
static long
fault_num(const char *out, const char *key)
{
	long v = bw_number_after(out, key);

	cr_assert(strstr(out, key) != NULL, "no '%s' in:\n%s", key, out);
	return v;
}

#define FAULT_N		10000

/*
 * The stall: once the fixture listens, bindwatch is stopped for 5 s and
 * the fixture binds 10,000 times (EADDRINUSE, at once).  The ring fills,
 * the shim waits at most its stall timeout for progress, then drops: the
 * fixture finishes (exit 0) long before the stop ends.  tail: after the
 * CONT the fixture binds once more (a record that does arrive).  Prints
 * MS figures: bare (no shim), under bindwatch without and with the stall.
 */
static char *
fault_stall(int tail)
{
	char *script, *out;

	cr_assert(asprintf(&script,
	    "$FIX/bind_loop %d >$D/bare && echo \"BARE_$(tail -n 1 $D/bare)\"\n"
	    "$BW --json -q -o $D/rep0 -- $FIX/bind_loop %d >$D/calm && "
	    "echo \"CALM_$(tail -n 1 $D/calm)\"\n"
	    "$BW --json -o $D/rep -- $FIX/bind_loop %d $D/go %s >$D/out 2>$D/err &\n"
	    "bw=$!\n"
	    "bw_wait_grep $D/out READY || exit 90\n"
	    "kill -STOP $bw\n"
	    "touch $D/go\n"
	    "sleep 5\n"
	    "grep -q BINDS $D/out && echo DURING_STOP yes || echo DURING_STOP no\n"
	    "kill -CONT $bw\n"
	    "%s"
	    "wait $bw; echo \"STATUS $?\"\n"
	    "cat $D/out $D/err\n"
	    "tail -n 1 $D/rep\n",
	    FAULT_N, FAULT_N, FAULT_N, tail ? "$D/tail" : "",
	    tail ? "sleep 0.2; touch $D/tail\n" : "") > 0);
	out = fault_run(script);
	free(script);
	return out;
}

static void
fault_stall_check(const char *out, int tail)
{
	char *sum, filter[160];
	long port, ms, lost, got, events;

	/* The fixture finished, every bind failed as it should, in bounds. */
	cr_assert_eq(fault_num(out, "STATUS "), 0, "%s", out);
	cr_assert_eq(fault_num(out, "\nBINDS "), FAULT_N, "%s", out);
	cr_assert_eq(fault_num(out, "\nBINDS 10000 EADDRINUSE "), FAULT_N, "%s", out);
	ms = fault_num(out, "\nBINDS 10000 EADDRINUSE 10000 MS ");
	cr_assert(ms >= 0 && ms < 20000, "10,000 binds took %ld ms", ms);
	cr_log_info("stall: 10,000 binds %ld ms stalled, %ld ms calm, %ld ms bare; "
	    "finished during the stop: %s", ms,
	    bw_number_after(out, "CALM_BINDS 10000 EADDRINUSE 10000 MS "),
	    bw_number_after(out, "BARE_BINDS 10000 EADDRINUSE 10000 MS "),
	    strstr(out, "DURING_STOP yes") ? "yes" : "no");
	if (tail)
		cr_assert(strstr(out, "TAIL -1") != NULL, "%s", out);

	sum = fault_summary(out);
	port = fault_num(out, "READY ");
	snprintf(filter, sizeof(filter), "[.failed[] | select(.port == %ld and "
	    ".errno == \"EADDRINUSE\") | .count] | add // 0", port);
	got = fault_jq_long(sum, filter);
	lost = fault_jq_long(sum, ".lost_events");
	events = fault_jq_long(sum, ".events");
	cr_log_info("stall: %ld of %d bind events received, lost_events %ld, "
	    "events %ld", got, FAULT_N + tail, lost, events);
	cr_assert_eq(fault_jq_long(sum, ".malformed_events"), 0, "%s", sum);
	cr_assert(got > 0 && got <= FAULT_N + tail, "%ld bind events", got);
	/* The ring holds far fewer than 10,000 records: some were dropped. */
	cr_assert(got < FAULT_N, "no record was dropped: the stall did not bite");
	/* Counted, not silently dropped: what did not arrive is lost_events. */
	cr_assert(lost > 0, "%ld of %d bind events arrived and lost_events is 0: "
	    "dropped records were not counted\n%s", got, FAULT_N + tail, sum);
	cr_assert_eq(lost, FAULT_N + tail - got, "lost_events %ld, but %ld of %d "
	    "bind events arrived\n%s", lost, got, FAULT_N + tail, sum);
	/* One process, reported once: records that arrive after its exit was
	 * reaped (they waited in the ring) are still its own. */
	snprintf(filter, sizeof(filter), ". as $s | [$s.processes[] | "
	    "select(.pid == ($s.listening[0].pid // -1))] | length");
	cr_assert_eq(fault_jq_long(sum, filter), 1, "the fixture is listed as "
	    "more than one process:\n%s", sum);
	free(sum);
}

/* Nothing arrives after the drops: only the shim knows how many it dropped. */
Test(faults, collector_stall, .timeout = 90)
{
	char *out = fault_stall(0);

	fault_stall_check(out, 0);
	free(out);
}

/* A record after the stall: the gap in its sequence numbers is the loss. */
Test(faults, collector_stall_then_more_events, .timeout = 90)
{
	char *out = fault_stall(1);

	fault_stall_check(out, 1);
	free(out);
}

/*
 * bindwatch is SIGKILLed while a server runs under it: the server keeps
 * serving, its binds after the kill (more records than the ring holds,
 * nobody reading) return promptly and keep errno, nothing raises SIGPIPE
 * in it, and it exits normally (its shell parent records the status).
 */
Test(faults, collector_killed, .timeout = 90)
{
	char *out;
	long ms;

	out = fault_run(
	    "export D BW_BUILD LIB FIX BW\n"
	    "PY=/usr/bin/python3; [ -x $PY ] || PY=python3\n"
	    "get() { $PY -c 'import socket, sys\n"
	    "s = socket.create_connection((\"127.0.0.1\", 4700), timeout=5)\n"
	    "s.sendall(b\"hi\\n\"); print(s.recv(100).decode().strip())'; }\n"
	    "$BW --json -o $D/rep -- sh -c '$FIX/serve_trigger 4700 $D >$D/srv 2>&1; "
	    "echo \"EXIT $?\" >$D/exit' &\n"
	    "bw=$!\n"
	    "bw_wait_listen 127.0.0.1:4700 || exit 90\n"
	    "echo \"BEFORE $(get)\"\n"
	    "kill -KILL $bw; wait $bw; echo \"BW_STATUS $?\"\n"
	    "echo \"AFTER $(get)\"\n"
	    "touch $D/rebind\n"
	    "i=0; until grep -q REBIND $D/srv || [ $i -ge 300 ]; do sleep 0.05; i=$((i+1)); done\n"
	    "echo \"AGAIN $(get)\"\n"
	    "touch $D/stop\n"
	    "i=0; until [ -s $D/exit ] || [ $i -ge 300 ]; do sleep 0.05; i=$((i+1)); done\n"
	    "cat $D/srv $D/exit\n");
	cr_assert(strstr(out, "BEFORE served 1\n") != NULL, "%s", out);
	cr_assert_eq(fault_num(out, "BW_STATUS "), 137, "%s", out);
	cr_assert(strstr(out, "AFTER served 2\n") != NULL,
	    "not served after bindwatch was killed:\n%s", out);
	cr_assert(strstr(out, "REBIND OK MS ") != NULL, "binds after the kill:\n%s", out);
	ms = fault_num(out, "REBIND OK MS ");
	cr_log_info("collector killed: 2,000 bind+listen rounds took %ld ms", ms);
	cr_assert(ms < 20000, "2,000 rounds took %ld ms", ms);
	cr_assert(strstr(out, " ERRNO 0\n") != NULL, "errno changed:\n%s", out);
	cr_assert(strstr(out, "AGAIN served 3\n") != NULL, "%s", out);
	cr_assert(strstr(out, "BYE served=3\n") != NULL, "%s", out);
	/* 141 would be SIGPIPE. */
	cr_assert(strstr(out, "EXIT 0\n") != NULL, "the server's exit:\n%s", out);
	free(out);
}

/*
 * At RLIMIT_NOFILE: every bind, listen, getaddrinfo and socket call of the
 * program returns under bindwatch exactly what it returns without the
 * shim, in the image that was started with free descriptors (phase A: the
 * channel was set up first) and in one exec'd at the limit (phase B).
 * The report never invents: every listener it names is one the program
 * made; phase A's events arrive; phase B's arrive unless counted as lost.
 */
Test(faults, descriptor_limit, .timeout = 60)
{
	char *out, *sum, filter[160];
	const char *p;
	long lost, port;
	size_t nports = 0;

	out = fault_run(
	    "sh -c 'ulimit -n 32 && exec $FIX/fd_limit' >$D/bare 2>&1; echo \"BARE $?\"\n"
	    "$BW --json -o $D/rep -- sh -c 'ulimit -n 32 && exec $FIX/fd_limit' "
	    ">$D/shim 2>&1; echo \"SHIM $?\"\n"
	    "grep -E '^[AB] ' $D/bare >$D/bare.calls; grep -E '^[AB] ' $D/shim >$D/shim.calls\n"
	    "if cmp -s $D/bare.calls $D/shim.calls; then echo CALLS SAME; else echo CALLS DIFFER; "
	    "diff $D/bare.calls $D/shim.calls; fi\n"
	    "echo '--- bare'; cat $D/bare; echo '--- shim'; cat $D/shim\n"
	    "sed -n 's/^PORT /SHIMPORT /p' $D/shim\n"
	    "tail -n 1 $D/rep\n");
	cr_assert_eq(fault_num(out, "BARE "), 0, "%s", out);
	cr_assert_eq(fault_num(out, "SHIM "), 0, "%s", out);
	cr_assert_eq(bw_count_lines(out, "A socket -1 EMFILE", NULL), 2,
	    "phase A reached the limit, bare and under bindwatch:\n%s", out);
	cr_assert_eq(bw_count_lines(out, "B socket -1 EMFILE", NULL), 2,
	    "phase B reached the limit, bare and under bindwatch:\n%s", out);
	cr_assert_eq(bw_count_lines(out, "B bind_v4 0 -", NULL), 2, "%s", out);
	/* Every call returned the same, with the same errno. */
	cr_assert(strstr(out, "CALLS SAME\n") != NULL, "%s", out);
	cr_log_info("descriptor limit: descriptors the program could still open "
	    "at ulimit -n 32, bare / under bindwatch: %ld / %ld",
	    bw_number_after(strstr(out, "--- bare"), "FILLED A "),
	    bw_number_after(strstr(out, "--- shim"), "FILLED A "));

	sum = fault_summary(out);
	lost = fault_jq_long(sum, ".lost_events");
	cr_assert_geq(lost, 0);
	cr_assert_eq(fault_jq_long(sum, ".malformed_events"), 0, "%s", sum);
	cr_log_info("descriptor limit: lost_events %ld, events %ld", lost,
	    fault_jq_long(sum, ".events"));
	/* Phase A's listeners arrived; B's too unless lost events say why. */
	for (p = strstr(out, "SHIMPORT "); p != NULL; p = strstr(p + 1, "SHIMPORT ")) {
		int phase = p[9];

		port = bw_number_after(p + 11, " ");
		snprintf(filter, sizeof(filter),
		    "[.listening[] | select(.port == %ld)] | length", port);
		if (phase == 'A' || lost == 0)
			cr_assert_eq(fault_jq_long(sum, filter), 1,
			    "phase %c listener on port %ld not in %s", phase, port, sum);
		nports++;
	}
	cr_assert_eq(nports, 4, "%s", out);
	/* Nothing faked: no more listeners than the program made. */
	cr_assert_leq(fault_jq_long(sum, ".listening | length"), 4, "%s", sum);
	free(sum);
	free(out);
}

/*
 * Threads bind while the main thread forks 16 children, and a signal
 * handler binds in the parent and in every child: all of it completes,
 * nothing is lost, and each child's events carry the child's pid and
 * parent pid.
 */
Test(faults, threads_bind_while_forking, .timeout = 60)
{
	char *out, *sum, key[64], port[32];
	const char *p;
	long pid, ppid;
	int children = 0;

	out = fault_run(
	    "$BW --json -o $D/rep -- $FIX/fork_binder 4 16 >$D/out 2>&1; echo \"STATUS $?\"\n"
	    "cat $D/out $D/rep\n");
	cr_assert_eq(fault_num(out, "STATUS "), 0, "%s", out);
	cr_assert(strstr(out, "DONE THREAD_BINDS 800 ") != NULL, "%s", out);
	sum = fault_summary(out);
	cr_assert_eq(fault_jq_long(sum, ".lost_events"), 0, "%s", sum);
	cr_assert_eq(fault_jq_long(sum, ".malformed_events"), 0, "%s", sum);
	for (p = strstr(out, "CHILD "); p != NULL; p = strstr(p + 1, "\nCHILD ")) {
		if (*p == '\n')
			p++;
		pid = bw_number_after(p, "CHILD ");
		ppid = bw_number_after(p + 6, " ");
		snprintf(key, sizeof(key), "\"pid\":%ld,\"ppid\":%ld,", pid, ppid);
		snprintf(port, sizeof(port), "\"bound_port\":%ld,",
		    bw_number_after(strchr(p + 6, ' ') + 1, " "));
		/* The main-thread bind with its port, and the handler's. */
		cr_assert_eq(bw_count_lines(out, key, port), 1,
		    "child %ld: no bind event %s %s", pid, key, port);
		cr_assert_eq(bw_count_lines(out, key, "\"type\":\"bind\""), 2,
		    "child %ld: not exactly 2 bind events with %s", pid, key);
		children++;
	}
	cr_assert_eq(children, 16, "%s", out);
	free(sum);
	free(out);
}

/*
 * A SIGALRM handler binds every 200 us while the main loop binds and
 * resolves (sig_binder).  It completes, and every call is accounted for:
 * the events received plus lost_events are exactly the calls made.
 */
Test(faults, signal_handlers_bind, .timeout = 60)
{
	char *out, *sum;
	long rounds = 3000, nmain, nhandler, events, lost, want;

	out = fault_run(
	    "$BW --json -q -o $D/rep -- $FIX/sig_binder 3000 >$D/out 2>&1; echo \"STATUS $?\"\n"
	    "cat $D/out; tail -n 1 $D/rep\n");
	cr_assert_eq(fault_num(out, "STATUS "), 0, "%s", out);
	nmain = fault_num(out, "MAIN_BINDS ");
	nhandler = fault_num(out, "HANDLER_BINDS ");
	cr_assert_eq(nmain, rounds, "%s", out);
	cr_assert_gt(nhandler, 0, "the timer never fired: %s", out);
	sum = fault_summary(out);
	events = fault_jq_long(sum, ".events");
	lost = fault_jq_long(sum, ".lost_events");
	cr_assert_eq(fault_jq_long(sum, ".malformed_events"), 0, "%s", sum);
	/* exec; warm-up bind, listen, getaddrinfo; per round bind and listen,
	 * getaddrinfo every 10th; per handler run bind and listen. */
	want = 1 + 3 + 2 * nmain + (rounds + 9) / 10 + 2 * nhandler;
	cr_log_info("signal handlers: %ld handler binds, %ld events, %ld lost, "
	    "%ld calls", nhandler, events, lost, want);
	cr_assert_eq(lost, 0, "%s", sum);
	cr_assert_eq(events + lost, want, "%ld calls made, %ld events received "
	    "and %ld counted as lost: %ld vanished without a trace", want, events,
	    lost, want - events - lost);
	free(sum);
	free(out);
}
