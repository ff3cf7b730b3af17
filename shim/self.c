/*
 * The process's identity in its events: pid, parent, command name, an id
 * of this process image (boot) and the sequence number of each event, by
 * which the collector counts what was lost.  Kept here so that an event
 * costs no getpid, getppid or prctl.
 */
#include <sys/prctl.h>

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "contract.h"
#include "self.h"

static atomic_uint_fast64_t boot;
static atomic_uint seq;
static pid_t self_pid, self_ppid;
static char self_comm[BINDWATCH_MAX_COMM];

static void
identify(pid_t self, pid_t parent)
{
	self_pid = self;
	self_ppid = parent;
	if (prctl(PR_GET_NAME, self_comm) == -1)
		self_comm[0] = '\0';
	self_comm[sizeof(self_comm) - 1] = '\0';
}

static uint64_t
new_boot(pid_t self)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec) ^
	    ((uint64_t)self << 40);
}

/* At initialisation. */
void
bw_self_init(void)
{
	pid_t self = getpid();

	atomic_store(&boot, new_boot(self));
	identify(self, getppid());
}

/* A fork child is a new process: its own sequence of events. */
void
bw_self_forked(void)
{
	pid_t self = getpid();

	identify(self, self_pid);
	atomic_store(&boot, new_boot(self));
	atomic_store(&seq, 0);
}

void
bw_self_stamp(struct bw_event *e)
{
	size_t len = sizeof(e->comm);

	e->pid = self_pid;
	e->ppid = self_ppid;
	memcpy(e->comm, self_comm,
	    len < sizeof(self_comm) ? len : sizeof(self_comm));
	e->comm[len - 1] = '\0';
	e->boot = atomic_load(&boot);
	e->seq = atomic_fetch_add(&seq, 1) + 1;
}
