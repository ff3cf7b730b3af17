/*
 * Allocation that succeeds or ends bindwatch with err(3) and 125
 * (BINDWATCH_EXIT_USAGE).  A count or size of zero counts as one, so
 * NULL always means no memory, whatever the libc does with zero.
 */
#include <err.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contract.h"
#include "xalloc.h"

void *
bw_xmalloc(size_t size)
{
	void *p;

	if ((p = malloc(size != 0 ? size : 1)) == NULL)
		err(BINDWATCH_EXIT_USAGE, "malloc %zu bytes", size);
	return p;
}

void *
bw_xcalloc(size_t n, size_t size)
{
	void *p;

	if ((p = calloc(n != 0 ? n : 1, size != 0 ? size : 1)) == NULL)
		err(BINDWATCH_EXIT_USAGE, "calloc %zu * %zu bytes", n, size);
	return p;
}

void *
bw_xreallocarray(void *old, size_t n, size_t size)
{
	void *p;

	if ((p = reallocarray(old, n != 0 ? n : 1, size != 0 ? size : 1)) ==
	    NULL)
		err(BINDWATCH_EXIT_USAGE, "reallocarray %zu * %zu bytes", n,
		    size);
	return p;
}

char *
bw_xstrdup(const char *s)
{
	char *p;

	if ((p = strdup(s)) == NULL)
		err(BINDWATCH_EXIT_USAGE, "strdup");
	return p;
}

char *
bw_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (n == -1)
		err(BINDWATCH_EXIT_USAGE, "asprintf");
	return p;
}
