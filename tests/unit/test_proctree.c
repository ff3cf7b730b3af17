/* Parsing /proc/PID/stat and the ELF checks made before a run. */
#include <criterion/criterion.h>

#include <elf.h>
#include <string.h>
#include <unistd.h>

#include "preflight.h"
#include "proctree.h"
#include "target.h"

static int
pt_ppid(const char *line)
{
	pid_t ppid = -1;

	if (bw_stat_ppid(line, strlen(line), &ppid) == -1)
		return -1;
	return (int)ppid;
}

Test(proctree, stat_ppid)
{
	cr_assert_eq(pt_ppid("42 (sh) S 7 42 42 0 -1"), 7);
	cr_assert_eq(pt_ppid("42 (a) b) (c) R 99 1 1"), 99, "comm with ') '");
	cr_assert_eq(pt_ppid("42 (x\ny) S 3 1"), 3);
	cr_assert_eq(pt_ppid("42 (sh) S"), -1, "truncated");
	cr_assert_eq(pt_ppid("42 sh S 7"), -1, "no parentheses");
	cr_assert_eq(pt_ppid("42 (sh) S x"), -1);
	cr_assert_eq(pt_ppid("42 (sh) S 99999999999"), -1, "overflow");
	cr_assert_eq(pt_ppid(""), -1);
}

Test(proctree, descendants_of_a_fake_proc)
{
	pid_t *pids;
	size_t n;

	/* The test binary's own process: its children are none, and the
	 * real /proc can always be read. */
	cr_assert_eq(bw_proctree("/proc", getpid(), &pids, &n), 0);
	cr_assert_eq(n, 0);
	cr_assert_eq(bw_proctree("/nonexistent", 1, &pids, &n), -1);
}

static size_t
pf_elf(unsigned char *buf, int class, int interp)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph[2];

	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = (unsigned char)class;
	eh.e_phoff = sizeof(eh);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = 2;
	memset(ph, 0, sizeof(ph));
	ph[0].p_type = PT_LOAD;
	ph[1].p_type = interp ? PT_INTERP : PT_NOTE;
	memcpy(buf, &eh, sizeof(eh));
	memcpy(buf + sizeof(eh), ph, sizeof(ph));
	return sizeof(eh) + sizeof(ph);
}

Test(preflight, elf_kinds)
{
	unsigned char buf[512];
	size_t n;

	n = pf_elf(buf, ELFCLASS64, 1);
	cr_assert_eq(bw_elf_kind(buf, n, ELFCLASS64), BW_ELF_DYNAMIC);
	n = pf_elf(buf, ELFCLASS64, 0);
	cr_assert_eq(bw_elf_kind(buf, n, ELFCLASS64), BW_ELF_STATIC);
	cr_assert_eq(bw_elf_kind(buf, n, ELFCLASS32), BW_ELF_CLASS);
	cr_assert_eq(bw_elf_kind(buf, n - 1, ELFCLASS64), BW_ELF_BAD, "truncated");
	cr_assert_eq(bw_elf_kind((const unsigned char *)"#!/bin/sh\n", 10,
	    ELFCLASS64), BW_ELF_NOT);
	cr_assert_eq(bw_elf_kind(buf, 3, ELFCLASS64), BW_ELF_NOT);
}

static const char *
tg_split(const char *arg, char *host, char *serv)
{
	char buf[64], *h = NULL, *s = NULL;
	const char *err = bw_split_target(arg, buf, sizeof(buf), &h, &s);

	host[0] = serv[0] = '\0';
	if (err == NULL) {
		strcpy(host, h);
		strcpy(serv, s);
	}
	return err;
}

Test(target, host_port_arguments)
{
	char h[64], s[64];

	cr_assert_null(tg_split("localhost:3000", h, s));
	cr_assert_str_eq(h, "localhost");
	cr_assert_str_eq(s, "3000");
	cr_assert_null(tg_split("[::1]:3000", h, s));
	cr_assert_str_eq(h, "::1");
	cr_assert_null(tg_split("127.0.0.1:http", h, s));
	cr_assert_str_eq(s, "http");
	cr_assert_not_null(tg_split("::1:3000", h, s), "ambiguous");
	cr_assert_not_null(tg_split("[::1:3000", h, s));
	cr_assert_not_null(tg_split("[::1]3000", h, s));
	cr_assert_not_null(tg_split("localhost", h, s));
	cr_assert_not_null(tg_split(":3000", h, s));
	cr_assert_not_null(tg_split("localhost:", h, s));
	cr_assert_not_null(tg_split("localhost:0", h, s));
	cr_assert_not_null(tg_split("localhost:70000", h, s));
	cr_assert_not_null(tg_split("localhost:3000000000000000000000000000000000000"
	    "0000000000000000000000000000000000", h, s), "too long");
}
