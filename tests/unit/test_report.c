/*
 * The run report's analysis on plain data: accepts() semantics, split
 * localhost, fallbacks, exposed and unseen, and the JSON summary parsed by
 * a real JSON parser.
 */
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netstate.h"
#include "report.h"
#include "unit.h"

static struct bw_sa
rep_sa(const char *s)
{
	return unit_sa(s);
}

static struct bw_event
rep_ev(int type, int pid, const char *comm)
{
	static uint32_t seq;
	struct bw_event e;

	memset(&e, 0, sizeof(e));
	e.seq = ++seq;
	e.type = (uint8_t)type;
	e.pid = pid;
	e.proto = BW_PROTO_TCP;
	e.alias_fd = -1;
	snprintf(e.comm, sizeof(e.comm), "%s", comm);
	return e;
}

static void
rep_bind(struct bw_report *r, int pid, const char *addr, int err)
{
	struct bw_event e = rep_ev(BW_EV_BIND, pid, "srv");

	e.req = e.used = rep_sa(addr);
	e.ret = err ? -1 : 0;
	e.err = err;
	if (!err)
		e.bound = e.used;
	bw_report_event(r, &e);
}

static void
rep_listen(struct bw_report *r, int pid, const char *addr)
{
	struct bw_event e = rep_ev(BW_EV_LISTEN, pid, "srv");

	e.bound = rep_sa(addr);
	bw_report_event(r, &e);
}

/* Lines of text that warn "exposed". */
static size_t
rep_count_exposed(const char *text)
{
	size_t n = 0;

	while ((text = strstr(text, "! exposed:")) != NULL) {
		n++;
		text++;
	}
	return n;
}

/* Render to a string. */
static char *
rep_render(const struct bw_report *r, int json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	if (json)
		bw_report_json(r, f, 0);
	else
		bw_report_text(r, f, 0, 0);
	fclose(f);
	return buf;
}

Test(report, accepts_follows_the_kernel)
{
	struct bw_sa any4 = rep_sa("0.0.0.0:80"), any6 = rep_sa("[::]:80");
	struct bw_sa lo4 = rep_sa("127.0.0.1:80"), lo6 = rep_sa("[::1]:80");
	struct bw_sa mapped = rep_sa("[::ffff:127.0.0.1]:80");

	cr_assert(bw_accepts(&lo4, 0, &lo4));
	cr_assert(!bw_accepts(&lo4, 0, &lo6));
	cr_assert(bw_accepts(&any4, 0, &lo4));
	cr_assert(!bw_accepts(&any4, 0, &lo6));
	cr_assert(bw_accepts(&any6, 0, &lo6));
	cr_assert(bw_accepts(&any6, 0, &lo4), "dual-stack [::] takes IPv4");
	cr_assert(!bw_accepts(&any6, 1, &lo4), "v6only [::] does not");
	cr_assert(bw_accepts(&any6, -1, &lo4), "unknown v6only: Linux default");
	cr_assert(bw_accepts(&mapped, 0, &lo4), "v4-mapped listener");
	lo4.port = 81;
	cr_assert(!bw_accepts(&any4, 0, &lo4), "other port");
}

Test(report, split_localhost_names_who_a_client_reaches)
{
	struct bw_report r;
	struct bw_netstate ns;
	struct bw_sock s;
	struct bw_owner o = { 100, "oldsrv" };
	pid_t tree[] = { 200 };
	char *text, *json;

	bw_report_init(&r);
	rep_bind(&r, 200, "[::1]:3000", EADDRINUSE);
	rep_bind(&r, 200, "127.0.0.1:3000", 0);
	rep_listen(&r, 200, "127.0.0.1:3000");
	memset(&ns, 0, sizeof(ns));
	memset(&s, 0, sizeof(s));
	s.proto = BW_PROTO_TCP;
	s.state = BW_TCP_LISTEN;
	s.local = rep_sa("[::1]:3000");
	s.nowners = 1;
	s.owners = &o;
	ns.socks = &s;
	ns.nsocks = 1;
	{
		uint16_t ports[4];

		cr_assert_eq(bw_report_ports(&r, BW_PROTO_TCP, ports, 4), 1,
		    "3000 once, bound twice and listened on");
		cr_expect_eq(ports[0], 3000);
		cr_expect_eq(bw_report_ports(&r, BW_PROTO_UDP, ports, 4), 0);
	}
	cr_assert(bw_report_wants_owners(&r, &ns), "[::1]:3000 is on the tree's port");
	s.local.port = 3001;
	cr_assert(!bw_report_wants_owners(&r, &ns), "not on the tree's ports");
	s.local.port = 3000;
	bw_report_kernel(&r, &ns, tree, 1);
	bw_report_holders(&r, 0, &ns);
	cr_assert(bw_report_split(&r), "the client order is needed");
	r.client[0] = rep_sa("::1");
	r.client[1] = rep_sa("127.0.0.1");
	r.nclient = 2;

	text = rep_render(&r, 0);
	cr_assert(strstr(text, "held by pid 100 (oldsrv)") != NULL, "%s", text);
	cr_assert(strstr(text, "fallback   tried [::1]:3000, got 127.0.0.1:3000") != NULL, "%s", text);
	cr_assert(strstr(text, "split localhost:3000") != NULL, "%s", text);
	cr_assert(strstr(text, "reaches pid 100 (oldsrv), not this program") != NULL, "%s", text);
	json = rep_render(&r, 1);
	cr_assert(strstr(json, "\"kind\":\"split-localhost\",\"port\":3000") != NULL, "%s", json);
	cr_assert(strstr(json, "\"reached\":{\"pid\":100") != NULL, "%s", json);
	cr_assert(strstr(json, "\"holder\":{\"pid\":100,\"comm\":\"oldsrv\"}") != NULL, "%s", json);
	free(text);
	free(json);

	/* IPv4 first on this machine: the new server is reached, still split. */
	r.client[0] = rep_sa("127.0.0.1");
	r.nclient = 1;
	text = rep_render(&r, 0);
	cr_assert(strstr(text, "reaches pid 200 (srv).") != NULL, "%s", text);
	free(text);
	bw_report_free(&r);
}

Test(report, one_process_on_both_addresses_is_not_split)
{
	struct bw_report r;
	char *text;

	bw_report_init(&r);
	rep_listen(&r, 300, "[::1]:8080");
	rep_listen(&r, 300, "127.0.0.1:8080");
	rep_listen(&r, 300, "127.0.0.1:8080");	/* an alias: listed once */
	cr_assert_eq(r.nlistens, 2);
	cr_assert(!bw_report_split(&r), "no split: no resolver query");
	text = rep_render(&r, 0);
	cr_assert(strstr(text, "split") == NULL, "%s", text);
	cr_assert(strstr(text, "exposed") == NULL, "%s", text);
	cr_assert(strstr(text, "  none\n") != NULL, "%s", text);
	free(text);
	bw_report_free(&r);
}

Test(report, exposed_and_unseen)
{
	struct bw_report r;
	struct bw_netstate ns;
	struct bw_sock s[2];
	struct bw_owner o = { 400, "static" };
	pid_t tree[] = { 400, 401 };
	char *text, *json;

	bw_report_init(&r);
	rep_listen(&r, 401, "0.0.0.0:8000");
	memset(&ns, 0, sizeof(ns));
	memset(s, 0, sizeof(s));
	s[0].proto = BW_PROTO_TCP;
	s[0].state = BW_TCP_LISTEN;
	s[0].local = rep_sa("127.0.0.1:5000");
	s[0].nowners = 1;
	s[0].owners = &o;
	s[1] = s[0];
	s[1].state = 0x01;	/* established: not a listener */
	s[1].local = rep_sa("127.0.0.1:5001");
	ns.socks = s;
	ns.nsocks = 2;
	bw_report_kernel(&r, &ns, tree, 2);
	text = rep_render(&r, 0);
	cr_assert(strstr(text, "exposed: pid 401 (srv) listens on tcp 0.0.0.0:8000") != NULL, "%s", text);
	cr_assert(strstr(text, "unseen: pid 400 (static) holds tcp 127.0.0.1:5000") != NULL, "%s", text);
	cr_assert(strstr(text, "5001") == NULL, "%s", text);
	json = rep_render(&r, 1);
	cr_assert(strstr(json, "{\"kind\":\"unseen\",\"pid\":400") != NULL, "%s", json);
	cr_assert(strstr(json, "{\"kind\":\"exposed\",\"pid\":401") != NULL, "%s", json);
	free(text);
	free(json);
	bw_report_free(&r);
}

/*
 * A UDP socket bound to a port it chose is exposed as a listener is (the
 * verdict of bindwatch ports); a loopback one, one whose port the kernel
 * chose, a failed bind and a TCP socket that never listens are not.
 */
Test(report, udp_bound_to_its_port_is_exposed)
{
	static const struct {
		int		 proto;
		const char	*addr;
		int		 err;
	} b[] = {
		{ BW_PROTO_UDP, "0.0.0.0:5353", 0 },
		{ BW_PROTO_UDP, "0.0.0.0:5353", 0 },	/* again: warned once */
		{ BW_PROTO_UDP, "[::]:5353", 0 },
		{ BW_PROTO_UDP, "127.0.0.1:53", 0 },
		{ BW_PROTO_UDP, "0.0.0.0:0", 0 },
		{ BW_PROTO_UDP, "0.0.0.0:6000", EADDRINUSE },
		{ BW_PROTO_TCP, "0.0.0.0:7000", 0 },
	};
	struct bw_report r;
	char *text, *json;
	size_t i;

	bw_report_init(&r);
	for (i = 0; i < sizeof(b) / sizeof(b[0]); i++) {
		struct bw_event e = rep_ev(BW_EV_BIND, 600, "mdns");

		e.seq = (uint32_t)(1000 + i);	/* no folding */
		e.proto = (uint8_t)b[i].proto;
		e.req = e.used = e.bound = rep_sa(b[i].addr);
		if (e.bound.port == 0)
			e.bound.port = 40000;	/* the kernel's choice */
		e.ret = b[i].err ? -1 : 0;
		e.err = b[i].err;
		bw_report_event(&r, &e);
	}
	text = rep_render(&r, 0);
	cr_assert(strstr(text, "exposed: pid 600 (mdns) listens on udp 0.0.0.0:5353, reachable") != NULL, "%s", text);
	cr_assert(strstr(text, "exposed: pid 600 (mdns) listens on udp [::]:5353") != NULL, "%s", text);
	cr_assert_eq(rep_count_exposed(text), 2, "%s", text);
	json = rep_render(&r, 1);
	cr_assert(strstr(json, "{\"kind\":\"exposed\",\"pid\":600,\"comm\":\"mdns\",\"proto\":\"udp\",\"addr\":\"0.0.0.0\",\"port\":5353}") != NULL, "%s", json);
	free(text);
	free(json);
	bw_report_free(&r);
}

/*
 * Split is decided on who the kernel hands each address to (an exact
 * address beats a wildcard), as bindwatch ports and which decide it.
 */
Test(report, split_follows_the_kernels_pick)
{
	struct bw_report r;

	/* [::] (dual-stack) by 700, 127.0.0.1 by 701: each gets one. */
	bw_report_init(&r);
	rep_listen(&r, 700, "[::]:3000");
	rep_listen(&r, 701, "127.0.0.1:3000");
	cr_assert(bw_report_split(&r));
	bw_report_free(&r);

	/* 0.0.0.0 by 700; 127.0.0.1 and [::1] by 701, who gets both. */
	bw_report_init(&r);
	rep_listen(&r, 700, "0.0.0.0:4000");
	rep_listen(&r, 701, "127.0.0.1:4000");
	rep_listen(&r, 701, "[::1]:4000");
	cr_assert(!bw_report_split(&r));
	bw_report_free(&r);
}

Test(report, json_summary_parses_and_escapes)
{
	struct bw_report r;
	struct bw_event e;
	char *json, cmd[64];
	FILE *p;

	bw_report_init(&r);
	e = rep_ev(BW_EV_EXEC, 500, "a\"b\x1b[31m");
	snprintf(e.exe, sizeof(e.exe), "/tmp/\xff\n");
	bw_report_event(&r, &e);
	rep_bind(&r, 500, "[::1]:1", EACCES);
	bw_report_exit(&r, 500, NULL, -15);
	bw_report_note(&r, "static", "x is \"static\"");
	r.lost = 3;
	json = rep_render(&r, 1);
	cr_assert(strchr(json, '\x1b') == NULL);
	snprintf(cmd, sizeof(cmd), "python3 -c 'import json,sys; json.loads(sys.stdin.read())'");
	p = popen(cmd, "w");
	cr_assert_not_null(p);
	fputs(json, p);
	cr_assert_eq(pclose(p), 0, "invalid JSON: %s", json);
	cr_assert(strstr(json, "\"lost_events\":3") != NULL);
	cr_assert(strstr(json, "\"signal\":\"SIGTERM\"") != NULL);
	cr_assert(strstr(json, "\"errno\":\"EACCES\"") != NULL);
	free(json);
	bw_report_free(&r);
}

/*
 * A tree of thousands: every pid is found (its newest entry once a pid
 * comes back after its exit with another image), and names that collide
 * in the index stay apart.
 */
Test(report, thousands_of_processes)
{
	struct bw_report r;
	struct bw_event e;
	const struct bw_rproc *p;
	char comm[16];
	int pid;

	bw_report_init(&r);
	for (pid = 1; pid <= 5000; pid++) {
		snprintf(comm, sizeof(comm), "p%d", pid);
		e = rep_ev(BW_EV_EXEC, pid * 4096, comm);	/* same low bits */
		e.boot = 1;
		bw_report_event(&r, &e);
	}
	cr_assert_eq(r.nprocs, 5000);
	for (pid = 1; pid <= 5000; pid++) {
		snprintf(comm, sizeof(comm), "p%d", pid);
		cr_assert_not_null(p = bw_report_proc(&r, pid * 4096), "%d", pid);
		cr_assert_str_eq(p->comm, comm);
	}
	cr_expect_null(bw_report_proc(&r, 12345));

	/* Pid 4096 exits; the same pid comes back as another image. */
	bw_report_exit(&r, 4096, "p1", 0);
	e = rep_ev(BW_EV_EXEC, 4096, "again");
	e.boot = 2;
	bw_report_event(&r, &e);
	cr_assert_eq(r.nprocs, 5001);
	cr_assert_not_null(p = bw_report_proc(&r, 4096));
	cr_expect_str_eq(p->comm, "again");
	cr_expect_eq(p->exited, 0);
	bw_report_free(&r);
}
