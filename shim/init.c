/*
 * Initialisation: once per process image, from our constructor or from
 * the first hooked call, whichever comes first (another library's
 * constructor may bind before ours ran).  It learns who the process is
 * (self.c), maps the larger state (arena.c), reads the configuration
 * (config.c), opens the log, and watches forks.
 */
#include <sys/auxv.h>

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stddef.h>

#include "arena.h"
#include "connect.h"
#include "contract.h"
#include "emit.h"
#include "gai.h"
#include "init.h"
#include "real.h"
#include "self.h"
#include "sink_collector.h"
#include "sink_log.h"
#include "sock.h"
#include "sockcache.h"

/* In the arena; NULL: every call passes straight through. */
static struct bw_conf *conf;
static atomic_int init_state;		/* 0 not yet, 1 running, 2 done */
/* Inside our own work on this thread: hooked calls pass through. */
static _Thread_local int guard __attribute__((tls_model("initial-exec")));

/*
 * A fork child is a new process: its own sequence of events.  Both sides
 * now share every socket, and either may change its options: what the
 * socket cache knew of them is no longer certain.
 */
static void
atfork_child(void)
{
	bw_self_forked();
	bw_sockcache_forked();
	bw_connect_forked();
	bw_sink_collector_forked();
}

static void
atfork_parent(void)
{
	bw_sockcache_forked();
}

/* A log that cannot be opened is refused like a value that does not parse. */
static int
open_log(const struct bw_conf *c, int at_start)
{
	if (c->out != BW_OUT_FILE || bw_sink_log_open(c->logpath) == 0)
		return 0;
	return bw_config_refuse(BINDWATCH_ENV_LOG, c->logpath,
	    errno == ELOOP ? "is a symbolic link: refused" : "cannot be opened",
	    at_start);
}

/*
 * The larger state, in the arena: the configuration first (every event
 * reads it), then each module's table.  NULL if it cannot be mapped.
 */
static struct bw_conf *
take_state(void)
{
	struct bw_conf *c = bw_arena_slice(sizeof(*c));

	if (c == NULL || bw_sockcache_setup() == -1 || bw_gai_setup() == -1 ||
	    bw_sock_setup() == -1 || bw_connect_setup() == -1)
		return NULL;
	return c;
}

static void
init(int at_start)
{
	struct bw_conf *c;
	int expect = 0;

	if (atomic_load_explicit(&init_state, memory_order_acquire) == 2)
		return;
	if (atomic_compare_exchange_strong(&init_state, &expect, 1)) {
		guard++;
		bw_self_init();
		/* Setuid/setcap images: nothing of ours runs there. */
		if (!getauxval(AT_SECURE)) {
			/* Cannot be mapped: ENOMEM, RLIMIT_AS. */
			if ((c = take_state()) == NULL)
				(void)bw_config_refuse(NULL, NULL, "cannot "
				    "map the shim's state: out of memory",
				    at_start);
			else if (bw_config_read(c, at_start) == 0 &&
			    open_log(c, at_start) == 0) {
				real_set_cookie(c->seccomp_cookie);
				conf = c;
			}
		}
		pthread_atfork(NULL, atfork_parent, atfork_child);
		atomic_store_explicit(&init_state, 2, memory_order_release);
		guard--;
		if (conf != NULL && conf->out == BW_OUT_COLLECTOR)
			bw_emit_exec(conf);
		return;
	}
	/* Another thread is initialising: wait, it does no blocking I/O. */
	while (atomic_load_explicit(&init_state, memory_order_acquire) != 2)
		sched_yield();
}

/*
 * With a variable of ours set, initialise now: a bad value must stop the
 * program before it starts, and the collector hears of the new image.
 * Without one, a program that never binds (most of a shell script) pays
 * little more than the loading (real_bind_early): the first hooked call
 * initialises.
 */
__attribute__((constructor))
static void
bw_constructor(void)
{
	real_bind_early();
	if (bw_config_wanted())
		init(1);
}

/*
 * The configuration once the shim is ready (initialising it if need be),
 * or NULL when this call must pass straight through: the shim is off, or
 * we are inside our own work on this thread (initialisation, or a signal
 * handler that interrupted it).  errno is kept: initialising makes system
 * calls, and the hooks report the program's errno.
 */
const struct bw_conf *
bw_ready(void)
{
	int saved;

	if (guard)
		return NULL;
	if (atomic_load_explicit(&init_state, memory_order_acquire) != 2) {
		saved = errno;
		init(0);
		errno = saved;
	}
	return conf;
}

/*
 * The configuration if the shim is initialised already, else NULL; never
 * initialises.  For the exec hooks: with a variable of ours set at load,
 * the constructor has initialised; without one there is nothing to do,
 * and initialising now would report an image that is being replaced.
 */
const struct bw_conf *
bw_ready_now(void)
{
	if (guard ||
	    atomic_load_explicit(&init_state, memory_order_acquire) != 2)
		return NULL;
	return conf;
}
