/*
 * shim/core/names.c: errno, EAI_* and signal names are part of the JSON
 * interface, so they come from our tables, the same with every libc.
 */
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <signal.h>
#include <string.h>

#include <criterion/criterion.h>

#include "names.h"

Test(names, errno_known)
{
	static const struct {
		int		 v;
		const char	*s;
	} t[] = {
		{ EADDRINUSE, "EADDRINUSE" }, { EADDRNOTAVAIL, "EADDRNOTAVAIL" },
		{ EACCES, "EACCES" }, { EPERM, "EPERM" }, { EINVAL, "EINVAL" },
		{ EFAULT, "EFAULT" }, { EBADF, "EBADF" }, { ENOTSOCK, "ENOTSOCK" },
		{ EAFNOSUPPORT, "EAFNOSUPPORT" }, { EMFILE, "EMFILE" },
		{ EOPNOTSUPP, "EOPNOTSUPP" }, { EINPROGRESS, "EINPROGRESS" },
		{ EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" }, { EINTR, "EINTR" },
	};
	char buf[16];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		cr_expect_str_eq(bw_errno_name(t[i].v, buf, sizeof(buf)), t[i].s);
}

Test(names, errno_unknown_is_numeric)
{
	char buf[16];

	cr_expect_str_eq(bw_errno_name(4000, buf, sizeof(buf)), "E4000");
	cr_expect_str_eq(bw_errno_name(0, buf, sizeof(buf)), "E0");
	cr_expect_str_eq(bw_errno_name(-3, buf, sizeof(buf)), "E-3");
	/* 16 bytes are enough for any int. */
	cr_expect_str_eq(bw_errno_name(INT_MIN, buf, sizeof(buf)), "E-2147483648");
}

Test(names, eai)
{
	char buf[16];

	cr_expect_str_eq(bw_eai_name(EAI_NONAME, buf, sizeof(buf)), "EAI_NONAME");
	cr_expect_str_eq(bw_eai_name(EAI_AGAIN, buf, sizeof(buf)), "EAI_AGAIN");
	cr_expect_str_eq(bw_eai_name(EAI_SYSTEM, buf, sizeof(buf)), "EAI_SYSTEM");
	cr_expect_str_eq(bw_eai_name(EAI_FAMILY, buf, sizeof(buf)), "EAI_FAMILY");
	cr_expect_str_eq(bw_eai_name(EAI_SERVICE, buf, sizeof(buf)), "EAI_SERVICE");
	cr_expect_str_eq(bw_eai_name(0, buf, sizeof(buf)), "0");
	cr_expect_str_eq(bw_eai_name(12345, buf, sizeof(buf)), "EAI_12345");
	cr_expect_str_eq(bw_eai_name(INT_MIN, buf, sizeof(buf)), "EAI_-2147483648");
}

Test(names, signals)
{
	char buf[16];

	cr_expect_str_eq(bw_signal_name(SIGKILL, buf, sizeof(buf)), "SIGKILL");
	cr_expect_str_eq(bw_signal_name(SIGTERM, buf, sizeof(buf)), "SIGTERM");
	cr_expect_str_eq(bw_signal_name(SIGSEGV, buf, sizeof(buf)), "SIGSEGV");
	cr_expect_str_eq(bw_signal_name(SIGPIPE, buf, sizeof(buf)), "SIGPIPE");
	cr_expect_str_eq(bw_signal_name(64, buf, sizeof(buf)), "SIG64");
	cr_expect_str_eq(bw_signal_name(0, buf, sizeof(buf)), "SIG0");
}

Test(names, small_buffer_never_overruns)
{
	char buf[8];

	/* A known name does not use buf at all. */
	memset(buf, 'X', sizeof(buf));
	cr_expect_str_eq(bw_errno_name(EADDRINUSE, buf, 1), "EADDRINUSE");
	cr_expect_eq(buf[0], 'X');
	/* An unknown one that does not fit: cut between pieces, terminated. */
	cr_expect_str_eq(bw_errno_name(123456, buf, 4), "E");
	cr_expect_eq(buf[4], 'X');
	memset(buf, 'X', sizeof(buf));
	cr_expect_str_eq(bw_signal_name(99, buf, 1), "");
	cr_expect_eq(buf[1], 'X');
}
