/*
 * One connect, as a line: `connect(5, [::1]:3000) = 0 -> pid 3305 (ruby)`
 * or `= -1 ECONNREFUSED`; as JSON, the destination, the outcome, the local
 * end and the peer (the process that accepted, as the CLI found it).
 */
#include <sys/socket.h>

#include <string.h>

#include "escape.h"
#include "fmtconn.h"
#include "format.h"
#include "names.h"

static void
sa(struct bw_buf *b, const struct bw_sa *a, int flags)
{
	char s[BW_ADDRSTRLEN];

	bw_buf_str(b, bw_sa_format(a, s, sizeof(s), flags));
}

void
bw_fmtconn_text(struct bw_buf *b, const struct bw_event *e)
{
	char n[24], c[BINDWATCH_MAX_COMM * 4 + 1];

	bw_buf_str(b, "connect(");
	bw_buf_i64(b, e->fd);
	bw_buf_str(b, ", ");
	sa(b, &e->req, 0);
	bw_buf_str(b, ") = ");
	bw_buf_i64(b, e->ret);
	if (e->ret == -1) {
		bw_buf_str(b, " ");
		bw_buf_str(b, bw_errno_name(e->err, n, sizeof(n)));
	}
	if (e->peer_pid > 0) {
		bw_buf_str(b, " -> pid ");
		bw_buf_i64(b, e->peer_pid);
		bw_buf_str(b, " (");
		bw_escape_text(c, sizeof(c), e->peer_comm,
		    strnlen(e->peer_comm, sizeof(e->peer_comm)));
		bw_buf_str(b, c);
		bw_buf_str(b, ")");
	}
	if (e->opts & BW_CONN_ASYNC)
		bw_buf_str(b, " [async]");
}

static void
key(struct bw_buf *b, const char *k)
{
	bw_buf_str(b, ",\"");
	bw_buf_str(b, k);
	bw_buf_str(b, "\":");
}

static void
str(struct bw_buf *b, const char *s, size_t max)
{
	char q[BINDWATCH_MAX_COMM * 6 + 1];

	bw_escape_json(q, sizeof(q), s, strnlen(s, max));
	bw_buf_str(b, "\"");
	bw_buf_str(b, q);
	bw_buf_str(b, "\"");
}

static void
endpoint(struct bw_buf *b, const char *akey, const char *pkey,
    const struct bw_sa *a)
{
	char s[BW_ADDRSTRLEN];

	key(b, akey);
	if (a->family == 0)
		bw_buf_str(b, "null");
	else
		str(b, bw_sa_format(a, s, sizeof(s),
		    BW_FMT_NOPORT | BW_FMT_BARE), sizeof(s));
	key(b, pkey);
	if (a->family == 0)
		bw_buf_str(b, "null");
	else
		bw_buf_u64(b, a->port);
}

void
bw_fmtconn_json(struct bw_buf *b, const struct bw_event *e)
{
	char n[24];

	key(b, "fd");
	bw_buf_i64(b, e->fd);
	key(b, "family");
	bw_buf_str(b, e->req.family == AF_INET ? "\"inet\"" :
	    e->req.family == AF_INET6 ? "\"inet6\"" : "\"other\"");
	endpoint(b, "addr", "port", &e->req);
	key(b, "ret");
	bw_buf_i64(b, e->ret);
	key(b, "errno");
	if (e->ret == -1)
		str(b, bw_errno_name(e->err, n, sizeof(n)), sizeof(n));
	else
		bw_buf_str(b, "null");
	key(b, "async");
	bw_buf_str(b, e->opts & BW_CONN_ASYNC ? "true" : "false");
	endpoint(b, "local_addr", "local_port", &e->bound);
	key(b, "proto");
	str(b, bw_proto_name(e->proto), 8);
	key(b, "peer");
	if (e->peer_pid > 0) {
		bw_buf_str(b, "{\"pid\":");
		bw_buf_i64(b, e->peer_pid);
		bw_buf_str(b, ",\"comm\":");
		str(b, e->peer_comm, sizeof(e->peer_comm));
		bw_buf_str(b, "}");
	} else
		bw_buf_str(b, "null");
}
