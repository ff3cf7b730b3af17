/*
 * Listeners the program closed (issue 13, item 7).  The summary lists what
 * was listening when each process ended, or the run did: a start-up probe
 * that listened on 0.0.0.0:0 and closed, or the socket of a server that
 * failed to start, is no listener then, and raises no "exposed".
 *
 * The shim reports close(2) of a socket that listened.  The close counts
 * only if the kernel no longer shows a listener there (a fork or a dup
 * may hold the socket still), and only if the process went on after it
 * (a later call of the same image, not another close) or failed to start
 * (a bind or listen of it failed, and it exited with a status other than
 * 0).  Any other close is a process shutting down (Python and Perl close
 * their sockets on the way out, nginx on SIGTERM, whatever status they
 * then exit with): its listener listened until the process ended, and
 * stays listed so.
 */
#include <string.h>

#include "model.h"
#include "xalloc.h"

/* The tree's kernel sockets at l's address (pid's only, unless 0): gone
 * with the closed listener, lest they read as a socket the shim never
 * saw, or as a holder. */
static void
drop_ksocks(struct bw_model *m, const struct bw_rlisten *l, pid_t pid)
{
	size_t i, n = 0;

	for (i = 0; i < m->nksocks; i++)
		if (!(m->ksocks[i].tree && m->ksocks[i].proto == l->proto &&
		    (pid == 0 || m->ksocks[i].pid == pid) &&
		    bw_sa_equal(&m->ksocks[i].addr, &l->addr, 1)))
			m->ksocks[n++] = m->ksocks[i];
	m->nksocks = n;
}

/* The listener pid closed: marked with the close's seq, to be settled. */
void
bw_model_close(struct bw_model *m, const struct bw_event *e,
    const struct bw_kernel_ops *k)
{
	size_t i;

	if (e->proto != BW_PROTO_TCP || e->seq == 0)
		return;
	for (i = 0; i < m->nlistens; i++) {
		struct bw_rlisten *l = &m->listens[i];

		if (l->pid != e->pid || l->proto != e->proto ||
		    !bw_sa_equal(&l->addr, &e->bound, 1))
			continue;
		/* Another descriptor, here or in a fork, still listens: pid
		 * holds it no more, as far as we know until the next look. */
		if (k != NULL && k->listener_at(k->arg, &l->addr) != 0) {
			drop_ksocks(m, l, e->pid);
			return;
		}
		l->close_seq = e->seq;
		l->boot = e->boot;
		return;
	}
}

/* Did a bind or listen of pid's image fail? */
static int
failed_call(const struct bw_model *m, const struct bw_rproc *p)
{
	size_t i;

	for (i = 0; i < m->nbinds; i++)
		if (m->binds[i].pid == p->pid && m->binds[i].boot == p->boot &&
		    m->binds[i].ret != 0)
			return 1;
	return 0;
}

/* Did the process of l go on after closing it, or fail to start? */
static int
went_on(const struct bw_model *m, const struct bw_rlisten *l)
{
	const struct bw_rproc *p = bw_model_proc(m, l->pid);

	if (p == NULL || p->boot != l->boot)
		return 0;
	if (p->last_seq > l->close_seq)
		return 1;
	return p->exited && p->status > 0 && failed_call(m, p);
}

/* At the end: closes that count move from listens to closed. */
void
bw_model_closes_settle(struct bw_model *m)
{
	size_t i, n = 0;

	for (i = 0; i < m->nlistens; i++) {
		const struct bw_rlisten *l = &m->listens[i];

		if (l->close_seq == 0 || !went_on(m, l)) {
			m->listens[n++] = *l;
			continue;
		}
		m->closed = bw_xreallocarray(m->closed, m->nclosed + 1,
		    sizeof(*m->closed));
		m->closed[m->nclosed++] = *l;
		drop_ksocks(m, l, 0);
	}
	m->nlistens = n;
}
