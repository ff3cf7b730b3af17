/*
 * Allocation for the CLI: out of memory, bindwatch cannot say anything
 * true about a run, so it stops with one line and its own failure
 * status (125), the same way everywhere.  Never in shim/: the shim must
 * not exit inside other people's programs.
 */
#ifndef BW_XALLOC_H
#define BW_XALLOC_H

#include <stddef.h>

void	*bw_xmalloc(size_t);
void	*bw_xcalloc(size_t, size_t);
void	*bw_xreallocarray(void *, size_t, size_t);
char	*bw_xstrdup(const char *);
char	*bw_xasprintf(const char *, ...)
	    __attribute__((format(printf, 1, 2)));

#endif
