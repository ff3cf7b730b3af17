/*
 * Configuration, read once from the environment.  Initialisation runs from
 * our constructor or from the first hooked call, whichever comes first
 * (another library's constructor may bind before ours ran).  A value that
 * does not parse stops the program before it starts: a policy that silently
 * does nothing is a hole.
 */
#include <sys/auxv.h>
#include <sys/prctl.h>

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "contract.h"
#include "buf.h"
#include "channel.h"
#include "emit.h"
#include "real.h"
#include "sockcache.h"
#include "state.h"

/* In the arena; NULL: every call passes straight through. */
static struct bw_conf *conf;
static atomic_int init_state;		/* 0 not yet, 1 running, 2 done */
static _Thread_local int guard __attribute__((tls_model("initial-exec")));
static atomic_uint_fast64_t boot;
static atomic_uint seq;
/* Who we are, kept so an event costs no getpid/getppid/prctl. */
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

/*
 * What the shim cannot use: one line on stderr.  Before the program starts
 * (our constructor) it then does not start, with status 125: a policy that
 * silently does nothing is a hole.  At a first hooked call, where a value
 * can only be one the program set itself, the shim stays off instead:
 * nothing exits inside a hook.  Returns -1 for the caller to pass on.
 */
static int
refuse_line(struct bw_buf *b, int at_start)
{
	if (!at_start)
		bw_buf_str(b, " (set after the program started: bindwatch stays "
		    "off)");
	b->p[b->off++] = '\n';
	(void)!write(STDERR_FILENO, b->p, b->off);
	if (at_start)
		_exit(BINDWATCH_EXIT_USAGE);
	return -1;
}

static int
refuse(const char *var, const char *value, const char *why, int at_start)
{
	char line[1024];
	struct bw_buf b;

	bw_buf_init(&b, line, sizeof(line) - 1);
	bw_buf_str(&b, "bindwatch: ");
	bw_buf_str(&b, var);
	bw_buf_str(&b, "=");
	if (value == NULL)
		value = "";
	bw_buf_mem(&b, value, strnlen(value, 200));
	bw_buf_str(&b, ": ");
	bw_buf_str(&b, why);
	return refuse_line(&b, at_start);
}

/* Values that parse one by one but contradict each other. */
static int
refuse_combination(const char *why, int at_start)
{
	char line[512];
	struct bw_buf b;

	bw_buf_init(&b, line, sizeof(line) - 1);
	bw_buf_str(&b, "bindwatch: BINDWATCH_FORCE, BINDWATCH_LOOPBACK_ONLY and "
	    "BINDWATCH_FAMILY contradict each other: ");
	bw_buf_str(&b, why);
	return refuse_line(&b, at_start);
}

static uint64_t
new_boot(pid_t self)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec) ^
	    ((uint64_t)self << 40);
}

/*
 * A fork child is a new process: its own sequence of events.  Both sides
 * now share every socket, and either may change its options: what the
 * socket cache knew of them is no longer certain.
 */
static void
atfork_child(void)
{
	pid_t self = getpid();

	identify(self, self_pid);
	atomic_store(&boot, new_boot(self));
	atomic_store(&seq, 0);
	bw_sockcache_forked();
	bw_emit_atfork_child();
}

static void
atfork_parent(void)
{
	bw_sockcache_forked();
}

/* Our variables; the policy's first, in the order they are applied. */
enum {
	V_FORCE, V_LOOPBACK_ONLY, V_RESOLVE, V_FAMILY, V_MAP_PORT, V_DENY,
	V_FORMAT, V_COLLECTOR, V_COLLECTOR_FD, V_LOG, NVARS
};
#define NPOLICY	(V_DENY + 1)

static const char *const varnames[NVARS] = {
	BINDWATCH_ENV_FORCE, BINDWATCH_ENV_LOOPBACK_ONLY, BINDWATCH_ENV_RESOLVE,
	BINDWATCH_ENV_FAMILY, BINDWATCH_ENV_MAP_PORT, BINDWATCH_ENV_DENY,
	BINDWATCH_ENV_FORMAT, BINDWATCH_ENV_COLLECTOR,
	BINDWATCH_ENV_COLLECTOR_FD, BINDWATCH_ENV_LOG,
};

/* Does e start with "BINDWATCH_"?  By hand: strncmp would be bound lazily
 * (a symbol lookup) in every process. */
static int
ours(const char *e)
{
	static const char pfx[] = "BINDWATCH_";
	size_t i;

	for (i = 0; i < sizeof(pfx) - 1 && e[i] == pfx[i]; i++)
		;
	return i == sizeof(pfx) - 1;
}

/* All our values in one walk of environ (getenv walks it once for each);
 * the first of a name wins, as with getenv. */
static void
env_scan(const char **vals)
{
	extern char **environ;
	char **e;
	size_t i, n;

	for (i = 0; i < NVARS; i++)
		vals[i] = NULL;
	for (e = environ; e != NULL && *e != NULL; e++) {
		if (!ours(*e))
			continue;
		for (i = 0; i < NVARS; i++) {
			n = strlen(varnames[i]);
			if (strncmp(*e, varnames[i], n) == 0 && (*e)[n] == '=') {
				if (vals[i] == NULL)
					vals[i] = *e + n + 1;
				break;
			}
		}
	}
}

/* 0, or -1 when a value is refused (see refuse_line). */
static int
read_env(struct bw_conf *c, int at_start)
{
	const char *vals[NVARS];
	char err[256];
	const char *v;
	size_t i;
	int any = 0;

	env_scan(vals);
	/* The arena is zero-filled, so the policy starts empty: no
	 * bw_policy_init, whose memset would fault in its pages for nothing. */
	for (i = 0; i < NPOLICY; i++) {
		v = vals[i];
		any |= v != NULL && *v != '\0';
		if (bw_policy_set(&c->policy, varnames[i], v, err,
		    sizeof(err)) == -1)
			return refuse(varnames[i], v, err, at_start);
	}
	/* No policy variable: the policy's pages are never touched. */
	if (any) {
		if (bw_policy_check(&c->policy, err, sizeof(err)) == -1)
			return refuse_combination(err, at_start);
		c->policy_active = bw_policy_active(&c->policy);
	}

	v = vals[V_FORMAT];
	if (v == NULL || *v == '\0' || strcmp(v, "text") == 0)
		c->json = 0;
	else if (strcmp(v, "json") == 0)
		c->json = 1;
	else
		return refuse(BINDWATCH_ENV_FORMAT, v, "must be text or json",
		    at_start);

	c->out = BW_OUT_STDERR;
	if ((v = vals[V_COLLECTOR]) != NULL && *v != '\0') {
		if (strlen(v) >= sizeof(c->collector.sun_path))
			return refuse(BINDWATCH_ENV_COLLECTOR, v, "path too long",
			    at_start);
		c->collector.sun_family = AF_UNIX;
		memcpy(c->collector.sun_path, v, strlen(v) + 1);
		c->out = BW_OUT_COLLECTOR;
		v = vals[V_COLLECTOR_FD];
		if (v != NULL && *v != '\0' &&
		    bw_channel_parse(v, &c->chan_fd, &c->chan_ino) == -1)
			return refuse(BINDWATCH_ENV_COLLECTOR_FD, v,
			    "must be FD:INODE", at_start);
	} else if ((v = vals[V_LOG]) != NULL && *v != '\0' &&
	    strcmp(v, "stderr") != 0) {
		if (strlen(v) >= sizeof(c->logpath))
			return refuse(BINDWATCH_ENV_LOG, v, "path too long",
			    at_start);
		memcpy(c->logpath, v, strlen(v) + 1);
		c->out = BW_OUT_FILE;
		if (bw_emit_open_log(c->logpath) == -1)
			return refuse(BINDWATCH_ENV_LOG, v, errno == ELOOP ?
			    "is a symbolic link: refused" : "cannot be opened",
			    at_start);
	}
	return 0;
}

/* The arena (configuration and caches) cannot be mapped: ENOMEM, RLIMIT_AS. */
static int
no_arena(int at_start)
{
	char line[128];
	struct bw_buf b;

	bw_buf_init(&b, line, sizeof(line) - 1);
	bw_buf_str(&b, "bindwatch: cannot map the shim's state: out of memory");
	return refuse_line(&b, at_start);
}

static void
init(int at_start)
{
	struct bw_arena *a;
	pid_t self;
	int expect = 0;

	if (atomic_load_explicit(&init_state, memory_order_acquire) == 2)
		return;
	if (atomic_compare_exchange_strong(&init_state, &expect, 1)) {
		guard++;
		self = getpid();
		atomic_store(&boot, new_boot(self));
		identify(self, getppid());
		/* Setuid/setcap images: nothing of ours runs there. */
		if (!getauxval(AT_SECURE)) {
			if ((a = bw_arena_map()) == NULL)
				(void)no_arena(at_start);
			else if (read_env(&a->conf, at_start) == 0)
				conf = &a->conf;
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

/* Is any BINDWATCH_* variable set?  A walk of environ, no system call. */
static int
configured(void)
{
	extern char **environ;
	char **e;

	for (e = environ; e != NULL && *e != NULL; e++)
		if (ours(*e))
			return 1;
	return 0;
}

/*
 * With a variable of ours set, initialise now: a bad value must stop the
 * program before it starts, and the collector hears of the new image.
 * Without one, a program that never binds (most of a shell script) pays
 * little more than the loading (real_bind_early): the first hooked
 * call initialises.
 */
__attribute__((constructor))
static void
bw_constructor(void)
{
	real_bind_early();
	if (configured())
		init(1);
}

/*
 * The configuration, or NULL when this call must pass straight through:
 * the shim is disabled, or we are inside our own work on this thread
 * (initialisation, or a signal handler that interrupted it).  errno is
 * kept: initialising makes system calls, and the hooks report the
 * program's errno.
 */
const struct bw_conf *
bw_conf(void)
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

uint64_t
bw_boot(void)
{
	return atomic_load(&boot);
}

uint32_t
bw_next_seq(void)
{
	return atomic_fetch_add(&seq, 1) + 1;
}

void
bw_self(int32_t *pid, int32_t *ppid, char *comm, size_t len)
{
	*pid = self_pid;
	*ppid = self_ppid;
	memcpy(comm, self_comm, len < sizeof(self_comm) ? len : sizeof(self_comm));
	comm[len - 1] = '\0';
}
