/*
 * What an event needs beyond the answer: the socket's type, options and
 * address (from the duplicate), and who called (/proc).  Read after the
 * answer, by bindwatch's main thread when the supervisor has its own
 * (thread.c), so that the target never waits for it.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "supervise.h"

/*
 * The socket's type and the options that decide sharing, from the dup.
 * IP_FREEBIND matters only for an address that is not local (as in the
 * shim): read only then.
 */
void
bw_sc_gather(int dup, int domain, struct bw_event *e, int freebind)
{
	static const struct { int level, name; uint8_t bit; } o[] = {
		{ SOL_SOCKET, SO_REUSEADDR, BW_OPT_REUSEADDR },
		{ SOL_SOCKET, SO_REUSEPORT, BW_OPT_REUSEPORT },
		{ IPPROTO_IPV6, IPV6_V6ONLY, BW_OPT_V6ONLY },
		{ IPPROTO_IP, IP_FREEBIND, BW_OPT_FREEBIND },
	};
	socklen_t len = sizeof(int);
	size_t i;
	int v = 0;

	if (getsockopt(dup, SOL_SOCKET, SO_TYPE, &v, &len) == 0)
		e->proto = v == SOCK_STREAM ? BW_PROTO_TCP :
		    v == SOCK_DGRAM ? BW_PROTO_UDP : BW_PROTO_OTHER;
	e->opts = 0;
	for (i = 0; i < sizeof(o) / sizeof(o[0]); i++) {
		if ((o[i].level == IPPROTO_IPV6 && domain != AF_INET6) ||
		    (o[i].bit == BW_OPT_FREEBIND && !freebind))
			continue;
		len = sizeof(int);
		v = 0;
		if (getsockopt(dup, o[i].level, o[i].name, &v, &len) == 0 &&
		    v != 0)
			e->opts |= o[i].bit;
	}
}

void
bw_sc_local_addr(int fd, struct bw_sa *sa)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1 ||
	    bw_sa_from_sockaddr(sa, (struct sockaddr *)&ss, len) == -1)
		memset(sa, 0, sizeof(*sa));
}

/* The post goes to whoever takes it, or is dealt with here. */
void
bw_sc_post(struct bw_sc_sup *s, struct bw_sc_post *q)
{
	if (s->post != NULL) {
		s->post(q, s->post_arg);
		return;
	}
	bw_sc_details(s, q);
	free(q);
}

void
bw_sc_post_warn(struct bw_sc_sup *s, const char *kind, const char *msg)
{
	struct bw_sc_post *q;

	if ((q = calloc(1, sizeof(*q))) == NULL)
		return;
	q->dup = -1;
	snprintf(q->kind, sizeof(q->kind), "%s", kind);
	snprintf(q->msg, sizeof(q->msg), "%s", msg);
	bw_sc_post(s, q);
}

/* The event, completed and given to the model (or the warning); q stays. */
void
bw_sc_details(const struct bw_sc_sup *s, struct bw_sc_post *q)
{
	struct bw_event *e = &q->e;
	struct bw_sc_proc now;

	if (q->msg[0] != '\0') {
		if (s->warn != NULL)
			s->warn(s->arg, q->kind, q->msg);
		return;
	}
	if (q->dup != -1) {
		bw_sc_gather(q->dup, q->domain, e, q->freebind);
		if (q->from_dup)
			bw_sc_local_addr(q->dup, &e->bound);
		close(q->dup);
		q->dup = -1;
	}
	if (e->type == BW_EV_LISTEN)
		e->autobound = q->before0 && e->bound.port != 0;
	/* Now, if still there: an exec may have renamed it. */
	if (bw_sc_proc(q->tid, &now) == 0)
		q->p = now;
	e->source = BW_SRC_SECCOMP;
	e->pid = q->p.tgid;
	e->ppid = q->p.ppid;
	memcpy(e->comm, q->p.comm, sizeof(e->comm));
	s->cb(e, s->arg);
}
