/*
 * Where libbindwatch.so is, and the LD_PRELOAD entry that names it.
 *
 * Installed, the shim of each architecture lives in PREFIX/lib/TRIPLET/
 * bindwatch (and PREFIX/lib32/bindwatch for the 32-bit loader of
 * gcc-multilib).  The CLI then preloads PREFIX/$LIB/bindwatch/
 * libbindwatch.so: ld.so expands $LIB to its own library directory, so
 * every process of the tree, 32- or 64-bit, loads the shim of its own class.
 */
#ifndef BW_SHIMPATH_H
#define BW_SHIMPATH_H

#include <limits.h>
#include <stddef.h>

struct bw_shimloc {
	char	file[PATH_MAX];		/* this architecture's shim, real path */
	char	base[PATH_MAX];		/* PREFIX of the $LIB form, or "" */
	char	preload[PATH_MAX];	/* the LD_PRELOAD entry */
};

int	 bw_shim_preload(const char *, const char *, struct bw_shimloc *);
int	 bw_shim_libdir(const char *, char *, size_t);
int	 bw_shim_find(const char *, const char *, const char *,
	    struct bw_shimloc *);

#endif
