/* Where the shim is, how LD_PRELOAD names it, and a loader's $LIB. */
#include <criterion/criterion.h>

#include <elf.h>
#include <string.h>

#include "preflight.h"
#include "shimpath.h"

Test(shimpath, preload_entry)
{
	static const struct {
		const char	*file, *triplet, *base, *preload;
	} rows[] = {
		{ "/usr/lib/x86_64-linux-gnu/bindwatch/libbindwatch.so",
		  "x86_64-linux-gnu", "/usr", "/usr/$LIB/bindwatch/libbindwatch.so" },
		{ "/opt/bw/lib/x86_64-linux-gnu/bindwatch/libbindwatch.so",
		  "x86_64-linux-gnu", "/opt/bw", "/opt/bw/$LIB/bindwatch/libbindwatch.so" },
		/* Another triplet's directory is named as it is. */
		{ "/usr/lib/aarch64-linux-gnu/bindwatch/libbindwatch.so",
		  "x86_64-linux-gnu", "", "/usr/lib/aarch64-linux-gnu/bindwatch/libbindwatch.so" },
		/* No multiarch: the plain path. */
		{ "/usr/local/lib/bindwatch/libbindwatch.so", "", "",
		  "/usr/local/lib/bindwatch/libbindwatch.so" },
		{ "/w/build/libbindwatch.so", "x86_64-linux-gnu", "",
		  "/w/build/libbindwatch.so" },
		/* Nothing before /lib: no prefix to name. */
		{ "/lib/x86_64-linux-gnu/bindwatch/libbindwatch.so",
		  "x86_64-linux-gnu", "", "/lib/x86_64-linux-gnu/bindwatch/libbindwatch.so" },
		/* The suffix must start at a path component. */
		{ "/usr/xlib/x86_64-linux-gnu/bindwatch/libbindwatch.so",
		  "x86_64-linux-gnu", "", "/usr/xlib/x86_64-linux-gnu/bindwatch/libbindwatch.so" },
	};
	struct bw_shimloc loc;
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		cr_assert_eq(bw_shim_preload(rows[i].file, rows[i].triplet, &loc), 0,
		    "%s", rows[i].file);
		cr_expect_str_eq(loc.base, rows[i].base, "%s", rows[i].file);
		cr_expect_str_eq(loc.preload, rows[i].preload, "%s", rows[i].file);
		cr_expect_str_eq(loc.file, rows[i].file);
	}
}

Test(shimpath, loader_lib_dir)
{
	static const struct {
		const char	*interp, *lib;
	} rows[] = {
		{ "/usr/lib32/ld-linux.so.2", "lib32" },
		{ "/usr/lib/i386-linux-gnu/ld-linux.so.2", "lib/i386-linux-gnu" },
		{ "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "lib/x86_64-linux-gnu" },
		{ "/lib64/ld-linux-x86-64.so.2", "lib64" },
		{ "/lib/ld-musl-x86_64.so.1", "lib" },
		{ "/ld.so", NULL },
		{ "ld.so", NULL },
		{ "/usr/ld.so", NULL },
	};
	char out[64];
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int r = bw_shim_libdir(rows[i].interp, out, sizeof(out));

		if (rows[i].lib == NULL)
			cr_expect_eq(r, -1, "%s gave %s", rows[i].interp, out);
		else {
			cr_expect_eq(r, 0, "%s", rows[i].interp);
			cr_expect_str_eq(out, rows[i].lib, "%s", rows[i].interp);
		}
	}
	cr_expect_eq(bw_shim_libdir("/usr/lib32/ld-linux.so.2", out, 5), -1,
	    "does not fit");
}

/* A 32-bit image with one PT_INTERP pointing at off/size in the buffer. */
static size_t
elf32_with_interp(unsigned char *buf, size_t off, size_t sz, const char *path)
{
	Elf32_Ehdr eh;
	Elf32_Phdr ph;

	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS32;
	eh.e_phoff = sizeof(eh);
	eh.e_phentsize = sizeof(ph);
	eh.e_phnum = 1;
	memset(&ph, 0, sizeof(ph));
	ph.p_type = PT_INTERP;
	ph.p_offset = (Elf32_Off)off;
	ph.p_filesz = (Elf32_Word)sz;
	memcpy(buf, &eh, sizeof(eh));
	memcpy(buf + sizeof(eh), &ph, sizeof(ph));
	memcpy(buf + 100, path, strlen(path) + 1);
	return 100 + strlen(path) + 1;
}

Test(preflight, elf_interp)
{
	unsigned char buf[256];
	char out[64];
	size_t n;

	memset(buf, 0, sizeof(buf));
	n = elf32_with_interp(buf, 100, 19, "/lib/ld-linux.so.2");
	cr_assert_eq(bw_elf_interp(buf, n, out, sizeof(out)), 0);
	cr_assert_str_eq(out, "/lib/ld-linux.so.2");
	cr_expect_eq(bw_elf_interp(buf, n - 1, out, sizeof(out)), -1, "cut");
	cr_expect_eq(bw_elf_interp(buf, n, out, 10), -1, "does not fit");
	n = elf32_with_interp(buf, 100, 18, "/lib/ld-linux.so.2");
	cr_expect_eq(bw_elf_interp(buf, n, out, sizeof(out)), -1, "no NUL");
	n = elf32_with_interp(buf, 100, 30, "/lib/ld-linux.so.2");
	cr_expect_eq(bw_elf_interp(buf, n, out, sizeof(out)), -1, "past the end");
	n = elf32_with_interp(buf, (size_t)-1 / 2, 19, "/lib/ld-linux.so.2");
	cr_expect_eq(bw_elf_interp(buf, n, out, sizeof(out)), -1, "far offset");
	cr_expect_eq(bw_elf_interp((const unsigned char *)"#!/bin/sh\n", 10,
	    out, sizeof(out)), -1);
}
