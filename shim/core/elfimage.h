/*
 * Pure: what an executable's first bytes say about it (elfimage.c,
 * goelf.c): ELF or script, linked how, and whether the shim will see its
 * binds.  Used before the run (tools/preflight.c) and by the shim's exec
 * hooks (shim/exec.c).
 */
#ifndef BW_ELFIMAGE_H
#define BW_ELFIMAGE_H

#include <stddef.h>

enum bw_elf {
	BW_ELF_DYNAMIC = 0,
	BW_ELF_STATIC,
	BW_ELF_CLASS,		/* another ELF class than the shim */
	BW_ELF_NOT,		/* not ELF (script or unknown) */
	BW_ELF_BAD,
};

/* What an image is, as far as the shim seeing its binds goes. */
enum bw_img {
	BW_IMG_SEEN = 0,	/* dynamic, of our class, not Go */
	BW_IMG_BLIND,		/* static, or Go */
	BW_IMG_CLASS,		/* another class: seen if its shim exists */
	BW_IMG_SCRIPT,		/* #!: judged by its interpreter */
};

/* Bytes worth reading from the start of an image to judge it. */
#define BW_IMG_HEAD	4096

int	 bw_elf_kind(const unsigned char *, size_t, int);
int	 bw_elf_interp(const unsigned char *, size_t, char *, size_t);
int	 bw_elf_is_go(const unsigned char *, size_t);
int	 bw_shebang(const unsigned char *, size_t, char *, size_t);
int	 bw_img_judge(const unsigned char *, size_t, int, char *, size_t);

#endif
