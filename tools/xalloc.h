/*
 * Allocation for the CLI: out of memory, bindwatch cannot say anything
 * true about a run, so it stops with one line and its own failure
 * status (125), the same way everywhere.  Never in shim/: the shim must
 * not exit inside other people's programs.
 */
#ifndef BW_XALLOC_H
#define BW_XALLOC_H

#include <stddef.h>

/* Never NULL: said to the compiler and the static analyzers. */
#define BW_XALLOC	__attribute__((returns_nonnull, warn_unused_result))

void	*bw_xmalloc(size_t) BW_XALLOC;
void	*bw_xcalloc(size_t, size_t) BW_XALLOC;
void	*bw_xreallocarray(void *, size_t, size_t) BW_XALLOC;
char	*bw_xstrdup(const char *) BW_XALLOC;
char	*bw_xasprintf(const char *, ...) BW_XALLOC
	    __attribute__((format(printf, 1, 2)));

/* Doubles arr at each power of two; arr is NULL only while n is 0, which
 * the static analyzer is told by the first test. */
#define BW_GROW(arr, n) do {						\
	if ((arr) == NULL || ((n) & ((n) - 1)) == 0)			\
		(arr) = bw_xreallocarray((arr), (n) ? (n) * 2 : 8,	\
		    sizeof(*(arr)));					\
} while (0)

#endif
