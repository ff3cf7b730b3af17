/*
 * A descriptor of ours and the inode it had, packed in one atomic word so
 * readers never see one without the other: inode << 20 | fd.  0: none.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>

#include "contract.h"
#include "ownfd.h"
#include "real.h"
#include "sockcache.h"

#define FD_BITS		20
#define FD_MASK		((1u << FD_BITS) - 1)

uint64_t
bw_ownfd_pack(int fd, const struct stat *st)
{
	if (fd < 0 || (unsigned)fd > FD_MASK || st->st_ino >= (1ull << 44))
		return 0;
	return ((uint64_t)st->st_ino << FD_BITS) | (uint64_t)fd;
}

/* The descriptor if it is still ours, else -1. */
int
bw_ownfd_get(uint64_t v)
{
	struct stat st;
	int fd = (int)(v & FD_MASK);

	if (v == 0 || fstat(fd, &st) == -1 || (uint64_t)st.st_ino != v >> FD_BITS)
		return -1;
	return fd;
}

/* Close one of ours, forgotten as the close hook would: the number may
 * come back to the program by a call the cache does not see. */
void
bw_ownfd_close(int fd)
{
	bw_sockcache_forget(fd);
	(void)real_close(fd);
}

/* Move fd above the numbers the program is likely to expect free. */
int
bw_ownfd_move_high(int fd)
{
	int nfd = fcntl(fd, F_DUPFD_CLOEXEC, BINDWATCH_HIGH_FD);

	if (nfd == -1)
		return fd;
	bw_ownfd_close(fd);
	return nfd;
}

/* Install fd in slot unless another thread was faster; returns the winner. */
int
bw_ownfd_publish(atomic_uint_fast64_t *slot, uint64_t old, int fd)
{
	struct stat st;
	uint64_t v;

	if (fstat(fd, &st) == -1 || (v = bw_ownfd_pack(fd, &st)) == 0) {
		bw_ownfd_close(fd);
		return -1;
	}
	if (!atomic_compare_exchange_strong(slot, &old, v)) {
		bw_ownfd_close(fd);
		return bw_ownfd_get(old);
	}
	return fd;
}
