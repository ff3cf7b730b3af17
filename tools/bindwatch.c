/*
 * bindwatch: see what programs bind, and change it.
 *
 *	bindwatch [OPTIONS] -- COMMAND [ARG...]
 *	bindwatch ports [--json] [--all] [PORT...]
 *	bindwatch which [--json] HOST:PORT
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "contract.h"
#include "cmd.h"
#include "policy.h"
#include "run.h"
#include "seccomp.h"
#include "shimpath.h"
#include "usage.h"
#include "xalloc.h"

static void __attribute__((noreturn))
usage(int status)
{
	FILE *f = status == 0 ? stdout : stderr;

	fprintf(f,
	    "usage: bindwatch [-qv] [--json] [-o file] [--timeout seconds]\n"
	    "                 [--force addr] [--loopback-only] [--resolve name=addr[,addr...]]\n"
	    "                 [--ipv4 | --ipv6] [--map-port from=to] [--deny addr[:port]]\n"
	    "                 [--seccomp=auto|all|off] [--no-io-uring]\n"
	    "                 -- command [arg ...]\n"
	    "       bindwatch ports [--json] [--all] [port ...]\n"
	    "       bindwatch which [--json] host:port\n");
	exit(status);
}

/* Append item to a separated list kept for one environment variable. */
/*
 * Check one policy value with the shim's own parser, so the CLI and the
 * bare shim accept exactly the same things.
 */
static void
check_value(struct bw_policy *p, const char *opt, const char *var,
    const char *value)
{
	char why[256];

	if (bw_policy_set(p, var, value, why, sizeof(why)) == -1)
		exit(bw_usage_error("%s %s: %s", opt, value, why));
}

/* An option whose values make one environment variable's list. */
struct optlist {
	const char	*opt, *var;
	int		 sep;		/* between values; 0: one value only */
	char		*val;
};

/* Check value, then append it to the option's list. */
static void
add_value(struct bw_policy *p, struct optlist *l, const char *value)
{
	char *n;

	if (l->sep == 0 && l->val != NULL)
		exit(bw_usage_error("%s given twice", l->opt));
	check_value(p, l->opt, l->var, value);
	if (l->val == NULL)
		n = bw_xstrdup(value);
	else
		n = bw_xasprintf("%s%c%s", l->val, l->sep, value);
	free(l->val);
	l->val = n;
}

static void
free_lists(struct optlist *l, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(l[i].val);
}

static double
parse_timeout(const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	/* 0 is no timeout, as for timeout(1). */
	if (errno != 0 || end == s || *end != '\0' || !(v >= 0) || v > 31536000)
		exit(bw_usage_error("--timeout %s: not a number of seconds "
		    "between 0 and 31536000", s));
	return v;
}

/* The list options first, in the order of main's lists[]. */
enum {
	OPT_FORCE = 256, OPT_RESOLVE, OPT_MAP, OPT_DENY, OPT_JSON,
	OPT_TIMEOUT, OPT_LOOPBACK, OPT_IPV4, OPT_IPV6, OPT_VERSION,
	OPT_SECCOMP, OPT_NO_IO_URING
};

static int
parse_seccomp(const char *s)
{
	if (strcmp(s, "auto") == 0)
		return BW_SC_AUTO;
	if (strcmp(s, "all") == 0)
		return BW_SC_ALL;
	if (strcmp(s, "off") == 0)
		return BW_SC_OFF;
	exit(bw_usage_error("--seccomp %s: not auto, all or off", s));
}
#define NLISTS	(OPT_DENY - OPT_FORCE + 1)

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "force", required_argument, NULL, OPT_FORCE },
		{ "loopback-only", no_argument, NULL, OPT_LOOPBACK },
		{ "resolve", required_argument, NULL, OPT_RESOLVE },
		{ "ipv4", no_argument, NULL, OPT_IPV4 },
		{ "ipv6", no_argument, NULL, OPT_IPV6 },
		{ "map-port", required_argument, NULL, OPT_MAP },
		{ "deny", required_argument, NULL, OPT_DENY },
		{ "seccomp", required_argument, NULL, OPT_SECCOMP },
		{ "no-io-uring", no_argument, NULL, OPT_NO_IO_URING },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const policy_vars[] = {
		BINDWATCH_ENV_FORCE, BINDWATCH_ENV_LOOPBACK_ONLY,
		BINDWATCH_ENV_RESOLVE, BINDWATCH_ENV_FAMILY,
		BINDWATCH_ENV_MAP_PORT, BINDWATCH_ENV_DENY,
	};
	struct optlist lists[NLISTS] = {
		{ "--force", BINDWATCH_ENV_FORCE, 0, NULL },
		{ "--resolve", BINDWATCH_ENV_RESOLVE, ';', NULL },
		{ "--map-port", BINDWATCH_ENV_MAP_PORT, ',', NULL },
		{ "--deny", BINDWATCH_ENV_DENY, ',', NULL },
	};
	struct bw_runopts o;
	struct bw_policy pol;
	struct bw_shimloc shim;
	char self[PATH_MAX], why[256];
	ssize_t n;
	const char *outpath = NULL, *family = NULL;
	int ch, loopback = 0;
	size_t i;

	if (argc > 1 && strcmp(argv[1], "ports") == 0)
		return bw_cmd_ports(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "which") == 0)
		return bw_cmd_which(argc - 1, argv + 1);

	memset(&o, 0, sizeof(o));
	bw_policy_init(&pol);
	opterr = 0;
	/* ':' first: a missing value is ':', not an unknown option. */
	while ((ch = getopt_long(argc, argv, "+:ho:qv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			usage(0);
		case 'o':
			outpath = optarg;
			break;
		case 'q':
			o.quiet = 1;
			break;
		case 'v':
			o.verbose = 1;
			break;
		case OPT_JSON:
			o.json = 1;
			break;
		case OPT_TIMEOUT:
			o.timeout = parse_timeout(optarg);
			break;
		case OPT_FORCE:
		case OPT_RESOLVE:
		case OPT_MAP:
		case OPT_DENY:
			add_value(&pol, &lists[ch - OPT_FORCE], optarg);
			break;
		case OPT_LOOPBACK:
			loopback = 1;
			pol.loopback_only = 1;
			break;
		case OPT_IPV4:
		case OPT_IPV6:
			if (family != NULL)
				exit(bw_usage_error("--ipv4 and --ipv6 exclude "
				    "each other"));
			family = ch == OPT_IPV4 ? "4" : "6";
			check_value(&pol, ch == OPT_IPV4 ? "--ipv4" : "--ipv6",
			    BINDWATCH_ENV_FAMILY, family);
			break;
		case OPT_SECCOMP:
			o.seccomp = parse_seccomp(optarg);
			break;
		case OPT_NO_IO_URING:
			o.no_io_uring = 1;
			break;
		case OPT_VERSION:
			printf("bindwatch %s\n", BINDWATCH_VERSION);
			free_lists(lists, NLISTS);
			return 0;
		case ':':
			exit(bw_usage_error("%s needs a value",
			    argv[optind - 1]));
		default:
			exit(bw_bad_option(NULL, argv[optind - 1], optopt));
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		exit(bw_usage_error("no command given (bindwatch [OPTIONS] -- "
		    "COMMAND [ARG...])"));
	if (bw_policy_check(&pol, why, sizeof(why)) == -1)
		exit(bw_usage_error("%s", why));

	/* Options win over the environment; what stays must parse too. */
	for (i = 0; i < NLISTS; i++)
		if (lists[i].val != NULL)
			setenv(lists[i].var, lists[i].val, 1);
	if (loopback)
		setenv(BINDWATCH_ENV_LOOPBACK_ONLY, "1", 1);
	if (family != NULL)
		setenv(BINDWATCH_ENV_FAMILY, family, 1);
	bw_policy_init(&pol);
	for (i = 0; i < sizeof(policy_vars) / sizeof(policy_vars[0]); i++) {
		const char *v = getenv(policy_vars[i]);

		if (bw_policy_set(&pol, policy_vars[i], v, why, sizeof(why)) == -1)
			exit(bw_usage_error("%s=%s: %s", policy_vars[i], v,
			    why));
	}
	if (bw_policy_check(&pol, why, sizeof(why)) == -1)
		exit(bw_usage_error("%s", why));
	free_lists(lists, NLISTS);

	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) == -1)
		n = 0;
	self[n] = '\0';
	if (bw_shim_find(self, BW_MULTIARCH, BW_LIBDIR, &shim) == -1)
		exit(bw_usage_error("cannot find libbindwatch.so beside %s or "
		    "in %s", "the bindwatch executable", BW_LIBDIR));
	if (strpbrk(shim.preload, ": ") != NULL)
		exit(bw_usage_error("%s: LD_PRELOAD cannot hold a path with "
		    "':' or ' '", shim.preload));

	o.out = stderr;
	if (outpath != NULL && (o.out = fopen(outpath, "we")) == NULL)
		exit(bw_usage_error("-o %s: %s", outpath, strerror(errno)));
	o.color = outpath == NULL && isatty(fileno(o.out)) &&
	    getenv("NO_COLOR") == NULL && getenv("TERM") != NULL &&
	    strcmp(getenv("TERM"), "dumb") != 0;
	o.argv = argv;
	o.shim = shim.preload;
	o.shimbase = shim.base;
	o.policy = &pol;
	return bw_run(&o);
}
