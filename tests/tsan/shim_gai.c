/*
 * shim/gai.c for the TSan build, with libc's getaddrinfo/freeaddrinfo
 * called through TSan's interceptors.  glibc synchronises inside
 * getaddrinfo with locks TSan cannot see (libc is not instrumented), so
 * TSan's interceptor ignores the accesses made inside it; the shim's own
 * real_getaddrinfo takes libc's function by dlsym(RTLD_NEXT), past the
 * interceptor, and TSan then reports libc's internal reuse of memory as
 * races (false positives, seen with clang 14).  Everything else of gai.c
 * is compiled as is.
 */
#define real_getaddrinfo	tsan_real_getaddrinfo
#define real_freeaddrinfo	tsan_real_freeaddrinfo
#include "../../shim/gai.c"	// NOLINT(bugprone-suspicious-include): on purpose, see above

int
tsan_real_getaddrinfo(const char *node, const char *service,
    const struct addrinfo *hints, struct addrinfo **res)
{
	return getaddrinfo(node, service, hints, res);
}

void
tsan_real_freeaddrinfo(struct addrinfo *ai)
{
	freeaddrinfo(ai);
}
