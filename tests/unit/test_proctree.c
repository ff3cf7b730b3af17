/* Parsing /proc/PID/stat and the ELF checks made before a run. */
#include <criterion/criterion.h>

#include <sys/wait.h>

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

Test(proctree, children_file_text)
{
	pid_t *q = NULL;
	size_t n = 0, cap = 0;
	const char *t = "12 345 7 ";

	cr_assert_eq(bw_children_parse(t, strlen(t), &q, &n, &cap), 0);
	cr_assert_eq(n, 3);
	cr_expect_eq(q[0], 12);
	cr_expect_eq(q[1], 345);
	cr_expect_eq(q[2], 7);
	cr_assert_eq(bw_children_parse("", 0, &q, &n, &cap), 0);
	cr_expect_eq(n, 3);
	cr_expect_eq(bw_children_parse("99999999999 ", 12, &q, &n, &cap), -1);
	free(q);
}

/* A real tree: two children, one grandchild, all found. */
Test(proctree, real_tree)
{
	int go[2], ready[2];
	pid_t kid[2], *pids;
	size_t n, i, found = 0;
	char c;

	cr_assert_eq(pipe(go), 0);
	cr_assert_eq(pipe(ready), 0);
	for (i = 0; i < 2; i++) {
		cr_assert_neq(kid[i] = fork(), -1);
		if (kid[i] == 0) {
			close(go[1]);
			if (i == 1 && fork() == 0) {
				(void)!write(ready[1], "g", 1);
				(void)!read(go[0], &c, 1);
				_exit(0);
			}
			(void)!write(ready[1], "k", 1);
			(void)!read(go[0], &c, 1);
			_exit(0);
		}
	}
	for (i = 0; i < 3; i++)
		cr_assert_eq(read(ready[0], &c, 1), 1);
	cr_assert_eq(bw_proctree("/proc", getpid(), &pids, &n), 0);
	close(go[1]);
	for (i = 0; i < n; i++)
		found += pids[i] == kid[0] || pids[i] == kid[1];
	cr_expect_eq(n, 3, "descendants: %zu", n);
	cr_expect_eq(found, 2);
	free(pids);
	while (wait(NULL) > 0)
		;
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
