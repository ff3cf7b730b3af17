/*
 * Pure: is this ELF image a Go program?  Go makes its own system calls,
 * even when dynamically linked (cgo), so the shim never sees its binds.
 * Go's linker puts its build ID in a note ("Go", type 4) that a PT_NOTE
 * segment covers near the start of the file.
 */
#include <elf.h>
#include <string.h>

#include "elfimage.h"

#define GO_NOTE_BUILDID	4

/* A "Go" note among the notes at buf[off, off + sz). */
static int
go_note(const unsigned char *buf, size_t len, size_t off, size_t sz)
{
	uint32_t namesz, descsz, type;
	size_t end, step;

	if (off > len || sz > len - off)
		return 0;
	end = off + sz;
	while (end - off >= 12) {
		memcpy(&namesz, buf + off, 4);
		memcpy(&descsz, buf + off + 4, 4);
		memcpy(&type, buf + off + 8, 4);
		off += 12;
		if (namesz > end - off)
			return 0;
		/* Go's linker says "Go\0\0", namesz 4. */
		if ((namesz == 3 || namesz == 4) && type == GO_NOTE_BUILDID &&
		    memcmp(buf + off, "Go", 3) == 0)
			return 1;
		step = ((size_t)namesz + 3) & ~(size_t)3;
		if (step > end - off)
			return 0;
		off += step;
		step = ((size_t)descsz + 3) & ~(size_t)3;
		if (step > end - off)
			return 0;
		off += step;
	}
	return 0;
}

int
bw_elf_is_go(const unsigned char *buf, size_t len)
{
	size_t phoff, phnum, phent, i;
	int is64;

	if (len < EI_NIDENT || memcmp(buf, ELFMAG, SELFMAG) != 0)
		return 0;
	is64 = buf[EI_CLASS] == ELFCLASS64;
	if (is64 && len >= sizeof(Elf64_Ehdr)) {
		Elf64_Ehdr eh;

		memcpy(&eh, buf, sizeof(eh));
		phoff = eh.e_phoff;
		phnum = eh.e_phnum;
		phent = sizeof(Elf64_Phdr);
	} else if (!is64 && len >= sizeof(Elf32_Ehdr)) {
		Elf32_Ehdr eh;

		memcpy(&eh, buf, sizeof(eh));
		phoff = eh.e_phoff;
		phnum = eh.e_phnum;
		phent = sizeof(Elf32_Phdr);
	} else
		return 0;
	if (phoff > len || phnum > (len - phoff) / phent)
		return 0;
	for (i = 0; i < phnum; i++) {
		const unsigned char *ph = buf + phoff + i * phent;

		if (is64) {
			Elf64_Phdr p;

			memcpy(&p, ph, sizeof(p));
			if (p.p_type == PT_NOTE &&
			    go_note(buf, len, p.p_offset, p.p_filesz))
				return 1;
		} else {
			Elf32_Phdr p;

			memcpy(&p, ph, sizeof(p));
			if (p.p_type == PT_NOTE &&
			    go_note(buf, len, p.p_offset, p.p_filesz))
				return 1;
		}
	}
	return 0;
}
