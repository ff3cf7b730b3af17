/*
 * Real servers under `bindwatch --json --timeout`, each in a private
 * network namespace where localhost is ::1 and 127.0.0.1 (harness.h).
 * For each: the set of addr:port the summary reports as listening equals
 * the set ss shows for the namespace (only the tree listens there) while
 * the server runs, a real request over loopback is answered, and the exit
 * status is propagated (the CLI's equals the summary's equals what the
 * server does when --timeout sends SIGTERM, or what it exits with itself).
 * The same under --loopback-only and --force 127.0.0.1 where the server
 * can be made to bind a wildcard: ss then shows exactly the rewritten
 * addresses and the loopback request is answered.
 *
 * A server that is not installed is skipped with a message (CI installs
 * them: `make deps-test`).
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

/* Seconds each server runs under bindwatch before --timeout ends it. */
#define REAL_RUN_S	"4"

struct real_case {
	const char	*need;		/* a program that must be installed */
	int		 root;		/* needs real root (nginx workers) */
	const char	*setup;		/* shell lines before the run, or NULL */
	const char	*opts;		/* bindwatch options besides --json etc. */
	const char	*cmd;		/* the server */
	const char	*wait;		/* ss local addresses to wait for */
	const char	*request;	/* shell: a request; stdout has answer */
	const char	*answer;
	const char	*want;		/* the ss set, sorted (C), space-separated */
	int		 status;	/* expected exit status */
};

/*
 * The script: run the server under bindwatch, wait for its listeners,
 * take ss, make the request (a server may exit after it), wait for bindwatch; then print both sets in
 * the same form (ss's: 127.0.0.1:80, [::1]:80, [::ffff:127.0.0.1]:80).
 */
static const char real_script[] =
    "export D BW_BUILD LIB FIX BW\n"
    "PY=/usr/bin/python3; [ -x $PY ] || PY=python3\n"
    "real_get() { $PY -c 'import sys, urllib.request\n"
    "print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())' \"$1\"; }\n"
    "%s\n"
    "$BW --json --timeout " REAL_RUN_S " %s -o $D/rep -- %s >$D/out 2>&1 &\n"
    "bw=$!\n"
    "for a in %s; do bw_wait_listen \"$a\" || echo \"NOLISTEN $a\"; done\n"
    "ss -Hltnp >$D/ss\n"
    "{ %s ; } >$D/resp 2>&1; echo \"REQ $?\"\n"
    "wait $bw; echo \"STATUS $?\"\n"
    "echo \"SSSET $(awk '{ print $4 }' $D/ss | LC_ALL=C sort -u | tr '\\n' ' ')\"\n"
    "tail -n 1 $D/rep >$D/sum\n"
    "echo \"SUMSET $(jq -r '.listening[] | if (.addr | contains(\":\")) "
    "then \"[\\(.addr)]:\\(.port)\" else \"\\(.addr):\\(.port)\" end' $D/sum | "
    "LC_ALL=C sort -u | tr '\\n' ' ')\"\n"
    "echo \"SUMSTATUS $(jq -r .exit_status $D/sum)\"\n"
    "echo \"LOST $(jq -r '\"\\(.lost_events) \\(.malformed_events)\"' $D/sum)\"\n"
    "echo \"FAILED $(jq -c '[.failed[] | \"\\(.addr):\\(.port) \\(.errno)\"]' $D/sum)\"\n"
    "echo '--- ss'; cat $D/ss; echo '--- response'; cat $D/resp\n"
    "echo '--- output'; cat $D/out; echo '--- report'; cat $D/rep\n";

/* The value after "KEY " on its line, trailing blanks removed, malloc'd. */
static char *
real_value(const char *out, const char *key)
{
	char *line = bw_find_line(out, key, NULL), *v;
	size_t n;

	cr_assert_not_null(line, "no %s line in:\n%s", key, out);
	v = strdup(strstr(line, key) + strlen(key));
	free(line);
	n = strlen(v);
	while (n > 0 && v[n - 1] == ' ')
		v[--n] = '\0';
	return v;
}

static int
real_have(const char *prog)
{
	char *cmd, *out = NULL;
	int status;

	cr_assert(asprintf(&cmd, "command -v %s", prog) > 0);
	cr_assert_eq(bw_sh_run(cmd, &out, NULL, &status), 0);
	free(cmd);
	free(out);
	return status == 0;
}

static void
real_check(const struct real_case *c)
{
	char *script, *out = NULL, *err = NULL, *v, want[16];
	int status;

	cr_assert_not_null(bw_build(), "no build directory (set BW_BUILD)");
	if (!real_have(c->need))
		cr_skip_test("%s is not installed (make deps-test installs it)",
		    c->need);
	if (c->root && geteuid() != 0)
		cr_skip_test("%s needs root: its workers switch users", c->need);
	cr_assert(asprintf(&script, real_script, c->setup ? c->setup : "",
	    c->opts, c->cmd, c->wait, c->request) > 0);
	cr_assert_eq(bw_ns_run(script, &out, &err, &status), 0, "cannot run");
	free(script);
	cr_assert_eq(status, 0, "script failed (%d):\n%s\n%s", status, out, err);
	cr_assert_null(strstr(out, "NOLISTEN"), "a listener never came:\n%s\n%s",
	    out, err);

	/* The request was answered. */
	v = real_value(out, "REQ ");
	cr_assert_str_eq(v, "0", "the request failed:\n%s", out);
	free(v);
	cr_assert_not_null(strstr(strstr(out, "--- response"), c->answer),
	    "no '%s' in the response:\n%s", c->answer, out);

	/* Summary == ss, and ss is exactly what was expected. */
	v = real_value(out, "SSSET ");
	cr_assert_str_eq(v, c->want, "ss shows [%s], expected [%s]:\n%s", v,
	    c->want, out);
	free(v);
	v = real_value(out, "SUMSET ");
	cr_assert_str_eq(v, c->want, "the summary says [%s], ss [%s]:\n%s", v,
	    c->want, out);
	free(v);

	/* The exit status, propagated and reported. */
	snprintf(want, sizeof(want), "%d", c->status);
	v = real_value(out, "STATUS ");
	cr_assert_str_eq(v, want, "exit status %s, expected %s:\n%s", v, want, out);
	free(v);
	v = real_value(out, "SUMSTATUS ");
	cr_assert_str_eq(v, want, "summary exit_status %s, expected %s", v, want);
	free(v);
	v = real_value(out, "LOST ");
	cr_assert_str_eq(v, "0 0", "lost and malformed events: %s\n%s", v, out);
	free(v);
	/* Every bind of these servers succeeds, with or without a policy. */
	v = real_value(out, "FAILED ");
	cr_assert_str_eq(v, "[]", "failed binds: %s\n%s", v, out);
	free(v);
	free(out);
	free(err);
}

/* ---- python3 -m http.server ---------------------------------------- */

#define REAL_PY_HTTP	"$PY -m http.server --directory $D "

Test(real, python_http_v4, .timeout = 60)
{
	static const struct real_case c = {
		"python3", 0, "echo python-ok >$D/index.html", "",
		REAL_PY_HTTP "--bind 127.0.0.1 8001", "127.0.0.1:8001",
		"real_get http://127.0.0.1:8001/", "python-ok",
		"127.0.0.1:8001", 143,
	};
	real_check(&c);
}

Test(real, python_http_v6, .timeout = 60)
{
	static const struct real_case c = {
		"python3", 0, "echo python-ok >$D/index.html", "",
		REAL_PY_HTTP "--bind ::1 8002", "[::1]:8002",
		"real_get 'http://[::1]:8002/'", "python-ok",
		"[::1]:8002", 143,
	};
	real_check(&c);
}

Test(real, python_http_wildcard_forced, .timeout = 60)
{
	static const struct real_case c = {
		"python3", 0, "echo python-ok >$D/index.html", "--force 127.0.0.1",
		REAL_PY_HTTP "--bind 0.0.0.0 8003", "127.0.0.1:8003",
		"real_get http://127.0.0.1:8003/", "python-ok",
		"127.0.0.1:8003", 143,
	};
	real_check(&c);
}

Test(real, python_http_wildcard_loopback_only, .timeout = 60)
{
	static const struct real_case c = {
		"python3", 0, "echo python-ok >$D/index.html", "--loopback-only",
		REAL_PY_HTTP "--bind 0.0.0.0 8004", "127.0.0.1:8004",
		"real_get http://127.0.0.1:8004/", "python-ok",
		"127.0.0.1:8004", 143,
	};
	real_check(&c);
}

/* http.server on [::] is dual-stack; forced, it is ::ffff:127.0.0.1 only. */
Test(real, python_http_dualstack_forced, .timeout = 60)
{
	static const struct real_case c = {
		"python3", 0, "echo python-ok >$D/index.html", "--force 127.0.0.1",
		REAL_PY_HTTP "--bind :: 8005", "[::ffff:127.0.0.1]:8005",
		"real_get http://127.0.0.1:8005/", "python-ok",
		"[::ffff:127.0.0.1]:8005", 143,
	};
	real_check(&c);
}

/* ---- Perl IO::Socket::IP on localhost: serves once, exits 7 ---------- */

Test(real, perl_io_socket_ip, .timeout = 60)
{
	static const struct real_case c = {
		"perl", 0, NULL, "",
		"perl -MIO::Socket::IP -e '$s = IO::Socket::IP->new(LocalHost => "
		"\"localhost\", LocalPort => 3000, Listen => 5) or die $@; "
		"$c = $s->accept or die; print $c \"perl-ok\\n\"; close $c; exit 7'",
		"'[::1]:3000'",
		"perl -MIO::Socket::IP -e '$c = IO::Socket::IP->new(PeerHost => "
		"\"localhost\", PeerPort => 3000, Timeout => 5) or die $@; print <$c>'",
		"perl-ok", "[::1]:3000", 7,
	};
	real_check(&c);
}

/* ---- nginx: master and 2 workers, root in the namespace -------------- */

/* A config in $D/ng; $1: on|off (daemon), $2: the listen directives. */
#define REAL_NGINX_CONF \
	"mkdir -p $D/ng\n" \
	"real_nginx_conf() { cat >$D/ng/nginx.conf <<EOF\n" \
	"daemon $1;\nworker_processes 2;\npid $D/ng/nginx.pid;\n" \
	"error_log $D/ng/error.log;\nevents { worker_connections 64; }\n" \
	"http {\n access_log $D/ng/access.log;\n client_body_temp_path $D/ng/body;\n" \
	" server { $2 location / { return 200 \"nginx-ok\\\\n\"; } }\n}\nEOF\n}\n"
#define REAL_NGINX	"nginx -c $D/ng/nginx.conf -p $D/ng"

Test(real, nginx_localhost, .timeout = 60)
{
	static const struct real_case c = {
		"nginx", 1, REAL_NGINX_CONF "real_nginx_conf off 'listen localhost:8080;'",
		"", REAL_NGINX, "127.0.0.1:8080 '[::1]:8080'",
		"real_get http://127.0.0.1:8080/ && real_get 'http://[::1]:8080/' && "
		"[ $(pgrep -c -x nginx) -eq 3 ]",
		"nginx-ok", "127.0.0.1:8080 [::1]:8080", 0,
	};
	real_check(&c);
}

/* daemon on: the master forks away from the command; bindwatch follows. */
Test(real, nginx_daemon, .timeout = 60)
{
	static const struct real_case c = {
		"nginx", 1, REAL_NGINX_CONF "real_nginx_conf on 'listen localhost:8081;'",
		"", REAL_NGINX, "127.0.0.1:8081 '[::1]:8081'",
		"real_get http://127.0.0.1:8081/ && real_get 'http://[::1]:8081/' && "
		"[ $(pgrep -c -x nginx) -eq 3 ]",
		"nginx-ok", "127.0.0.1:8081 [::1]:8081", 0,
	};
	real_check(&c);
}

/* listen 80; listen [::]:80; forced: one socket, the second an alias. */
Test(real, nginx_wildcards_forced, .timeout = 60)
{
	static const struct real_case c = {
		"nginx", 1,
		REAL_NGINX_CONF "real_nginx_conf off 'listen 8082; listen [::]:8082;'",
		"--force 127.0.0.1", REAL_NGINX, "127.0.0.1:8082",
		"real_get http://127.0.0.1:8082/", "nginx-ok", "127.0.0.1:8082", 0,
	};
	real_check(&c);
}

Test(real, nginx_wildcards_loopback_only, .timeout = 60)
{
	static const struct real_case c = {
		"nginx", 1,
		REAL_NGINX_CONF "real_nginx_conf on 'listen 8083; listen [::]:8083;'",
		"--loopback-only", REAL_NGINX, "127.0.0.1:8083 '[::1]:8083'",
		"real_get http://127.0.0.1:8083/ && real_get 'http://[::1]:8083/'",
		"nginx-ok", "127.0.0.1:8083 [::1]:8083", 0,
	};
	real_check(&c);
}

/* ---- redis-server --daemonize yes: double fork, closes descriptors --- */

#define REAL_REDIS(port, bind) "redis-server --port " port " --bind " bind \
	" --daemonize yes --dir $D --pidfile $D/r.pid --save ''"
#define REAL_REDIS_PING(port) \
	"printf 'PING\\r\\nQUIT\\r\\n' | nc -w 5 127.0.0.1 " port

Test(real, redis_daemonized, .timeout = 60)
{
	static const struct real_case c = {
		"redis-server", 0, NULL, "", REAL_REDIS("6379", "127.0.0.1"),
		"127.0.0.1:6379", REAL_REDIS_PING("6379"), "+PONG",
		"127.0.0.1:6379", 0,
	};
	real_check(&c);
}

Test(real, redis_wildcard_loopback_only, .timeout = 60)
{
	static const struct real_case c = {
		"redis-server", 0, NULL, "--loopback-only",
		REAL_REDIS("6380", "0.0.0.0"), "127.0.0.1:6380",
		REAL_REDIS_PING("6380"), "+PONG", "127.0.0.1:6380", 0,
	};
	real_check(&c);
}

Test(real, redis_wildcard_forced, .timeout = 60)
{
	static const struct real_case c = {
		"redis-server", 0, NULL, "--force 127.0.0.1",
		REAL_REDIS("6381", "0.0.0.0"), "127.0.0.1:6381",
		REAL_REDIS_PING("6381"), "+PONG", "127.0.0.1:6381", 0,
	};
	real_check(&c);
}

/* ---- memcached -l localhost ------------------------------------------ */

#define REAL_MEMCACHED(port, l) "memcached -l " l " -p " port " -U 0 -u root"
#define REAL_MC_VERSION(host, port) \
	"printf 'version\\r\\nquit\\r\\n' | nc -w 5 " host " " port

Test(real, memcached_localhost, .timeout = 60)
{
	static const struct real_case c = {
		"memcached", 0, NULL, "", REAL_MEMCACHED("11211", "localhost"),
		"127.0.0.1:11211 '[::1]:11211'",
		REAL_MC_VERSION("127.0.0.1", "11211") " && "
		REAL_MC_VERSION("::1", "11211"), "VERSION ",
		"127.0.0.1:11211 [::1]:11211", 0,
	};
	real_check(&c);
}

Test(real, memcached_wildcard_loopback_only, .timeout = 60)
{
	static const struct real_case c = {
		"memcached", 0, NULL, "--loopback-only",
		REAL_MEMCACHED("11212", "0.0.0.0"), "127.0.0.1:11212",
		REAL_MC_VERSION("127.0.0.1", "11212"), "VERSION ",
		"127.0.0.1:11212", 0,
	};
	real_check(&c);
}

Test(real, memcached_wildcard_forced, .timeout = 60)
{
	static const struct real_case c = {
		"memcached", 0, NULL, "--force 127.0.0.1",
		REAL_MEMCACHED("11213", "0.0.0.0"), "127.0.0.1:11213",
		REAL_MC_VERSION("127.0.0.1", "11213"), "VERSION ",
		"127.0.0.1:11213", 0,
	};
	real_check(&c);
}

/*
 * -l localhost binds [::1] first, then 127.0.0.1.  Forced to 127.0.0.1, the
 * first becomes ::ffff:127.0.0.1 (v6only cleared) and the second asks for
 * what is now the same endpoint: as with nginx above, it must become an
 * alias of the first, not fail with EADDRINUSE (memcached tolerates the
 * failure; a stricter server would not start).
 */
Test(real, memcached_localhost_forced, .timeout = 60)
{
	static const struct real_case c = {
		"memcached", 0, NULL, "--force 127.0.0.1",
		REAL_MEMCACHED("11214", "localhost"), "'[::ffff:127.0.0.1]:11214'",
		REAL_MC_VERSION("127.0.0.1", "11214"), "VERSION ",
		"[::ffff:127.0.0.1]:11214", 0,
	};
	real_check(&c);
}

/* ---- Node.js http.createServer().listen() ---------------------------- */

#define REAL_NODE(listen) "node -e 'require(\"http\").createServer((q, s) => " \
	"s.end(\"node-ok\")).listen(" listen ")'"

Test(real, node_localhost, .timeout = 60)
{
	static const struct real_case c = {
		"node", 0, NULL, "", REAL_NODE("3001, \"localhost\""), "'[::1]:3001'",
		"real_get 'http://[::1]:3001/'", "node-ok", "[::1]:3001", 143,
	};
	real_check(&c);
}

/* listen(PORT) binds [::] (dual-stack); loopback-only makes it ::1. */
Test(real, node_wildcard_loopback_only, .timeout = 60)
{
	static const struct real_case c = {
		"node", 0, NULL, "--loopback-only", REAL_NODE("3002"), "'[::1]:3002'",
		"real_get 'http://[::1]:3002/'", "node-ok", "[::1]:3002", 143,
	};
	real_check(&c);
}

Test(real, node_wildcard_forced, .timeout = 60)
{
	static const struct real_case c = {
		"node", 0, NULL, "--force 127.0.0.1", REAL_NODE("3003"),
		"'[::ffff:127.0.0.1]:3003'",
		"real_get http://127.0.0.1:3003/", "node-ok",
		"[::ffff:127.0.0.1]:3003", 143,
	};
	real_check(&c);
}
