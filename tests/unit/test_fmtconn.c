/*
 * shim/core/fmtconn.c: a connect event as text and JSON, the exact line
 * of the issue, and the JSON keys read back by a real parser.
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <netinet/in.h>

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format.h"

static void
fc_event(struct bw_event *e, const char *dst, uint16_t port)
{
	memset(e, 0, sizeof(*e));
	e->type = BW_EV_CONNECT;
	e->pid = 4211;
	e->ppid = 4200;
	e->seq = 3;
	strcpy(e->comm, "nc");
	e->fd = 5;
	e->proto = BW_PROTO_TCP;
	e->alias_fd = -1;
	cr_assert_eq(bw_sa_parse_addr(dst, &e->req), 0);
	e->req.port = port;
}

Test(fmtconn, text)
{
	char line[BW_LINE_MAX];
	struct bw_event e;

	fc_event(&e, "::1", 3000);
	cr_assert_eq(bw_sa_parse_addr("::1", &e.bound), 0);
	e.bound.port = 41000;
	e.peer_pid = 3305;
	strcpy(e.peer_comm, "ruby");
	bw_format_text(&e, line, sizeof(line));
	cr_expect_str_eq(line, "bindwatch[4211] nc: connect(5, [::1]:3000) = 0"
	    " -> pid 3305 (ruby)\n");

	fc_event(&e, "::1", 3000);
	e.ret = -1;
	e.err = ECONNREFUSED;
	e.opts = BW_CONN_ASYNC;
	bw_format_text(&e, line, sizeof(line));
	cr_expect_str_eq(line, "bindwatch[4211] nc: connect(5, [::1]:3000) = -1"
	    " ECONNREFUSED [async]\n");

	/* A hostile peer name is escaped. */
	fc_event(&e, "127.0.0.1", 80);
	e.peer_pid = 7;
	strcpy(e.peer_comm, "a\nb");
	bw_format_text(&e, line, sizeof(line));
	cr_expect_str_eq(line, "bindwatch[4211] nc: connect(5, 127.0.0.1:80) = 0"
	    " -> pid 7 (a\\nb)\n");
}

/* The JSON line, read by python3: the keys in the order of the issue. */
static void
fc_json_expect(const struct bw_event *e, const char *want)
{
	char line[BW_LINE_MAX], path[] = "/tmp/bw-test-fmtconn.XXXXXX";
	char cmd[1024], out[2048];
	FILE *f;
	size_t n;
	int fd, st;

	bw_format_json(e, line, sizeof(line));
	cr_assert_neq(fd = mkstemp(path), -1);
	cr_assert_eq(write(fd, line, strlen(line)), (ssize_t)strlen(line));
	close(fd);
	snprintf(cmd, sizeof(cmd), "python3 -c 'import json,sys;"
	    "d=json.load(open(sys.argv[1]));"
	    "print(json.dumps([d[k] for k in (\"type\",\"fd\",\"family\","
	    "\"addr\",\"port\",\"ret\",\"errno\",\"async\",\"local_addr\","
	    "\"local_port\",\"proto\",\"peer\",\"pid\",\"comm\",\"seq\")]))' %s",
	    path);
	cr_assert_not_null(f = popen(cmd, "r"));
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	st = pclose(f);
	unlink(path);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		cr_skip_test("python3 not available");
	cr_expect_str_eq(out, want, "line: %s", line);
}

Test(fmtconn, json)
{
	struct bw_event e;

	fc_event(&e, "::1", 3000);
	cr_assert_eq(bw_sa_parse_addr("::1", &e.bound), 0);
	e.bound.port = 41000;
	e.peer_pid = 3305;
	strcpy(e.peer_comm, "ru\"by");
	fc_json_expect(&e, "[\"connect\", 5, \"inet6\", \"::1\", 3000, 0, null,"
	    " false, \"::1\", 41000, \"tcp\", {\"pid\": 3305, \"comm\":"
	    " \"ru\\\"by\"}, 4211, \"nc\", 3]\n");

	fc_event(&e, "127.0.0.1", 5432);
	e.ret = -1;
	e.err = ECONNREFUSED;
	e.opts = BW_CONN_ASYNC;
	fc_json_expect(&e, "[\"connect\", 5, \"inet\", \"127.0.0.1\", 5432, -1,"
	    " \"ECONNREFUSED\", true, null, null, \"tcp\", null, 4211, \"nc\","
	    " 3]\n");
}
