/*
 * The kernel's view of sockets, on recorded data: /proc/net lines recorded
 * on Linux 6.x (x86-64, little endian: the addresses are words printed in
 * host order) in a private network namespace, and a fake procroot
 * (tests/unit/data/proc-a) whose fd links name those inodes; the owner
 * scan also on the live /proc.
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "event.h"
#include "netstate.h"
#include "portmap.h"

#define DATA	"tests/unit/data/"
#define PROCA	DATA "proc-a"

static const char *tcp_line =
    "   1: 0100007F:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 "
    "00000000  1000        0 9222 1 00000000b150cd11 100 0 0 10 0   \n";
static const char *tcp6_line =
    "   0: 00000000000000000000000001000000:0BB8 "
    "00000000000000000000000000000000:0000 0A 00000000:00000000 "
    "00:00000000 00000000     0        0 9221 1 000000007045b063 100 0 0 10 0";
static const char *mapped_line =
    "   3: 0000000000000000FFFF00000100007F:1538 "
    "00000000000000000000000000000000:0000 0A 00000000:00000000 "
    "00:00000000 00000000     0        0 9226 1 000000006c697677 100 0 0 10 0";

static struct bw_sa
ns_sa(const char *s, uint16_t port)
{
	struct bw_sa sa;

	cr_assert_eq(bw_sa_parse_addr(s, &sa), 0, "bad test address %s", s);
	sa.port = port;
	return sa;
}

static const char *
ns_fmt(const struct bw_sa *sa)
{
	static char b[4][BW_ADDRSTRLEN];
	static int i;

	i = (i + 1) % 4;
	return bw_sa_format(sa, b[i], sizeof(b[i]), 0);
}

/* The socket of ns with this inode. */
static const struct bw_sock *
ns_find(const struct bw_netstate *ns, uint64_t inode)
{
	size_t i;

	for (i = 0; i < ns->nsocks; i++)
		if (ns->socks[i].inode == inode)
			return &ns->socks[i];
	cr_assert_fail("no socket with inode %llu", (unsigned long long)inode);
	return NULL;
}

Test(procnet, header_lines)
{
	struct bw_sock s;

	cr_assert_eq(bw_procnet_parse_line("  sl  local_address rem_address   st "
	    "tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n",
	    BW_PROTO_TCP, AF_INET, &s), 0);
	cr_assert_eq(bw_procnet_parse_line("   sl  local_address rem_address",
	    BW_PROTO_UDP, AF_INET6, &s), 0);
}

Test(procnet, ipv4_listener)
{
	struct bw_sock s;

	cr_assert_eq(bw_procnet_parse_line(tcp_line, BW_PROTO_TCP, AF_INET, &s), 1);
	cr_assert_str_eq(ns_fmt(&s.local), "127.0.0.1:3000");
	cr_assert_str_eq(ns_fmt(&s.remote), "0.0.0.0:0");
	cr_assert_eq(s.state, BW_TCP_LISTEN);
	cr_assert_eq(s.uid, 1000);
	cr_assert_eq(s.inode, 9222);
	cr_assert_eq(s.proto, BW_PROTO_TCP);
	cr_assert_eq(s.reuseport, -1);
	cr_assert_eq(s.v6only, -1);
	cr_assert_eq(s.nowners, 0);
}

Test(procnet, ipv6_listener)
{
	struct bw_sock s;

	cr_assert_eq(bw_procnet_parse_line(tcp6_line, BW_PROTO_TCP, AF_INET6, &s), 1);
	cr_assert_str_eq(ns_fmt(&s.local), "[::1]:3000");
	cr_assert_eq(bw_sa_class(&s.local), BW_CLASS_LOOPBACK);
	cr_assert_eq(s.inode, 9221);
}

Test(procnet, v4mapped_row)
{
	struct bw_sock s;

	cr_assert_eq(bw_procnet_parse_line(mapped_line, BW_PROTO_TCP, AF_INET6,
	    &s), 1);
	cr_assert(bw_sa_is_v4mapped(&s.local));
	cr_assert_str_eq(ns_fmt(&s.local), "[::ffff:127.0.0.1]:5432");
	cr_assert_eq(bw_sa_class(&s.local), BW_CLASS_LOOPBACK);
}

Test(procnet, udp_and_lowercase_and_limits)
{
	struct bw_sock s;

	cr_assert_eq(bw_procnet_parse_line(" 4017: 3500007F:0035 00000000:0000 "
	    "07 00000000:00000000 00:00000000 00000000     0        0 9229 2 "
	    "000000000808c336 0", BW_PROTO_UDP, AF_INET, &s), 1);
	cr_assert_str_eq(ns_fmt(&s.local), "127.0.0.53:53");
	cr_assert_eq(s.state, BW_UDP_UNCONN);
	/* Lower-case hex, the largest uid and inode the fields can hold. */
	cr_assert_eq(bw_procnet_parse_line("0: 0100007f:ffff 00000000:0000 0a "
	    "0:0 0:0 0 4294967294 0 18446744073709551615", BW_PROTO_TCP,
	    AF_INET, &s), 1);
	cr_assert_eq(s.local.port, 65535);
	cr_assert_eq(s.uid, 4294967294u);
	cr_assert_eq(s.inode, UINT64_MAX);
	/* Wrong proto or family argument. */
	cr_assert_eq(bw_procnet_parse_line(tcp_line, 7, AF_INET, &s), -1);
	cr_assert_eq(bw_procnet_parse_line(tcp_line, BW_PROTO_TCP, AF_UNIX, &s),
	    -1);
	cr_assert_eq(bw_procnet_parse_line(NULL, BW_PROTO_TCP, AF_INET, &s), -1);
}

Test(procnet, malformed_fixture_lines)
{
	FILE *f = fopen(DATA "procnet-malformed.txt", "r");
	char *line = NULL;
	size_t cap = 0, n = 0;
	struct bw_sock s;

	cr_assert_not_null(f);
	while (getline(&line, &cap, f) != -1) {
		n++;
		cr_expect_eq(bw_procnet_parse_line(line, BW_PROTO_TCP, AF_INET,
		    &s), -1, "accepted as IPv4: %s", line);
		cr_expect_eq(bw_procnet_parse_line(line, BW_PROTO_TCP, AF_INET6,
		    &s), -1, "accepted as IPv6: %s", line);
	}
	free(line);
	fclose(f);
	cr_assert_geq(n, 20);
}

/* Every prefix that stops before the inode field is refused. */
Test(procnet, truncated_prefixes)
{
	const char *lines[] = { tcp_line, tcp6_line, mapped_line };
	int fam[] = { AF_INET, AF_INET6, AF_INET6 };
	char buf[512];
	struct bw_sock s;
	size_t i, n, stop;

	for (i = 0; i < 3; i++) {
		stop = (size_t)(strstr(lines[i], i == 0 ? " 9222 " :
		    i == 1 ? " 9221 " : " 9226 ") - lines[i]) + 1;
		for (n = 0; n < stop; n++) {
			memcpy(buf, lines[i], n);
			buf[n] = '\0';
			cr_expect_eq(bw_procnet_parse_line(buf, BW_PROTO_TCP,
			    fam[i], &s), -1, "prefix %zu of line %zu accepted",
			    n, i);
		}
	}
}

/* xorshift: deterministic, so a failure reproduces. */
static uint32_t
ns_rand(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

Test(procnet, fuzz_mutations)
{
	const char *lines[] = { tcp_line, tcp6_line, mapped_line };
	static const char alphabet[] = "0123456789ABCDEFabcdef: \t\n-x[]\377";
	uint32_t x = 0x2545F491;
	char buf[600];
	struct bw_sock s;
	int i, j, r, ok = 0;

	for (i = 0; i < 200000; i++) {
		const char *l = lines[ns_rand(&x) % 3];
		size_t n = strlen(l), m;

		memcpy(buf, l, n + 1);
		for (j = (int)(ns_rand(&x) % 4); j >= 0; j--) {
			size_t at = ns_rand(&x) % (n + 1);

			switch (ns_rand(&x) % 4) {
			case 0:		/* truncate */
				buf[at] = '\0';
				n = at;
				break;
			case 1:		/* replace with a near-valid byte */
				if (at < n)
					buf[at] = alphabet[ns_rand(&x) %
					    (sizeof(alphabet) - 1)];
				break;
			case 2:		/* any byte but NUL */
				if (at < n)
					buf[at] = (char)(1 + ns_rand(&x) % 255);
				break;
			default:	/* a long run of digits */
				for (m = at; m < n && m < at + 30; m++)
					buf[m] = (char)('0' + ns_rand(&x) % 10);
			}
		}
		r = bw_procnet_parse_line(buf, ns_rand(&x) % 2 ? BW_PROTO_TCP :
		    BW_PROTO_UDP, ns_rand(&x) % 2 ? AF_INET : AF_INET6, &s);
		cr_assert(r >= -1 && r <= 1);
		if (r == 1) {
			char out[BW_ADDRSTRLEN];

			ok++;
			cr_assert(s.local.family == AF_INET ||
			    s.local.family == AF_INET6);
			bw_sa_format(&s.local, out, sizeof(out), 0);
		}
	}
	/* The mutations must not all be fatal, or the loop tests nothing. */
	cr_assert_gt(ok, 1000);
}

Test(netstate, read_fixture_listeners)
{
	struct bw_netstate ns;
	const struct bw_sock *s;

	cr_assert_eq(bw_netstate_read(&ns, PROCA, 0), 0);
	/* tcp: 5 listeners (one LAN), tcp6: 4, udp: 1, udp6: 1. */
	cr_assert_eq(ns.nsocks, 11);
	cr_assert_eq(ns.malformed, 1);
	cr_assert_eq(ns.hidden, 1, "fd of pid 500 unreadable: hidden");

	/* Held on two fds by one pid: one owner. */
	s = ns_find(&ns, 9221);
	cr_assert_eq(s->nowners, 1);
	cr_assert_eq(s->owners[0].pid, 100);
	cr_assert_str_eq(s->owners[0].comm, "perl");

	/* A forked listener: two pids, sorted. */
	s = ns_find(&ns, 9223);
	cr_assert_eq(s->nowners, 2);
	cr_assert_eq(s->owners[0].pid, 300);
	cr_assert_eq(s->owners[1].pid, 301);

	/* Comm kept raw: escaping is the printer's job. */
	s = ns_find(&ns, 9227);
	cr_assert_eq(s->nowners, 1);
	cr_assert_str_eq(s->owners[0].comm, "evil\033[2J");

	/* Nobody we can see holds [::]:8443. */
	s = ns_find(&ns, 9224);
	cr_assert_eq(s->nowners, 0);

	s = ns_find(&ns, 9222);
	cr_assert_eq(s->uid, 1000);
	cr_assert_eq(s->owners[0].pid, 200);

	/* Two TCP listeners on 127.0.0.1:6000: SO_REUSEPORT on both. */
	cr_assert_eq(ns_find(&ns, 9227)->reuseport, 1);
	cr_assert_eq(ns_find(&ns, 9228)->reuseport, 1);
	cr_assert_eq(ns_find(&ns, 9223)->reuseport, -1);
	/* No netlink for a recorded procroot. */
	cr_assert_eq(ns_find(&ns, 9224)->v6only, -1);
	bw_netstate_free(&ns);
	cr_assert_eq(ns.nsocks, 0);
}

Test(netstate, read_fixture_all_and_noowners)
{
	struct bw_netstate ns;

	cr_assert_eq(bw_netstate_read(&ns, PROCA, BW_NS_ALL), 0);
	cr_assert_eq(ns.nsocks, 13, "the two established sockets too");
	cr_assert_eq(ns_find(&ns, 9232)->state, 1);
	cr_assert_eq(ns_find(&ns, 9232)->owners[0].pid, 300);
	bw_netstate_free(&ns);

	cr_assert_eq(bw_netstate_read(&ns, PROCA, BW_NS_NOOWNERS), 0);
	cr_assert_eq(ns_find(&ns, 9221)->nowners, 0);
	cr_assert_eq(ns.hidden, 0);
	bw_netstate_free(&ns);
}

Test(netstate, missing_procroot)
{
	struct bw_netstate ns;

	cr_assert_eq(bw_netstate_read(&ns, DATA "no-such-proc", 0), -1);
	cr_assert_eq(ns.nsocks, 0);
	cr_assert_null(ns.socks);
}

/* A listener on 127.0.0.1, and its port; -1 on failure. */
static int
ns_listen(uint16_t *port)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) == -1 ||
	    listen(fd, 1) == -1 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) == -1)
		return -1;
	*port = ntohs(a.sin_port);
	return fd;
}

/*
 * The live /proc with more processes than the owner scan walks alone
 * (SPLIT_MIN of tools/kernel/owners_worker.c: a forked worker shares the
 * scan when there is a second CPU),
 * each holding a listener, the first one with a fork holding it too:
 * every holder is found, the forked pair sorted.
 */
Test(netstate, live_owners_many_processes, .timeout = 60)
{
	enum { NKIDS = 300 };
	struct holder {
		uint16_t	port;
		pid_t		pid, forked;
	} h[NKIDS], r;
	struct bw_netstate ns;
	int go[2], ready[2];
	size_t i, j;
	pid_t kid;
	char c;

	cr_assert_eq(pipe(go), 0);
	cr_assert_eq(pipe(ready), 0);
	for (i = 0; i < NKIDS; i++) {
		cr_assert_neq(kid = fork(), -1);
		if (kid == 0) {
			/* Until the test closes go, or dies. */
			close(go[1]);
			memset(&r, 0, sizeof(r));
			r.pid = getpid();
			if (ns_listen(&r.port) == -1)
				_exit(1);
			if (i == 0 && (r.forked = fork()) == 0) {
				(void)!read(go[0], &c, 1);
				_exit(0);
			}
			(void)!write(ready[1], &r, sizeof(r));
			(void)!read(go[0], &c, 1);
			_exit(0);
		}
	}
	for (i = 0; i < NKIDS; i++)
		cr_assert_eq(read(ready[0], &h[i], sizeof(h[i])),
		    (ssize_t)sizeof(h[i]));
	cr_assert_eq(bw_netstate_read(&ns, "/proc", 0), 0);
	close(go[1]);
	for (i = 0; i < NKIDS; i++) {
		const struct bw_sock *s = NULL;

		for (j = 0; j < ns.nsocks; j++)
			if (ns.socks[j].proto == BW_PROTO_TCP &&
			    ns.socks[j].local.family == AF_INET &&
			    ns.socks[j].local.port == h[i].port &&
			    memcmp(ns.socks[j].local.addr, "\177\0\0\1", 4) == 0)
				s = &ns.socks[j];
		cr_assert_not_null(s, "127.0.0.1:%u not listed", h[i].port);
		if (h[i].forked == 0) {
			cr_assert_eq(s->nowners, 1, "port %u", h[i].port);
			cr_expect_eq(s->owners[0].pid, h[i].pid);
			continue;
		}
		cr_assert_eq(s->nowners, 2, "forked listener: both");
		cr_expect_eq(s->owners[0].pid, h[i].pid < h[i].forked ?
		    h[i].pid : h[i].forked);
		cr_expect_eq(s->owners[1].pid, h[i].pid < h[i].forked ?
		    h[i].forked : h[i].pid);
	}
	bw_netstate_free(&ns);
	while (wait(NULL) > 0)
		;
}

/* A netstate of one socket per row, built by hand. */
struct ns_row {
	const char	*addr;
	uint16_t	 port;
	int		 proto, state, v6only;
	pid_t		 pid;		/* 0: owner unknown */
	uid_t		 uid;
};

static void
ns_build(struct bw_netstate *ns, const struct ns_row *r, size_t n)
{
	size_t i;

	memset(ns, 0, sizeof(*ns));
	ns->socks = calloc(n, sizeof(*ns->socks));
	cr_assert_not_null(ns->socks);
	for (i = 0; i < n; i++) {
		struct bw_sock *s = &ns->socks[i];

		s->local = ns_sa(r[i].addr, r[i].port);
		s->proto = (uint8_t)r[i].proto;
		s->state = (uint8_t)r[i].state;
		s->v6only = r[i].v6only;
		s->reuseport = -1;
		s->inode = 1000 + i;
		s->uid = r[i].uid;
		if (r[i].pid != 0) {
			s->owners = calloc(1, sizeof(*s->owners));
			cr_assert_not_null(s->owners);
			s->owners[0].pid = r[i].pid;
			snprintf(s->owners[0].comm, sizeof(s->owners[0].comm),
			    "p%d", (int)r[i].pid);
			s->nowners = 1;
		}
	}
	ns->nsocks = n;
}

#define T	BW_PROTO_TCP
#define U	BW_PROTO_UDP
#define L	BW_TCP_LISTEN

/* A listener of ours, found by the exact lookup; gone once closed. */
static int
listen_on(int family, int v6only, uint16_t *port)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int fd;

	memset(&ss, 0, sizeof(ss));
	ss.ss_family = (sa_family_t)family;
	if (family == AF_INET)
		((struct sockaddr_in *)&ss)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(family, SOCK_STREAM, 0)) == -1 ||
	    (family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY,
	    &v6only, sizeof(v6only)) == -1) ||
	    bind(fd, (struct sockaddr *)&ss, family == AF_INET ?
	    sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6)) == -1 ||
	    listen(fd, 1) == -1 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
		cr_skip_test("no loopback listener here");
	*port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port :
	    ((struct sockaddr_in6 *)&ss)->sin6_port);
	return fd;
}

Test(netstate, tcp_listener_at)
{
	struct bw_sa lo4, lo6;
	uint16_t port;
	int fd;

	fd = listen_on(AF_INET, 0, &port);
	bw_sa_loopback(&lo4, AF_INET, port);
	bw_sa_loopback(&lo6, AF_INET6, port);
	lo4.port = lo6.port = port;
	cr_expect_eq(bw_netstate_tcp_listener_at(&lo4), 1);
	cr_expect_eq(bw_netstate_tcp_listener_at(&lo6), 0, "only 127.0.0.1");
	close(fd);
	cr_expect_eq(bw_netstate_tcp_listener_at(&lo4), 0, "closed");

	/* A dual-stack "::" takes both. */
	fd = listen_on(AF_INET6, 0, &port);
	lo4.port = lo6.port = port;
	cr_expect_eq(bw_netstate_tcp_listener_at(&lo4), 1);
	cr_expect_eq(bw_netstate_tcp_listener_at(&lo6), 1);
	close(fd);
	fd = listen_on(AF_INET6, 1, &port);
	lo4.port = lo6.port = port;
	cr_expect_eq(bw_netstate_tcp_listener_at(&lo4), 0, "v6only");
	cr_expect_eq(bw_netstate_tcp_listener_at(&lo6), 1);
	close(fd);
	lo4.family = AF_UNIX;
	cr_expect_eq(bw_netstate_tcp_listener_at(&lo4), -1);
}

Test(conflicts, kernel_table)
{
	static const struct {
		const char	*have;
		int		 v6only;
		const char	*bind;
		int		 conflict;
	} t[] = {
		{ "127.0.0.1", -1, "127.0.0.1", 1 },
		{ "127.0.0.1", -1, "127.0.0.2", 0 },
		{ "0.0.0.0", -1, "127.0.0.1", 1 },
		{ "127.0.0.1", -1, "0.0.0.0", 1 },
		{ "::1", 1, "::1", 1 },
		{ "::1", 1, "127.0.0.1", 0 },
		{ "::1", 1, "::", 1 },
		{ "::", 0, "127.0.0.1", 1 },
		{ "::", 0, "0.0.0.0", 1 },
		{ "::", -1, "127.0.0.1", 1 },	/* unknown: the default, off */
		{ "::", 1, "127.0.0.1", 0 },
		{ "::", 1, "0.0.0.0", 0 },
		{ "::", 1, "::1", 1 },
		{ "::", 1, "::", 1 },
		{ "::", 1, "::ffff:127.0.0.1", 0 },
		{ "::", 0, "::ffff:127.0.0.1", 1 },
		{ "::ffff:127.0.0.1", 0, "127.0.0.1", 1 },
		{ "::ffff:127.0.0.1", 0, "0.0.0.0", 1 },
		{ "::ffff:127.0.0.1", 0, "::1", 0 },
		{ "0.0.0.0", -1, "::ffff:127.0.0.1", 1 },
		{ "::ffff:0.0.0.0", 0, "127.0.0.5", 1 },
		{ "0.0.0.0", -1, "::1", 0 },
		{ "127.0.0.1", -1, "::", 1 },	/* the new "::" is dual-stack */
		{ "127.0.0.1", -1, "::1", 0 },
		{ "fe80::1", 1, "fe80::2", 0 },
		{ "192.168.1.5", -1, "0.0.0.0", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct ns_row r = { t[i].have, 3000, T, L, t[i].v6only, 1, 0 };
		struct bw_netstate ns;
		struct bw_sa sa = ns_sa(t[i].bind, 3000);
		size_t idx[4];

		ns_build(&ns, &r, 1);
		cr_expect_eq(bw_netstate_conflicts(&ns, T, &sa, idx, 4),
		    (size_t)t[i].conflict, "%s (v6only %d) vs bind %s",
		    t[i].have, t[i].v6only, t[i].bind);
		/* Another port or protocol never conflicts. */
		sa.port = 3001;
		cr_expect_eq(bw_netstate_conflicts(&ns, T, &sa, idx, 4), 0);
		sa.port = 3000;
		cr_expect_eq(bw_netstate_conflicts(&ns, U, &sa, idx, 4), 0);
		bw_netstate_free(&ns);
	}
}

Test(conflicts, several_and_max)
{
	const struct ns_row r[] = {
		{ "127.0.0.1", 80, T, L, -1, 1, 0 },
		{ "0.0.0.0", 80, T, L, -1, 2, 0 },
		{ "::", 80, T, L, 0, 3, 0 },
		{ "::1", 80, T, L, 1, 4, 0 },
		{ "127.0.0.1", 80, U, 7, -1, 5, 0 },
	};
	struct bw_netstate ns;
	struct bw_sa sa = ns_sa("127.0.0.1", 80);
	size_t idx[3];

	ns_build(&ns, r, 5);
	cr_assert_eq(bw_netstate_conflicts(&ns, T, &sa, idx, 3), 3);
	cr_assert_eq(idx[0], 0);
	cr_assert_eq(idx[1], 1);
	cr_assert_eq(idx[2], 2);
	cr_assert_eq(bw_netstate_conflicts(&ns, T, &sa, idx, 1), 1);
	sa.family = AF_UNIX;
	cr_assert_eq(bw_netstate_conflicts(&ns, T, &sa, idx, 3), 0);
	bw_netstate_free(&ns);
}

/* Pids of the receivers of dst, in index order. */
static size_t
ns_reach(const struct bw_netstate *ns, int proto, const char *dst,
    uint16_t port, pid_t *pids)
{
	struct bw_sa sa = ns_sa(dst, port);
	size_t idx[8], n, i;

	n = bw_netstate_reaching(ns, proto, &sa, idx, 8);
	for (i = 0; i < n; i++)
		pids[i] = ns->socks[idx[i]].nowners ?
		    ns->socks[idx[i]].owners[0].pid : 0;
	return n;
}

Test(reaching, exact_beats_wildcard_beats_dualstack)
{
	const struct ns_row r[] = {
		{ "127.0.0.1", 3000, T, L, -1, 10, 0 },
		{ "0.0.0.0", 3000, T, L, -1, 20, 0 },
		{ "::", 3000, T, L, 0, 30, 0 },
		{ "0.0.0.0", 4000, T, L, -1, 40, 0 },
		{ "::", 4000, T, L, 0, 50, 0 },
		{ "::", 5000, T, L, 0, 60, 0 },
		{ "::", 6000, T, L, 1, 70, 0 },
		{ "::ffff:127.0.0.1", 7000, T, L, 0, 80, 0 },
		{ "127.0.0.1", 8000, T, 1, -1, 90, 0 },	/* established */
		{ "127.0.0.1", 9000, U, BW_UDP_UNCONN, -1, 100, 0 },
	};
	struct bw_netstate ns;
	pid_t p[8];

	ns_build(&ns, r, sizeof(r) / sizeof(r[0]));
	cr_assert_eq(ns_reach(&ns, T, "127.0.0.1", 3000, p), 1);
	cr_assert_eq(p[0], 10);
	cr_assert_eq(ns_reach(&ns, T, "127.0.0.2", 3000, p), 1);
	cr_assert_eq(p[0], 20);
	cr_assert_eq(ns_reach(&ns, T, "::1", 3000, p), 1);
	cr_assert_eq(p[0], 30);
	cr_assert_eq(ns_reach(&ns, T, "127.0.0.1", 4000, p), 1);
	cr_assert_eq(p[0], 40, "IPv4 wildcard before a dual-stack ::");
	cr_assert_eq(ns_reach(&ns, T, "127.0.0.1", 5000, p), 1);
	cr_assert_eq(p[0], 60, "dual-stack :: receives IPv4");
	cr_assert_eq(ns_reach(&ns, T, "127.0.0.1", 6000, p), 0, "v6only ::");
	cr_assert_eq(ns_reach(&ns, T, "::1", 6000, p), 1);
	cr_assert_eq(ns_reach(&ns, T, "127.0.0.1", 7000, p), 1);
	cr_assert_eq(p[0], 80, "v4-mapped bind receives IPv4");
	cr_assert_eq(ns_reach(&ns, T, "::ffff:127.0.0.1", 3000, p), 1);
	cr_assert_eq(p[0], 10, "v4-mapped destination is IPv4");
	cr_assert_eq(ns_reach(&ns, T, "::1", 7000, p), 0);
	cr_assert_eq(ns_reach(&ns, T, "127.0.0.1", 8000, p), 0,
	    "an established socket does not accept");
	cr_assert_eq(ns_reach(&ns, T, "127.0.0.1", 9000, p), 0, "UDP is not TCP");
	cr_assert_eq(ns_reach(&ns, U, "127.0.0.1", 9000, p), 1);
	cr_assert_eq(ns_reach(&ns, T, "127.0.0.1", 1, p), 0);
	bw_netstate_free(&ns);
}

Test(reaching, reuseport_siblings)
{
	const struct ns_row r[] = {
		{ "127.0.0.1", 6000, T, L, -1, 1, 0 },
		{ "127.0.0.1", 6000, T, L, -1, 2, 0 },
	};
	struct bw_netstate ns;
	pid_t p[8];

	ns_build(&ns, r, 2);
	cr_assert_eq(ns_reach(&ns, T, "127.0.0.1", 6000, p), 2);
	cr_assert_eq(p[0], 1);
	cr_assert_eq(p[1], 2);
	bw_netstate_free(&ns);
}

/* Is the name whose two addresses the sockets a and b receive split? */
static int
ns_split(const struct bw_netstate *ns, size_t a, size_t b)
{
	const size_t *recv[2] = { &a, &b };
	const size_t n[2] = { 1, 1 };

	return bw_netstate_split(ns, recv, n, 2);
}

Test(owners, same_or_not)
{
	const struct ns_row r[] = {
		{ "127.0.0.1", 1, T, L, -1, 7, 0 },
		{ "::1", 1, T, L, 1, 7, 0 },
		{ "127.0.0.1", 2, T, L, -1, 8, 0 },
		{ "::1", 2, T, L, 1, 0, 0 },	/* hidden, same uid */
		{ "::1", 3, T, L, 1, 0, 1000 },	/* hidden, other uid */
	};
	struct bw_netstate ns;
	size_t a = 0, b = 1, c = 2, d = 3, e = 4;

	ns_build(&ns, r, 5);
	cr_assert_eq(ns_split(&ns, a, b), 0);
	cr_assert_eq(ns_split(&ns, a, c), 1);
	cr_assert_eq(ns_split(&ns, d, d), 0);
	cr_assert_eq(ns_split(&ns, c, d), 0,
	    "unknown owner, same uid: no proof of a split");
	cr_assert_eq(ns_split(&ns, c, e), 1);
	bw_netstate_free(&ns);
}

Test(portmap, split_and_exposed_on_fixture)
{
	struct bw_netstate ns;
	struct bw_portmap pm;
	size_t g;
	int seen3000 = 0;

	cr_assert_eq(bw_netstate_read(&ns, PROCA, 0), 0);
	bw_portmap_build(&pm, &ns, 0, NULL, 0);
	/* Default: the LAN listener 192.168.1.5:22 is left out. */
	cr_assert_eq(pm.nidx, 10);
	for (g = 0; g < pm.ngroups; g++) {
		const struct bw_portgroup *pg = &pm.groups[g];

		cr_assert_neq(pg->port, 22);
		if (g > 0)
			cr_assert(pm.groups[g - 1].proto < pg->proto ||
			    (pm.groups[g - 1].proto == pg->proto &&
			    pm.groups[g - 1].port < pg->port), "sorted");
		switch (pg->port) {
		case 3000:	/* [::1] pid 100, 127.0.0.1 pid 200 */
			seen3000 = 1;
			cr_assert_eq(pg->n, 2);
			cr_assert(pg->split);
			cr_assert(!pg->exposed);
			cr_assert_eq(ns.socks[pm.idx[pg->first]].local.family,
			    AF_INET, "IPv4 first");
			break;
		case 6000:	/* reuseport siblings, ::1 unanswered */
			cr_assert(!pg->split);
			cr_assert(!pg->exposed);
			cr_assert_eq(pg->n, 2);
			break;
		case 8080:
		case 8443:
			cr_assert(!pg->split);
			cr_assert(pg->exposed);
			break;
		case 9000:	/* one dual-stack socket answers both */
			cr_assert(!pg->split);
			cr_assert(pg->exposed);
			break;
		case 5432:	/* ::ffff:127.0.0.1 is loopback */
			cr_assert(!pg->exposed);
			break;
		case 53:
			cr_assert_eq(pg->proto, BW_PROTO_UDP);
			cr_assert(!pg->exposed);
			break;
		case 5353:
			cr_assert(pg->exposed);
			break;
		default:
			cr_assert_fail("unexpected port %u", pg->port);
		}
	}
	cr_assert(seen3000);
	bw_portmap_free(&pm);

	bw_portmap_build(&pm, &ns, BW_PM_ALL, NULL, 0);
	cr_assert_eq(pm.nidx, 11);
	bw_portmap_free(&pm);

	{
		const uint16_t want[] = { 3000, 22 };

		bw_portmap_build(&pm, &ns, 0, want, 2);
		cr_assert_eq(pm.ngroups, 1);
		cr_assert_eq(pm.groups[0].port, 3000);
		bw_portmap_free(&pm);
		bw_portmap_build(&pm, &ns, BW_PM_ALL, want, 2);
		cr_assert_eq(pm.ngroups, 2);
		bw_portmap_free(&pm);
	}
	bw_netstate_free(&ns);
}

Test(portmap, split_cases)
{
	const struct ns_row r[] = {
		/* 1: 0.0.0.0 by A, [::1] by B: localhost is split. */
		{ "0.0.0.0", 1, T, L, -1, 1, 0 },
		{ "::1", 1, T, L, 1, 2, 0 },
		/* 2: one process on both loopbacks: not split. */
		{ "127.0.0.1", 2, T, L, -1, 3, 0 },
		{ "::1", 2, T, L, 1, 3, 0 },
		/* 3: dual-stack :: by A, 127.0.0.1 by B: split. */
		{ "::", 3, T, L, 0, 4, 0 },
		{ "127.0.0.1", 3, T, L, -1, 5, 0 },
		/* 4: only IPv4: nothing to split. */
		{ "127.0.0.1", 4, T, L, -1, 6, 0 },
		/* 5: 127.0.0.2 by B does not make localhost split. */
		{ "127.0.0.1", 5, T, L, -1, 7, 0 },
		{ "127.0.0.2", 5, T, L, -1, 8, 0 },
		/* 6: UDP split too. */
		{ "127.0.0.1", 6, U, BW_UDP_UNCONN, -1, 9, 0 },
		{ "::1", 6, U, BW_UDP_UNCONN, 1, 10, 0 },
	};
	struct bw_netstate ns;

	ns_build(&ns, r, sizeof(r) / sizeof(r[0]));
	cr_assert(bw_port_is_split(&ns, T, 1));
	cr_assert(!bw_port_is_split(&ns, T, 2));
	cr_assert(bw_port_is_split(&ns, T, 3));
	cr_assert(!bw_port_is_split(&ns, T, 4));
	cr_assert(!bw_port_is_split(&ns, T, 5));
	cr_assert(bw_port_is_split(&ns, U, 6));
	cr_assert(!bw_port_is_split(&ns, T, 6));
	cr_assert(bw_sock_is_exposed(&ns.socks[0]));
	cr_assert(!bw_sock_is_exposed(&ns.socks[1]));
	bw_netstate_free(&ns);
}
