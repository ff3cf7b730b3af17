/*
 * The filter: bind and listen go to the supervisor, everything else to the
 * kernel.  Pure assembly (bw_sc_filter), unit-tested by running the
 * program; the child installs it before exec (bw_sc_child, child.c).
 *
 * x86_64 bind/listen are trapped unless arg 5 (unused by both) carries the
 * run's cookie: the shim's own calls, already reported, pass for free.
 * x32 calls (the X32 bit in the number) pass untouched: emulating them
 * would need their own pointer rules.  ia32 has bind and listen twice:
 * as calls of their own and behind socketcall(2).
 */
#include <sys/syscall.h>

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "scfilter.h"

/* Built without kernel headers (musl-gcc): no filter, the exec hooks
 * leave every image alone. */
#ifdef BW_HAVE_SECCOMP

#include <linux/audit.h>
#include <linux/net.h>
#include <linux/seccomp.h>

#define NR_IO_URING	425	/* io_uring_setup, both ABIs */

#define OFF_NR		offsetof(struct seccomp_data, nr)
#define OFF_ARCH	offsetof(struct seccomp_data, arch)
#define OFF_ARG(i, hi)	(offsetof(struct seccomp_data, args) + \
			    8 * (size_t)(i) + 4 * (size_t)(hi))

/* Labels: the program is written with names, then resolved. */
enum { L_NONE = 0, L_X64, L_IA32, L_COOKIE64, L_COOKIE32, L_SOCKCALL,
    L_NOTIF, L_ALLOW, L_ENOSYS, L_MAX };

struct asm {
	struct sock_filter	*p;
	size_t			 n, max;
	int			 jt[BW_SC_FILTER_MAX], jf[BW_SC_FILTER_MAX];
	size_t			 at[L_MAX];
	int			 bad;
};

static void
emit(struct asm *a, uint16_t code, uint32_t k, int jt, int jf)
{
	if (a->n >= a->max || a->n >= BW_SC_FILTER_MAX) {
		a->bad = 1;
		return;
	}
	a->p[a->n] = (struct sock_filter)BPF_STMT(code, k);
	a->jt[a->n] = jt;
	a->jf[a->n] = jf;
	a->n++;
}

static void
label(struct asm *a, int l)
{
	a->at[l] = a->n;
}

static void
ld(struct asm *a, uint32_t off)
{
	emit(a, BPF_LD | BPF_W | BPF_ABS, off, L_NONE, L_NONE);
}

/* if A == k goto jt else goto jf (L_NONE: the next instruction) */
static void
jeq(struct asm *a, uint32_t k, int jt, int jf)
{
	emit(a, BPF_JMP | BPF_JEQ | BPF_K, k, jt, jf);
}

static void
ret(struct asm *a, uint32_t k)
{
	emit(a, BPF_RET | BPF_K, k, L_NONE, L_NONE);
}

/* Jumps go forward only, at most 255 instructions. */
static int
resolve(struct asm *a)
{
	size_t i, t;

	for (i = 0; i < a->n; i++) {
		if (BPF_CLASS(a->p[i].code) != BPF_JMP)
			continue;
		t = a->jt[i] == L_NONE ? i + 1 : a->at[a->jt[i]];
		if (t <= i || t - i - 1 > 255)
			return -1;
		a->p[i].jt = (uint8_t)(t - i - 1);
		t = a->jf[i] == L_NONE ? i + 1 : a->at[a->jf[i]];
		if (t <= i || t - i - 1 > 255)
			return -1;
		a->p[i].jf = (uint8_t)(t - i - 1);
	}
	return 0;
}

/*
 * bind and listen first: with the arch, the shortest way to the cookie (the
 * shim's calls run this program; every other call is answered by the
 * kernel's action cache, as no other number reaches a load of an argument).
 * x32 numbers carry the X32 bit (0x40000000), so they equal none of
 * these and pass.
 */
static void
x64(struct asm *a, const struct bw_sc_fopts *o)
{
	int trap = o->cookie != 0 ? L_COOKIE64 : L_NOTIF;

	label(a, L_X64);
	ld(a, OFF_NR);
	jeq(a, SYS_bind, trap, L_NONE);
	jeq(a, SYS_listen, trap, L_NONE);
	if (o->no_io_uring)
		jeq(a, NR_IO_URING, L_ENOSYS, L_NONE);
	ret(a, SECCOMP_RET_ALLOW);
	if (o->cookie == 0)
		return;
	label(a, L_COOKIE64);
	ld(a, OFF_ARG(5, 0));
	jeq(a, (uint32_t)o->cookie, L_NONE, L_NOTIF);
	ld(a, OFF_ARG(5, 1));
	jeq(a, (uint32_t)(o->cookie >> 32), L_ALLOW, L_NOTIF);
}

static void
ia32(struct asm *a, const struct bw_sc_fopts *o)
{
	int trap = o->cookie != 0 ? L_COOKIE32 : L_NOTIF;

	label(a, L_IA32);
	ld(a, OFF_NR);
	jeq(a, 361, trap, L_NONE);		/* bind */
	jeq(a, 363, trap, L_NONE);		/* listen */
	jeq(a, 102, L_SOCKCALL, L_NONE);	/* socketcall */
	if (o->no_io_uring)
		jeq(a, NR_IO_URING, L_ENOSYS, L_NONE);
	ret(a, SECCOMP_RET_ALLOW);
	label(a, L_SOCKCALL);
	ld(a, OFF_ARG(0, 0));
	jeq(a, SYS_BIND, L_NOTIF, L_NONE);
	jeq(a, SYS_LISTEN, L_NOTIF, L_ALLOW);
	if (o->cookie == 0)
		return;
	/* A 32-bit register holds the cookie's low half only. */
	label(a, L_COOKIE32);
	ld(a, OFF_ARG(5, 0));
	jeq(a, (uint32_t)o->cookie, L_ALLOW, L_NOTIF);
}

/*
 * The program, into p (room for max instructions): its length, or 0 when
 * it does not fit.
 */
size_t
bw_sc_filter(struct sock_filter *p, size_t max, const struct bw_sc_fopts *o)
{
	struct asm a;

	memset(&a, 0, sizeof(a));
	a.p = p;
	a.max = max;
	ld(&a, OFF_ARCH);
	jeq(&a, AUDIT_ARCH_X86_64, L_X64, L_NONE);
	jeq(&a, AUDIT_ARCH_I386, L_IA32, L_ALLOW);
	x64(&a, o);
	ia32(&a, o);
	label(&a, L_NOTIF);
	ret(&a, SECCOMP_RET_USER_NOTIF);
	label(&a, L_ALLOW);
	ret(&a, SECCOMP_RET_ALLOW);
	label(&a, L_ENOSYS);
	ret(&a, SECCOMP_RET_ERRNO | ENOSYS);
	if (a.bad || resolve(&a) == -1)
		return 0;
	return a.n;
}

#endif
