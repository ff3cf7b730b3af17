/*
 * The seccomp filter's program (scfilter.c), pure: built by the CLI for
 * the command it starts and by the shim for a blind image it executes.
 */
#ifndef BW_SCFILTER_H
#define BW_SCFILTER_H

#include <stddef.h>
#include <stdint.h>

#if __has_include(<linux/filter.h>)
#define BW_HAVE_SECCOMP	1
#include <linux/filter.h>
#endif

/* What the filter does, decided before the fork. */
struct bw_sc_fopts {
	uint64_t	cookie;		/* in arg 5: the shim's own calls pass */
	int		no_io_uring;	/* io_uring_setup fails with ENOSYS */
};

#define BW_SC_FILTER_MAX	32

/* What the installer tells bindwatch before exec. */
enum {
	BW_SC_ST_OK = 0,	/* a listener follows */
	BW_SC_ST_BUSY,		/* the program has its own listener */
	BW_SC_ST_FAIL,		/* seccomp refused (errno follows) */
};
#define BW_SC_NNP	0x100	/* status bit: no_new_privs was set */

/* The flags every listener of ours is installed with. */
#define BW_SC_INSTALL_FLAGS	(SECCOMP_FILTER_FLAG_NEW_LISTENER | \
				    SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)

#ifdef BW_HAVE_SECCOMP
size_t	 bw_sc_filter(struct sock_filter *, size_t, const struct bw_sc_fopts *);
#endif

#endif
