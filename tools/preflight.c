/*
 * Warnings before the run: the loader ignores LD_PRELOAD for static
 * binaries, for setuid/setgid/setcap programs (secure execution), and for
 * an ELF class other than the shim's.  Each is said up front, because
 * whatever such a program binds will be missing from the events.
 */
#include <sys/stat.h>
#include <sys/xattr.h>

#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "preflight.h"
#include "shimpath.h"
#include "xalloc.h"

/*
 * Whether the shim of the program's own class is installed where its
 * loader's $LIB points, under the prefix the CLI preloads from.
 */
static int
other_class_shim(const unsigned char *buf, size_t len, const char *base)
{
	char interp[PATH_MAX], real[PATH_MAX], dir[PATH_MAX], path[PATH_MAX];

	if (base[0] == '\0' ||
	    bw_elf_interp(buf, len, interp, sizeof(interp)) == -1 ||
	    realpath(interp, real) == NULL ||
	    bw_shim_libdir(real, dir, sizeof(dir)) == -1 ||
	    snprintf(path, sizeof(path), "%s/%s/bindwatch/libbindwatch.so",
	    base, dir) >= (int)sizeof(path))
		return 0;
	return access(path, R_OK) == 0;
}

/* Find cmd like execvp does; 0 and path filled, or -1. */
static int
which(const char *cmd, char *path, size_t len)
{
	const char *p, *e;
	char *dirs;

	if (strchr(cmd, '/') != NULL) {
		snprintf(path, len, "%s", cmd);
		return access(path, F_OK);
	}
	if ((p = getenv("PATH")) == NULL)
		p = "/usr/local/bin:/usr/bin:/bin";
	dirs = bw_xstrdup(p);
	for (p = dirs; p != NULL; p = e) {
		if ((e = strchr(p, ':')) != NULL)
			*(char *)e++ = '\0';
		snprintf(path, len, "%s/%s", *p ? p : ".", cmd);
		if (access(path, X_OK) == 0) {
			free(dirs);
			return 0;
		}
	}
	free(dirs);
	return -1;
}

static void
// NOLINTNEXTLINE(misc-no-recursion): bounded, a script's interpreter is checked once (depth 0 -> 1)
check(const char *path, const char *shim, const char *base,
    struct bw_model *r, int depth, int covered)
{
	unsigned char buf[4096];
	char msg[PATH_MAX + 200], interp[PATH_MAX];
	struct stat st;
	ssize_t n;
	int fd, kind;

	if (stat(path, &st) == -1 || !S_ISREG(st.st_mode))
		return;
	if (st.st_mode & (S_ISUID | S_ISGID)) {
		snprintf(msg, sizeof(msg), "%s is set-user/group-ID: the loader "
		    "ignores LD_PRELOAD for it, nothing it binds will be seen or "
		    "rewritten", path);
		bw_model_note(r, "setuid", msg);
	} else if (getxattr(path, "security.capability", NULL, 0) > 0) {
		snprintf(msg, sizeof(msg), "%s has file capabilities: the loader "
		    "ignores LD_PRELOAD for it, nothing it binds will be seen or "
		    "rewritten", path);
		bw_model_note(r, "setcap", msg);
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n <= 0)
		return;
	/* A script: what matters is its interpreter. */
	if (depth == 0 &&
	    bw_shebang(buf, (size_t)n, interp, sizeof(interp)) == 0) {
		check(interp, shim, base, r, depth + 1, covered);
		return;
	}
	kind = bw_elf_kind(buf, (size_t)n, sizeof(void *) == 8 ? ELFCLASS64 :
	    ELFCLASS32);
	if (covered)
		return;		/* the seccomp supervisor sees it */
	if (kind == BW_ELF_STATIC) {
		snprintf(msg, sizeof(msg), "%s is statically linked: LD_PRELOAD "
		    "has no effect, its sockets can only be seen in the kernel "
		    "(reported as unseen)", path);
		bw_model_note(r, "static", msg);
	} else if (kind == BW_ELF_CLASS &&
	    !other_class_shim(buf, (size_t)n, base)) {
		snprintf(msg, sizeof(msg), "%s is a %d-bit program and no "
		    "%d-bit shim is installed where its loader looks (%s): "
		    "nothing it binds will be seen or rewritten", path,
		    sizeof(void *) == 8 ? 32 : 64, sizeof(void *) == 8 ? 32 : 64,
		    shim);
		bw_model_note(r, "elf-class", msg);
	}
}

void
bw_preflight(const char *cmd, const char *shim, const char *base,
    struct bw_model *r, int covered)
{
	char path[PATH_MAX];

	if (which(cmd, path, sizeof(path)) == 0)
		check(path, shim, base, r, 0, covered);
}

/*
 * Will the shim miss what cmd binds?  Static programs, Go programs (they
 * make their own system calls, dynamically linked or not), and programs
 * of another class with no shim where their loader looks; for a script,
 * its interpreter.  --seccomp=auto filters exactly these.
 */
int
bw_preflight_blind(const char *cmd, const char *base)
{
	unsigned char buf[16384];
	char path[PATH_MAX];
	ssize_t n;
	int fd, depth, v;

	if (which(cmd, path, sizeof(path)) == -1)
		return 0;
	for (depth = 0; depth < 2; depth++) {
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
			return 0;
		n = read(fd, buf, sizeof(buf));
		close(fd);
		if (n <= 0)
			return 0;
		v = bw_img_judge(buf, (size_t)n, sizeof(void *) == 8 ?
		    ELFCLASS64 : ELFCLASS32, path, sizeof(path));
		if (v == BW_IMG_SCRIPT)
			continue;
		return v == BW_IMG_BLIND || (v == BW_IMG_CLASS &&
		    !other_class_shim(buf, (size_t)n, base));
	}
	return 0;
}
