/*
 * The one usage-error line.  What the user typed is escaped like every
 * other untrusted string (\xNN): an option can hold a terminal sequence.
 */
#include <stdarg.h>
#include <stdio.h>
#include <err.h>
#include <getopt.h>
#include <string.h>

#include "escape.h"
#include "usage.h"

int
bw_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("bindwatch: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return BINDWATCH_EXIT_USAGE;
}

int
bw_bad_option(const char *cmd, const char *arg, int opt)
{
	char v[4 * 64 + 1], o[5];
	int isval, islong;

	bw_escape_text(v, sizeof(v), arg, strlen(arg));
	/* A short option is named alone, as "-x" inside "-qx". */
	if (opt > 0 && opt <= 0xff) {
		char c = (char)opt;

		bw_escape_text(o, sizeof(o), &c, 1);
	} else
		o[0] = '\0';
	islong = strncmp(arg, "--", 2) == 0;
	isval = islong && strchr(arg, '=') != NULL;
	/* The run's own options put the option first. */
	if (cmd == NULL) {
		if (isval)
			return bw_usage_error("%s: option takes no value", v);
		if (islong || o[0] == '\0')
			return bw_usage_error("%s: unknown option", v);
		return bw_usage_error("-%s: unknown option", o);
	}
	if (isval)
		return bw_usage_error("%s: option takes no value: %s", cmd, v);
	if (islong || o[0] == '\0')
		return bw_usage_error("%s: unknown option: %s", cmd, v);
	return bw_usage_error("%s: unknown option: -%s", cmd, o);
}

int
bw_cmd_options(int argc, char **argv, const char *cmd, const char *usage,
    int *json, int *all)
{
	static const struct option longopts[] = {
		{ "json",	no_argument,	NULL,	'j' },
		{ "all",	no_argument,	NULL,	'a' },
		{ "help",	no_argument,	NULL,	'h' },
		{ NULL,		0,		NULL,	0 },
	};
	int c;

	optind = 0;	/* glibc: a fresh scan of this argv */
	opterr = 0;
	while ((c = getopt_long(argc, argv, all != NULL ? "+jah" : "+jh",
	    longopts, NULL)) != -1) {
		if (c == 'j')
			*json = 1;
		else if (c == 'a' && all != NULL)
			*all = 1;
		else if (c == 'h') {
			printf("usage: %s\n", usage);
			return 0;
		} else
			return bw_bad_option(cmd, argv[optind - 1], optopt);
	}
	return -1;
}

int
bw_cmd_finish(const char *cmd, int hidden, int status)
{
	if (hidden)
		fprintf(stderr, "bindwatch: some owners are hidden (\"?\"): "
		    "run as root to see them\n");
	if (fflush(stdout) == EOF || ferror(stdout)) {
		warn("%s: stdout", cmd);
		return BINDWATCH_EXIT_USAGE;
	}
	return status;
}
