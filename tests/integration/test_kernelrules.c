/*
 * The kernel's rules (shim/core/kernelrules.c) against the kernel itself:
 * in a private network namespace, tests/fixtures/kr_probe makes the
 * sockets of each case in order and says which binds and listens the
 * kernel refused and which socket each connection or datagram reached.
 * bw_kr_bind_conflict must refuse exactly those binds and listens, and
 * every receiver must be in the group bw_kr_pick names.  All traffic
 * stays on the namespace's loopback.
 */
#include <sys/types.h>

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "event.h"
#include "harness.h"
#include "kernelrules.h"

#define T	BW_PROTO_TCP
#define U	BW_PROTO_UDP
#define PORT0	41000		/* case i uses PORT0 + i */

enum { LISTEN, BOUND, LATE, TW, CONN };	/* what becomes of a socket */

struct kr_psock {
	const char	*addr;		/* no port, no brackets */
	int		 v6only;	/* 1, 0, -1: as it comes */
	int		 reuseaddr, reuseport;
	uid_t		 uid;
	int		 how;
};

static const struct kr_case {
	const char		*what;
	int			 proto;
	struct kr_psock		 s[3];		/* up to the first addr NULL */
	const char		*dst[2];	/* "ADDR" or "[V6]" */
} cases[] = {
	{ "v4 wildcard, v6 exact", T,
	    { { "0.0.0.0", -1, 0, 0, 0, LISTEN }, { "::1", -1, 0, 0, 0, LISTEN } },
	    { "127.0.0.1", "[::1]" } },
	{ "dual-stack ::, then 0.0.0.0", T,
	    { { "::", 0, 0, 0, 0, LISTEN }, { "0.0.0.0", -1, 0, 0, 0, LISTEN } },
	    { "127.0.0.1", "[::1]" } },
	{ "v6only ::, then 0.0.0.0", T,
	    { { "::", 1, 0, 0, 0, LISTEN }, { "0.0.0.0", -1, 0, 0, 0, LISTEN } },
	    { "127.0.0.1", "[::1]" } },
	{ "127.0.0.1, then dual-stack ::", T,
	    { { "127.0.0.1", -1, 0, 0, 0, LISTEN }, { "::", 0, 0, 0, 0, LISTEN } },
	    { "127.0.0.1", "[::1]" } },
	{ "127.0.0.1, then v6only ::", T,
	    { { "127.0.0.1", -1, 0, 0, 0, LISTEN }, { "::", 1, 0, 0, 0, LISTEN } },
	    { "127.0.0.1", "[::1]" } },
	{ "v6only :: alone", T,
	    { { "::", 1, 0, 0, 0, LISTEN } },
	    { "127.0.0.1", "[::1]" } },
	{ "two SO_REUSEPORT listeners", T,
	    { { "127.0.0.1", -1, 0, 1, 0, LISTEN }, { "127.0.0.1", -1, 0, 1, 0, LISTEN } },
	    { "127.0.0.1" } },
	{ "SO_REUSEPORT of another uid", T,
	    { { "127.0.0.1", -1, 0, 1, 0, LISTEN }, { "127.0.0.1", -1, 0, 1, 1000, LISTEN } },
	    { "127.0.0.1" } },
	{ "exact and wildcard with SO_REUSEPORT", T,
	    { { "0.0.0.0", -1, 0, 1, 0, LISTEN }, { "127.0.0.1", -1, 0, 1, 0, LISTEN } },
	    { "127.0.0.1", "127.0.0.2" } },
	{ "SO_REUSEADDR over a listener", T,
	    { { "127.0.0.1", -1, 1, 0, 0, LISTEN }, { "127.0.0.1", -1, 1, 0, 0, LISTEN } },
	    { "127.0.0.1" } },
	{ "SO_REUSEADDR, the first listens last", T,
	    { { "127.0.0.1", -1, 1, 0, 0, LATE }, { "127.0.0.1", -1, 1, 0, 0, LISTEN } },
	    { "127.0.0.1" } },
	{ "SO_REUSEADDR over TIME_WAIT", T,
	    { { "127.0.0.1", -1, 1, 0, 0, TW }, { "127.0.0.1", -1, 1, 0, 0, LISTEN } },
	    { "127.0.0.1" } },
	{ "TIME_WAIT of a socket without SO_REUSEADDR", T,
	    { { "127.0.0.1", -1, 0, 0, 0, TW }, { "127.0.0.1", -1, 1, 0, 0, LISTEN } },
	    { "127.0.0.1" } },
	{ "TIME_WAIT, a bind without SO_REUSEADDR", T,
	    { { "127.0.0.1", -1, 1, 0, 0, TW }, { "127.0.0.1", -1, 0, 0, 0, LISTEN } },
	    { "127.0.0.1" } },
	{ "v4-mapped and IPv4 with SO_REUSEPORT", T,
	    { { "::ffff:127.0.0.1", -1, 0, 1, 0, LISTEN }, { "127.0.0.1", -1, 0, 1, 0, LISTEN } },
	    { "127.0.0.1", "[::ffff:127.0.0.1]" } },
	{ "v4-mapped and IPv4 wildcards with SO_REUSEPORT", T,
	    { { "::ffff:0.0.0.0", -1, 0, 1, 0, LISTEN }, { "0.0.0.0", -1, 0, 1, 0, LISTEN } },
	    { "127.0.0.1", "[::1]" } },
	{ "v6only and dual-stack :: with SO_REUSEPORT", T,
	    { { "::", 1, 0, 1, 0, LISTEN }, { "::", 0, 0, 1, 0, LISTEN } },
	    { "[::1]", "127.0.0.1" } },
	{ "dual-stack :: and 0.0.0.0 with SO_REUSEPORT", T,
	    { { "::", 0, 0, 1, 0, LISTEN }, { "0.0.0.0", -1, 0, 1, 0, LISTEN } },
	    { "127.0.0.1", "[::1]" } },
	{ "v4-mapped wildcard and dual-stack :: with SO_REUSEPORT", T,
	    { { "::ffff:0.0.0.0", -1, 0, 1, 0, LISTEN }, { "::", 0, 0, 1, 0, LISTEN } },
	    { "127.0.0.1" } },
	{ "bound, never listening", T,
	    { { "127.0.0.1", -1, 0, 0, 0, BOUND }, { "127.0.0.2", -1, 0, 0, 0, BOUND } },
	    { "127.0.0.1" } },
	{ "UDP twice", U,
	    { { "0.0.0.0", -1, 0, 0, 0, BOUND }, { "0.0.0.0", -1, 0, 0, 0, BOUND } },
	    { "127.0.0.1" } },
	{ "UDP with SO_REUSEADDR", U,
	    { { "0.0.0.0", -1, 1, 0, 0, BOUND }, { "0.0.0.0", -1, 1, 0, 0, BOUND } },
	    { "127.0.0.1", "[::1]" } },
	{ "UDP exact and wildcard with SO_REUSEPORT", U,
	    { { "127.0.0.1", -1, 0, 1, 0, BOUND }, { "0.0.0.0", -1, 0, 1, 0, BOUND } },
	    { "127.0.0.1", "127.0.0.2" } },
	{ "UDP v6only ::, then 0.0.0.0", U,
	    { { "::", 1, 0, 0, 0, BOUND }, { "0.0.0.0", -1, 0, 0, 0, BOUND } },
	    { "127.0.0.1", "[::1]" } },
	{ "UDP dual-stack ::, then 127.0.0.1", U,
	    { { "::", 0, 0, 0, 0, BOUND }, { "127.0.0.1", -1, 0, 0, 0, BOUND } },
	    { "127.0.0.1" } },
	{ "a connection, a bind without SO_REUSEADDR", T,
	    { { "127.0.0.1", -1, 1, 0, 0, CONN }, { "127.0.0.1", -1, 0, 0, 0, LISTEN } },
	    { "127.0.0.1" } },
	{ "a connection, SO_REUSEADDR on both", T,
	    { { "127.0.0.1", -1, 1, 0, 0, CONN }, { "127.0.0.1", -1, 1, 0, 0, LISTEN } },
	    { "127.0.0.1" } },
	{ "a connection of a socket without SO_REUSEADDR", T,
	    { { "127.0.0.1", -1, 0, 0, 0, CONN }, { "127.0.0.1", -1, 1, 0, 0, LISTEN } },
	    { "127.0.0.1" } },
	{ "a connection, a bind of the wildcard", T,
	    { { "127.0.0.1", -1, 0, 0, 0, CONN }, { "0.0.0.0", -1, 0, 0, 0, LISTEN } },
	    { "127.0.0.2" } },
	{ "bound, never listening, then a bind with SO_REUSEADDR", T,
	    { { "127.0.0.1", -1, 1, 0, 0, BOUND }, { "127.0.0.1", -1, 1, 0, 0, LISTEN } },
	    { "127.0.0.1" } },
	{ "UDP SO_REUSEPORT of another uid", U,
	    { { "0.0.0.0", -1, 0, 1, 0, BOUND }, { "0.0.0.0", -1, 0, 1, 1000, BOUND } },
	    { "127.0.0.1" } },
};

#define NCASES	(sizeof(cases) / sizeof(cases[0]))

static size_t
kr_nsocks(const struct kr_case *c)
{
	size_t n = 0;

	while (n < 3 && c->s[n].addr != NULL)
		n++;
	return n;
}

/* One kr_probe command line of case i, for the script. */
static void
kr_command(FILE *f, size_t i)
{
	static const char *how[] = { "", ",bound", ",late", ",tw", ",conn" };
	const struct kr_case *c = &cases[i];
	size_t j, n = kr_nsocks(c);

	fprintf(f, "echo '== %zu'\n\"$FIX/kr_probe\" %s", i,
	    c->proto == T ? "tcp" : "udp");
	for (j = 0; j < n; j++) {
		const struct kr_psock *s = &c->s[j];
		int v6 = strchr(s->addr, ':') != NULL;

		fprintf(f, " '%s%s%s:%zu%s%s%s%s", v6 ? "[" : "", s->addr,
		    v6 ? "]" : "", PORT0 + i, s->v6only == 1 ? ",v6only" :
		    s->v6only == 0 ? ",dual" : "",
		    s->reuseaddr ? ",reuseaddr" : "",
		    s->reuseport ? ",reuseport" : "", how[s->how]);
		if (s->uid != 0)
			fprintf(f, ",uid=%u", (unsigned)s->uid);
		fputc('\'', f);
	}
	fputs(" --", f);
	for (j = 0; j < 2 && c->dst[j] != NULL; j++)
		fprintf(f, " '%s:%zu'", c->dst[j], PORT0 + i);
	fputc('\n', f);
}

/* Case i's socket j as the rules see it once bound. */
static struct bw_kr_sock
kr_fact(size_t i, size_t j)
{
	const struct kr_psock *s = &cases[i].s[j];
	struct bw_kr_sock k;

	memset(&k, 0, sizeof(k));
	cr_assert_eq(bw_sa_parse_addr(s->addr, &k.addr), 0, "%s", s->addr);
	k.addr.port = (uint16_t)(PORT0 + i);
	k.proto = cases[i].proto;
	k.state = s->how == TW ? BW_KR_TIMEWAIT : s->how == CONN ?
	    BW_KR_CONNECTED : BW_KR_BOUND;
	k.v6only = s->v6only;
	k.reuseaddr = s->reuseaddr;
	k.reuseport = s->reuseport;
	k.uid = s->uid;
	return k;
}

/* Would the kernel refuse k[j] (to bind or listen) for those present? */
static int
kr_refused(const struct bw_kr_sock *k, const int *present, size_t n, size_t j)
{
	size_t o;

	for (o = 0; o < n; o++)
		if (o != j && present[o] && bw_kr_bind_conflict(&k[o], &k[j]))
			return 1;
	return 0;
}

/*
 * What kr_probe must print for case i, but for the receivers: those
 * checked by kr_receivers.  Fills k[] and present[] as they end up.
 */
static void
kr_expect(size_t i, struct bw_kr_sock *k, int *present, char *buf, size_t len)
{
	const struct kr_case *c = &cases[i];
	size_t j, n = kr_nsocks(c), off = 0;

	buf[0] = '\0';
	for (j = 0; j < n; j++) {
		k[j] = kr_fact(i, j);
		if (c->s[j].how == TW || c->s[j].how == CONN) {
			present[j] = 1;
			off += (size_t)snprintf(buf + off, len - off,
			    "%s %zu ok\n", c->s[j].how == TW ? "tw" : "conn", j);
			continue;
		}
		present[j] = !kr_refused(k, present, n, j);
		off += (size_t)snprintf(buf + off, len - off, "bind %zu %s\n",
		    j, present[j] ? "ok" : "EADDRINUSE");
		if (present[j] && c->proto == T && c->s[j].how == LISTEN) {
			k[j].state = BW_KR_LISTEN;
			if (kr_refused(k, present, n, j)) {
				k[j].state = BW_KR_BOUND;
				off += (size_t)snprintf(buf + off, len - off,
				    "listen %zu EADDRINUSE\n", j);
			} else
				off += (size_t)snprintf(buf + off, len - off,
				    "listen %zu ok\n", j);
		}
	}
	for (j = 0; j < n; j++)
		if (present[j] && c->s[j].how == LATE) {
			k[j].state = BW_KR_LISTEN;
			if (kr_refused(k, present, n, j))
				k[j].state = BW_KR_BOUND;
			off += (size_t)snprintf(buf + off, len - off,
			    "listen %zu %s\n", j,
			    k[j].state == BW_KR_LISTEN ? "ok" : "EADDRINUSE");
		}
}

/*
 * Is every receiver of line, "dst D R R ...", in bw_kr_pick's group, and
 * are two sockets that both received one SO_REUSEPORT group (bw_kr_group)?
 */
static void
kr_receivers(size_t i, const struct bw_kr_sock *k, const int *present,
    size_t d, const char *line)
{
	const struct kr_case *c = &cases[i];
	struct bw_kr_sock live[3];
	size_t n = kr_nsocks(c), map[3], idx[3], nl = 0, ng, j, g, tries = 0;
	struct bw_sa dst;
	char dstr[64], *p, *end;
	unsigned long r0 = 0;

	for (j = 0; j < n; j++)
		if (present[j] && k[j].state != BW_KR_TIMEWAIT &&
		    k[j].state != BW_KR_CONNECTED) {
			live[nl] = k[j];
			map[nl++] = j;
		}
	/* "ADDR" or "[V6]" */
	snprintf(dstr, sizeof(dstr), "%s", c->dst[d] + (c->dst[d][0] == '['));
	dstr[strcspn(dstr, "]")] = '\0';
	cr_assert_eq(bw_sa_parse_addr(dstr, &dst), 0, "%s", dstr);
	dst.port = (uint16_t)(PORT0 + i);
	ng = bw_kr_pick(live, nl, c->proto, &dst, idx, 3);
	p = strchr(line + 4, ' ');
	cr_assert_not_null(p, "case %zu (%s): %s", i, c->what, line);
	if (ng == 0) {
		cr_expect(strcmp(p, c->proto == T ? " refused" : " none") == 0,
		    "case %zu (%s), to %s: the kernel answered%s, the rules "
		    "say nobody", i, c->what, c->dst[d], p);
		return;
	}
	while (*p == ' ') {
		unsigned long r = strtoul(p + 1, &end, 10);

		cr_assert(end != p + 1, "case %zu (%s), to %s: the kernel said"
		    "%s, the rules name socket %zu", i, c->what, c->dst[d], p,
		    map[idx[0]]);
		for (g = 0; g < ng && map[idx[g]] != r; g++)
			;
		cr_expect(g < ng, "case %zu (%s), to %s: socket %lu received, "
		    "the rules pick socket %zu (group of %zu)", i, c->what,
		    c->dst[d], r, map[idx[0]], ng);
		if (tries == 0)
			r0 = r;
		else if (r != r0 && r < n && r0 < n)
			cr_expect_eq(bw_kr_group(&k[r0], &k[r]), 1, "case %zu "
			    "(%s), to %s: sockets %lu and %lu both received, "
			    "the rules see no SO_REUSEPORT group", i, c->what,
			    c->dst[d], r0, r);
		tries++;
		p = end;
	}
	cr_expect_gt(tries, 0);
}

Test(kernelrules, real_sockets_agree, .timeout = 60)
{
	char *script = NULL, *out = NULL, *err = NULL, want[512], mark[16];
	size_t len = 0, i;
	FILE *f;
	int status;

	if (geteuid() != 0)
		cr_skip_test("sockets of another uid need root");
	cr_assert_not_null(f = open_memstream(&script, &len));
	for (i = 0; i < NCASES; i++)
		kr_command(f, i);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(bw_ns_run(script, &out, &err, &status), 0);
	cr_assert_eq(status, 0, "status %d\n%s\n%s", status, out, err);
	for (i = 0; i < NCASES; i++) {
		struct bw_kr_sock k[3];
		int present[3];
		char *sect, *end, *dline;
		size_t d, blen;

		kr_expect(i, k, present, want, sizeof(want));
		snprintf(mark, sizeof(mark), "== %zu\n", i);
		sect = strstr(out, mark);
		cr_assert_not_null(sect, "case %zu missing:\n%s", i, out);
		sect += strlen(mark);
		end = strstr(sect, "== ");
		sect = strndup(sect, end ? (size_t)(end - sect) : strlen(sect));
		/* The binds, listens and TIME_WAITs, line for line. */
		dline = strstr(sect, "dst ");
		blen = dline != NULL ? (size_t)(dline - sect) : strlen(sect);
		cr_expect(blen == strlen(want) &&
		    strncmp(sect, want, blen) == 0, "case %zu (%s): the kernel "
		    "did\n%.*sthe rules say\n%s", i, cases[i].what, (int)blen,
		    sect, want);
		/* Then, a line per destination, who received. */
		for (d = 0; dline != NULL; d++) {
			char *eol = strchr(dline, '\n');

			if (eol != NULL)
				*eol = '\0';
			kr_receivers(i, k, present, d, dline);
			dline = eol != NULL ? strstr(eol + 1, "dst ") : NULL;
		}
		cr_expect_eq(d, cases[i].dst[1] != NULL ? 2u : 1u,
		    "case %zu (%s): %zu destinations answered", i,
		    cases[i].what, d);
		free(sect);
	}
	free(script);
	free(out);
	free(err);
}
