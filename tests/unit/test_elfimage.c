/*
 * What the shim's exec hooks and --seccomp=auto decide from an image's
 * first bytes (shim/core/elfimage.c): its interpreter line, and whether
 * the shim will see its binds.  On made-up images, and on the first
 * BW_IMG_HEAD bytes of real ones (what the hook reads), when installed.
 */
#include <criterion/criterion.h>

#include <elf.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "elfimage.h"

#define S(s)	((const unsigned char *)(s)), (sizeof(s) - 1)

Test(elfimage, shebang)
{
	char out[16];

	cr_assert_eq(bw_shebang(S("#!/bin/sh\n"), out, sizeof(out)), 0);
	cr_assert_str_eq(out, "/bin/sh");
	cr_assert_eq(bw_shebang(S("#! \t/usr/bin/env python3\n"), out,
	    sizeof(out)), 0);
	cr_assert_str_eq(out, "/usr/bin/env");
	cr_assert_eq(bw_shebang(S("#!/bin/sh"), out, sizeof(out)), 0,
	    "no newline: the whole read is the line");
	cr_assert_str_eq(out, "/bin/sh");
	cr_assert_eq(bw_shebang(S("#!\n"), out, sizeof(out)), -1, "empty");
	cr_assert_eq(bw_shebang(S("#!   \n"), out, sizeof(out)), -1, "blank");
	cr_assert_eq(bw_shebang(S("#/bin/sh\n"), out, sizeof(out)), -1);
	cr_assert_eq(bw_shebang(S("\177ELF"), out, sizeof(out)), -1);
	/* Cut rather than judged by another program's name. */
	cr_assert_eq(bw_shebang(S("#!/usr/local/bin/x\n"), out,
	    sizeof(out)), -1, "does not fit");
	cr_assert_eq(bw_shebang(S("#!/usr/local/binx\n"), out,
	    sizeof(out)), 0, "fits exactly");
	cr_assert_str_eq(out, "/usr/local/binx");
}

/* An ELF64 image: PT_LOAD, then PT_INTERP or not, then a Go note or not. */
static size_t
image(unsigned char *buf, int class, int interp, int go)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph[3];
	uint32_t note[3] = { 4, 4, 4 };	/* namesz, descsz, type */
	size_t off = sizeof(eh) + sizeof(ph);

	memset(buf, 0, 1024);
	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = (unsigned char)class;
	eh.e_phoff = sizeof(eh);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = 3;
	memset(ph, 0, sizeof(ph));
	ph[0].p_type = PT_LOAD;
	ph[1].p_type = interp ? PT_INTERP : PT_NULL;
	ph[1].p_offset = off;
	ph[1].p_filesz = sizeof("/lib64/ld-linux-x86-64.so.2");
	memcpy(buf + off, "/lib64/ld-linux-x86-64.so.2", ph[1].p_filesz);
	off += 32;
	ph[2].p_type = go ? PT_NOTE : PT_NULL;
	ph[2].p_offset = off;
	ph[2].p_filesz = sizeof(note) + 8;
	memcpy(buf + off, note, sizeof(note));
	memcpy(buf + off + sizeof(note), "Go\0\0", 4);
	memcpy(buf, &eh, sizeof(eh));
	memcpy(buf + sizeof(eh), ph, sizeof(ph));
	return off + ph[2].p_filesz;
}

Test(elfimage, judge)
{
	unsigned char buf[1024];
	char interp[64];
	size_t n;

	n = image(buf, ELFCLASS64, 1, 0);
	cr_assert_eq(bw_img_judge(buf, n, ELFCLASS64, interp, sizeof(interp)),
	    BW_IMG_SEEN, "dynamic");
	n = image(buf, ELFCLASS64, 0, 0);
	cr_assert_eq(bw_img_judge(buf, n, ELFCLASS64, interp, sizeof(interp)),
	    BW_IMG_BLIND, "static");
	n = image(buf, ELFCLASS64, 1, 1);
	cr_assert_eq(bw_img_judge(buf, n, ELFCLASS64, interp, sizeof(interp)),
	    BW_IMG_BLIND, "dynamic Go: its own system calls");
	n = image(buf, ELFCLASS64, 1, 0);
	cr_assert_eq(bw_img_judge(buf, n, ELFCLASS32, interp, sizeof(interp)),
	    BW_IMG_CLASS, "another class");
	cr_assert_eq(bw_img_judge(S("#!/bin/busybox sh\n"), ELFCLASS64,
	    interp, sizeof(interp)), BW_IMG_SCRIPT);
	cr_assert_str_eq(interp, "/bin/busybox");
	/* What the kernel would refuse anyway: nothing to filter. */
	cr_assert_eq(bw_img_judge(S("hello"), ELFCLASS64, interp,
	    sizeof(interp)), BW_IMG_SEEN);
	cr_assert_eq(bw_img_judge(buf, 40, ELFCLASS64, interp,
	    sizeof(interp)), BW_IMG_SEEN, "truncated ELF");
}

/* The verdict on a real file's first BW_IMG_HEAD bytes, or -1. */
static int
judge_file(const char *path)
{
	unsigned char buf[BW_IMG_HEAD];
	char interp[256];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return -1;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n <= 0 ? -1 : bw_img_judge(buf, (size_t)n,
	    sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32, interp,
	    sizeof(interp));
}

Test(elfimage, real_images_from_their_first_page)
{
	int v;

	if ((v = judge_file("/bin/dash")) != -1)
		cr_expect_eq(v, BW_IMG_SEEN, "dash");
	if ((v = judge_file("/bin/busybox")) != -1)
		cr_expect_eq(v, BW_IMG_BLIND, "busybox-static");
	/* Debian's caddy is dynamically linked (cgo): its Go note counts. */
	if ((v = judge_file("/usr/bin/caddy")) != -1)
		cr_expect_eq(v, BW_IMG_BLIND, "caddy");
}
