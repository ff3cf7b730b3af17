/*
 * bindwatch ports [--json] [--all] [PORT...]: the listening sockets of
 * this network namespace grouped by port, their owners, and the two
 * surprises worth a warning: split ports and exposed sockets.
 */
#include <sys/types.h>

#include <err.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bsd/string.h>

#include "addr.h"
#include "buf.h"
#include "cmd.h"
#include "escape.h"
#include "jsonw.h"
#include "event.h"
#include "netstate.h"
#include "portmap.h"
#include "usage.h"
#include "xalloc.h"

/* A comm (<= 15 bytes) escaped: at most 4 bytes (\xNN) per byte. */
#define VISCOMM		(4 * BINDWATCH_MAX_COMM + 1)

static const char *
proto_name(int p)
{
	return p == BW_PROTO_TCP ? "tcp" : p == BW_PROTO_UDP ? "udp" : "?";
}

/* The user name of uid, or its number. */
static const char *
user_name(uid_t uid, char *buf, size_t len)
{
	/* Most sockets share a few uids: getpwuid reads /etc/passwd. */
	static char last[64];
	static uid_t lastuid;
	static int have;
	struct passwd *pw;

	if (!have || uid != lastuid) {
		if ((pw = getpwuid(uid)) != NULL && pw->pw_name[0] != '\0')
			snprintf(last, sizeof(last), "%s", pw->pw_name);
		else
			snprintf(last, sizeof(last), "%u", (unsigned)uid);
		lastuid = uid;
		have = 1;
	}
	strlcpy(buf, last, len);
	return buf;
}

/*
 * v6only only where it changes anything: on "::" (the kernel sets it by
 * itself on every other IPv6 bind).
 */
static int
shows_v6only(const struct bw_sock *s)
{
	return s->v6only == 1 && bw_sa_is_v6only_capable(&s->local);
}

/* "a,b" of the words that apply, or "-". */
static void
words(char *buf, size_t len, const char *a, int ha, const char *b, int hb)
{
	struct bw_buf w;

	bw_buf_init(&w, buf, len);
	if (ha)
		bw_buf_str(&w, a);
	if (ha && hb)
		bw_buf_str(&w, ",");
	if (hb)
		bw_buf_str(&w, b);
	if (!ha && !hb)
		bw_buf_str(&w, "-");
}

static void
options_text(const struct bw_sock *s, char *buf, size_t len)
{
	words(buf, len, "reuseport", s->reuseport == 1, "v6only",
	    shows_v6only(s));
}

/*
 * One entry per (socket, owner); an unknown owner once.  shared: the
 * processes of its SO_REUSEPORT group.
 */
static void
json_sock(struct bw_jsonw *w, const struct bw_sock *s, size_t shared)
{
	char addr[BW_ADDRSTRLEN], user[64];
	size_t o;

	bw_sa_format(&s->local, addr, sizeof(addr),
	    BW_FMT_NOPORT | BW_FMT_BARE);
	user_name(s->uid, user, sizeof(user));
	for (o = 0; o < (s->nowners ? s->nowners : 1); o++) {
		bw_jw_obj(w);
		bw_jw_kstr(w, "addr", addr);
		if (s->nowners == 0) {
			bw_jw_knull(w, "pid");
			bw_jw_kstr(w, "comm", "?");
		} else {
			bw_jw_kint(w, "pid", s->owners[o].pid);
			bw_jw_key(w, "comm");
			bw_jw_strn(w, s->owners[o].comm,
			    strnlen(s->owners[o].comm, BINDWATCH_MAX_COMM - 1));
		}
		bw_jw_kstr(w, "user", user);
		bw_jw_key(w, "options");
		bw_jw_arr(w);
		if (s->reuseport == 1)
			bw_jw_str(w, "reuseport");
		if (shows_v6only(s))
			bw_jw_str(w, "v6only");
		bw_jw_arr_end(w);
		bw_jw_kuint(w, "reuseport_processes", shared);
		bw_jw_obj_end(w);
	}
}

static void
print_json(FILE *f, const struct bw_netstate *ns, const struct bw_portmap *pm)
{
	struct bw_jsonw w;
	size_t g, i;

	bw_jw_init(&w, f, BW_JW_SPACED);
	bw_jw_obj(&w);
	bw_jw_key(&w, "ports");
	bw_jw_arr(&w);
	for (g = 0; g < pm->ngroups; g++) {
		const struct bw_portgroup *pg = &pm->groups[g];

		bw_jw_obj(&w);
		bw_jw_kuint(&w, "port", pg->port);
		bw_jw_kstr(&w, "proto", proto_name(pg->proto));
		bw_jw_kbool(&w, "split", pg->split);
		bw_jw_kbool(&w, "exposed", pg->exposed);
		bw_jw_key(&w, "sockets");
		bw_jw_arr(&w);
		for (i = pg->first; i < pg->first + pg->n; i++)
			json_sock(&w, &ns->socks[pm->idx[i]],
			    bw_sock_group_procs(ns, pm->idx + pg->first, pg->n,
			    i - pg->first));
		bw_jw_arr_end(&w);
		bw_jw_obj_end(&w);
	}
	bw_jw_arr_end(&w);
	bw_jw_obj_end(&w);
	fputc('\n', f);
}

struct row {
	char	proto[8];
	char	local[BW_ADDRSTRLEN];
	char	pid[16];
	char	user[64];
	char	opts[24];
	char	mark[24];
	char	comm[VISCOMM];
};

#define WIDEN(w, s)	do { if (strlen(s) > (w)) (w) = strlen(s); } while (0)

/* s in a column of width w, then the two spaces between columns. */
static void
pad(struct bw_buf *b, const char *s, size_t w, int right)
{
	static const char sp[] = "                                ";
	size_t n = strlen(s), k;

	if (!right)
		bw_buf_str(b, s);
	for (k = n; k < w; k += sizeof(sp) - 1)
		bw_buf_mem(b, sp, w - k < sizeof(sp) - 1 ? w - k : sizeof(sp) - 1);
	if (right)
		bw_buf_str(b, s);
	bw_buf_str(b, "  ");
}

/* Say what SHARED means: once per SO_REUSEPORT group of processes. */
static void
shared_text(FILE *f, const struct bw_netstate *ns, const struct bw_portmap *pm)
{
	char a[BW_ADDRSTRLEN];
	size_t g, i, j, n;

	for (g = 0; g < pm->ngroups; g++) {
		const struct bw_portgroup *pg = &pm->groups[g];

		for (i = pg->first; i < pg->first + pg->n; i++) {
			const struct bw_sock *s = &ns->socks[pm->idx[i]];

			n = bw_sock_group_procs(ns, pm->idx + pg->first, pg->n,
			    i - pg->first);
			/* The first socket of its address says it. */
			for (j = pg->first; j < i && !bw_sa_equal(
			    &ns->socks[pm->idx[j]].local, &s->local, 1); j++)
				;
			if (n < 2 || j < i)
				continue;
			fprintf(f, "%s %s is SHARED: one SO_REUSEPORT group of "
			    "%zu processes; the kernel spreads new %s among "
			    "them\n", proto_name(s->proto),
			    bw_sa_format(&s->local, a, sizeof(a), 0), n,
			    s->proto == BW_PROTO_TCP ? "connections" :
			    "datagrams");
		}
	}
}

static void
print_text(FILE *f, const struct bw_netstate *ns, const struct bw_portmap *pm)
{
	struct row *rows, hdr = { "PROTO", "LOCAL", "PID", "USER", "OPTIONS",
	    "MARK", "COMMAND" };
	size_t nrows = 0, cap = 0, g, i, o, r;
	size_t wl = 0, wp = 0, wu = 0, wo = 0, wm = 0;

	for (i = 0; i < pm->nidx; i++)
		cap += ns->socks[pm->idx[i]].nowners ?
		    ns->socks[pm->idx[i]].nowners : 1;
	rows = bw_xcalloc(cap + 1, sizeof(*rows));
	rows[nrows++] = hdr;
	for (g = 0; g < pm->ngroups; g++) {
		const struct bw_portgroup *pg = &pm->groups[g];

		for (i = pg->first; i < pg->first + pg->n; i++) {
			const struct bw_sock *s = &ns->socks[pm->idx[i]];
			int exp = bw_sock_is_exposed(s);
			int shared = bw_sock_group_procs(ns, pm->idx +
			    pg->first, pg->n, i - pg->first) > 1;

			for (o = 0; o < (s->nowners ? s->nowners : 1); o++) {
				struct row *w = &rows[nrows++];

				strlcpy(w->proto, proto_name(s->proto),
				    sizeof(w->proto));
				bw_sa_format(&s->local, w->local,
				    sizeof(w->local), 0);
				user_name(s->uid, w->user, sizeof(w->user));
				options_text(s, w->opts, sizeof(w->opts));
				words(w->mark, sizeof(w->mark), "SPLIT",
				    pg->split, "EXPOSED", exp);
				if (shared && strcmp(w->mark, "-") == 0)
					strlcpy(w->mark, "SHARED",
					    sizeof(w->mark));
				else if (shared)
					strlcat(w->mark, ",SHARED",
					    sizeof(w->mark));
				if (s->nowners == 0) {
					strlcpy(w->pid, "?", sizeof(w->pid));
					strlcpy(w->comm, "?", sizeof(w->comm));
				} else {
					struct bw_buf pb;

					bw_buf_init(&pb, w->pid, sizeof(w->pid));
					bw_buf_i64(&pb, s->owners[o].pid);
					bw_escape_text(w->comm, sizeof(w->comm),
					    s->owners[o].comm,
					    strnlen(s->owners[o].comm,
					    BINDWATCH_MAX_COMM - 1));
				}
			}
		}
	}
	for (r = 0; r < nrows; r++) {
		WIDEN(wl, rows[r].local);
		WIDEN(wp, rows[r].pid);
		WIDEN(wu, rows[r].user);
		WIDEN(wo, rows[r].opts);
		WIDEN(wm, rows[r].mark);
	}
	for (r = 0; r < nrows; r++) {
		char line[sizeof(struct row) + 64];
		struct bw_buf b;

		/* Padded by hand: fprintf's field widths were a sixth of
		 * the time of a 10,000-line listing. */
		bw_buf_init(&b, line, sizeof(line));
		pad(&b, rows[r].proto, 5, 0);
		pad(&b, rows[r].local, wl, 0);
		pad(&b, rows[r].pid, wp, 1);
		pad(&b, rows[r].user, wu, 0);
		pad(&b, rows[r].opts, wo, 0);
		pad(&b, rows[r].mark, wm, 0);
		bw_buf_str(&b, rows[r].comm);
		bw_buf_str(&b, "\n");
		fputs(line, f);
	}
	free(rows);

	/* Say what SPLIT means where it happens: the article's question. */
	for (g = 0; g < pm->ngroups; g++) {
		const struct bw_portgroup *pg = &pm->groups[g];

		if (!pg->split)
			continue;
		fprintf(f, "%s port %u is SPLIT: 127.0.0.1 and [::1] reach "
		    "different processes; a client of localhost:%u lands on "
		    "one or the other depending on the address family it "
		    "tries first (bindwatch which localhost:%u)\n",
		    proto_name(pg->proto), (unsigned)pg->port,
		    (unsigned)pg->port, (unsigned)pg->port);
	}
	shared_text(f, ns, pm);
}

/* No socket to list: a lone header would say it less clearly. */
static void
nothing_listens(FILE *f, const uint16_t *ports, size_t n, int all)
{
	size_t i;

	fputs("nothing listens", f);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%u", i == 0 ? (n == 1 ? " on port " :
		    " on ports ") : ", ", (unsigned)ports[i]);
	fputs(all ? "\n" : " at a loopback or wildcard address (--all: at "
	    "any)\n", f);
}

int
bw_cmd_ports(int argc, char **argv)
{
	struct bw_netstate ns;
	struct bw_portmap pm;
	uint16_t *ports = NULL;
	size_t nports = 0, i;
	int ret, json = 0, all = 0, hidden = 0;

	if ((ret = bw_cmd_options(argc, argv, "ports",
	    "bindwatch ports [--json] [--all] [PORT...]", &json, &all)) != -1)
		return ret;
	if (argc > optind)
		ports = bw_xcalloc((size_t)(argc - optind), sizeof(*ports));
	for (; optind < argc; optind++) {
		if (bw_parse_port(argv[optind], strlen(argv[optind]),
		    &ports[nports]) == -1 || ports[nports] == 0) {
			char v[4 * 64 + 1];

			bw_escape_text(v, sizeof(v), argv[optind],
			    strlen(argv[optind]));
			free(ports);
			return bw_usage_error("ports: not a port (1-65535): %s",
			    v);
		}
		nports++;
	}

	if (bw_netstate_read(&ns, "/proc", 0) == -1) {
		warn("ports: /proc/net");
		free(ports);
		return BINDWATCH_EXIT_USAGE;
	}
	bw_portmap_build(&pm, &ns, all ? BW_PM_ALL : 0, ports, nports);
	if (json)
		print_json(stdout, &ns, &pm);
	else if (pm.nidx == 0)
		nothing_listens(stdout, ports, nports, all);
	else
		print_text(stdout, &ns, &pm);
	for (i = 0; i < pm.nidx; i++)
		if (ns.socks[pm.idx[i]].nowners == 0)
			hidden = ns.hidden || geteuid() != 0;
	bw_portmap_free(&pm);
	bw_netstate_free(&ns);
	free(ports);
	return bw_cmd_finish("ports", hidden, 0);
}
