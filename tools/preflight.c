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

/*
 * Pure: classify an ELF image from its first bytes (the ELF header and the
 * program headers, when they fit in buf).  class is the shim's ELFCLASS.
 */
int
bw_elf_kind(const unsigned char *buf, size_t len, int class)
{
	size_t phoff, phentsize, phnum, i;

	if (len < EI_NIDENT || memcmp(buf, ELFMAG, SELFMAG) != 0)
		return BW_ELF_NOT;
	if (buf[EI_CLASS] != class)
		return BW_ELF_CLASS;
	if (class == ELFCLASS64) {
		Elf64_Ehdr eh;

		if (len < sizeof(eh))
			return BW_ELF_BAD;
		memcpy(&eh, buf, sizeof(eh));
		phoff = eh.e_phoff;
		phentsize = eh.e_phentsize;
		phnum = eh.e_phnum;
		if (phentsize != sizeof(Elf64_Phdr))
			return BW_ELF_BAD;
	} else {
		Elf32_Ehdr eh;

		if (len < sizeof(eh))
			return BW_ELF_BAD;
		memcpy(&eh, buf, sizeof(eh));
		phoff = eh.e_phoff;
		phentsize = eh.e_phentsize;
		phnum = eh.e_phnum;
		if (phentsize != sizeof(Elf32_Phdr))
			return BW_ELF_BAD;
	}
	if (phnum == 0 || phoff > len || phnum > (len - phoff) / phentsize)
		return BW_ELF_BAD;
	for (i = 0; i < phnum; i++) {
		uint32_t type;

		/* p_type is the first word in both classes. */
		memcpy(&type, buf + phoff + i * phentsize, sizeof(type));
		if (type == PT_INTERP)
			return BW_ELF_DYNAMIC;
	}
	return BW_ELF_STATIC;
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
	if ((dirs = strdup(p)) == NULL)
		return -1;
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
check(const char *path, const char *shim, struct bw_model *r, int depth)
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
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	/* A script: what matters is its interpreter. */
	if (n > 2 && buf[0] == '#' && buf[1] == '!' && depth == 0) {
		size_t i = 2, j = 0;

		buf[n] = '\0';
		while (buf[i] == ' ' || buf[i] == '\t')
			i++;
		while (buf[i] && buf[i] != ' ' && buf[i] != '\t' &&
		    buf[i] != '\n' && j < sizeof(interp) - 1)
			interp[j++] = (char)buf[i++];
		interp[j] = '\0';
		if (j > 0)
			check(interp, shim, r, depth + 1);
		return;
	}
	kind = bw_elf_kind(buf, (size_t)n, sizeof(void *) == 8 ? ELFCLASS64 :
	    ELFCLASS32);
	if (kind == BW_ELF_STATIC) {
		snprintf(msg, sizeof(msg), "%s is statically linked: LD_PRELOAD "
		    "has no effect, its sockets can only be seen in the kernel "
		    "(reported as unseen)", path);
		bw_model_note(r, "static", msg);
	} else if (kind == BW_ELF_CLASS) {
		snprintf(msg, sizeof(msg), "%s is a %d-bit program and %s is "
		    "not: the loader will skip the shim", path,
		    sizeof(void *) == 8 ? 32 : 64, shim);
		bw_model_note(r, "elf-class", msg);
	}
}

void
bw_preflight(const char *cmd, const char *shim, struct bw_model *r)
{
	char path[PATH_MAX];

	if (which(cmd, path, sizeof(path)) == 0)
		check(path, shim, r, 0);
}
