/*
 * Finding the shim: beside the executable in a build tree, under the
 * executable's own prefix when installed, else the libdir it was built
 * for.  Never the current directory: every candidate is derived from
 * /proc/self/exe or from a compile-time path.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shimpath.h"

#define SHIM_NAME	"libbindwatch.so"

static int
has_suffix(const char *s, const char *suffix, size_t *prefixlen)
{
	size_t n = strlen(s), m = strlen(suffix);

	if (n < m || strcmp(s + n - m, suffix) != 0)
		return 0;
	*prefixlen = n - m;
	return 1;
}

/*
 * Pure: the LD_PRELOAD entry for the shim at file (a real path).  A shim
 * in PREFIX/lib/TRIPLET/bindwatch is named as PREFIX/$LIB/bindwatch, so
 * that ld.so picks each process's own architecture; any other place is
 * named as it is.  -1 when a path does not fit.
 */
int
bw_shim_preload(const char *file, const char *triplet, struct bw_shimloc *loc)
{
	char suffix[PATH_MAX];
	size_t plen;
	int n;

	if (snprintf(loc->file, sizeof(loc->file), "%s", file) >=
	    (int)sizeof(loc->file))
		return -1;
	loc->base[0] = '\0';
	n = snprintf(suffix, sizeof(suffix), "/lib/%s/bindwatch/" SHIM_NAME,
	    triplet);
	if (triplet[0] != '\0' && n > 0 && (size_t)n < sizeof(suffix) &&
	    has_suffix(file, suffix, &plen) && plen > 0) {
		memcpy(loc->base, file, plen);
		loc->base[plen] = '\0';
		n = snprintf(loc->preload, sizeof(loc->preload),
		    "%s/$LIB/bindwatch/" SHIM_NAME, loc->base);
	} else
		n = snprintf(loc->preload, sizeof(loc->preload), "%s", file);
	return n > 0 && (size_t)n < sizeof(loc->preload) ? 0 : -1;
}

/*
 * Pure: what ld.so's $LIB expands to for a loader whose real path is
 * interp: its directory, less a leading /usr (merged /usr) and slash.
 * "/usr/lib32/ld-linux.so.2" gives "lib32", the multiarch i386 loader
 * "lib/i386-linux-gnu".  -1 when there is nothing left.
 */
int
bw_shim_libdir(const char *interp, char *out, size_t len)
{
	const char *s = interp, *slash;
	size_t n;

	if (s[0] != '/' || (slash = strrchr(s, '/')) == NULL)
		return -1;
	if (strncmp(s, "/usr/", 5) == 0)
		s += 4;
	while (*s == '/')
		s++;
	if (slash <= s || (n = (size_t)(slash - s)) >= len)
		return -1;
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

/*
 * The shim for a CLI whose executable is exe, built for triplet (may be
 * ""), with fallback the libdir it was installed for.  0 with loc filled,
 * or -1.
 */
static int
found(const char *cand, const char *triplet, struct bw_shimloc *loc)
{
	char real[PATH_MAX];

	if (access(cand, R_OK) == -1 || realpath(cand, real) == NULL)
		return -1;
	return bw_shim_preload(real, triplet, loc);
}

int
bw_shim_find(const char *exe, const char *triplet, const char *fallback,
    struct bw_shimloc *loc)
{
	/* Build tree first, then the executable's own prefix. */
	static const char *const up[] = { "", "/.." };
	char dir[PATH_MAX], cand[PATH_MAX];
	char *slash;
	size_t i;

	if (snprintf(dir, sizeof(dir), "%s", exe) >= (int)sizeof(dir) ||
	    (slash = strrchr(dir, '/')) == NULL)
		dir[0] = '\0';
	else
		*slash = '\0';
	for (i = 0; dir[0] != '\0' && i < 2; i++) {
		if (triplet[0] != '\0' &&
		    snprintf(cand, sizeof(cand), "%s%s/lib/%s/bindwatch/"
		    SHIM_NAME, dir, up[i], triplet) < (int)sizeof(cand) &&
		    found(cand, triplet, loc) == 0)
			return 0;
		/* Trees built or installed without multiarch. */
		if (snprintf(cand, sizeof(cand), "%s%s/%s" SHIM_NAME, dir,
		    up[i], i == 0 ? "" : "lib/bindwatch/") < (int)sizeof(cand) &&
		    found(cand, triplet, loc) == 0)
			return 0;
	}
	if (snprintf(cand, sizeof(cand), "%s/" SHIM_NAME, fallback) <
	    (int)sizeof(cand) && found(cand, triplet, loc) == 0)
		return 0;
	return -1;
}
