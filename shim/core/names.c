/*
 * Symbolic names for errno, EAI_* and signal numbers.  Tables, not
 * strerrorname_np(3): musl does not have it, and the names are part of the
 * JSON interface, so they must not depend on the libc.
 */
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <string.h>

#include "buf.h"
#include "names.h"

struct name {
	int		 v;
	const char	*s;
};

#define N(x)	{ x, #x }

static const struct name errnos[] = {
	N(EPERM), N(ENOENT), N(ESRCH), N(EINTR), N(EIO), N(ENXIO), N(E2BIG),
	N(ENOEXEC), N(EBADF), N(ECHILD), N(EAGAIN), N(ENOMEM), N(EACCES),
	N(EFAULT), N(EBUSY), N(EEXIST), N(ENODEV), N(ENOTDIR), N(EISDIR),
	N(EINVAL), N(ENFILE), N(EMFILE), N(ENOTTY), N(ENOSPC), N(EPIPE),
	N(EROFS), N(ENAMETOOLONG), N(ENOSYS), N(ELOOP), N(ENOTSOCK),
	N(EDESTADDRREQ), N(EMSGSIZE), N(EPROTOTYPE), N(ENOPROTOOPT),
	N(EPROTONOSUPPORT), N(ESOCKTNOSUPPORT), N(EOPNOTSUPP),
	N(EPFNOSUPPORT), N(EAFNOSUPPORT), N(EADDRINUSE), N(EADDRNOTAVAIL),
	N(ENETDOWN), N(ENETUNREACH), N(ECONNABORTED), N(ECONNRESET),
	N(ENOBUFS), N(EISCONN), N(ENOTCONN), N(ETIMEDOUT), N(ECONNREFUSED),
	N(EHOSTUNREACH), N(EALREADY), N(EINPROGRESS),
};

static const struct name eais[] = {
	{ 0, "0" },
	N(EAI_AGAIN), N(EAI_BADFLAGS), N(EAI_FAIL), N(EAI_FAMILY),
	N(EAI_MEMORY), N(EAI_NONAME), N(EAI_SERVICE), N(EAI_SOCKTYPE),
	N(EAI_SYSTEM), N(EAI_OVERFLOW),
#ifdef EAI_NODATA
	N(EAI_NODATA),
#endif
#ifdef EAI_ADDRFAMILY
	N(EAI_ADDRFAMILY),
#endif
};

static const struct name signals[] = {
	N(SIGHUP), N(SIGINT), N(SIGQUIT), N(SIGILL), N(SIGTRAP), N(SIGABRT),
	N(SIGBUS), N(SIGFPE), N(SIGKILL), N(SIGUSR1), N(SIGSEGV), N(SIGUSR2),
	N(SIGPIPE), N(SIGALRM), N(SIGTERM), N(SIGCHLD), N(SIGCONT),
	N(SIGSTOP), N(SIGTSTP), N(SIGTTIN), N(SIGTTOU), N(SIGXCPU),
	N(SIGXFSZ), N(SIGSYS),
};

#undef N

static const char *
lookup(const struct name *t, size_t n, int v, char *buf, unsigned len,
    const char *prefix)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].v == v)
			return t[i].s;
	struct bw_buf b;

	bw_buf_init(&b, buf, len);
	bw_buf_str(&b, prefix);
	bw_buf_i64(&b, v);
	return buf;
}

/* buf (16 bytes is enough) holds the name of a value not in the table. */
const char *
bw_errno_name(int e, char *buf, unsigned len)
{
	return lookup(errnos, sizeof(errnos) / sizeof(errnos[0]), e, buf, len,
	    "E");
}

const char *
bw_eai_name(int e, char *buf, unsigned len)
{
	return lookup(eais, sizeof(eais) / sizeof(eais[0]), e, buf, len,
	    "EAI_");
}

const char *
bw_signal_name(int s, char *buf, unsigned len)
{
	return lookup(signals, sizeof(signals) / sizeof(signals[0]), s, buf,
	    len, "SIG");
}
