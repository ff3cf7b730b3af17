/*
 * The clients' findings (tools/report/clients.c) with the fake kernel:
 * connections grouped, wrong-family (the Node "ECONNREFUSED ::1"),
 * reached-other, and the text and JSON made from the same findings.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "fake_kernel.h"
#include "report.h"

static struct fake_kernel fk;
static struct bw_model m;
static struct bw_findings f;

static void
setup(void)
{
	fake_kernel_init(&fk);
	bw_model_init(&m);
	memset(&f, 0, sizeof(f));
}

static void
teardown(void)
{
	bw_findings_free(&f);
	bw_model_free(&m);
}

TestSuite(clients, .init = setup, .fini = teardown);

static void
analyze(void)
{
	bw_findings_free(&f);
	bw_analyze(&m, &fk.ops, &f);
}

/* pid resolved "localhost" to ::1 then 127.0.0.1 (getaddrinfo). */
static void
resolved(int pid, const char *comm)
{
	struct bw_event e = fake_event(BW_EV_GAI, pid, comm);

	e.has_node = 1;
	strcpy(e.node, "localhost");
	e.naddrs = e.naddrs_total = 2;
	e.addrs[0] = fake_sa("[::1]:0");
	e.addrs[1] = fake_sa("127.0.0.1:0");
	bw_model_event(&m, &e, &fk.ops);
}

/* pid connected to dst: err 0 reached peer (0: not known). */
static void
connected(int pid, const char *comm, const char *dst, int err, int peer,
    const char *peer_comm)
{
	struct bw_event e = fake_event(BW_EV_CONNECT, pid, comm);

	e.req = fake_sa(dst);
	e.ret = err ? -1 : 0;
	e.err = err;
	e.peer_pid = peer;
	if (peer_comm != NULL)
		strcpy(e.peer_comm, peer_comm);
	bw_model_event(&m, &e, &fk.ops);
}

static int
same_sa(const struct bw_sa *a, const char *b)
{
	struct bw_sa sb = fake_sa(b);

	return bw_sa_equal(a, &sb, 1);
}

Test(clients, connections_are_grouped)
{
	connected(10, "curl", "127.0.0.1:3000", 0, 99, "ruby");
	connected(10, "curl", "127.0.0.1:3000", 0, 99, "ruby");
	connected(10, "curl", "127.0.0.1:3000", 0, 99, "ruby");
	connected(10, "curl", "127.0.0.1:3000", ECONNREFUSED, 0, NULL);
	connected(11, "curl", "127.0.0.1:3000", 0, 99, "ruby");
	analyze();
	cr_assert_eq(f.clients.nconns, 3);
	cr_expect_eq(f.clients.conns[0].count, 3);
	cr_expect_eq(f.clients.conns[0].peer.pid, 99);
	cr_expect_str_eq(f.clients.conns[0].peer.comm, "ruby");
	cr_expect_eq(f.clients.conns[1].err, ECONNREFUSED);
	cr_expect_eq(f.clients.conns[1].count, 1);
	cr_expect_eq(f.clients.conns[2].client.pid, 11);
	cr_expect_eq(f.clients.nwrong, 0, "refused, but nothing else listens");
}

Test(clients, wrong_family_names_the_listener_of_the_other_address)
{
	struct bw_owner srv = { 200, "python3" };

	fake_sock(&fk, "127.0.0.1:3000", &srv);
	resolved(10, "node");
	connected(10, "node", "[::1]:3000", ECONNREFUSED, 0, NULL);
	analyze();
	cr_assert_eq(f.clients.nwrong, 1);
	cr_expect_eq(f.clients.wrong[0].port, 3000);
	cr_expect_str_eq(f.clients.wrong[0].name, "localhost");
	cr_assert_eq(f.clients.wrong[0].nrefused, 1);
	cr_expect(same_sa(&f.clients.wrong[0].refused[0], "[::1]:3000"));
	cr_assert_eq(f.clients.wrong[0].nlistening, 1);
	cr_expect(same_sa(&f.clients.wrong[0].listening[0], "127.0.0.1:3000"));
	cr_expect_eq(f.clients.wrong[0].listener[0].pid, 200);
	cr_expect_eq(f.nwarnings, 1);
}

Test(clients, wrong_family_needs_a_listener)
{
	resolved(10, "node");
	connected(10, "node", "[::1]:3000", ECONNREFUSED, 0, NULL);
	connected(10, "node", "127.0.0.1:3000", ECONNREFUSED, 0, NULL);
	analyze();
	cr_expect_eq(f.clients.nwrong, 0);
	cr_expect_eq(f.nwarnings, 0);
}

/* A connect that reached the other address names the listener itself. */
Test(clients, wrong_family_from_a_connect_that_reached)
{
	resolved(10, "node");
	connected(10, "node", "[::1]:3000", ECONNREFUSED, 0, NULL);
	connected(10, "node", "127.0.0.1:3000", 0, 300, "ruby");
	analyze();
	cr_assert_eq(f.clients.nwrong, 1);
	cr_expect_eq(f.clients.wrong[0].listener[0].pid, 300);
	cr_expect_eq(fk.nsocks, 0);
}

/* curl resolves localhost itself: no getaddrinfo, the loopbacks. */
Test(clients, wrong_family_without_getaddrinfo)
{
	struct bw_owner srv = { 201, "nginx" };

	fake_sock(&fk, "[::1]:8080", &srv);
	connected(12, "curl", "127.0.0.1:8080", ECONNREFUSED, 0, NULL);
	connected(13, "curl", "10.1.2.3:8080", ECONNREFUSED, 0, NULL);
	analyze();
	cr_assert_eq(f.clients.nwrong, 1);
	cr_expect(same_sa(&f.clients.wrong[0].refused[0], "127.0.0.1:8080"));
	cr_expect(same_sa(&f.clients.wrong[0].listening[0], "[::1]:8080"));
}

Test(clients, reached_other_is_a_process_outside_the_tree)
{
	fake_listen(&m, 200, "127.0.0.1:3000");
	connected(10, "nc", "[::1]:3000", 0, 99, "oldsrv");
	connected(10, "nc", "127.0.0.1:3000", 0, 200, "srv");
	connected(10, "nc", "127.0.0.1:4000", 0, 98, "other");
	analyze();
	cr_assert_eq(f.clients.nreached, 1);
	cr_expect_eq(f.clients.reached[0].peer.pid, 99);
	cr_expect_eq(f.clients.reached[0].server.pid, 200);
	cr_expect(same_sa(&f.clients.reached[0].server_addr, "127.0.0.1:3000"));
	cr_expect(same_sa(&f.clients.reached[0].addr, "[::1]:3000"));
	cr_expect_eq(f.nwarnings, 1);
}

/* The text and the JSON say the same findings. */
Test(clients, text_and_json)
{
	struct bw_owner srv = { 200, "python3" };
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	fake_sock(&fk, "127.0.0.1:3000", &srv);
	resolved(10, "node");
	connected(10, "node", "[::1]:3000", ECONNREFUSED, 0, NULL);
	analyze();
	cr_assert_not_null(out = open_memstream(&buf, &len));
	bw_report_text(&f, out, 0, 0);
	fclose(out);
	cr_expect_not_null(strstr(buf, "pid 10 node -> [::1]:3000  ECONNREFUSED"),
	    "%s", buf);
	cr_expect_not_null(strstr(buf, "! wrong-family: pid 10 (node) was "
	    "refused on [::1]:3000"), "%s", buf);
	cr_expect_not_null(strstr(buf, "--resolve localhost=127.0.0.1,::1 "
	    "(or --ipv4)"), "%s", buf);
	free(buf);
	buf = NULL;
	cr_assert_not_null(out = open_memstream(&buf, &len));
	bw_report_json(&f, out, 0);
	fclose(out);
	cr_expect_not_null(strstr(buf, "\"connections\":[{\"pid\":10,\"comm\":"
	    "\"node\",\"addr\":\"::1\",\"port\":3000,\"errno\":\"ECONNREFUSED\","
	    "\"peer\":null,\"count\":1}]"), "%s", buf);
	cr_expect_not_null(strstr(buf, "{\"kind\":\"wrong-family\",\"port\":3000,"
	    "\"name\":\"localhost\",\"client\":{\"pid\":10,\"comm\":\"node\"},"
	    "\"refused\":[\"::1\"],\"listening\":[{\"addr\":\"127.0.0.1\","
	    "\"pid\":200,\"comm\":\"python3\"}]}"), "%s", buf);
	free(buf);
}

/* A client's socket, bind to port 0, connect, in a loop: one record. */
Test(clients, client_binds_to_port_0_fold)
{
	struct bw_event e;
	int i;

	for (i = 0; i < 1000; i++) {
		e = fake_event(BW_EV_BIND, 10, "client");
		e.req = e.used = fake_sa("127.0.0.1:0");
		e.bound = fake_sa("127.0.0.1:40000");
		e.bound.port = (uint16_t)(40000 + i);
		bw_model_event(&m, &e, &fk.ops);
	}
	cr_assert_eq(m.nbinds, 1);
	cr_expect_eq(m.binds[0].count, 1000);
	/* A UDP one keeps its port: the summary lists bound UDP sockets. */
	for (i = 0; i < 2; i++) {
		e = fake_event(BW_EV_BIND, 10, "client");
		e.proto = BW_PROTO_UDP;
		e.req = e.used = fake_sa("127.0.0.1:0");
		e.bound = fake_sa("127.0.0.1:50000");
		e.bound.port = (uint16_t)(50000 + i);
		bw_model_event(&m, &e, &fk.ops);
	}
	cr_expect_eq(m.nbinds, 3);
}
