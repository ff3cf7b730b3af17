/*
 * The model's processes by pid: an open-addressing index of the newest
 * entry of each pid, so that a tree of thousands costs no scan per event.
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "xalloc.h"

static size_t
pid_slot(const struct bw_model *m, pid_t pid)
{
	uint32_t h = (uint32_t)pid * 2654435761u;	/* Knuth's multiplier */
	size_t mask = m->pidcap - 1, i = (size_t)h & mask;

	while (m->pidx[i] != 0 && m->procs[m->pidx[i] - 1].pid != pid)
		i = (i + 1) & mask;
	return i;
}

/* procs[idx] is the newest entry of its pid.  Out of memory: no index. */
static void
pid_index(struct bw_model *m, size_t idx)
{
	size_t ncap, i;

	if (m->nprocs * 2 > m->pidcap) {
		for (ncap = 256; ncap < m->nprocs * 2; ncap *= 2)
			;
		free(m->pidx);
		m->pidx = bw_xcalloc(ncap, sizeof(*m->pidx));
		m->pidcap = ncap;
		/* Oldest first: the newest entry of a pid wins. */
		for (i = 0; i < m->nprocs; i++)
			m->pidx[pid_slot(m, m->procs[i].pid)] = (uint32_t)i + 1;
		return;
	}
	m->pidx[pid_slot(m, m->procs[idx].pid)] = (uint32_t)idx + 1;
}

const struct bw_rproc *
bw_model_proc(const struct bw_model *m, pid_t pid)
{
	size_t i;

	if (m->pidcap != 0) {
		i = m->pidx[pid_slot(m, pid)];
		return i != 0 ? &m->procs[i - 1] : NULL;
	}
	for (i = m->nprocs; i-- > 0;)
		if (m->procs[i].pid == pid)
			return &m->procs[i];
	return NULL;
}

/*
 * The process of an event.  A pid seen again after its exit is a new
 * process only if its image is another one: records that waited in a
 * ring while the exit was reaped are still the old process's.  An exec
 * keeps the pid and the entry, with the new image's boot.
 */
struct bw_rproc *
bw_model_proc_at(struct bw_model *m, pid_t pid, pid_t ppid, const char *comm,
    uint64_t boot, int exec)
{
	struct bw_rproc *p = (struct bw_rproc *)bw_model_proc(m, pid);

	if (p == NULL || (p->exited && boot != 0 && p->boot != 0 &&
	    boot != p->boot)) {
		BW_GROW(m->procs, m->nprocs);
		p = &m->procs[m->nprocs++];
		memset(p, 0, sizeof(*p));
		p->pid = pid;
		pid_index(m, m->nprocs - 1);
	}
	if (boot != 0 && (p->boot == 0 || exec)) {
		if (p->boot != boot)
			p->last_seq = 0;
		p->boot = boot;
	}
	if (ppid > 0)
		p->ppid = ppid;
	if (comm != NULL && comm[0] != '\0')
		memcpy(p->comm, comm, sizeof(p->comm));
	return p;
}

/* The name of pid's image, or "?" for a process the model never saw. */
const char *
bw_model_comm(const struct bw_model *m, pid_t pid)
{
	const struct bw_rproc *p = bw_model_proc(m, pid);

	return p != NULL ? p->comm : "?";
}
