/*
 * The one usage-error line.  What the user typed is escaped like every
 * other untrusted string (\xNN): an option can hold a terminal sequence.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "usage.h"

static void __attribute__((format(printf, 1, 0)))
vline(const char *fmt, va_list ap)
{
	fputs("bindwatch: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int
bw_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(fmt, ap);
	va_end(ap);
	return BINDWATCH_EXIT_USAGE;
}

void
bw_usage_exit(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(fmt, ap);
	va_end(ap);
	exit(BINDWATCH_EXIT_USAGE);
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
