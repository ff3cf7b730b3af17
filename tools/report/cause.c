/*
 * Why a bind failed: the cause the model found while the sockets in the
 * way were there (model.c asks bw_netstate_inuse), or a policy's refusal,
 * which the kernel never saw; and that cause in words for the summary.
 */
#include <stdio.h>
#include <string.h>

#include "analyze.h"
#include "report.h"

void
bw_failed_cause(const struct bw_rbind *b, struct bw_kr_inuse *out)
{
	struct bw_kr_sock s;

	*out = b->inuse;
	if (b->action != BW_ACT_DENY)
		return;
	memset(&s, 0, sizeof(s));
	s.addr = b->used;
	s.proto = b->proto;
	bw_kr_inuse(NULL, 0, &s, NULL, 1, out, NULL, 0);
}

/*
 * After the holders: "; SO_REUSEADDR would allow this bind", as far as it
 * is known, where the sockets in the way are not listeners.
 */
void
bw_text_cause_advice(FILE *f, const struct bw_fbind *b)
{
	int c = b->inuse.cause, reuseaddr = b->inuse.reuseaddr;

	if (c != BW_KR_CAUSE_TIMEWAIT && c != BW_KR_CAUSE_CONNECTION &&
	    c != BW_KR_CAUSE_BOUND)
		return;
	if (reuseaddr == 1)
		fputs("; SO_REUSEADDR would allow this bind", f);
	else if (reuseaddr == -1)
		fputs("; SO_REUSEADDR would allow this bind if the sockets in "
		    "the way have it too", f);
}

/*
 * The cause in words, after the errno: ": 2 connections in TIME_WAIT
 * ...".  A listener and a policy's refusal say it already (the holder,
 * "refused by policy"): nothing.
 */
void
bw_text_cause(FILE *f, const struct bw_fbind *b)
{
	const struct bw_kr_inuse *u = &b->inuse;
	char a[BW_ADDRSTRLEN];

	switch (u->cause) {
	case BW_KR_CAUSE_TIMEWAIT:
		fprintf(f, ": in use by %zu connection%s in TIME_WAIT", u->n,
		    u->n == 1 ? "" : "s");
		if (u->wait_ms > 0)
			fprintf(f, " for up to %u s more",
			    (unsigned)((u->wait_ms + 999) / 1000));
		break;
	case BW_KR_CAUSE_CONNECTION:
		fprintf(f, ": in use by %zu established connection%s", u->n,
		    u->n == 1 ? "" : "s");
		break;
	case BW_KR_CAUSE_BOUND:
		fprintf(f, ": in use by %s bound there but not listening",
		    u->n == 1 ? "a socket" : "sockets");
		break;
	case BW_KR_CAUSE_POLICY:
		if (b->kind & BW_FB_DENIED)
			break;
		fprintf(f, ": a policy moved it here from %s, which was free",
		    bw_sa_format(&b->req, a, sizeof(a), 0));
		break;
	default:
		break;
	}
}
