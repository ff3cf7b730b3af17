/*
 * Pure: an executable judged from its first bytes, without loading it:
 * ELF or script, static or dynamic, which class, which interpreter.  The
 * loader ignores LD_PRELOAD for static images and another class's; Go
 * makes its own system calls (goelf.c).  Those the shim cannot see are
 * what --seccomp=auto filters, from the CLI and from the shim's exec
 * hooks alike.
 */
#include <elf.h>
#include <string.h>

#include "elfimage.h"

/*
 * Pure: the program headers of an ELF image of either class, when they fit
 * in buf.  0 with *phoff, *phentsize, *phnum set; -1 when malformed.
 */
static int
elf_phdrs(const unsigned char *buf, size_t len, size_t *phoff,
    size_t *phentsize, size_t *phnum)
{
	if (buf[EI_CLASS] == ELFCLASS64) {
		Elf64_Ehdr eh;

		if (len < sizeof(eh))
			return -1;
		memcpy(&eh, buf, sizeof(eh));
		*phoff = eh.e_phoff;
		*phentsize = eh.e_phentsize;
		*phnum = eh.e_phnum;
		if (*phentsize != sizeof(Elf64_Phdr))
			return -1;
	} else if (buf[EI_CLASS] == ELFCLASS32) {
		Elf32_Ehdr eh;

		if (len < sizeof(eh))
			return -1;
		memcpy(&eh, buf, sizeof(eh));
		*phoff = eh.e_phoff;
		*phentsize = eh.e_phentsize;
		*phnum = eh.e_phnum;
		if (*phentsize != sizeof(Elf32_Phdr))
			return -1;
	} else
		return -1;
	if (*phnum == 0 || *phoff > len || *phnum > (len - *phoff) / *phentsize)
		return -1;
	return 0;
}

/*
 * Pure: the index of the PT_INTERP program header, -1 for none, -2 when
 * the image is malformed.
 */
static int
elf_interp_ph(const unsigned char *buf, size_t len, size_t *phoff,
    size_t *phentsize)
{
	size_t phnum, i;

	if (len < EI_NIDENT || memcmp(buf, ELFMAG, SELFMAG) != 0 ||
	    elf_phdrs(buf, len, phoff, phentsize, &phnum) == -1)
		return -2;
	for (i = 0; i < phnum; i++) {
		uint32_t type;

		/* p_type is the first word in both classes. */
		memcpy(&type, buf + *phoff + i * *phentsize, sizeof(type));
		if (type == PT_INTERP)
			return (int)i;
	}
	return -1;
}

/*
 * Pure: classify an ELF image from its first bytes (the ELF header and the
 * program headers, when they fit in buf).  class is the shim's ELFCLASS.
 */
int
bw_elf_kind(const unsigned char *buf, size_t len, int class)
{
	size_t phoff, phentsize;
	int i;

	if (len < EI_NIDENT || memcmp(buf, ELFMAG, SELFMAG) != 0)
		return BW_ELF_NOT;
	if (buf[EI_CLASS] != class)
		return BW_ELF_CLASS;
	if ((i = elf_interp_ph(buf, len, &phoff, &phentsize)) == -2)
		return BW_ELF_BAD;
	return i >= 0 ? BW_ELF_DYNAMIC : BW_ELF_STATIC;
}

/*
 * Pure: the program interpreter (PT_INTERP) of an ELF image of either
 * class, when it lies within buf.  0 with out filled, or -1.
 */
int
bw_elf_interp(const unsigned char *buf, size_t len, char *out, size_t outlen)
{
	size_t phoff, phentsize, off, sz;
	const unsigned char *ph;
	int i;

	if ((i = elf_interp_ph(buf, len, &phoff, &phentsize)) < 0)
		return -1;
	ph = buf + phoff + (size_t)i * phentsize;
	if (buf[EI_CLASS] == ELFCLASS64) {
		Elf64_Phdr p;

		memcpy(&p, ph, sizeof(p));
		off = p.p_offset;
		sz = p.p_filesz;
	} else {
		Elf32_Phdr p;

		memcpy(&p, ph, sizeof(p));
		off = p.p_offset;
		sz = p.p_filesz;
	}
	/* A NUL-terminated path that lies inside buf and fits in out. */
	if (sz < 2 || off > len || sz > len - off || sz > outlen ||
	    buf[off + sz - 1] != '\0' || memchr(buf + off, '\0', sz - 1) != NULL)
		return -1;
	memcpy(out, buf + off, sz);
	return 0;
}

/*
 * A script's interpreter, from its first line (#!), into out; 0, or -1
 * when there is none or it does not fit.
 */
int
bw_shebang(const unsigned char *buf, size_t n, char *out, size_t len)
{
	size_t i = 2, j = 0;

	if (n < 3 || len == 0 || buf[0] != '#' || buf[1] != '!')
		return -1;
	while (i < n && (buf[i] == ' ' || buf[i] == '\t'))
		i++;
	while (i < n && buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n' &&
	    buf[i] != '\0') {
		if (j == len - 1)
			return -1;
		out[j++] = (char)buf[i++];
	}
	out[j] = '\0';
	return j > 0 ? 0 : -1;
}

/*
 * The verdict on an image from its first n bytes (BW_IMG_HEAD is enough
 * for the usual layouts); class is the shim's ELFCLASS.  For a script,
 * its interpreter goes into interp.  Anything else that is not ELF (a
 * truncated or malformed image the kernel would refuse anyway) is SEEN:
 * nothing to filter.
 */
int
bw_img_judge(const unsigned char *buf, size_t n, int class, char *interp,
    size_t len)
{
	int kind;

	if (bw_shebang(buf, n, interp, len) == 0)
		return BW_IMG_SCRIPT;
	if (bw_elf_is_go(buf, n))
		return BW_IMG_BLIND;
	kind = bw_elf_kind(buf, n, class);
	if (kind == BW_ELF_CLASS)
		return BW_IMG_CLASS;
	return kind == BW_ELF_STATIC ? BW_IMG_BLIND : BW_IMG_SEEN;
}
