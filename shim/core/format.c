/*
 * Text and JSON renderings of one event.  Both end with a newline; both
 * escape every string that came from the program.  When the buffer is too
 * small the line is cut between fields and still ends with a newline.
 */
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "buf.h"
#include "escape.h"
#include "fmtconn.h"
#include "format.h"
#include "names.h"

const char *
bw_proto_name(int p)
{
	return p == BW_PROTO_TCP ? "tcp" : p == BW_PROTO_UDP ? "udp" : "other";
}

static const struct {
	int		 flag;
	const char	*name;
} gai_flags[] = {
	{ AI_PASSIVE, "passive" }, { AI_CANONNAME, "canonname" },
	{ AI_NUMERICHOST, "numerichost" }, { AI_NUMERICSERV, "numericserv" },
	{ AI_V4MAPPED, "v4mapped" }, { AI_ALL, "all" },
	{ AI_ADDRCONFIG, "addrconfig" },
};
#define NFLAGS	(sizeof(gai_flags) / sizeof(gai_flags[0]))

static const struct {
	int		 bit;
	const char	*name;
} opt_names[] = {
	{ BW_OPT_REUSEADDR, "reuseaddr" }, { BW_OPT_REUSEPORT, "reuseport" },
	{ BW_OPT_V6ONLY, "v6only" }, { BW_OPT_FREEBIND, "freebind" },
};
#define NOPTS	(sizeof(opt_names) / sizeof(opt_names[0]))

static const char *
family_name(int f)
{
	return f == AF_INET ? "inet" : f == AF_INET6 ? "inet6" :
	    f == AF_UNSPEC ? "unspec" : "other";
}

static const char *
socktype_name(int t)
{
	return t == SOCK_STREAM ? "stream" : t == SOCK_DGRAM ? "dgram" :
	    t == SOCK_RAW ? "raw" : t == 0 ? "any" : "other";
}

static void
put_esc_text(struct bw_buf *b, const char *s)
{
	char e[BINDWATCH_MAX_NAME * 4 + 1];

	bw_escape_text(e, sizeof(e), s, strlen(s));
	bw_buf_str(b, e);
}

static void
put_json_str(struct bw_buf *b, const char *s)
{
	char e[BINDWATCH_MAX_NAME * 6 + 1];

	bw_escape_json(e, sizeof(e), s, strlen(s));
	bw_buf_str(b, "\"");
	bw_buf_str(b, e);
	bw_buf_str(b, "\"");
}

static void
put_sa(struct bw_buf *b, const struct bw_sa *sa, int flags)
{
	char a[BW_ADDRSTRLEN];

	bw_buf_str(b, bw_sa_format(sa, a, sizeof(a), flags));
}

/*
 * Start a line: the last byte before the NUL is kept for the newline, so
 * that a line that fills the buffer is neither cut inside a piece nor
 * closed past the end.
 */
static void
start(struct bw_buf *b, char *buf, size_t len)
{
	bw_buf_init(b, buf, len > 0 ? len - 1 : 0);
}

/* Close the line: a cut line still ends with a newline. */
static size_t
finish(struct bw_buf *b, char *buf, size_t len)
{
	if (len < 2) {
		if (len == 1)
			buf[0] = '\0';
		return 0;
	}
	buf[b->off++] = '\n';
	buf[b->off] = '\0';
	return b->off;
}

/* exit: ret < 0 is -signal; -INT32_MIN (a hostile record) would overflow. */
static int
exit_signal(const struct bw_event *e)
{
	return e->ret == INT32_MIN ? 0 : -e->ret;
}

static void
text_hints(struct bw_buf *b, const struct bw_event *e)
{
	int first = 1;
	size_t i;

	if (!e->has_hints) {
		bw_buf_str(b, "NULL");
		return;
	}
	if (e->h_family != AF_UNSPEC) {
		bw_buf_str(b, family_name(e->h_family));
		first = 0;
	}
	if (e->h_socktype != 0) {
		bw_buf_str(b, first ? "" : "|");
		bw_buf_str(b, socktype_name(e->h_socktype));
		first = 0;
	}
	for (i = 0; i < NFLAGS; i++)
		if (e->h_flags & gai_flags[i].flag) {
			bw_buf_str(b, first ? "" : "|");
			bw_buf_str(b, gai_flags[i].name);
			first = 0;
		}
	if (first)
		bw_buf_str(b, "0");
}

/* The same address for several socket types is shown once in text. */
static void
text_addrs(struct bw_buf *b, const struct bw_sa *a, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < i; j++)
			if (bw_sa_equal(&a[i], &a[j], 1))
				break;
		if (j < i)
			continue;
		if (i > 0)
			bw_buf_str(b, ", ");
		put_sa(b, &a[i], 0);
	}
}

/* The end of a bind's or listen's note: which socket it now shares. */
static void
text_alias(struct bw_buf *b, int fd)
{
	bw_buf_str(b, "same endpoint as fd ");
	bw_buf_i64(b, fd);
	bw_buf_str(b, ", made an alias of it]");
}

static void
text_opts(struct bw_buf *b, const struct bw_event *e)
{
	size_t i;

	bw_buf_str(b, " (");
	bw_buf_str(b, bw_proto_name(e->proto));
	for (i = 0; i < NOPTS; i++)
		if (e->opts & opt_names[i].bit) {
			bw_buf_str(b, ", ");
			bw_buf_str(b, opt_names[i].name);
		}
	if (e->autobound)
		bw_buf_str(b, ", autobound");
	bw_buf_str(b, ")");
}

static void
text_result(struct bw_buf *b, const struct bw_event *e)
{
	char n[24];

	bw_buf_str(b, " = ");
	bw_buf_i64(b, e->ret);
	if (e->ret == -1) {
		bw_buf_str(b, " ");
		bw_buf_str(b, bw_errno_name(e->err, n, sizeof(n)));
	}
}

size_t
bw_format_text(const struct bw_event *e, char *buf, size_t len)
{
	struct bw_buf b;
	char n[24];

	start(&b, buf, len);
	bw_buf_str(&b, "bindwatch[");
	bw_buf_i64(&b, e->pid);
	bw_buf_str(&b, "] ");
	put_esc_text(&b, e->comm);
	bw_buf_str(&b, ": ");
	switch (e->type) {
	case BW_EV_GAI:
		bw_buf_str(&b, "getaddrinfo(");
		if (e->has_node) {
			bw_buf_str(&b, "\"");
			put_esc_text(&b, e->node);
			bw_buf_str(&b, "\"");
		} else
			bw_buf_str(&b, "NULL");
		bw_buf_str(&b, ", ");
		if (e->has_service) {
			bw_buf_str(&b, "\"");
			put_esc_text(&b, e->service);
			bw_buf_str(&b, "\"");
		} else
			bw_buf_str(&b, "NULL");
		bw_buf_str(&b, ", ");
		text_hints(&b, e);
		bw_buf_str(&b, ") = ");
		if (e->ret != 0) {
			bw_buf_str(&b, bw_eai_name(e->ret, n, sizeof(n)));
			if (e->ret == EAI_SYSTEM) {
				bw_buf_str(&b, " ");
				bw_buf_str(&b, bw_errno_name(e->err, n, sizeof(n)));
			}
		} else
			text_addrs(&b, e->addrs, e->naddrs);
		if (e->naddrs_total > e->naddrs) {
			bw_buf_str(&b, " (+");
			bw_buf_u64(&b, (uint64_t)(e->naddrs_total - e->naddrs));
			bw_buf_str(&b, " more)");
		}
		if (e->action == BW_ACT_REWRITE && (e->opts & BW_GAI_OVERRIDE))
			bw_buf_str(&b, " [resolve override]");
		else if (e->action == BW_ACT_REWRITE) {
			bw_buf_str(&b, " [rewritten; libc said: ");
			if (e->norig == 0)
				bw_buf_str(&b, "nothing");
			text_addrs(&b, e->orig, e->norig);
			bw_buf_str(&b, "]");
		}
		break;
	case BW_EV_BIND:
		bw_buf_str(&b, "bind(");
		bw_buf_i64(&b, e->fd);
		bw_buf_str(&b, ", ");
		put_sa(&b, &e->req, 0);
		if (e->action != BW_ACT_PASS && e->used.family != 0 &&
		    !bw_sa_equal(&e->used, &e->req, 1)) {
			bw_buf_str(&b, " => ");
			put_sa(&b, &e->used, 0);
		}
		bw_buf_str(&b, ")");
		text_result(&b, e);
		if (e->ret == 0 && !bw_sa_equal(&e->bound, &e->used, 1)) {
			bw_buf_str(&b, " -> ");
			put_sa(&b, &e->bound, 0);
		}
		text_opts(&b, e);
		if (e->action == BW_ACT_REWRITE && e->alias_fd >= 0) {
			bw_buf_str(&b, " [rewritten by policy; ");
			text_alias(&b, e->alias_fd);
		} else if (e->action == BW_ACT_REWRITE)
			bw_buf_str(&b, " [rewritten by policy]");
		else if (e->action == BW_ACT_DENY)
			bw_buf_str(&b, " [refused by policy]");
		else if (e->action == BW_ACT_CONFINE)
			bw_buf_str(&b, " [confined to " BINDWATCH_LOOPBACK_DEVICE
			    " by policy]");
		break;
	case BW_EV_LISTEN:
		bw_buf_str(&b, "listen(");
		bw_buf_i64(&b, e->fd);
		bw_buf_str(&b, ", ");
		bw_buf_i64(&b, e->backlog);
		bw_buf_str(&b, ")");
		text_result(&b, e);
		if (e->bound.family != 0) {
			bw_buf_str(&b, " on ");
			put_sa(&b, &e->bound, 0);
		}
		text_opts(&b, e);
		if (e->action == BW_ACT_REWRITE && e->alias_fd >= 0) {
			bw_buf_str(&b, " [");
			text_alias(&b, e->alias_fd);
		} else if (e->action == BW_ACT_REWRITE)
			bw_buf_str(&b, " [bound by policy first]");
		else if (e->action == BW_ACT_CONFINE)
			bw_buf_str(&b, " [confined to " BINDWATCH_LOOPBACK_DEVICE
			    " by policy]");
		else if (e->action == BW_ACT_DENY)
			bw_buf_str(&b, " [refused by policy]");
		break;
	case BW_EV_EXEC:
		bw_buf_str(&b, "exec ");
		put_esc_text(&b, e->exe);
		break;
	case BW_EV_CLOSE:
		bw_buf_str(&b, "close(");
		bw_buf_i64(&b, e->fd);
		bw_buf_str(&b, ") of the listener on ");
		put_sa(&b, &e->bound, 0);
		text_opts(&b, e);
		break;
	case BW_EV_EXIT:
		if (e->ret >= 0) {
			bw_buf_str(&b, "exit ");
			bw_buf_i64(&b, e->ret);
		} else {
			bw_buf_str(&b, "killed by ");
			bw_buf_str(&b, bw_signal_name(exit_signal(e), n, sizeof(n)));
		}
		break;
	case BW_EV_CONNECT:
		bw_fmtconn_text(&b, e);
		break;
	default:
		bw_buf_str(&b, "?");
	}
	if (e->source == BW_SRC_SECCOMP)
		bw_buf_str(&b, " [seccomp]");
	return finish(&b, buf, len);
}

static void
json_key(struct bw_buf *b, const char *k)
{
	bw_buf_str(b, ",\"");
	bw_buf_str(b, k);
	bw_buf_str(b, "\":");
}

static void
json_int(struct bw_buf *b, const char *k, int64_t v)
{
	json_key(b, k);
	bw_buf_i64(b, v);
}

static void
json_str(struct bw_buf *b, const char *k, const char *v)
{
	json_key(b, k);
	put_json_str(b, v);
}

static void
json_addr(struct bw_buf *b, const char *akey, const char *pkey,
    const struct bw_sa *sa)
{
	char a[BW_ADDRSTRLEN];

	if (sa->family == 0) {
		json_key(b, akey);
		bw_buf_str(b, "null");
		json_key(b, pkey);
		bw_buf_str(b, "null");
		return;
	}
	json_str(b, akey, bw_sa_format(sa, a, sizeof(a), BW_FMT_NOPORT | BW_FMT_BARE));
	json_int(b, pkey, sa->port);
}

static void
json_addr_list(struct bw_buf *b, const struct bw_sa *a, const uint8_t *proto,
    size_t n)
{
	char s[BW_ADDRSTRLEN];
	size_t i;

	bw_buf_str(b, "[");
	for (i = 0; i < n; i++) {
		bw_buf_str(b, i ? ",{\"addr\":" : "{\"addr\":");
		put_json_str(b, bw_sa_format(&a[i], s, sizeof(s),
		    BW_FMT_NOPORT | BW_FMT_BARE));
		bw_buf_str(b, ",\"port\":");
		bw_buf_u64(b, a[i].port);
		bw_buf_str(b, ",\"family\":\"");
		bw_buf_str(b, family_name(a[i].family));
		if (proto != NULL) {
			bw_buf_str(b, "\",\"proto\":\"");
			bw_buf_str(b, bw_proto_name(proto[i]));
		}
		bw_buf_str(b, "\"}");
	}
	bw_buf_str(b, "]");
}

static void
json_opts(struct bw_buf *b, const struct bw_event *e)
{
	size_t i;
	int first = 1;

	json_str(b, "proto", bw_proto_name(e->proto));
	json_key(b, "options");
	bw_buf_str(b, "[");
	for (i = 0; i < NOPTS; i++)
		if (e->opts & opt_names[i].bit) {
			bw_buf_str(b, first ? "\"" : ",\"");
			bw_buf_str(b, opt_names[i].name);
			bw_buf_str(b, "\"");
			first = 0;
		}
	bw_buf_str(b, "]");
}

static void
json_result(struct bw_buf *b, const struct bw_event *e)
{
	char n[24];

	json_int(b, "ret", e->ret);
	json_key(b, "errno");
	if (e->ret == -1)
		put_json_str(b, bw_errno_name(e->err, n, sizeof(n)));
	else
		bw_buf_str(b, "null");
}

static const char *const action_names[] = {
	"pass", "rewrite", "deny", "confine"
};
#define ACTION_NAME(a)	action_names[(a) < 4 ? (a) : 0]

size_t
bw_format_json(const struct bw_event *e, char *buf, size_t len)
{
	struct bw_buf b;
	char n[24];
	size_t i;

	start(&b, buf, len);
	bw_buf_str(&b, "{\"type\":\"");
	bw_buf_str(&b, bw_evtype_name(e->type));
	bw_buf_str(&b, "\"");
	json_int(&b, "pid", e->pid);
	json_int(&b, "ppid", e->ppid);
	json_str(&b, "comm", e->comm);
	json_int(&b, "seq", e->seq);
	json_int(&b, "time_ns", (int64_t)e->time_ns);
	json_str(&b, "source", e->source == BW_SRC_SECCOMP ? "seccomp" : "shim");
	switch (e->type) {
	case BW_EV_GAI:
		json_key(&b, "node");
		if (e->has_node)
			put_json_str(&b, e->node);
		else
			bw_buf_str(&b, "null");
		json_key(&b, "service");
		if (e->has_service)
			put_json_str(&b, e->service);
		else
			bw_buf_str(&b, "null");
		json_key(&b, "hints");
		if (e->has_hints) {
			int first = 1;

			bw_buf_str(&b, "{\"family\":\"");
			bw_buf_str(&b, family_name(e->h_family));
			bw_buf_str(&b, "\",\"socktype\":\"");
			bw_buf_str(&b, socktype_name(e->h_socktype));
			bw_buf_str(&b, "\",\"protocol\":");
			bw_buf_i64(&b, e->h_protocol);
			bw_buf_str(&b, ",\"flags\":[");
			for (i = 0; i < NFLAGS; i++)
				if (e->h_flags & gai_flags[i].flag) {
					bw_buf_str(&b, first ? "\"" : ",\"");
					bw_buf_str(&b, gai_flags[i].name);
					bw_buf_str(&b, "\"");
					first = 0;
				}
			bw_buf_str(&b, "]}");
		} else
			bw_buf_str(&b, "null");
		json_int(&b, "ret", e->ret);
		json_key(&b, "error");
		if (e->ret != 0)
			put_json_str(&b, bw_eai_name(e->ret, n, sizeof(n)));
		else
			bw_buf_str(&b, "null");
		json_key(&b, "addrs");
		json_addr_list(&b, e->addrs, e->addr_proto, e->naddrs);
		json_int(&b, "naddrs", e->naddrs_total);
		json_str(&b, "action", ACTION_NAME(e->action));
		/* What libc said, when the list is a filtered one of libc's. */
		json_key(&b, "original");
		if (e->action == BW_ACT_REWRITE && !(e->opts & BW_GAI_OVERRIDE))
			json_addr_list(&b, e->orig, NULL, e->norig);
		else
			bw_buf_str(&b, "null");
		json_key(&b, "override");
		bw_buf_str(&b, e->opts & BW_GAI_OVERRIDE ? "true" : "false");
		break;
	case BW_EV_BIND:
		json_int(&b, "fd", e->fd);
		json_str(&b, "family", family_name(e->req.family));
		json_addr(&b, "addr", "port", &e->used);
		json_addr(&b, "requested_addr", "requested_port", &e->req);
		json_result(&b, e);
		json_addr(&b, "bound_addr", "bound_port", &e->bound);
		json_str(&b, "class", bw_class_name(bw_sa_class(&e->used)));
		json_key(&b, "alias_of_fd");
		if (e->alias_fd >= 0)
			bw_buf_i64(&b, e->alias_fd);
		else
			bw_buf_str(&b, "null");
		json_opts(&b, e);
		json_str(&b, "action", ACTION_NAME(e->action));
		break;
	case BW_EV_LISTEN:
		json_int(&b, "fd", e->fd);
		json_int(&b, "backlog", e->backlog);
		json_result(&b, e);
		json_addr(&b, "addr", "port", &e->bound);
		json_key(&b, "autobound");
		bw_buf_str(&b, e->autobound ? "true" : "false");
		json_opts(&b, e);
		json_str(&b, "action", ACTION_NAME(e->action));
		json_key(&b, "alias_of_fd");
		if (e->alias_fd >= 0)
			bw_buf_i64(&b, e->alias_fd);
		else
			bw_buf_str(&b, "null");
		break;
	case BW_EV_CLOSE:
		json_int(&b, "fd", e->fd);
		json_addr(&b, "addr", "port", &e->bound);
		json_str(&b, "proto", bw_proto_name(e->proto));
		break;
	case BW_EV_EXEC:
		json_str(&b, "exe", e->exe);
		break;
	case BW_EV_EXIT:
		json_key(&b, "status");
		if (e->ret >= 0)
			bw_buf_i64(&b, e->ret);
		else
			bw_buf_str(&b, "null");
		json_key(&b, "signal");
		if (e->ret < 0)
			put_json_str(&b, bw_signal_name(exit_signal(e), n, sizeof(n)));
		else
			bw_buf_str(&b, "null");
		break;
	case BW_EV_CONNECT:
		bw_fmtconn_json(&b, e);
		break;
	default:
		break;
	}
	bw_buf_str(&b, "}");
	/* A cut JSON object would not parse: say so instead of half of it. */
	if (b.full) {
		start(&b, buf, len);
		bw_buf_str(&b, "{\"type\":\"");
		bw_buf_str(&b, bw_evtype_name(e->type));
		bw_buf_str(&b, "\",\"truncated\":true}");
	}
	/* Not even that fits: an empty object still parses. */
	if (b.full) {
		start(&b, buf, len);
		bw_buf_str(&b, "{}");
	}
	return finish(&b, buf, len);
}
