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

#include "elfimage.h"
#include "scfilter.h"

enum bw_sc_mode { BW_SC_AUTO = 0, BW_SC_ALL, BW_SC_OFF };

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

int	 bw_sc_decode(uint32_t arch, int nr, const uint64_t args[6],
	    struct bw_sc_call *);
int	 bw_sc_decode_socketcall(struct bw_sc_call *, const uint32_t w[3]);
int	 bw_sc_port_refused(uint16_t, int, uint64_t);

int	 bw_sc_probe(char *, size_t);
void	 bw_sc_child(int sock, const struct bw_sc_fopts *);
int	 bw_sc_from_child(int sock, int *listener, int *err);

int	 bw_sc_wanted(const char *path, const char *shimbase);

#endif
