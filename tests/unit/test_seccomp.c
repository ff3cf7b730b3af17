/*
 * The seccomp supervisor's pure parts: the filter, run through a small
 * classic-BPF interpreter on made-up system calls; the decoding of a
 * notification (x86_64, ia32, socketcall); Go's build-id note.
 */
#include <criterion/criterion.h>

#include <linux/audit.h>
#include <linux/net.h>
#include <linux/seccomp.h>

#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "seccomp.h"

/* What a run did: instructions run, loads of other than arch and nr. */
struct trace {
	int	steps;
	int	argloads;
};

/* Just what the filter uses: LD W ABS, JEQ/JGE K, RET K. */
static uint32_t
run_traced(const struct sock_filter *p, size_t n,
    const struct seccomp_data *d, struct trace *t)
{
	uint32_t a = 0;
	size_t pc = 0;

	while (pc < n) {
		const struct sock_filter *f = &p[pc];

		t->steps++;
		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			cr_assert(f->k + 4 <= sizeof(*d) && f->k % 4 == 0);
			memcpy(&a, (const char *)d + f->k, 4);
			if (f->k != offsetof(struct seccomp_data, nr) &&
			    f->k != offsetof(struct seccomp_data, arch))
				t->argloads++;
			pc++;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += 1 + (a == f->k ? f->jt : f->jf);
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			pc += 1 + (a >= f->k ? f->jt : f->jf);
			break;
		case BPF_RET | BPF_K:
			return f->k;
		default:
			cr_assert_fail("unexpected instruction %#x", f->code);
		}
	}
	cr_assert_fail("ran off the end");
	return 0;
}

static uint32_t
verdict_traced(const struct bw_sc_fopts *o, uint32_t arch, int nr,
    uint64_t a0, uint64_t a5, struct trace *t)
{
	struct sock_filter p[BW_SC_FILTER_MAX];
	struct seccomp_data d;
	size_t n = bw_sc_filter(p, BW_SC_FILTER_MAX, o);

	cr_assert(n > 0);
	memset(&d, 0, sizeof(d));
	d.arch = arch;
	d.nr = nr;
	d.args[0] = a0;
	d.args[5] = a5;
	return run_traced(p, n, &d, t);
}

static uint32_t
verdict(const struct bw_sc_fopts *o, uint32_t arch, int nr, uint64_t a0,
    uint64_t a5)
{
	struct trace t = { 0, 0 };

	return verdict_traced(o, arch, nr, a0, a5, &t);
}

#define NOTIF	SECCOMP_RET_USER_NOTIF
#define ALLOW	SECCOMP_RET_ALLOW
#define X64	AUDIT_ARCH_X86_64
#define IA32	AUDIT_ARCH_I386

Test(seccomp_filter, traps_bind_and_listen_only)
{
	struct bw_sc_fopts o = { 0, 0 };

	cr_assert_eq(verdict(&o, X64, 49, 3, 0), NOTIF);	/* bind */
	cr_assert_eq(verdict(&o, X64, 50, 3, 0), NOTIF);	/* listen */
	cr_assert_eq(verdict(&o, X64, 42, 3, 0), ALLOW);	/* connect */
	cr_assert_eq(verdict(&o, X64, 425, 3, 0), ALLOW);	/* io_uring */
	cr_assert_eq(verdict(&o, AUDIT_ARCH_AARCH64, 200, 3, 0), ALLOW);
}

Test(seccomp_filter, x32_passes_untouched)
{
	struct bw_sc_fopts o = { 0, 1 };

	cr_assert_eq(verdict(&o, X64, 0x40000000 | 49, 3, 0), ALLOW);
	cr_assert_eq(verdict(&o, X64, 0x40000000 | 50, 3, 0), ALLOW);
	cr_assert_eq(verdict(&o, X64, 0x40000000 | 425, 3, 0), ALLOW);
}

Test(seccomp_filter, ia32_direct_and_socketcall)
{
	struct bw_sc_fopts o = { 0, 0 };

	cr_assert_eq(verdict(&o, IA32, 361, 3, 0), NOTIF);
	cr_assert_eq(verdict(&o, IA32, 363, 3, 0), NOTIF);
	cr_assert_eq(verdict(&o, IA32, 102, SYS_BIND, 0), NOTIF);
	cr_assert_eq(verdict(&o, IA32, 102, SYS_LISTEN, 0), NOTIF);
	cr_assert_eq(verdict(&o, IA32, 102, SYS_CONNECT, 0), ALLOW);
	/* 49 is not bind on ia32 */
	cr_assert_eq(verdict(&o, IA32, 49, 3, 0), ALLOW);
}

Test(seccomp_filter, the_cookie_passes)
{
	struct bw_sc_fopts o = { 0x1122334455667788ULL, 0 };

	cr_assert_eq(verdict(&o, X64, 49, 3, o.cookie), ALLOW);
	cr_assert_eq(verdict(&o, X64, 50, 3, o.cookie), ALLOW);
	/* half a cookie is none */
	cr_assert_eq(verdict(&o, X64, 49, 3, 0x55667788ULL), NOTIF);
	cr_assert_eq(verdict(&o, X64, 49, 3, 0x1122334400000000ULL), NOTIF);
	cr_assert_eq(verdict(&o, X64, 49, 3, 0), NOTIF);
	/* ia32 registers hold the low half */
	cr_assert_eq(verdict(&o, IA32, 361, 3, 0x55667788ULL), ALLOW);
	cr_assert_eq(verdict(&o, IA32, 361, 3, 0), NOTIF);
}

Test(seccomp_filter, no_io_uring_is_enosys)
{
	struct bw_sc_fopts o = { 0, 1 };

	cr_assert_eq(verdict(&o, X64, 425, 3, 0), SECCOMP_RET_ERRNO | ENOSYS);
	cr_assert_eq(verdict(&o, IA32, 425, 3, 0), SECCOMP_RET_ERRNO | ENOSYS);
	cr_assert_eq(verdict(&o, X64, 426, 3, 0), ALLOW);
	cr_assert_eq(verdict(&o, X64, 49, 3, 0), NOTIF);
}

/*
 * The kernel's action cache (5.11+) answers a system call without running
 * the program when, for its arch and number, the program allows it
 * without looking at anything else.  Every call but the trapped ones must
 * qualify: all of nginx's data path goes that way.
 */
Test(seccomp_filter, other_calls_are_cacheable)
{
	static const struct { uint32_t arch; int trapped[4]; } abi[] = {
		{ X64, { 49, 50, 425, -1 } },
		{ IA32, { 361, 363, 102, 425 } },
	};
	struct bw_sc_fopts o = { 0x1122334455667788ULL, 1 };
	struct trace t;
	size_t i, j;
	int nr, skip;

	for (i = 0; i < sizeof(abi) / sizeof(abi[0]); i++)
		for (nr = 0; nr < 512; nr++) {
			skip = 0;
			for (j = 0; j < 4; j++)
				skip |= abi[i].trapped[j] == nr;
			if (skip)
				continue;
			memset(&t, 0, sizeof(t));
			cr_assert_eq(verdict_traced(&o, abi[i].arch, nr, 7,
			    0xffffffffffffffffULL, &t), ALLOW);
			cr_assert_eq(t.argloads, 0, "arch %#x nr %d reads "
			    "an argument", abi[i].arch, nr);
		}
}

/*
 * The shim's own bind and listen run the program (the cache cannot answer
 * a call whose verdict hangs on an argument): the shortest way there is
 * the arch, the number, the cookie's two halves.
 */
Test(seccomp_filter, the_cookie_path_is_short)
{
	struct bw_sc_fopts o = { 0x1122334455667788ULL, 1 };
	struct trace t = { 0, 0 };

	cr_assert_eq(verdict_traced(&o, X64, 49, 3, o.cookie, &t), ALLOW);
	cr_assert_leq(t.steps, 9, "bind with the cookie: %d steps", t.steps);
	memset(&t, 0, sizeof(t));
	cr_assert_eq(verdict_traced(&o, X64, 50, 3, o.cookie, &t), ALLOW);
	cr_assert_leq(t.steps, 10, "listen with the cookie: %d steps",
	    t.steps);
}

Test(seccomp_filter, too_small_a_buffer_is_refused)
{
	struct sock_filter p[4];
	struct bw_sc_fopts o = { 0, 0 };

	cr_assert_eq(bw_sc_filter(p, 4, &o), 0);
}

Test(seccomp_decode, x86_64)
{
	uint64_t a[6] = { 7, 0x7fff00001000ULL, 16, 0, 0, 0 };
	struct bw_sc_call c;

	cr_assert_eq(bw_sc_decode(X64, 49, a, &c), 0);
	cr_assert_eq(c.kind, BW_SC_BIND);
	cr_assert_eq(c.fd, 7);
	cr_assert_eq(c.addr, 0x7fff00001000ULL);
	cr_assert_eq(c.len, 16);
	a[1] = 128;
	cr_assert_eq(bw_sc_decode(X64, 50, a, &c), 0);
	cr_assert_eq(c.kind, BW_SC_LISTEN);
	cr_assert_eq(c.backlog, 128);
	cr_assert_eq(bw_sc_decode(X64, 42, a, &c), -1);
}

Test(seccomp_decode, ia32_pointers_are_32_bits)
{
	uint64_t a[6] = { 5, 0xdeadbeef08049000ULL, 28, 0, 0, 0 };
	struct bw_sc_call c;

	cr_assert_eq(bw_sc_decode(IA32, 361, a, &c), 0);
	cr_assert_eq(c.kind, BW_SC_BIND);
	cr_assert_eq(c.addr, 0x08049000ULL);
	cr_assert(c.compat);
}

Test(seccomp_decode, socketcall)
{
	uint64_t a[6] = { SYS_BIND, 0xffd0, 0, 0, 0, 0 };
	uint32_t w[3] = { 4, 0x0804a000, 16 };
	struct bw_sc_call c;

	cr_assert_eq(bw_sc_decode(IA32, 102, a, &c), 0);
	cr_assert_eq(c.kind, BW_SC_SOCKETCALL);
	cr_assert_eq(c.argv, 0xffd0);
	cr_assert_eq(bw_sc_decode_socketcall(&c, w), 0);
	cr_assert_eq(c.kind, BW_SC_BIND);
	cr_assert_eq(c.fd, 4);
	cr_assert_eq(c.addr, 0x0804a000);
	cr_assert_eq(c.len, 16);

	a[0] = SYS_LISTEN;
	w[1] = 511;
	cr_assert_eq(bw_sc_decode(IA32, 102, a, &c), 0);
	cr_assert_eq(bw_sc_decode_socketcall(&c, w), 0);
	cr_assert_eq(c.kind, BW_SC_LISTEN);
	cr_assert_eq(c.backlog, 511);

	a[0] = SYS_CONNECT;
	cr_assert_eq(bw_sc_decode(IA32, 102, a, &c), -1);
}

/* An ELF64 header, one PT_NOTE, and the notes at 0x100. */
static size_t
elf_with_note(unsigned char *buf, size_t len, const char *name,
    uint32_t namesz, uint32_t type)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	uint32_t desc = 8, off = 0x100;

	memset(buf, 0, len);
	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_phoff = sizeof(eh);
	eh.e_phentsize = sizeof(ph);
	eh.e_phnum = 1;
	memcpy(buf, &eh, sizeof(eh));
	memset(&ph, 0, sizeof(ph));
	ph.p_type = PT_NOTE;
	ph.p_offset = off;
	ph.p_filesz = 12 + ((namesz + 3) & ~3U) + desc;
	memcpy(buf + sizeof(eh), &ph, sizeof(ph));
	memcpy(buf + off, &namesz, 4);
	memcpy(buf + off + 4, &desc, 4);
	memcpy(buf + off + 8, &type, 4);
	memcpy(buf + off + 12, name, namesz);
	return off + ph.p_filesz;
}

Test(seccomp_go, build_id_note)
{
	unsigned char buf[512];
	size_t n;

	n = elf_with_note(buf, sizeof(buf), "Go\0\0", 4, 4);
	cr_assert(bw_elf_is_go(buf, n));
	n = elf_with_note(buf, sizeof(buf), "Go", 3, 4);
	cr_assert(bw_elf_is_go(buf, n));
	n = elf_with_note(buf, sizeof(buf), "GNU", 4, 3);
	cr_assert(!bw_elf_is_go(buf, n));
	n = elf_with_note(buf, sizeof(buf), "Go\0\0", 4, 1);
	cr_assert(!bw_elf_is_go(buf, n));
	/* the note cut off by the end of what was read */
	n = elf_with_note(buf, sizeof(buf), "Go\0\0", 4, 4);
	cr_assert(!bw_elf_is_go(buf, 0x108));
	cr_assert(!bw_elf_is_go((const unsigned char *)"#!/bin/sh\n", 10));
}

Test(seccomp_policy, privileged_ports_follow_the_target)
{
	uint64_t bind_cap = 1ULL << 10;

	cr_assert(bw_sc_port_refused(80, 1024, 0));
	cr_assert(!bw_sc_port_refused(80, 1024, bind_cap));
	cr_assert(!bw_sc_port_refused(8080, 1024, 0));
	cr_assert(!bw_sc_port_refused(0, 1024, 0));
	/* ip_unprivileged_port_start=0: every port is anyone's */
	cr_assert(!bw_sc_port_refused(80, 0, 0));
	cr_assert(bw_sc_port_refused(1023, 1024, ~bind_cap));
}
