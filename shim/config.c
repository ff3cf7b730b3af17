/*
 * The environment, read into the configuration: every BINDWATCH_* value in
 * one walk of environ, the policy's parsed by policy.c.  A value that does
 * not parse stops the program before it starts: a policy that silently
 * does nothing is a hole.
 */
#include <sys/socket.h>

#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "channel.h"
#include "config.h"
#include "contract.h"

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

/* "VAR=value: why", or without a variable (NULL) just why. */
int
bw_config_refuse(const char *var, const char *value, const char *why,
    int at_start)
{
	char line[1024];
	struct bw_buf b;

	bw_buf_init(&b, line, sizeof(line) - 1);
	bw_buf_str(&b, "bindwatch: ");
	if (var != NULL) {
		bw_buf_str(&b, var);
		bw_buf_str(&b, "=");
		if (value == NULL)
			value = "";
		bw_buf_mem(&b, value, strnlen(value, 200));
		bw_buf_str(&b, ": ");
	}
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

/* Our variables; the policy's first, in the order they are applied. */
enum {
	V_FORCE, V_LOOPBACK_ONLY, V_RESOLVE, V_FAMILY, V_MAP_PORT, V_DENY,
	V_FORMAT, V_COLLECTOR, V_COLLECTOR_FD, V_LOG, V_COOKIE, V_LOCAL_ENDS,
	V_HANDOFF,
	NVARS
};
#define NPOLICY	(V_DENY + 1)

static const char *const varnames[NVARS] = {
	BINDWATCH_ENV_FORCE, BINDWATCH_ENV_LOOPBACK_ONLY, BINDWATCH_ENV_RESOLVE,
	BINDWATCH_ENV_FAMILY, BINDWATCH_ENV_MAP_PORT, BINDWATCH_ENV_DENY,
	BINDWATCH_ENV_FORMAT, BINDWATCH_ENV_COLLECTOR,
	BINDWATCH_ENV_COLLECTOR_FD, BINDWATCH_ENV_LOG,
	BINDWATCH_ENV_SECCOMP_COOKIE, BINDWATCH_ENV_LOCAL_ENDS,
	BINDWATCH_ENV_SECCOMP_HANDOFF,
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

/* Is any BINDWATCH_* variable set?  A walk of environ, no system call. */
int
bw_config_wanted(void)
{
	extern char **environ;
	char **e;

	for (e = environ; e != NULL && *e != NULL; e++)
		if (ours(*e))
			return 1;
	return 0;
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

/* 16 hex digits, or 0. */
static uint64_t
cookie(const char *s)
{
	uint64_t v = 0;
	int i, d;

	for (i = 0; i < 16; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			d = s[i] - '0';
		else if (s[i] >= 'a' && s[i] <= 'f')
			d = s[i] - 'a' + 10;
		else
			return 0;
		v = v << 4 | (uint64_t)d;
	}
	return s[16] == '\0' ? v : 0;
}

/*
 * The environment into c, which starts zero-filled; 0, or -1 when a value
 * is refused (see refuse_line).
 */
int
bw_config_read(struct bw_conf *c, int at_start)
{
	const char *vals[NVARS];
	char err[256];
	const char *v;
	size_t i;
	int any = 0;

	env_scan(vals);
	/* c is zero-filled, so the policy starts empty: no bw_policy_init,
	 * whose memset would fault in its pages for nothing. */
	for (i = 0; i < NPOLICY; i++) {
		v = vals[i];
		any |= v != NULL && *v != '\0';
		if (bw_policy_set(&c->policy, varnames[i], v, err,
		    sizeof(err)) == -1)
			return bw_config_refuse(varnames[i], v, err, at_start);
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
		return bw_config_refuse(BINDWATCH_ENV_FORMAT, v,
		    "must be text or json", at_start);

	/* Ours, from the CLI: a value it did not write means no cookie
	 * (at worst the filter reports a call twice). */
	if ((v = vals[V_COOKIE]) != NULL)
		c->seccomp_cookie = cookie(v);
	/* Likewise: a path that does not fit means no exec filter. */
	if ((v = vals[V_HANDOFF]) != NULL && c->seccomp_cookie != 0 &&
	    strlen(v) < sizeof(c->handoff.sun_path)) {
		c->handoff.sun_family = AF_UNIX;
		memcpy(c->handoff.sun_path, v, strlen(v) + 1);
	}

	c->out = BW_OUT_STDERR;
	if ((v = vals[V_COLLECTOR]) != NULL && *v != '\0') {
		if (strlen(v) >= sizeof(c->collector.sun_path))
			return bw_config_refuse(BINDWATCH_ENV_COLLECTOR, v,
			    "path too long", at_start);
		c->collector.sun_family = AF_UNIX;
		memcpy(c->collector.sun_path, v, strlen(v) + 1);
		c->out = BW_OUT_COLLECTOR;
		v = vals[V_COLLECTOR_FD];
		if (v != NULL && *v != '\0' &&
		    bw_channel_parse(v, &c->chan_fd, &c->chan_ino) == -1)
			return bw_config_refuse(BINDWATCH_ENV_COLLECTOR_FD, v,
			    "must be FD:INODE", at_start);
	} else if ((v = vals[V_LOG]) != NULL && *v != '\0' &&
	    strcmp(v, "stderr") != 0) {
		if (strlen(v) >= sizeof(c->logpath))
			return bw_config_refuse(BINDWATCH_ENV_LOG, v,
			    "path too long", at_start);
		memcpy(c->logpath, v, strlen(v) + 1);
		c->out = BW_OUT_FILE;
	}
	/* A connect's local end shows only in JSON: our own lines, or the
	 * CLI's when it says so. */
	v = vals[V_LOCAL_ENDS];
	c->local_ends = c->out == BW_OUT_COLLECTOR ?
	    v != NULL && strcmp(v, "1") == 0 : c->json;
	return 0;
}
