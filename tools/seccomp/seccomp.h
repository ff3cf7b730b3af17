/*
 * Programs the shim cannot see (static, Go, another ELF class): a seccomp
 * filter installed before exec sends their bind and listen to a
 * supervisor inside bindwatch (SECCOMP_RET_USER_NOTIF), which reports
 * them and applies the same policies as the shim.
 */
#ifndef BW_SECCOMP_H
#define BW_SECCOMP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/filter.h>

enum bw_sc_mode { BW_SC_AUTO = 0, BW_SC_ALL, BW_SC_OFF };

/* What the filter does, decided before the fork. */
struct bw_sc_fopts {
	uint64_t	cookie;		/* in arg 5: the shim's own calls pass */
	int		no_io_uring;	/* io_uring_setup fails with ENOSYS */
};

/* One trapped call, decoded (pure: sockcall.c). */
enum { BW_SC_OTHER = 0, BW_SC_BIND, BW_SC_LISTEN, BW_SC_SOCKETCALL };

struct bw_sc_call {
	int		kind;
	int		fd;
	uint64_t	addr;		/* bind: the sockaddr in the target */
	uint32_t	len;
	int		backlog;
	int		sub;		/* BW_SC_SOCKETCALL: SYS_BIND, SYS_LISTEN */
	uint64_t	argv;		/* BW_SC_SOCKETCALL: its argument array */
	int		compat;		/* ia32: 32-bit words */
};

#define BW_SC_FILTER_MAX	32

/* What the child tells the parent before exec. */
enum {
	BW_SC_ST_OK = 0,	/* a listener follows */
	BW_SC_ST_BUSY,		/* the program has its own listener */
	BW_SC_ST_FAIL,		/* seccomp refused (errno follows) */
};
#define BW_SC_NNP	0x100	/* status bit: no_new_privs was set */

size_t	 bw_sc_filter(struct sock_filter *, size_t, const struct bw_sc_fopts *);
int	 bw_sc_decode(uint32_t arch, int nr, const uint64_t args[6],
	    struct bw_sc_call *);
int	 bw_sc_decode_socketcall(struct bw_sc_call *, const uint32_t w[3]);
int	 bw_sc_port_refused(uint16_t, int, uint64_t);

int	 bw_sc_probe(char *, size_t);
void	 bw_sc_child(int sock, const struct bw_sc_fopts *);
int	 bw_sc_from_child(int sock, int *listener, int *err);

int	 bw_sc_wanted(const char *path, const char *shimbase);
int	 bw_elf_is_go(const unsigned char *, size_t);

#endif
