/*
 * shim/core/format.c: one event as one text line or one JSON line.  Exact text
 * for each event type, JSON read back by a real parser (python3), hostile
 * program strings never raw in either, and cut lines still well formed.
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format.h"

static struct bw_sa
fmt_sa(const char *s, uint16_t port)
{
	struct bw_sa sa;

	cr_assert_eq(bw_sa_parse_addr(s, &sa), 0, "bad test address %s", s);
	sa.port = port;
	return sa;
}

static void
fmt_base(struct bw_event *e, int type)
{
	memset(e, 0, sizeof(*e));
	e->type = (uint8_t)type;
	e->pid = 4211;
	e->ppid = 4200;
	e->seq = 7;
	e->time_ns = 1700000000123456789ULL;
	strcpy(e->comm, "ruby");
	e->alias_fd = -1;
}

/* getaddrinfo("localhost", "3000", passive): both socket types each. */
static void
fmt_gai_localhost(struct bw_event *e)
{
	fmt_base(e, BW_EV_GAI);
	e->has_node = e->has_service = e->has_hints = 1;
	strcpy(e->node, "localhost");
	strcpy(e->service, "3000");
	e->h_flags = AI_PASSIVE;
	e->naddrs = e->naddrs_total = 4;
	e->addrs[0] = fmt_sa("::1", 3000);
	e->addr_proto[0] = BW_PROTO_TCP;
	e->addrs[1] = fmt_sa("::1", 3000);
	e->addr_proto[1] = BW_PROTO_UDP;
	e->addrs[2] = fmt_sa("127.0.0.1", 3000);
	e->addr_proto[2] = BW_PROTO_TCP;
	e->addrs[3] = fmt_sa("127.0.0.1", 3000);
	e->addr_proto[3] = BW_PROTO_UDP;
}

static void
fmt_bind(struct bw_event *e, int fd, const char *req, uint16_t port)
{
	fmt_base(e, BW_EV_BIND);
	e->fd = fd;
	e->proto = BW_PROTO_TCP;
	e->req = e->used = fmt_sa(req, port);
}

static void
fmt_listen(struct bw_event *e, int fd, int backlog, const char *a,
    uint16_t port)
{
	fmt_base(e, BW_EV_LISTEN);
	e->fd = fd;
	e->backlog = backlog;
	e->proto = BW_PROTO_TCP;
	e->bound = fmt_sa(a, port);
}

static const char *
fmt_text(const struct bw_event *e)
{
	static char line[BW_LINE_MAX];
	size_t n;

	n = bw_format_text(e, line, sizeof(line));
	cr_assert_gt(n, 0);
	cr_assert_eq(strlen(line), n);
	cr_assert_eq(line[n - 1], '\n', "no newline: %s", line);
	return line;
}

static const char *
fmt_json(const struct bw_event *e)
{
	static char line[BW_LINE_MAX];
	size_t n;

	n = bw_format_json(e, line, sizeof(line));
	cr_assert_gt(n, 0);
	cr_assert_eq(strlen(line), n);
	cr_assert_eq(line[n - 1], '\n', "no newline: %s", line);
	return line;
}

/*
 * Feed data (JSON Lines) to a python3 program as the file argv[1]; what
 * it printed goes to out.  Returns its exit status; skips the test when
 * python3 is missing.
 */
static int
fmt_python(const char *prog, const char *data, size_t len, char *out,
    size_t outlen)
{
	char path[] = "/tmp/bw-test-format.XXXXXX", cmd[2048];
	FILE *f;
	size_t n;
	int fd, st;

	cr_assert_neq(fd = mkstemp(path), -1);
	cr_assert_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
	cr_assert_lt(snprintf(cmd, sizeof(cmd), "python3 -c '%s' %s 2>&1",
	    prog, path), (int)sizeof(cmd));
	f = popen(cmd, "r");
	cr_assert_not_null(f);
	n = fread(out, 1, outlen - 1, f);
	out[n] = '\0';
	st = pclose(f);
	unlink(path);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		cr_skip_test("python3 not available");
	if (n > 0 && out[n - 1] == '\n')
		out[n - 1] = '\0';
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/*
 * Parse one JSON line and print expr (over the object d) as JSON: the
 * caller compares with the expected text.
 */
static const char *
fmt_py_eval(const char *line, const char *expr)
{
	static char out[8192];
	char prog[1024];
	int st;

	snprintf(prog, sizeof(prog),
	    "import json,sys\n"
	    "t=open(sys.argv[1],\"rb\").read()\n"
	    "assert t.endswith(b\"\\n\") and t.count(b\"\\n\")==1\n"
	    "d=json.loads(t)\n"
	    "print(json.dumps(%s))", expr);
	st = fmt_python(prog, line, strlen(line), out, sizeof(out));
	cr_assert_eq(st, 0, "python: %s\nline: %s", out, line);
	return out;
}

/* A JSON line as it should look without a parser: one object, one line. */
static void
fmt_expect_json_shape(const char *line)
{
	size_t n = strlen(line), i;

	cr_assert_geq(n, 3);
	cr_expect_eq(line[0], '{', "%s", line);
	cr_expect_eq(line[n - 2], '}', "%s", line);
	for (i = 0; i + 1 < n; i++)
		cr_expect_geq((unsigned char)line[i], 0x20,
		    "raw control 0x%02x at %zu: %s", line[i], i, line);
}

/* A text line: printable ASCII, one newline at the end. */
static void
fmt_expect_text_shape(const char *line)
{
	size_t n = strlen(line), i;

	cr_assert_geq(n, 1);
	cr_expect_eq(line[n - 1], '\n');
	for (i = 0; i + 1 < n; i++) {
		unsigned char c = (unsigned char)line[i];

		cr_expect(c >= 0x20 && c < 0x7f, "raw byte 0x%02x at %zu: %s",
		    c, i, line);
	}
}

/*
 * Every backslash of a text line starts a whole escape (only escaped
 * strings contain backslashes): a cut line never ends inside one.
 */
static int
fmt_escapes_whole(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] != '\\')
			continue;
		if (i + 1 >= n)
			return 0;
		if (strchr("\"\\nrt", s[i + 1]) != NULL && s[i + 1] != '\0') {
			i++;
			continue;
		}
		if (s[i + 1] != 'x' || i + 3 >= n ||
		    strchr("0123456789abcdef", s[i + 2]) == NULL ||
		    strchr("0123456789abcdef", s[i + 3]) == NULL)
			return 0;
		i += 3;
	}
	return 1;
}

Test(format, escape_checker_can_fail)
{
	cr_expect(fmt_escapes_whole("a\\x1bb\\\\\\\"", 10));
	cr_expect_not(fmt_escapes_whole("a\\x1", 4));
	cr_expect_not(fmt_escapes_whole("a\\", 2));
	cr_expect_not(fmt_escapes_whole("\\x", 2));
}

Test(format, text_gai_localhost)
{
	struct bw_event e;

	fmt_gai_localhost(&e);
	cr_expect_str_eq(fmt_text(&e), "bindwatch[4211] ruby: "
	    "getaddrinfo(\"localhost\", \"3000\", passive) = "
	    "[::1]:3000, 127.0.0.1:3000\n");
}

Test(format, text_gai_variants)
{
	struct bw_event e;

	fmt_gai_localhost(&e);
	e.has_hints = 0;
	e.has_service = 0;
	e.ret = EAI_NONAME;
	e.naddrs = e.naddrs_total = 0;
	cr_expect_str_eq(fmt_text(&e), "bindwatch[4211] ruby: "
	    "getaddrinfo(\"localhost\", NULL, NULL) = EAI_NONAME\n");

	e.has_node = 0;
	e.has_service = 1;
	e.ret = EAI_SYSTEM;
	e.err = ENOMEM;
	cr_expect_str_eq(fmt_text(&e), "bindwatch[4211] ruby: "
	    "getaddrinfo(NULL, \"3000\", NULL) = EAI_SYSTEM ENOMEM\n");

	/* Hints: family, socket type, then the flags in a fixed order. */
	fmt_gai_localhost(&e);
	e.h_family = AF_INET6;
	e.h_socktype = SOCK_STREAM;
	e.h_flags = AI_ADDRCONFIG | AI_NUMERICSERV | AI_PASSIVE | AI_V4MAPPED;
	e.naddrs = e.naddrs_total = 1;
	cr_expect_str_eq(fmt_text(&e), "bindwatch[4211] ruby: "
	    "getaddrinfo(\"localhost\", \"3000\", "
	    "inet6|stream|passive|numericserv|v4mapped|addrconfig) = "
	    "[::1]:3000\n");
	e.h_family = AF_INET;
	e.h_socktype = SOCK_DGRAM;
	e.h_flags = 0;
	cr_expect_str_eq(fmt_text(&e), "bindwatch[4211] ruby: "
	    "getaddrinfo(\"localhost\", \"3000\", inet|dgram) = [::1]:3000\n");
	e.h_family = AF_UNSPEC;
	e.h_socktype = 0;
	cr_expect_str_eq(fmt_text(&e), "bindwatch[4211] ruby: "
	    "getaddrinfo(\"localhost\", \"3000\", 0) = [::1]:3000\n");
	e.h_flags = AI_CANONNAME | AI_NUMERICHOST | AI_ALL;
	e.h_socktype = SOCK_RAW;
	cr_expect_str_eq(fmt_text(&e), "bindwatch[4211] ruby: "
	    "getaddrinfo(\"localhost\", \"3000\", raw|canonname|numerichost|all)"
	    " = [::1]:3000\n");

	/* More returned than kept. */
	fmt_gai_localhost(&e);
	e.naddrs_total = 20;
	cr_expect_str_eq(fmt_text(&e), "bindwatch[4211] ruby: "
	    "getaddrinfo(\"localhost\", \"3000\", passive) = "
	    "[::1]:3000, 127.0.0.1:3000 (+16 more)\n");

	/* Rewritten by BINDWATCH_RESOLVE: what libc had said is kept. */
	fmt_gai_localhost(&e);
	e.action = BW_ACT_REWRITE;
	e.norig = 2;
	e.orig[0] = fmt_sa("127.0.0.1", 3000);
	e.orig[1] = fmt_sa("127.0.0.1", 3000);
	cr_expect_str_eq(fmt_text(&e), "bindwatch[4211] ruby: "
	    "getaddrinfo(\"localhost\", \"3000\", passive) = "
	    "[::1]:3000, 127.0.0.1:3000 [rewritten; libc said: 127.0.0.1:3000]\n");
	e.norig = 0;
	e.ret = EAI_NONAME;
	e.naddrs = e.naddrs_total = 0;
	cr_expect_str_eq(fmt_text(&e), "bindwatch[4211] ruby: "
	    "getaddrinfo(\"localhost\", \"3000\", passive) = EAI_NONAME "
	    "[rewritten; libc said: nothing]\n");
}

Test(format, text_bind)
{
	struct bw_event e;

	/* The localhost story: [::1]:3000 is taken. */
	fmt_bind(&e, 5, "::1", 3000);
	e.ret = -1;
	e.err = EADDRINUSE;
	cr_expect_str_eq(fmt_text(&e),
	    "bindwatch[4211] ruby: bind(5, [::1]:3000) = -1 EADDRINUSE (tcp)\n");

	/* Port 0: the port the kernel chose is shown. */
	fmt_bind(&e, 3, "0.0.0.0", 0);
	e.bound = fmt_sa("0.0.0.0", 43210);
	e.opts = BW_OPT_REUSEADDR | BW_OPT_REUSEPORT;
	cr_expect_str_eq(fmt_text(&e), "bindwatch[4211] ruby: "
	    "bind(3, 0.0.0.0:0) = 0 -> 0.0.0.0:43210 (tcp, reuseaddr, reuseport)\n");

	/* Bound where asked: no arrow. */
	fmt_bind(&e, 3, "127.0.0.1", 3000);
	e.bound = e.used;
	e.opts = BW_OPT_FREEBIND;
	cr_expect_str_eq(fmt_text(&e), "bindwatch[4211] ruby: "
	    "bind(3, 127.0.0.1:3000) = 0 (tcp, freebind)\n");

	/* Forced onto loopback. */
	fmt_bind(&e, 7, "::", 80);
	e.used = e.bound = fmt_sa("::ffff:127.0.0.1", 80);
	e.action = BW_ACT_REWRITE;
	cr_expect_str_eq(fmt_text(&e), "bindwatch[4211] ruby: "
	    "bind(7, [::]:80 => [::ffff:127.0.0.1]:80) = 0 (tcp) "
	    "[rewritten by policy]\n");

	/* Refused. */
	fmt_bind(&e, 4, "10.0.0.1", 80);
	e.proto = BW_PROTO_UDP;
	e.ret = -1;
	e.err = EACCES;
	e.action = BW_ACT_DENY;
	cr_expect_str_eq(fmt_text(&e), "bindwatch[4211] ruby: "
	    "bind(4, 10.0.0.1:80) = -1 EACCES (udp) [refused by policy]\n");

	/* Confined to the loopback device, the address kept. */
	fmt_bind(&e, 3, "::", 8000);
	e.bound = e.used;
	e.action = BW_ACT_CONFINE;
	cr_expect_str_eq(fmt_text(&e), "bindwatch[4211] ruby: "
	    "bind(3, [::]:8000) = 0 (tcp) [confined to lo by policy]\n");
	cr_expect(strstr(fmt_json(&e), "\"action\":\"confine\"") != NULL,
	    "%s", fmt_json(&e));

	/* Unknown socket type, V6ONLY, an errno without a name. */
	fmt_bind(&e, 9, "fe80::1%2", 53);
	e.proto = BW_PROTO_OTHER;
	e.opts = BW_OPT_V6ONLY;
	e.ret = -1;
	e.err = 4000;
	cr_expect_str_eq(fmt_text(&e), "bindwatch[4211] ruby: "
	    "bind(9, [fe80::1%2]:53) = -1 E4000 (other, v6only)\n");

	/* An address that could not be read. */
	fmt_bind(&e, 9, "::1", 1);
	memset(&e.req, 0, sizeof(e.req));
	e.used = e.req;
	e.ret = -1;
	e.err = EFAULT;
	cr_expect_str_eq(fmt_text(&e), "bindwatch[4211] ruby: "
	    "bind(9, ?) = -1 EFAULT (tcp)\n");
}

Test(format, text_listen)
{
	struct bw_event e;

	fmt_listen(&e, 5, 128, "::1", 3000);
	e.opts = BW_OPT_V6ONLY;
	cr_expect_str_eq(fmt_text(&e), "bindwatch[4211] ruby: "
	    "listen(5, 128) = 0 on [::1]:3000 (tcp, v6only)\n");

	fmt_listen(&e, 6, 4096, "0.0.0.0", 39999);
	e.autobound = 1;
	cr_expect_str_eq(fmt_text(&e), "bindwatch[4211] ruby: "
	    "listen(6, 4096) = 0 on 0.0.0.0:39999 (tcp, autobound)\n");

	fmt_listen(&e, 6, -1, "127.0.0.1", 39999);
	e.autobound = 1;
	e.action = BW_ACT_REWRITE;
	cr_expect_str_eq(fmt_text(&e), "bindwatch[4211] ruby: "
	    "listen(6, -1) = 0 on 127.0.0.1:39999 (tcp, autobound) "
	    "[bound by policy first]\n");

	fmt_listen(&e, 8, 5, "::1", 0);
	memset(&e.bound, 0, sizeof(e.bound));
	e.proto = BW_PROTO_UDP;
	e.ret = -1;
	e.err = EOPNOTSUPP;
	cr_expect_str_eq(fmt_text(&e), "bindwatch[4211] ruby: "
	    "listen(8, 5) = -1 EOPNOTSUPP (udp)\n");
}

Test(format, text_exec_exit_unknown)
{
	struct bw_event e;

	fmt_base(&e, BW_EV_EXEC);
	strcpy(e.exe, "/usr/bin/ruby3.1");
	cr_expect_str_eq(fmt_text(&e),
	    "bindwatch[4211] ruby: exec /usr/bin/ruby3.1\n");

	fmt_base(&e, BW_EV_EXIT);
	e.ret = 3;
	cr_expect_str_eq(fmt_text(&e), "bindwatch[4211] ruby: exit 3\n");
	e.ret = 0;
	cr_expect_str_eq(fmt_text(&e), "bindwatch[4211] ruby: exit 0\n");
	e.ret = -9;
	cr_expect_str_eq(fmt_text(&e), "bindwatch[4211] ruby: killed by SIGKILL\n");
	e.ret = -64;
	cr_expect_str_eq(fmt_text(&e), "bindwatch[4211] ruby: killed by SIG64\n");

	fmt_base(&e, 0);
	cr_expect_str_eq(fmt_text(&e), "bindwatch[4211] ruby: ?\n");
	fmt_base(&e, 200);
	e.pid = -1;
	e.comm[0] = '\0';
	cr_expect_str_eq(fmt_text(&e), "bindwatch[-1] : ?\n");
}

/* A hostile record (INT32_MIN as "killed by") must not overflow -ret. */
Test(format, exit_with_int32_min)
{
	struct bw_event e;
	char buf[BW_LINE_MAX];

	fmt_base(&e, BW_EV_EXIT);
	e.ret = INT32_MIN;
	bw_format_text(&e, buf, sizeof(buf));
	cr_expect_str_eq(buf, "bindwatch[4211] ruby: killed by SIG0\n");
	bw_format_json(&e, buf, sizeof(buf));
	cr_expect_neq(strstr(buf, "\"signal\":\"SIG0\""), NULL, "%s", buf);
}

Test(format, json_gai)
{
	struct bw_event e;
	const char *l;

	fmt_gai_localhost(&e);
	l = fmt_json(&e);
	fmt_expect_json_shape(l);
	cr_expect_str_eq(fmt_py_eval(l,
	    "[d[\"type\"], d[\"pid\"], d[\"ppid\"], d[\"comm\"], d[\"seq\"],"
	    " d[\"time_ns\"], d[\"node\"], d[\"service\"], d[\"hints\"],"
	    " d[\"ret\"], d[\"error\"], d[\"addrs\"], d[\"naddrs\"],"
	    " d[\"action\"], d[\"original\"], d[\"override\"]]"),
	    "[\"getaddrinfo\", 4211, 4200, \"ruby\", 7, 1700000000123456789,"
	    " \"localhost\", \"3000\", {\"family\": \"unspec\", \"socktype\":"
	    " \"any\", \"protocol\": 0, \"flags\": [\"passive\"]}, 0, null, ["
	    "{\"addr\": \"::1\", \"port\": 3000,"
	    " \"family\": \"inet6\", \"proto\": \"tcp\"}, "
	    "{\"addr\": \"::1\", \"port\": 3000,"
	    " \"family\": \"inet6\", \"proto\": \"udp\"}, "
	    "{\"addr\": \"127.0.0.1\", \"port\": 3000,"
	    " \"family\": \"inet\", \"proto\": \"tcp\"}, "
	    "{\"addr\": \"127.0.0.1\", \"port\": 3000,"
	    " \"family\": \"inet\", \"proto\": \"udp\"}"
	    "], 4, \"pass\", null, false]");

	/* Failure, no hints, no service; a rewritten list. */
	e.has_hints = e.has_service = 0;
	e.ret = EAI_NONAME;
	e.naddrs = e.naddrs_total = 0;
	e.action = BW_ACT_REWRITE;
	e.norig = 1;
	e.orig[0] = fmt_sa("fe80::1%3", 80);
	l = fmt_json(&e);
	fmt_expect_json_shape(l);
	cr_expect_str_eq(fmt_py_eval(l,
	    "[d[\"service\"], d[\"hints\"], d[\"ret\"] != 0, d[\"error\"],"
	    " d[\"addrs\"], d[\"action\"], d[\"original\"]]"),
	    "[null, null, true, \"EAI_NONAME\", [], \"rewrite\","
	    " [{\"addr\": \"fe80::1%3\", \"port\": 80, \"family\": \"inet6\"}]]");
	e.has_node = 0;
	cr_expect_str_eq(fmt_py_eval(fmt_json(&e), "d[\"node\"]"), "null");
}

Test(format, json_bind)
{
	struct bw_event e;
	const char *l;

	fmt_bind(&e, 5, "::1", 3000);
	e.ret = -1;
	e.err = EADDRINUSE;
	l = fmt_json(&e);
	fmt_expect_json_shape(l);
	cr_expect_str_eq(fmt_py_eval(l,
	    "[d[\"type\"], d[\"fd\"], d[\"family\"], d[\"addr\"], d[\"port\"],"
	    " d[\"requested_addr\"], d[\"requested_port\"], d[\"ret\"],"
	    " d[\"errno\"], d[\"bound_addr\"], d[\"bound_port\"], d[\"class\"],"
	    " d[\"proto\"], d[\"options\"], d[\"action\"]]"),
	    "[\"bind\", 5, \"inet6\", \"::1\", 3000, \"::1\", 3000, -1,"
	    " \"EADDRINUSE\", null, null, \"loopback\", \"tcp\", [], \"pass\"]");

	/* Rewritten: addr is what was bound, requested_addr what was asked. */
	fmt_bind(&e, 7, "::", 80);
	e.used = e.bound = fmt_sa("::ffff:127.0.0.1", 80);
	e.action = BW_ACT_REWRITE;
	e.opts = BW_OPT_REUSEADDR | BW_OPT_REUSEPORT | BW_OPT_V6ONLY |
	    BW_OPT_FREEBIND;
	l = fmt_json(&e);
	fmt_expect_json_shape(l);
	cr_expect_str_eq(fmt_py_eval(l,
	    "[d[\"addr\"], d[\"port\"], d[\"requested_addr\"], d[\"ret\"],"
	    " d[\"errno\"], d[\"bound_addr\"], d[\"bound_port\"], d[\"class\"],"
	    " d[\"options\"], d[\"action\"]]"),
	    "[\"::ffff:127.0.0.1\", 80, \"::\", 0, null, \"::ffff:127.0.0.1\","
	    " 80, \"loopback\", [\"reuseaddr\", \"reuseport\", \"v6only\","
	    " \"freebind\"], \"rewrite\"]");

	fmt_bind(&e, 4, "10.0.0.1", 65535);
	e.proto = BW_PROTO_UDP;
	e.ret = -1;
	e.err = EACCES;
	e.action = BW_ACT_DENY;
	cr_expect_str_eq(fmt_py_eval(fmt_json(&e),
	    "[d[\"family\"], d[\"addr\"], d[\"port\"], d[\"errno\"], d[\"class\"],"
	    " d[\"proto\"], d[\"action\"]]"),
	    "[\"inet\", \"10.0.0.1\", 65535, \"EACCES\", \"other\", \"udp\","
	    " \"deny\"]");

	fmt_bind(&e, 4, "0.0.0.0", 0);
	e.bound = fmt_sa("0.0.0.0", 41000);
	cr_expect_str_eq(fmt_py_eval(fmt_json(&e),
	    "[d[\"port\"], d[\"bound_port\"], d[\"class\"]]"),
	    "[0, 41000, \"wildcard\"]");
}

Test(format, json_listen_exec_exit)
{
	struct bw_event e;
	const char *l;

	fmt_listen(&e, 6, 4096, "0.0.0.0", 39999);
	e.autobound = 1;
	l = fmt_json(&e);
	fmt_expect_json_shape(l);
	cr_expect_str_eq(fmt_py_eval(l,
	    "[d[\"type\"], d[\"fd\"], d[\"backlog\"], d[\"ret\"], d[\"errno\"],"
	    " d[\"addr\"], d[\"port\"], d[\"autobound\"], d[\"proto\"],"
	    " d[\"options\"], d[\"action\"]]"),
	    "[\"listen\", 6, 4096, 0, null, \"0.0.0.0\", 39999, true, \"tcp\","
	    " [], \"pass\"]");
	memset(&e.bound, 0, sizeof(e.bound));
	e.ret = -1;
	e.err = EBADF;
	e.autobound = 0;
	cr_expect_str_eq(fmt_py_eval(fmt_json(&e),
	    "[d[\"errno\"], d[\"addr\"], d[\"port\"], d[\"autobound\"]]"),
	    "[\"EBADF\", null, null, false]");

	fmt_base(&e, BW_EV_EXEC);
	strcpy(e.exe, "/usr/bin/ruby3.1");
	cr_expect_str_eq(fmt_py_eval(fmt_json(&e), "[d[\"type\"], d[\"exe\"]]"),
	    "[\"exec\", \"/usr/bin/ruby3.1\"]");

	fmt_base(&e, BW_EV_EXIT);
	e.ret = 2;
	cr_expect_str_eq(fmt_py_eval(fmt_json(&e),
	    "[d[\"type\"], d[\"status\"], d[\"signal\"]]"),
	    "[\"exit\", 2, null]");
	e.ret = -15;
	cr_expect_str_eq(fmt_py_eval(fmt_json(&e), "[d[\"status\"], d[\"signal\"]]"),
	    "[null, \"SIGTERM\"]");

	fmt_base(&e, 99);
	cr_expect_str_eq(fmt_py_eval(fmt_json(&e), "[d[\"type\"], d[\"pid\"]]"),
	    "[\"unknown\", 4211]");
}

/* Hostile strings from the program, in every string field. */
static const char fmt_evil_comm[] = "\x1b[2J\"\\\n\r\t\xff\x9b" "1m\x7f";
static const char fmt_evil_name[] =
    "evil\x1b]0;pwned\x07\"},{\"x\":1\xed\xa0\x80\xc0\xaf\xc2\x9b"
    "31m\xe2\x82\\\n";

static void
fmt_evil(struct bw_event *e, int type)
{
	fmt_base(e, type);
	memcpy(e->comm, fmt_evil_comm, sizeof(fmt_evil_comm));
	e->has_node = e->has_service = 1;
	strcpy(e->node, fmt_evil_name);
	strcpy(e->service, "\x1b[A\"");
	strcpy(e->exe, fmt_evil_name);
	e->req = e->used = e->bound = fmt_sa("127.0.0.1", 1);
}

Test(format, hostile_strings_text)
{
	struct bw_event e;
	const char *l;
	int t;

	const char *want = "bindwatch[4211] "
	    "\\x1b[2J\\\"\\\\\\n\\r\\t\\xff\\x9b1m\\x7f: ";

	cr_assert_leq(sizeof(fmt_evil_comm), sizeof(e.comm));
	for (t = 1; t < BW_EV_MAX; t++) {
		fmt_evil(&e, t);
		l = fmt_text(&e);
		fmt_expect_text_shape(l);
		cr_expect_eq(strncmp(l, want, strlen(want)), 0, "type %d: %s", t, l);
	}
	fmt_evil(&e, BW_EV_GAI);
	cr_expect_neq(strstr(fmt_text(&e), "getaddrinfo(\"evil\\x1b]0;pwned\\x07"
	    "\\\"},{\\\"x\\\":1\\xed\\xa0\\x80\\xc0\\xaf\\xc2\\x9b31m\\xe2\\x82"
	    "\\\\\\n\", \"\\x1b[A\\\"\", NULL)"), NULL, "%s", fmt_text(&e));
}

Test(format, hostile_strings_json)
{
	struct bw_event e;
	const char *l;
	int t;

	for (t = 1; t < BW_EV_MAX; t++) {
		fmt_evil(&e, t);
		l = fmt_json(&e);
		fmt_expect_json_shape(l);
		cr_expect_null(strchr(l, 0x1b), "type %d: raw ESC", t);
		cr_expect_null(strstr(l, "\xc2\x9b"), "type %d: raw CSI", t);
		cr_expect_null(strchr(l, '\x7f'), "type %d: raw DEL", t);
		cr_expect_str_eq(fmt_py_eval(l, "d[\"comm\"]"),
		    "\"\\u001b[2J\\\"\\\\\\n\\r\\t\\\\xff\\\\x9b1m\\u007f\"",
		    "type %d", t);
	}
	fmt_evil(&e, BW_EV_GAI);
	cr_expect_str_eq(fmt_py_eval(fmt_json(&e),
	    "[d[\"node\"], d[\"service\"], d[\"type\"]]"),
	    "[\"evil\\u001b]0;pwned\\u0007\\\"},{\\\"x\\\":1\\\\xed\\\\xa0"
	    "\\\\x80\\\\xc0\\\\xaf\\u009b31m\\\\xe2\\\\x82\\\\\\n\","
	    " \"\\u001b[A\\\"\", \"getaddrinfo\"]");
	fmt_evil(&e, BW_EV_EXEC);
	/* 4 + ESC + 8 + BEL + 9 + 5 bad bytes as \\xNN + CSI + 3 + 2 x 4 + 2 */
	cr_expect_str_eq(fmt_py_eval(fmt_json(&e), "len(d[\"exe\"])"),
	    "57");
}

static uint32_t
fmt_xorshift(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

/*
 * The longest events: 255-byte names of control characters (the longest
 * escapes), 16 addresses of the longest form, a rewritten list.
 */
static void
fmt_longest(struct bw_event *e, int type, uint32_t *rng)
{
	size_t i;

	fmt_base(e, type);
	memset(e->comm, 0x01, sizeof(e->comm) - 1);
	memset(e->node, 0x02, sizeof(e->node) - 1);
	memset(e->service, 0x03, sizeof(e->service) - 1);
	memset(e->exe, 0x04, sizeof(e->exe) - 1);
	if (rng != NULL) {
		for (i = 0; i + 1 < sizeof(e->node); i++)
			e->node[i] = (char)(1 + fmt_xorshift(rng) % 255);
		for (i = 0; i + 1 < sizeof(e->comm); i++)
			e->comm[i] = (char)(1 + fmt_xorshift(rng) % 255);
	}
	e->has_node = e->has_service = e->has_hints = 1;
	e->h_flags = ~0;
	e->h_family = AF_INET6;
	e->h_socktype = SOCK_STREAM;
	e->h_protocol = INT32_MIN;
	e->pid = e->ppid = INT32_MIN;
	e->seq = UINT32_MAX;
	e->fd = e->backlog = INT32_MIN;
	e->ret = -1;
	e->err = INT32_MIN;
	e->opts = 0xff;
	e->autobound = 1;
	e->action = BW_ACT_REWRITE;
	e->naddrs = e->norig = BINDWATCH_MAX_ADDRS;
	e->naddrs_total = 65535;
	for (i = 0; i < BINDWATCH_MAX_ADDRS; i++) {
		/* Distinct, so the text dedup keeps them all. */
		e->addrs[i] = fmt_sa("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
		    65535);
		e->addrs[i].addr[0] = (uint8_t)i;
		e->addrs[i].scope_id = UINT32_MAX;
		e->orig[i] = e->addrs[i];
		e->addr_proto[i] = BW_PROTO_UDP;
	}
	e->req = e->used = e->bound = e->addrs[0];
	e->bound.port = 1;
}

Test(format, longest_events_fit_the_line)
{
	static char big[4 * BW_LINE_MAX], line[BW_LINE_MAX];
	struct bw_event e;
	size_t n;
	int t;

	for (t = 1; t < BW_EV_MAX; t++) {
		fmt_longest(&e, t, NULL);
		n = bw_format_text(&e, big, sizeof(big));
		cr_expect_lt(n, BW_LINE_MAX, "text type %d: %zu", t, n);
		n = bw_format_json(&e, big, sizeof(big));
		if (t != BW_EV_GAI)
			cr_expect_lt(n, BW_LINE_MAX, "json type %d: %zu", t, n);
	}
	/* The same with names that need no escape: JSON fits too. */
	fmt_longest(&e, BW_EV_GAI, NULL);
	memset(e.node, 'n', sizeof(e.node) - 1);
	memset(e.service, 's', sizeof(e.service) - 1);
	memset(e.comm, 'c', sizeof(e.comm) - 1);
	n = bw_format_json(&e, big, sizeof(big));
	cr_expect_lt(n, BW_LINE_MAX, "json gai, plain names: %zu", n);

	/* Escape-heavy names do not: the line says so, as valid JSON.  (A
	 * filtered list also carries what libc said: the longest case.) */
	fmt_longest(&e, BW_EV_GAI, NULL);
	e.opts &= (uint8_t)~BW_GAI_OVERRIDE;
	n = bw_format_json(&e, big, sizeof(big));
	cr_expect_gt(n, BW_LINE_MAX, "the case documented in format.h");
	n = bw_format_json(&e, line, sizeof(line));
	cr_expect_str_eq(line, "{\"type\":\"getaddrinfo\",\"truncated\":true}\n");
	cr_expect_eq(n, strlen(line));
}

/*
 * Every buffer size from 0 to the full line, exact-size on the heap (an
 * overrun is an ASan error): terminated, within the buffer, ending with a
 * newline; text is a prefix of the full line; JSON is the full line or a
 * short object that still parses.  All JSON lines go to python at once.
 */
Test(format, small_buffers)
{
	static char full[BW_LINE_MAX], all[1 << 22];
	struct bw_event e;
	size_t fl, len, n, off = 0, nlines = 0;
	char out[64];
	uint32_t rng = 99;
	int t, json, ev;

	for (ev = 0; ev < 3 * (BW_EV_MAX - 1); ev++) {
		t = 1 + ev % (BW_EV_MAX - 1);
		if (ev < BW_EV_MAX - 1) {
			fmt_gai_localhost(&e);
			e.type = (uint8_t)t;
		} else if (ev < 2 * (BW_EV_MAX - 1))
			fmt_evil(&e, t);
		else
			fmt_longest(&e, t, &rng);
		for (json = 0; json < 2; json++) {
			fl = json ? bw_format_json(&e, full, sizeof(full)) :
			    bw_format_text(&e, full, sizeof(full));
			cr_assert_gt(fl, 1);
			for (len = 0; len <= fl + 2; len++) {
				char *p = malloc(len ? len : 1);

				cr_assert_not_null(p);
				memset(p, 'Z', len);
				n = json ? bw_format_json(&e, p, len) :
				    bw_format_text(&e, p, len);
				if (len == 0) {
					cr_expect_eq(n, 0);
					free(p);
					continue;
				}
				cr_assert_lt(n, len, "%s ev %d len %zu",
				    json ? "json" : "text", ev, len);
				cr_assert_eq(p[n], '\0');
				cr_expect_eq(strlen(p), n);
				if (len >= 2) {
					cr_assert_gt(n, 0, "len %zu", len);
					cr_expect_eq(p[n - 1], '\n', "len %zu", len);
				}
				if (len > fl)
					cr_expect_str_eq(p, full, "len %zu", len);
				if (!json && n > 0) {
					cr_expect_eq(memcmp(p, full, n - 1), 0,
					    "text ev %d len %zu: %s", ev, len, p);
					cr_expect(fmt_escapes_whole(p, n - 1),
					    "text ev %d len %zu cut in an escape: %s",
					    ev, len, p);
				}
				if (json && len >= 4) {
					cr_assert_lt(off + n, sizeof(all));
					memcpy(all + off, p, n);
					off += n;
					nlines++;
				}
				free(p);
			}
		}
	}
	all[off] = '\0';
	cr_assert_eq(fmt_python("import json,sys\n"
	    "n=0\n"
	    "for l in open(sys.argv[1],\"rb\"):\n"
	    "  json.loads(l); n+=1\n"
	    "print(n)", all, off, out, sizeof(out)), 0, "python: %s", out);
	cr_expect_eq((size_t)atol(out), nlines, "%s", out);
}
