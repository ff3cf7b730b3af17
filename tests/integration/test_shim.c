/*
 * The bare shim (LD_PRELOAD=libbindwatch.so) on the fixtures and on real
 * interpreters, each test in private network, mount and pid namespaces
 * whose /etc/hosts makes localhost [::1] and 127.0.0.1 (harness.h).  What
 * the shim reports is compared with the kernel's view (ss) while the
 * servers still run, and with what the programs themselves say.
 */
#include <sys/types.h>

#include <criterion/criterion.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

/* Shell helpers of these tests, after the harness's own. */
static const char shim_prelude[] =
    /* Every line of a file parses as strict JSON (and UTF-8). */
    "json_ok() {\n"
    "	python3 -c 'import json, sys\n"
    "for n, l in enumerate(open(sys.argv[1], \"rb\"), 1):\n"
    "    try:\n"
    "        json.loads(l)\n"
    "    except ValueError as e:\n"
    "        sys.exit(\"%s:%d: %s\" % (sys.argv[1], n, e))' \"$1\"\n"
    "}\n"
    /* Prefix every line of a file, so one stdout can carry several. */
    "show() { sed \"s/^/$1: /\" \"$2\"; }\n";

struct run {
	char	*out;
	char	*err;
	int	 status;
};

static void
ns(struct run *r, const char *body)
{
	char *script;

	cr_assert_not_null(bw_build(), "no build directory: set BW_BUILD");
	cr_assert_neq(asprintf(&script, "%s%s", shim_prelude, body), -1);
	cr_assert_eq(bw_ns_run(script, &r->out, &r->err, &r->status), 0,
	    "cannot run the namespace script: %s", strerror(errno));
	free(script);
}

static void
ns_ok(struct run *r, const char *body)
{
	ns(r, body);
	cr_assert_eq(r->status, 0, "script exit %d\nstderr:\n%s\nstdout:\n%s",
	    r->status, r->err, r->out);
}

static void
done(struct run *r)
{
	free(r->out);
	free(r->err);
}

/* The line with both substrings must exist; returns it (malloc'd). */
static char *
must_line(const struct run *r, const char *a, const char *b)
{
	char *l = bw_find_line(r->out, a, b);

	cr_assert_not_null(l, "no line with \"%s\"%s%s%s in:\n%s", a,
	    b ? " and \"" : "", b ? b : "", b ? "\"" : "", r->out);
	return l;
}

/* The number after key on the line that contains a (which must exist). */
static long
must_number(const struct run *r, const char *a, const char *key)
{
	char *l = must_line(r, a, NULL);
	long v = bw_number_after(l, key);

	free(l);
	return v;
}

/* Position of the first line with a and b, for ordering checks. */
static long
line_pos(const char *text, const char *a, const char *b)
{
	char *l = bw_find_line(text, a, b);
	const char *p;

	if (l == NULL)
		return -1;
	p = strstr(text, l);
	free(l);
	return p ? (long)(p - text) : -1;
}

/* The numbers after prefix at the start of lines, sorted. */
static size_t
numbers(const char *text, const char *prefix, long *v, size_t max)
{
	char *lines = bw_lines_with_prefix(text, prefix), *p, *end;
	size_t n = 0, i, j;
	long t;

	cr_assert_not_null(lines);
	for (p = lines; *p != '\0' && n < max; p = strchr(p, '\n') + 1) {
		v[n] = strtol(p, &end, 10);
		if (end != p)
			n++;
	}
	free(lines);
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return n;
}

/*
 * The localhost story with a real interpreter: [::1]:3000 is taken, Perl's
 * IO::Socket::IP walks getaddrinfo's list, fails on [::1], falls back to
 * 127.0.0.1 -- and the shim says each step, as the kernel confirms.
 */
Test(shim, perl_localhost_fallback, .timeout = 90)
{
	struct run r;
	struct bw_ss_sock s6, s4;
	char *gai, *b6, *b4, *ls, *want;
	long ppid, hpid, fd;

	ns_ok(&r,
	    "$FIX/gai_walker localhost 3000 30 > holder.out 2>&1 &\n"
	    "bw_wait_listen '[::1]:3000' || exit 90\n"
	    "LD_PRELOAD=$LIB perl -MIO::Socket::IP -e '\n"
	    "	$| = 1;\n"
	    "	my $s = IO::Socket::IP->new(LocalHost => \"localhost\", LocalPort => 3000,\n"
	    "	    Listen => 5) or die \"perl: $@\\n\";\n"
	    "	print \"PERL $$\\n\"; sleep 30' > perl.out 2> perl.err &\n"
	    "bw_wait_grep perl.out PERL || { cat perl.err >&2; exit 91; }\n"
	    "bw_wait_listen '127.0.0.1:3000' || exit 92\n"
	    "bw_ss | sed 's/^/ss: /'\n"
	    "show holder holder.out\n"
	    "show perl perl.out\n"
	    "show ev perl.err\n");
	hpid = must_number(&r, "holder: LISTENING ::1 3000 ", "3000 ");
	ppid = must_number(&r, "perl: PERL ", "PERL ");
	cr_assert_gt(ppid, 0);

	cr_assert_neq(asprintf(&want, "ev: bindwatch[%ld] perl: ", ppid), -1);
	gai = must_line(&r, want, "getaddrinfo(\"localhost\", \"3000\", ");
	cr_expect_not_null(strstr(gai, ") = [::1]:3000, 127.0.0.1:3000"),
	    "list: %s", gai);
	cr_expect_not_null(strstr(gai, "stream"), "%s", gai);
	cr_expect_not_null(strstr(gai, "passive"), "%s", gai);
	b6 = must_line(&r, want, ", [::1]:3000) = -1 EADDRINUSE (tcp");
	b4 = must_line(&r, want, ", 127.0.0.1:3000) = 0 (tcp");
	ls = must_line(&r, want, " = 0 on 127.0.0.1:3000 (tcp");
	cr_expect_not_null(strstr(ls, "listen("), "%s", ls);
	cr_expect_not_null(strstr(ls, ", 5) = 0"), "backlog: %s", ls);
	/* Exactly these events, in this order. */
	cr_expect_eq(bw_count_lines(r.out, want, NULL), 4, "%s", r.out);
	cr_expect_lt(line_pos(r.out, want, "getaddrinfo("),
	    line_pos(r.out, want, "[::1]:3000) = -1"));
	cr_expect_lt(line_pos(r.out, want, "[::1]:3000) = -1"),
	    line_pos(r.out, want, "127.0.0.1:3000) = 0"));
	cr_expect_lt(line_pos(r.out, want, "127.0.0.1:3000) = 0"),
	    line_pos(r.out, want, "listen("));

	/* The kernel: perl holds 127.0.0.1:3000 on the reported fd ... */
	{
		char *ss = bw_lines_with_prefix(r.out, "ss: ");

		cr_assert_eq(bw_ss_find(ss, "127.0.0.1:3000", &s4), 0, "%s", ss);
		cr_assert_eq(bw_ss_find(ss, "[::1]:3000", &s6), 0, "%s", ss);
		cr_expect_eq(bw_count_lines(ss, ":3000 ", NULL), 2, "%s", ss);
		free(ss);
	}
	fd = bw_number_after(b4, "bind(");
	cr_expect_str_eq(s4.comm, "perl");
	cr_expect_eq(s4.pid, ppid);
	cr_expect_eq(s4.fd, fd, "ss fd %ld, event fd %ld", s4.fd, fd);
	cr_expect_eq(bw_number_after(ls, "listen("), fd);
	/* ... and the EADDRINUSE was real: [::1]:3000 is the holder's. */
	cr_expect_str_eq(s6.comm, "gai_walker");
	cr_expect_eq(s6.pid, hpid);
	free(gai);
	free(b6);
	free(b4);
	free(ls);
	free(want);
	done(&r);
}

/*
 * The same story with the Ruby-like fixture, in JSON: every line valid,
 * every field as the kernel and the program say; a client of each
 * address reaches the process ss names.
 */
Test(shim, gai_walker_json, .timeout = 90)
{
	struct run r;
	struct bw_ss_sock s4, s6;
	char *ss, *want, *l;
	long hpid, wpid;

	ns_ok(&r,
	    "$FIX/gai_walker localhost 3000 30 > holder.out 2>&1 &\n"
	    "bw_wait_listen '[::1]:3000' || exit 90\n"
	    "BINDWATCH_FORMAT=json LD_PRELOAD=$LIB $FIX/gai_walker localhost 3000 30 \\\n"
	    "    > w.out 2> w.json &\n"
	    "bw_wait_grep w.out LISTENING || { cat w.json >&2; exit 91; }\n"
	    "bw_wait_listen '127.0.0.1:3000' || exit 92\n"
	    "bw_ss | sed 's/^/ss: /'\n"
	    "show holder holder.out\n"
	    "show walker w.out\n"
	    "json_ok w.json || exit 93\n"
	    "echo \"lines: $(wc -l < w.json)\"\n"
	    "jq -r 'select(.type == \"getaddrinfo\") | \"gai: \\(.pid) \\(.node) \\(.service) \"\n"
	    "    + \"\\(.hints.family) \\(.hints.socktype) \\(.hints.flags | join(\",\")) \"\n"
	    "    + \"\\(.ret) \\(.error) \\(.naddrs) \\(.action) \"\n"
	    "    + ([.addrs[] | \"\\(.addr)/\\(.port)/\\(.family)/\\(.proto)\"] | join(\" \"))' w.json\n"
	    "jq -r 'select(.type == \"bind\") | \"bind: \\(.pid) \\(.fd) \\(.family) \"\n"
	    "    + \"\\(.addr) \\(.port) \\(.requested_addr) \\(.requested_port) \\(.ret) \"\n"
	    "    + \"\\(.errno) \\(.bound_addr) \\(.bound_port) \\(.class) \\(.proto) \"\n"
	    "    + \"\\(.options | join(\",\")) \\(.action)\"' w.json\n"
	    "jq -r 'select(.type == \"listen\") | \"listen: \\(.pid) \\(.fd) \\(.backlog) \"\n"
	    "    + \"\\(.ret) \\(.errno) \\(.addr) \\(.port) \\(.autobound) \\(.proto) \"\n"
	    "    + \"\\(.options | join(\",\"))\"' w.json\n"
	    /* A client of each address: who answers? */
	    "for a in 127.0.0.1 ::1; do\n"
	    "	printf 'reply %s: ' $a\n"
	    "	perl -MIO::Socket::IP -e '$s = IO::Socket::IP->new(PeerHost => $ARGV[0],\n"
	    "	    PeerPort => 3000) or die; print scalar <$s>' $a\n"
	    "done\n");
	hpid = must_number(&r, "holder: LISTENING ::1 3000 ", "3000 ");
	wpid = must_number(&r, "walker: LISTENING 127.0.0.1 3000 ", "3000 ");
	cr_assert_gt(wpid, 0);
	cr_expect_eq(bw_number_after(r.out, "lines: "), 4, "%s", r.out);

	cr_assert_neq(asprintf(&want, "gai: %ld localhost 3000 unspec stream "
	    "passive 0 null 2 pass ::1/3000/inet6/tcp 127.0.0.1/3000/inet/tcp\n",
	    wpid), -1);
	cr_expect_not_null(strstr(r.out, want), "want %s in:\n%s", want, r.out);
	free(want);
	cr_assert_neq(asprintf(&want, "bind: %ld 3 inet6 ::1 3000 ::1 3000 -1 "
	    "EADDRINUSE null null loopback tcp reuseaddr pass\n", wpid), -1);
	cr_expect_not_null(strstr(r.out, want), "want %s in:\n%s", want, r.out);
	free(want);
	cr_assert_neq(asprintf(&want, "bind: %ld 3 inet 127.0.0.1 3000 127.0.0.1 "
	    "3000 0 null 127.0.0.1 3000 loopback tcp reuseaddr pass\n", wpid), -1);
	cr_expect_not_null(strstr(r.out, want), "want %s in:\n%s", want, r.out);
	free(want);
	cr_assert_neq(asprintf(&want, "listen: %ld 3 128 0 null 127.0.0.1 3000 "
	    "false tcp reuseaddr\n", wpid), -1);
	cr_expect_not_null(strstr(r.out, want), "want %s in:\n%s", want, r.out);
	free(want);

	ss = bw_lines_with_prefix(r.out, "ss: ");
	cr_assert_eq(bw_ss_find(ss, "127.0.0.1:3000", &s4), 0, "%s", ss);
	cr_assert_eq(bw_ss_find(ss, "[::1]:3000", &s6), 0, "%s", ss);
	cr_expect_eq(s4.pid, wpid);
	cr_expect_eq(s4.fd, 3);
	cr_expect_eq(s6.pid, hpid);
	free(ss);
	l = must_line(&r, "reply 127.0.0.1: ", NULL);
	cr_expect_eq(bw_number_after(l, ": "), wpid, "%s", l);
	free(l);
	l = must_line(&r, "reply ::1: ", NULL);
	cr_expect_eq(bw_number_after(l, ": "), hpid, "%s", l);
	free(l);
	done(&r);
}

#define NTHREADS	64

/* 64 threads at once: 64 binds, 64 listens, every port the kernel's. */
Test(shim, threaded_binder, .timeout = 90)
{
	long prog[NTHREADS + 1], bind[NTHREADS + 1], lst[NTHREADS + 1],
	    ss[NTHREADS + 1];
	struct run r;
	size_t np, nb, nl, ns_, i;

	ns_ok(&r,
	    "BINDWATCH_FORMAT=json LD_PRELOAD=$LIB $FIX/threaded_binder --hold \\\n"
	    "    > t.out 2> t.json &\n"
	    "P=$!\n"
	    "bw_wait_grep t.out READY || exit 90\n"
	    "ss -Hltnp | awk -v p=\"pid=$P,\" 'index($0, p) {\n"
	    "	n = split($4, a, \":\"); print \"ss: \" a[n] }'\n"
	    "kill -USR1 $P\n"
	    "wait $P; echo \"status: $?\"\n"
	    "json_ok t.json || exit 93\n"
	    "sed -n 's/^PORT [0-9]* /prog: /p; /^OK$/p; /^FAILED$/p' t.out\n"
	    "jq -r 'select(.type == \"bind\" and .ret == 0) | \"bind: \\(.bound_port)\"' t.json\n"
	    "jq -r 'select(.type == \"bind\" and .ret == -1) | \"bindfail: \\(.errno)\"' t.json\n"
	    "jq -r 'select(.type == \"listen\" and .ret == 0) | \"listen: \\(.port)\"' t.json\n"
	    "jq -r 'select(.type == \"getaddrinfo\") | \"gai: \\(.ret) \\(.addrs[0].addr)\"' t.json\n"
	    "echo \"events: $(wc -l < t.json)\"\n"
	    "show err t.out >&2\n");
	cr_expect_eq(bw_number_after(r.out, "status: "), 0, "%s\n%s", r.out, r.err);
	cr_expect_eq(bw_count_lines(r.out, "OK", NULL), 1, "%s", r.out);
	np = numbers(r.out, "prog: ", prog, NTHREADS + 1);
	nb = numbers(r.out, "bind: ", bind, NTHREADS + 1);
	nl = numbers(r.out, "listen: ", lst, NTHREADS + 1);
	ns_ = numbers(r.out, "ss: ", ss, NTHREADS + 1);
	cr_assert_eq(np, NTHREADS, "%s", r.out);
	cr_assert_eq(nb, NTHREADS, "bind events:\n%s", r.out);
	cr_assert_eq(nl, NTHREADS, "listen events:\n%s", r.out);
	cr_assert_eq(ns_, NTHREADS, "ss:\n%s", r.out);
	for (i = 0; i < NTHREADS; i++) {
		cr_expect_gt(prog[i], 0);
		if (i > 0)
			cr_expect_neq(prog[i], prog[i - 1], "port %ld twice", prog[i]);
		cr_expect_eq(bind[i], prog[i], "bind ports differ at %zu", i);
		cr_expect_eq(lst[i], prog[i], "listen ports differ at %zu", i);
		cr_expect_eq(ss[i], prog[i], "ss ports differ at %zu", i);
	}
	/* The second bind of each socket fails: its errno as the kernel's. */
	cr_expect_eq(bw_count_lines(r.out, "bindfail: EINVAL", NULL), NTHREADS);
	cr_expect_eq(bw_count_lines(r.out, "gai: 0 127.0.0.1", NULL),
	    2 * NTHREADS, "%s", r.out);
	cr_expect_eq(bw_number_after(r.out, "events: "), 5 * NTHREADS);
	done(&r);
}

/* fork, exec, vfork, posix_spawn: each process speaks for itself. */
Test(shim, forker, .timeout = 90)
{
	struct run r;
	char *l, *want;
	long parent, pport, cpid, cport, epid, eport, seen[8];
	const char *p;
	size_t nchild = 0, i;

	ns_ok(&r,
	    "BINDWATCH_FORMAT=json LD_PRELOAD=$LIB $FIX/forker 4 > f.out 2> f.json\n"
	    "echo \"status: $?\"\n"
	    "json_ok f.json || exit 93\n"
	    "cat f.out\n"
	    "jq -r 'select(.type == \"bind\" or .type == \"listen\" or\n"
	    "    .type == \"getaddrinfo\") | \"ev: \\(.type) \\(.pid) \\(.ppid) \"\n"
	    "    + \"\\(.comm) \\(.seq) \\(.bound_port // .port)\"' f.json\n"
	    /* Per process, sequence numbers 1..n without a gap. */
	    "jq -s 'group_by(.pid) | map([.[].seq] | sort == [range(1; length + 1)])\n"
	    "    | all' f.json | sed 's/^/seqok: /'\n");
	cr_expect_eq(bw_number_after(r.out, "status: "), 0, "%s", r.out);
	cr_expect_eq(bw_count_lines(r.out, "DONE", NULL), 1, "%s", r.out);
	cr_expect_eq(bw_count_lines(r.out, "VFORK 0", NULL), 1, "%s", r.out);
	cr_expect_eq(bw_count_lines(r.out, "SPAWN 0", NULL), 1, "%s", r.out);
	cr_expect_eq(bw_count_lines(r.out, "seqok: true", NULL), 1, "%s", r.out);

	l = must_line(&r, "PARENT ", NULL);
	cr_assert_eq(sscanf(l, "PARENT %ld %ld", &parent, &pport), 2);
	free(l);
	cr_assert_neq(asprintf(&want, "ev: bind %ld ", parent), -1);
	l = must_line(&r, want, NULL);
	cr_expect_not_null(strstr(l, " forker 1 "), "first event: %s", l);
	free(l);
	free(want);

	/* Each child: its own pid, the parent as ppid, a fresh sequence. */
	for (p = strstr(r.out, "CHILD "); p != NULL; p = strstr(p + 1, "CHILD ")) {
		long cppid;

		cr_assert_eq(sscanf(p, "CHILD %ld %ld %ld", &cpid, &cppid, &cport), 3);
		cr_expect_neq(cpid, parent);
		cr_expect_eq(cppid, parent);
		for (i = 0; i < nchild; i++)
			cr_expect_neq(seen[i], cpid, "pid %ld twice", cpid);
		if (nchild < sizeof(seen) / sizeof(seen[0]))
			seen[nchild++] = cpid;
		cr_assert_neq(asprintf(&want, "ev: bind %ld %ld forker 1 %ld\n",
		    cpid, parent, cport), -1);
		cr_expect_not_null(strstr(r.out, want), "no %s in:\n%s", want, r.out);
		free(want);
		cr_assert_neq(asprintf(&want, "ev: listen %ld %ld forker 2 %ld\n",
		    cpid, parent, cport), -1);
		cr_expect_not_null(strstr(r.out, want), "no %s", want);
		free(want);
		cr_assert_neq(asprintf(&want, "ev: getaddrinfo %ld %ld forker 3 null\n",
		    cpid, parent), -1);
		cr_expect_not_null(strstr(r.out, want), "no %s", want);
		free(want);
	}
	cr_expect_eq(nchild, 4, "%s", r.out);

	/* The exec'd image is observed: a new process image, a new sequence. */
	l = must_line(&r, "EXEC ", NULL);
	cr_assert_eq(sscanf(l, "EXEC %ld %ld", &epid, &eport), 2);
	free(l);
	cr_assert_neq(asprintf(&want, "ev: bind %ld %ld forker 1 %ld\n", epid,
	    parent, eport), -1);
	cr_expect_not_null(strstr(r.out, want), "no %s in:\n%s", want, r.out);
	free(want);
	cr_assert_neq(asprintf(&want, "ev: listen %ld %ld forker 2 %ld\n", epid,
	    parent, eport), -1);
	cr_expect_not_null(strstr(r.out, want), "no %s", want);
	free(want);
	done(&r);
}

/*
 * A library constructor binds before (or after) ours ran: reported either
 * way.  ld.so runs preloaded constructors last-listed first, so with
 * LD_PRELOAD="libbindwatch.so:libctorbind.so" the bind arrives before our
 * constructor (lazy initialisation); the other order is the easy one.
 * LD_DEBUG=files shows which really happened, and the test says so.
 */
Test(shim, ctor_bind, .timeout = 90)
{
	static const char *const orders[] = { "shimfirst", "shimlast" };
	struct run r;
	struct bw_ss_sock s;
	char key[64], *l, *ss, *want;
	long port, pid, fd, ctor_at, ours_at;
	size_t i;

	ns_ok(&r,
	    "for order in shimfirst shimlast; do\n"
	    "	if [ $order = shimfirst ]; then PL=\"$LIB:$FIX/libctorbind.so\"\n"
	    "	else PL=\"$FIX/libctorbind.so:$LIB\"; fi\n"
	    "	LD_DEBUG=files LD_DEBUG_OUTPUT=\"$D/dbg.$order\" LD_PRELOAD=\"$PL\" \\\n"
	    "	    sleep 30 > c.$order.out 2> c.$order.err &\n"
	    "	P=$!\n"
	    "	bw_wait_grep c.$order.out CTOR || exit 90\n"
	    "	port=$(awk '{ print $2 }' c.$order.out)\n"
	    "	bw_wait_listen 127.0.0.1:$port || exit 91\n"
	    "	bw_wait_grep c.$order.err 'listen(' || exit 92\n"
	    "	echo \"$order pid: $P\"\n"
	    "	show \"$order ctor\" c.$order.out\n"
	    "	show \"$order ev\" c.$order.err\n"
	    "	bw_ss | sed \"s/^/$order ss: /\"\n"
	    "	cat dbg.$order.* | grep -E 'calling init: .*lib(ctorbind|bindwatch)\\.so' |\n"
	    "	    sed \"s/^/$order init: /\"\n"
	    "	kill $P\n"
	    "done\n");
	for (i = 0; i < 2; i++) {
		snprintf(key, sizeof(key), "%s ctor: CTOR ", orders[i]);
		l = must_line(&r, key, NULL);
		port = bw_number_after(l, "CTOR ");
		free(l);
		cr_assert_gt(port, 0, "%s", r.out);
		snprintf(key, sizeof(key), "%s pid: ", orders[i]);
		pid = bw_number_after(r.out, key);
		cr_assert_gt(pid, 0);

		snprintf(key, sizeof(key), "%s ev: ", orders[i]);
		cr_assert_neq(asprintf(&want, "127.0.0.1:0) = 0 -> 127.0.0.1:%ld "
		    "(tcp)", port), -1);
		l = must_line(&r, key, want);
		free(want);
		cr_assert_neq(asprintf(&want, "bindwatch[%ld] sleep: bind(", pid), -1);
		cr_expect_not_null(strstr(l, want), "%s", l);
		fd = bw_number_after(l, "bind(");
		free(l);
		free(want);
		cr_assert_neq(asprintf(&want, ", 4) = 0 on 127.0.0.1:%ld (tcp)",
		    port), -1);
		l = must_line(&r, key, want);
		cr_expect_eq(bw_number_after(l, "listen("), fd, "%s", l);
		free(l);
		free(want);

		snprintf(key, sizeof(key), "%s ss: ", orders[i]);
		ss = bw_lines_with_prefix(r.out, key);
		snprintf(key, sizeof(key), "127.0.0.1:%ld", port);
		cr_assert_eq(bw_ss_find(ss, key, &s), 0, "%s", ss);
		cr_expect_eq(s.pid, pid);
		cr_expect_eq(s.fd, fd);
		free(ss);

		snprintf(key, sizeof(key), "%s init: ", orders[i]);
		ctor_at = line_pos(r.out, key, "libctorbind.so");
		ours_at = line_pos(r.out, key, "libbindwatch.so");
		cr_assert(ctor_at >= 0 && ours_at >= 0, "no LD_DEBUG=files:\n%s", r.out);
		/* What really happens: the last preloaded is initialised first. */
		if (i == 0)
			cr_expect_lt(ctor_at, ours_at,
			    "shim first in LD_PRELOAD: libctorbind's constructor "
			    "was expected to run before ours");
		else
			cr_expect_lt(ours_at, ctor_at);
	}
	done(&r);
}

/* Errors exactly as libc gives them, with and without the shim. */
Test(shim, bad_pointers, .timeout = 60)
{
	struct run r;

	ns_ok(&r,
	    "$FIX/bad_pointers > plain.out 2>&1; echo \"plain: $?\"\n"
	    "LD_PRELOAD=$LIB $FIX/bad_pointers > shim.out 2> shim.err\n"
	    "echo \"shim: $?\"\n"
	    "show out shim.out\n"
	    "show ev shim.err\n"
	    /* Same checks, same results (but for getpid's value). */
	    "grep -v getpid plain.out > a; grep -v getpid shim.out > b\n"
	    "cmp -s a b && echo same || diff a b\n");
	cr_expect_eq(bw_number_after(r.out, "plain: "), 0, "%s", r.out);
	cr_expect_eq(bw_number_after(r.out, "shim: "), 0, "%s", r.out);
	cr_expect_eq(bw_count_lines(r.out, "out: ALL OK", NULL), 1, "%s", r.out);
	cr_expect_eq(bw_count_lines(r.out, "out: FAIL", NULL), 0, "%s", r.out);
	cr_expect_eq(bw_count_lines(r.out, "same", NULL), 1, "%s", r.out);
	/* The failures were seen, not skipped; non-IP binds were not. */
	cr_expect_geq(bw_count_lines(r.out, "ev: bindwatch[", ") = -1 EFAULT"), 4,
	    "%s", r.out);
	cr_expect_geq(bw_count_lines(r.out, "ev: bindwatch[", ") = -1 EINVAL"), 4);
	cr_expect_eq(bw_count_lines(r.out, "ev: bindwatch[", "EAFNOSUPPORT"), 1);
	cr_expect_eq(bw_count_lines(r.out, "ev: bindwatch[", "getaddrinfo(NULL, NULL, NULL) = EAI_NONAME"), 1);
	cr_expect_eq(bw_count_lines(r.out, "ev: bindwatch[", "EBADF"), 0);
	cr_expect_eq(bw_count_lines(r.out, "ev: bindwatch[", "ENOTSOCK"), 0);
	cr_expect_eq(bw_count_lines(r.out, "ev: ", "bindwatch["),
	    bw_count_lines(r.out, "ev: ", NULL), "stray stderr:\n%s", r.out);
	/* SYS_bind and SYS_listen through syscall(2) are observed too. */
	cr_expect_eq(bw_count_lines(r.out, "ev: bindwatch[", "listen("), 2);
	done(&r);
}

/* bind and listen from a signal handler interrupting hooked calls. */
Test(shim, sig_binder, .timeout = 90)
{
	struct run r;
	char *ev;
	long sigs, hb, mb, nb;

	ns_ok(&r,
	    "LD_PRELOAD=$LIB $FIX/sig_binder 20000 > s.out 2> s.err\n"
	    "echo \"status: $?\"\n"
	    "cat s.out\n"
	    "echo \"binds: $(grep -c ' sig_binder: bind(' s.err)\"\n"
	    "grep -v '^bindwatch\\[[0-9]*\\] sig_binder: ' s.err | head -5 |\n"
	    "    sed 's/^/ev: /'\n");
	cr_expect_eq(bw_number_after(r.out, "status: "), 0, "%s", r.out);
	sigs = bw_number_after(r.out, "SIGNALS ");
	hb = bw_number_after(r.out, "HANDLER_BINDS ");
	mb = bw_number_after(r.out, "MAIN_BINDS ");
	nb = bw_number_after(r.out, "binds: ");
	cr_expect_gt(sigs, 0, "%s", r.out);
	cr_expect_eq(hb, sigs, "%s", r.out);
	cr_expect_eq(mb, 20000, "%s", r.out);
	/* Main's binds all reported; a handler's may pass unseen (ours busy). */
	cr_expect_geq(nb, mb + 1, "%s", r.out);
	cr_expect_leq(nb, mb + 1 + hb, "%s", r.out);
	ev = bw_lines_with_prefix(r.out, "ev: ");
	cr_expect_str_empty(ev, "malformed lines:\n%s", ev);
	free(ev);
	done(&r);
}

/*
 * The library exports the hooks, nothing else, and needs libc only: the
 * three of the design, syscall(2), and the calls that keep the socket
 * cache true (socket, setsockopt and the ways a descriptor closes).
 */
Test(shim, exports_and_needed, .timeout = 60)
{
	struct run r;
	char *needed;
	const char *p;

	cr_assert_eq(bw_sh_run(
	    "nm -D --defined-only \"$BW_BUILD/libbindwatch.so\" | awk '{ print $3 }' |\n"
	    "    sort | tr '\\n' ' ' | sed 's/^/exports: /'; echo\n"
	    "readelf -d \"$BW_BUILD/libbindwatch.so\" |\n"
	    "    sed -n 's/.*(NEEDED).*\\[\\(.*\\)\\]/needed: \\1/p'\n"
	    "nm -D --undefined-only \"$BW_BUILD/libbindwatch.so\" |\n"
	    "    grep -q __ubsan_ && echo ubsan: yes\n"
	    "ldd \"$BW_BUILD/libbindwatch.so\" | sed 's/^[[:space:]]*/ldd: /'\n",
	    &r.out, &r.err, &r.status), 0);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect_not_null(strstr(r.out,
	    "exports: bind close close_range closefrom dup2 dup3 freeaddrinfo "
	    "getaddrinfo listen setsockopt socket syscall \n"), "%s", r.out);
	needed = bw_lines_with_prefix(r.out, "needed: ");
	cr_expect(strstr(needed, "libc.so") != NULL, "%s", needed);
	for (p = needed; *p != '\0'; p = strchr(p, '\n') + 1) {
		int libc = strncmp(p, "libc.so", 7) == 0 ||
		    strncmp(p, "ld-linux", 8) == 0;
		/* The UBSan build (SAN=1) needs its runtime: nothing else. */
		int san = strncmp(p, "libubsan.so", 11) == 0 &&
		    strstr(r.out, "ubsan: yes") != NULL;

		cr_expect(libc || san, "unexpected NEEDED: %.*s",
		    (int)strcspn(p, "\n"), p);
	}
	free(needed);
	for (p = strstr(r.out, "ldd: "); p != NULL; p = strstr(p + 1, "ldd: ")) {
		int n = (int)strcspn(p, "\n");

		cr_expect(memmem(p, (size_t)n, "linux-vdso", 10) ||
		    memmem(p, (size_t)n, "libc.so", 7) ||
		    memmem(p, (size_t)n, "ld-linux", 8) ||
		    (memmem(p, (size_t)n, "ubsan", 5) &&
		    strstr(r.out, "ubsan: yes")) ||
		    /* libubsan's own dependencies */
		    (strstr(r.out, "ubsan: yes") &&
		    (memmem(p, (size_t)n, "libstdc++", 9) ||
		    memmem(p, (size_t)n, "libm.so", 7) ||
		    memmem(p, (size_t)n, "libgcc_s", 8))),
		    "unexpected dependency: %.*s", n, p);
	}
	done(&r);
}

/*
 * Every process of a watched tree loads the library, so it is laid out to
 * load cheaply (Makefile; bench/RESULTS.md, start-up): two segments, no
 * writable and executable one, and a data segment that is one mapping.
 * No RELRO (its mprotect splits the mapping) and no .bss spilling past the
 * segment's last page (the loader would map it apart): the shim's larger
 * state lives in a mapping of its own, made at initialisation (arena.c).
 * The sanitizer build has its own layout and is not checked.
 */
Test(shim, load_layout, .timeout = 60)
{
	const char *b = getenv("BW_BUILD");
	char path[4096];
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	long page = sysconf(_SC_PAGESIZE);
	int i, loads = 0, relro = 0;
	struct run r;
	FILE *f;

	cr_assert_not_null(b);
	cr_assert_eq(bw_sh_run("nm -D --undefined-only "
	    "\"$BW_BUILD/libbindwatch.so\" | grep -c __ubsan_ || true",
	    &r.out, &r.err, &r.status), 0);
	if (atoi(r.out) > 0) {
		done(&r);
		cr_skip_test("the sanitizer build");
	}
	done(&r);
	snprintf(path, sizeof(path), "%s/libbindwatch.so", b);
	cr_assert_not_null(f = fopen(path, "rb"), "%s", path);
	cr_assert_eq(fread(&eh, sizeof(eh), 1, f), 1);
	cr_assert_eq(memcmp(eh.e_ident, ELFMAG, SELFMAG), 0);
	cr_assert_eq(eh.e_ident[EI_CLASS], ELFCLASS64);
	for (i = 0; i < eh.e_phnum; i++) {
		cr_assert_eq(fseek(f, (long)(eh.e_phoff +
		    (Elf64_Off)i * eh.e_phentsize), SEEK_SET), 0);
		cr_assert_eq(fread(&ph, sizeof(ph), 1, f), 1);
		relro += ph.p_type == PT_GNU_RELRO;
		if (ph.p_type != PT_LOAD)
			continue;
		loads++;
		cr_expect((ph.p_flags & (PF_W | PF_X)) != (PF_W | PF_X),
		    "a writable and executable segment");
		if (ph.p_flags & PF_W)
			cr_expect_leq(ph.p_vaddr + ph.p_memsz,
			    (ph.p_vaddr + ph.p_filesz + (Elf64_Addr)page - 1) &
			    ~((Elf64_Addr)page - 1),
			    ".bss spills past the data's last page: %#lx + %#lx "
			    "(file %#lx)", (unsigned long)ph.p_vaddr,
			    (unsigned long)ph.p_memsz, (unsigned long)ph.p_filesz);
	}
	fclose(f);
	cr_expect_eq(loads, 2, "%d PT_LOAD segments", loads);
	cr_expect_eq(relro, 0, "a PT_GNU_RELRO segment");
}

/* AF_UNIX and netlink binds pass through untouched and unreported. */
Test(shim, non_ip_silent, .timeout = 60)
{
	struct run r;
	char *want, *l;
	long port;

	ns_ok(&r,
	    "LD_PRELOAD=$LIB python3 -c '\n"
	    "import os, socket\n"
	    "u = socket.socket(socket.AF_UNIX); u.bind(os.environ[\"D\"] + \"/u.sock\"); u.listen(1)\n"
	    "a = socket.socket(socket.AF_UNIX); a.bind(\"\\0bw-abstract\"); a.listen(1)\n"
	    "d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); d.bind(os.environ[\"D\"] + \"/d.sock\")\n"
	    "n = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0); n.bind((0, 0))\n"
	    "t = socket.socket(); t.bind((\"127.0.0.1\", 0)); t.listen(1)\n"
	    "print(\"PORT\", t.getsockname()[1], flush=True)\n"
	    "' > u.out 2> u.err\n"
	    "echo \"status: $?\"\n"
	    "[ -S u.sock ] && echo 'unix: bound'\n"
	    "show out u.out\n"
	    "show ev u.err\n");
	cr_expect_eq(bw_number_after(r.out, "status: "), 0, "%s", r.out);
	cr_expect_eq(bw_count_lines(r.out, "unix: bound", NULL), 1);
	l = must_line(&r, "out: PORT ", NULL);
	port = bw_number_after(l, "PORT ");
	free(l);
	/* The TCP socket proves the shim was there; nothing else was said. */
	cr_assert_neq(asprintf(&want, "127.0.0.1:0) = 0 -> 127.0.0.1:%ld (tcp)",
	    port), -1);
	cr_expect_eq(bw_count_lines(r.out, "ev: bindwatch[", want), 1, "%s", r.out);
	free(want);
	cr_expect_eq(bw_count_lines(r.out, "ev: ", "bind("), 1, "%s", r.out);
	cr_expect_eq(bw_count_lines(r.out, "ev: ", "listen("), 1, "%s", r.out);
	cr_expect_eq(bw_count_lines(r.out, "ev: ", "sock"), 0, "%s", r.out);
	cr_expect_eq(bw_count_lines(r.out, "ev: ", "abstract"), 0, "%s", r.out);
	done(&r);
}

/* With no policy, every list (and every error) is libc's own. */
Test(shim, gai_lists_unchanged, .timeout = 60)
{
	static const char q[] =
	    "Q='passive/unspec/stream/localhost/3000 0/unspec/any/localhost/-\n"
	    "    null/-/-/localhost/http numerichost/unspec/any/127.0.0.1/80\n"
	    "    0/inet6/dgram/::1/http passive/unspec/stream/-/3000\n"
	    "    passive/unspec/any/-/http canonname/unspec/stream/localhost/ssh\n"
	    "    addrconfig,v4mapped/inet6/stream/localhost/80\n"
	    "    v4mapped,all/inet6/stream/localhost/80 0/inet/stream/::1/80\n"
	    "    numerichost/unspec/stream/no-such-host.invalid/80\n"
	    "    0/unspec/stream/localhost/no-such-service null/-/-/-/-\n"
	    "    0/unspec/dgram/localhost/-'\n"
	    "$FIX/gai_dump $Q > plain.out 2> plain.err; echo \"plain: $?\"\n"
	    "LD_PRELOAD=$LIB $FIX/gai_dump $Q > shim.out 2> shim.err\n"
	    "echo \"shim: $?\"\n"
	    "cmp -s plain.out shim.out && echo same || diff plain.out shim.out\n"
	    "show out shim.out\n"
	    "show ev shim.err\n"
	    "echo \"queries: $(echo $Q | wc -w)\"\n";
	struct run r;
	long nq;

	ns_ok(&r, q);
	cr_expect_eq(bw_number_after(r.out, "plain: "), 0, "%s", r.out);
	cr_expect_eq(bw_number_after(r.out, "shim: "), 0, "%s", r.out);
	cr_expect_eq(bw_count_lines(r.out, "same", NULL), 1, "%s", r.out);
	/* The namespace is dual-stack, the errors are the expected ones. */
	cr_expect_eq(bw_count_lines(r.out,
	    "out: q0 rc=OK canon=- addrs=[::1]:3000/stream,127.0.0.1:3000/stream",
	    NULL), 1, "%s", r.out);
	cr_expect_eq(bw_count_lines(r.out, "out: q11 rc=EAI_NONAME", NULL), 1);
	cr_expect_eq(bw_count_lines(r.out, "out: q12 rc=EAI_SERVICE", NULL), 1);
	cr_expect_eq(bw_count_lines(r.out, "out: q13 rc=EAI_NONAME", NULL), 1);
	/* ... and the shim saw every call. */
	nq = bw_number_after(r.out, "queries: ");
	cr_expect_eq(nq, 15);
	cr_expect_eq((long)bw_count_lines(r.out, "ev: bindwatch[", "getaddrinfo("),
	    nq, "%s", r.out);
	cr_expect_eq(bw_count_lines(r.out, "ev: ",
	    "getaddrinfo(\"no-such-host.invalid\", \"80\", stream|numerichost) = EAI_NONAME"),
	    1, "%s", r.out);
	done(&r);
}

/* BINDWATCH_LOG: created 0600 whatever the umask, appended, never stderr. */
Test(shim, log_file, .timeout = 60)
{
	struct run r;
	long n1, n2;

	ns_ok(&r,
	    "umask 000\n"
	    "BINDWATCH_LOG=\"$D/bw.log\" LD_PRELOAD=$LIB $FIX/bad_pointers \\\n"
	    "    > /dev/null 2> run1.err\n"
	    "echo \"status1: $?\"\n"
	    "echo \"mode: $(stat -c %a bw.log)\"\n"
	    "echo \"lines1: $(wc -l < bw.log)\"\n"
	    "BINDWATCH_LOG=\"$D/bw.log\" BINDWATCH_FORMAT=json LD_PRELOAD=$LIB \\\n"
	    "    $FIX/forker 2 > /dev/null 2> run2.err\n"
	    "echo \"status2: $?\"\n"
	    "echo \"lines2: $(wc -l < bw.log)\"\n"
	    "echo \"mode2: $(stat -c %a bw.log)\"\n"
	    "echo \"text: $(grep -c '^bindwatch\\[[0-9]*\\] bad_pointers: ' bw.log)\"\n"
	    "grep '^{' bw.log > j.log; echo \"json: $(wc -l < j.log)\"\n"
	    "json_ok j.log || exit 93\n"
	    "echo \"stderr: $(cat run1.err run2.err | grep -c bindwatch)\"\n"
	    /* An existing file keeps its mode and its content. */
	    "echo previous > old.log; chmod 640 old.log\n"
	    "BINDWATCH_LOG=\"$D/old.log\" LD_PRELOAD=$LIB $FIX/forker 1 > /dev/null\n"
	    "echo \"oldmode: $(stat -c %a old.log)\"\n"
	    "echo \"oldfirst: $(head -n 1 old.log)\"\n"
	    "echo \"oldlines: $(wc -l < old.log)\"\n");
	cr_expect_eq(bw_number_after(r.out, "status1: "), 0, "%s", r.out);
	cr_expect_eq(bw_number_after(r.out, "status2: "), 0, "%s", r.out);
	cr_expect_eq(bw_count_lines(r.out, "mode: 600", NULL), 1, "%s", r.out);
	cr_expect_eq(bw_count_lines(r.out, "mode2: 600", NULL), 1, "%s", r.out);
	n1 = bw_number_after(r.out, "lines1: ");
	n2 = bw_number_after(r.out, "lines2: ");
	cr_expect_gt(n1, 10, "%s", r.out);
	cr_expect_gt(n2, n1, "not appended: %s", r.out);
	cr_expect_eq(bw_number_after(r.out, "text: "), n1, "%s", r.out);
	cr_expect_eq(bw_number_after(r.out, "json: "), n2 - n1, "%s", r.out);
	cr_expect_eq(bw_number_after(r.out, "stderr: "), 0, "%s", r.out);
	cr_expect_eq(bw_count_lines(r.out, "oldmode: 640", NULL), 1, "%s", r.out);
	cr_expect_eq(bw_count_lines(r.out, "oldfirst: previous", NULL), 1);
	cr_expect_gt(bw_number_after(r.out, "oldlines: "), 1, "%s", r.out);
	done(&r);
}

/* A symbolic link as BINDWATCH_LOG: refused, the program does not start. */
Test(shim, log_symlink_refused, .timeout = 60)
{
	struct run r;

	ns_ok(&r,
	    "ln -s \"$D/target\" link\n"
	    "echo keep > kept; ln -s \"$D/kept\" link2\n"
	    "for l in link link2; do\n"
	    "	BINDWATCH_LOG=\"$D/$l\" LD_PRELOAD=$LIB $FIX/gai_walker 127.0.0.1 0 0 \\\n"
	    "	    > $l.out 2> $l.err\n"
	    "	echo \"$l status: $?\"\n"
	    "	echo \"$l errlines: $(wc -l < $l.err)\"\n"
	    "	echo \"$l named: $(grep -c BINDWATCH_LOG $l.err)\"\n"
	    "	echo \"$l out: $(wc -c < $l.out)\"\n"
	    "	show \"$l err\" $l.err\n"
	    "done\n"
	    "[ -e target ] && echo 'target: created'\n"
	    "echo \"kept: $(cat kept)\"\n");
	cr_expect_eq(bw_number_after(r.out, "link status: "), 125, "%s", r.out);
	cr_expect_eq(bw_number_after(r.out, "link errlines: "), 1, "%s", r.out);
	cr_expect_eq(bw_number_after(r.out, "link named: "), 1, "%s", r.out);
	cr_expect_eq(bw_number_after(r.out, "link out: "), 0, "%s", r.out);
	cr_expect_eq(bw_number_after(r.out, "link2 status: "), 125, "%s", r.out);
	cr_expect_eq(bw_number_after(r.out, "link2 errlines: "), 1, "%s", r.out);
	cr_expect_eq(bw_number_after(r.out, "link2 named: "), 1, "%s", r.out);
	cr_expect_eq(bw_count_lines(r.out, "target: created", NULL), 0);
	cr_expect_eq(bw_count_lines(r.out, "kept: keep", NULL), 1, "%s", r.out);
	done(&r);
}

/*
 * A value the shim cannot parse: exit 125 before the program runs, one
 * line on stderr naming the variable.  The good values beside them start.
 */
/*
 * A bad value that the program sets itself after it started (so the
 * shim first reads it at a hooked call): one line, and the shim stays
 * off; nothing exits inside the hook.  The bind succeeds and the
 * program ends with its own status.
 */
Test(shim, bad_value_set_late_keeps_the_program, .timeout = 60)
{
	struct run r;

	ns_ok(&r,
	    "LD_PRELOAD=$LIB python3 -c '\n"
	    "import os, socket, sys\n"
	    "os.environ[\"BINDWATCH_FAMILY\"] = \"9\"\n"
	    "s = socket.socket(); s.bind((\"127.0.0.1\", 0)); s.listen()\n"
	    "print(\"bound\", s.getsockname()[1] > 0)\n"
	    "sys.exit(3)' 2> e\n"
	    "echo \"status $?\"\n"
	    "echo \"lines $(wc -l < e)\"\n"
	    "cat e\n");
	cr_expect(strstr(r.out, "bound True\n") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "status 3\n") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "lines 1\n") != NULL, "%s", r.out);
	cr_expect(strstr(r.out, "bindwatch: BINDWATCH_FAMILY=9: ") != NULL &&
	    strstr(r.out, "set after the program started") != NULL, "%s", r.out);
	done(&r);
}

Test(shim, bad_values_refused, .timeout = 60)
{
	static const char *const bad[][2] = {
		{ "BINDWATCH_FORMAT", "xml" },
		{ "BINDWATCH_FORCE", "not-an-ip" },
		{ "BINDWATCH_FORCE", "999.1.1.1" },
		{ "BINDWATCH_LOOPBACK_ONLY", "yes" },
		{ "BINDWATCH_RESOLVE", "garbage" },
		{ "BINDWATCH_RESOLVE", "localhost=not-an-ip" },
		{ "BINDWATCH_FAMILY", "5" },
		{ "BINDWATCH_MAP_PORT", "abc" },
		{ "BINDWATCH_MAP_PORT", "80=70000" },
		{ "BINDWATCH_DENY", "not-an-address" },
	};
	static const char *const good[][2] = {
		{ "BINDWATCH_FORMAT", "json" },
		{ "BINDWATCH_FORCE", "127.0.0.1" },
		{ "BINDWATCH_LOOPBACK_ONLY", "1" },
		{ "BINDWATCH_RESOLVE", "localhost=127.0.0.1" },
		{ "BINDWATCH_FAMILY", "4" },
		{ "BINDWATCH_MAP_PORT", "80=8080" },
		{ "BINDWATCH_DENY", "10.0.0.1" },
	};
	struct run r;
	char *script = NULL, *s, key[96];
	size_t i;

	cr_assert_neq(asprintf(&script,
	    "t() {\n"
	    "	env \"$2=$3\" LD_PRELOAD=$LIB $FIX/gai_walker 127.0.0.1 0 0 > o 2> e\n"
	    "	echo \"$1 status=$? lines=$(wc -l < e) out=$(wc -c < o)\" \\\n"
	    "	    \"named=$(grep -c \"^bindwatch: $2=\" e)\"\n"
	    "	show \"$1 err\" e\n"
	    "}\n"), -1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_neq(asprintf(&s, "%st bad%zu %s '%s'\n", script, i,
		    bad[i][0], bad[i][1]), -1);
		free(script);
		script = s;
	}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		cr_assert_neq(asprintf(&s, "%st good%zu %s '%s'\n", script, i,
		    good[i][0], good[i][1]), -1);
		free(script);
		script = s;
	}
	ns_ok(&r, script);
	free(script);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(key, sizeof(key), "bad%zu status=125 lines=1 out=0 named=1",
		    i);
		cr_expect_eq(bw_count_lines(r.out, key, NULL), 1,
		    "%s=%s: want \"%s\" in:\n%s", bad[i][0], bad[i][1], key, r.out);
	}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(key, sizeof(key), "good%zu status=0 ", i);
		cr_expect_eq(bw_count_lines(r.out, key, NULL), 1,
		    "%s=%s: want \"%s\" in:\n%s", good[i][0], good[i][1], key, r.out);
	}
	done(&r);
}

/*
 * Program and host names with control characters, quotes, backslashes and
 * bytes that are not UTF-8: never raw on stderr, always valid JSON, and
 * the JSON decodes back to the very bytes (when they were UTF-8).
 */
Test(shim, hostile_names_escaped, .timeout = 60)
{
	struct run r;
	const unsigned char *p;
	char *text;

	ns_ok(&r,
	    "name=$(printf 'ev\\033[2Jil\"q')\n"
	    "cp $FIX/gai_walker \"$D/$name\"\n"
	    "host=$(printf 'x\\033]0;pwn\\007\"y\\\\z\\tw\\302\\233')\n"
	    "bad=$(printf 'n\\377\\300o')\n"
	    "LD_PRELOAD=$LIB \"$D/$name\" 127.0.0.1 0 0 > /dev/null 2> t1\n"
	    "echo \"s1: $?\"\n"
	    "LD_PRELOAD=$LIB $FIX/gai_dump \"numerichost/unspec/stream/$host/80\" \\\n"
	    "    \"numerichost/unspec/stream/$bad/80\" > /dev/null 2> t2\n"
	    "echo \"s2: $?\"\n"
	    "BINDWATCH_FORMAT=json LD_PRELOAD=$LIB \"$D/$name\" 127.0.0.1 0 0 \\\n"
	    "    > /dev/null 2> j1\n"
	    "BINDWATCH_FORMAT=json LD_PRELOAD=$LIB $FIX/gai_dump \\\n"
	    "    \"numerichost/unspec/stream/$host/80\" \\\n"
	    "    \"numerichost/unspec/stream/$bad/80\" > /dev/null 2> j2\n"
	    "cat j1 j2 > j; json_ok j || exit 93\n"
	    "echo \"json lines: $(wc -l < j)\"\n"
	    /* Decoded, the strings are the program's bytes again. */
	    "NAME=\"$name\" HOST=\"$host\" python3 -c 'import json, os\n"
	    "ev = [json.loads(l) for l in open(\"j\", \"rb\")]\n"
	    "print(\"comm ok:\", sum(e[\"comm\"] == os.environ[\"NAME\"] for e in ev))\n"
	    "print(\"node ok:\", sum(e.get(\"node\") == os.environ[\"HOST\"] for e in ev))'\n"
	    "cat t1 t2 | sed 's/^/text: /'\n"
	    "echo \"text lines: $(cat t1 t2 | wc -l)\"\n");
	cr_expect_eq(bw_number_after(r.out, "s1: "), 0, "%s", r.out);
	cr_expect_eq(bw_number_after(r.out, "s2: "), 0, "%s", r.out);
	/* Nothing raw: only printable ASCII and newlines came out. */
	for (p = (const unsigned char *)r.out; *p != '\0'; p++)
		if (*p != '\n' && (*p < 0x20 || *p >= 0x7f))
			break;
	cr_expect_eq(*p, '\0', "raw byte 0x%02x at offset %ld:\n%s", *p,
	    (long)(p - (const unsigned char *)r.out), r.out);
	/* 3 events from the renamed program, 2 getaddrinfo from gai_dump. */
	cr_expect_eq(bw_number_after(r.out, "text lines: "), 5, "%s", r.out);
	cr_expect_eq(bw_number_after(r.out, "json lines: "), 5, "%s", r.out);
	cr_expect_eq(bw_number_after(r.out, "comm ok: "), 3, "%s", r.out);
	cr_expect_eq(bw_number_after(r.out, "node ok: "), 1, "%s", r.out);
	text = bw_lines_with_prefix(r.out, "text: ");
	cr_expect_eq(bw_count_lines(text, "] ev\\x1b[2Jil\\\"q: bind(", NULL), 1,
	    "%s", text);
	cr_expect_eq(bw_count_lines(text,
	    "getaddrinfo(\"x\\x1b]0;pwn\\x07\\\"y\\\\z\\tw\\xc2\\x9b\", \"80\", ", NULL),
	    1, "%s", text);
	cr_expect_eq(bw_count_lines(text, "getaddrinfo(\"n\\xff\\xc0o\", ", NULL), 1,
	    "%s", text);
	free(text);
	done(&r);
}

/* A static program ignores LD_PRELOAD: it works, and nothing is said. */
Test(shim, static_unseen, .timeout = 60)
{
	struct run r;
	struct bw_ss_sock s;
	char *ss;
	long pid;

	ns_ok(&r,
	    "LD_PRELOAD=$LIB $FIX/static_listener 127.0.0.1 3000 30 > s.out 2> s.err &\n"
	    "bw_wait_grep s.out LISTENING || exit 90\n"
	    "bw_wait_listen 127.0.0.1:3000 || exit 91\n"
	    "bw_ss | sed 's/^/ss: /'\n"
	    "show out s.out\n"
	    "echo \"stderr: $(wc -c < s.err)\"\n"
	    "readelf -d $FIX/static_listener | grep -q NEEDED || echo 'static: yes'\n"
	    "printf 'reply: '; perl -MIO::Socket::IP -e '$s = IO::Socket::IP->new(\n"
	    "    PeerHost => \"127.0.0.1\", PeerPort => 3000) or die; print scalar <$s>'\n");
	pid = bw_number_after(r.out, "out: LISTENING 127.0.0.1 3000 ");
	cr_assert_gt(pid, 0, "%s", r.out);
	cr_expect_eq(bw_count_lines(r.out, "static: yes", NULL), 1, "%s", r.out);
	cr_expect_eq(bw_number_after(r.out, "stderr: "), 0, "%s", r.out);
	cr_expect_eq(bw_number_after(r.out, "reply: "), pid, "%s", r.out);
	ss = bw_lines_with_prefix(r.out, "ss: ");
	cr_assert_eq(bw_ss_find(ss, "127.0.0.1:3000", &s), 0, "%s", ss);
	cr_expect_str_eq(s.comm, "static_listener");
	cr_expect_eq(s.pid, pid);
	free(ss);
	done(&r);
}

/*
 * The socket cache never reports options the socket no longer has: after
 * each bind of sockopt_truth (options changed through a dup, the other
 * side of a fork, syscall(2), dup2 onto the descriptor, closefrom and a
 * reused number) the event says what getsockopt says.
 */
Test(shim, cached_options_true, .timeout = 60)
{
	struct run r;
	char *truth, *events;

	ns_ok(&r,
	    "BINDWATCH_FORMAT=json LD_PRELOAD=$LIB $FIX/sockopt_truth \\\n"
	    "    > t.out 2> t.json\n"
	    "echo \"status: $?\"\n"
	    "json_ok t.json || exit 93\n"
	    "cat t.out\n"
	    "jq -rs '[.[] | select(.type == \"bind\")] | .[1:] | .[] |\n"
	    "    \"event: \\(.fd) \\(.ret) \\(.proto)\" +\n"
	    "    \" reuseaddr=\\(.options | index(\"reuseaddr\") != null | if . then 1 else 0 end)\" +\n"
	    "    \" reuseport=\\(.options | index(\"reuseport\") != null | if . then 1 else 0 end)\" +\n"
	    "    \" v6only=\\(.options | index(\"v6only\") != null | if . then 1 else 0 end)\"' t.json\n"
	    "echo \"listens: $(jq -s '[.[] | select(.type == \"listen\")] | length' t.json)\"\n");
	cr_expect_eq(bw_number_after(r.out, "status: "), 0, "%s\n%s", r.out, r.err);
	truth = bw_lines_with_prefix(r.out, "truth: ");
	events = bw_lines_with_prefix(r.out, "event: ");
	cr_expect_eq(bw_count_lines(r.out, "truth: ", NULL), 13, "%s", r.out);
	cr_expect_str_eq(events, truth, "%s", r.out);
	/* The holder's, not the file's that took a stale socket's number. */
	cr_expect_eq(bw_number_after(r.out, "listens: "), 1, "%s", r.out);
	free(truth);
	free(events);
	done(&r);
}
