/*
 * A bounded string builder.  The shim formats on hook paths, where the
 * printf family is off limits (it may allocate or take locks), so this
 * does the little formatting we need by hand.  Once full it stays full
 * and keeps the text NUL-terminated and cut between pieces.
 */
#ifndef BW_BUF_H
#define BW_BUF_H

#include <stddef.h>
#include <stdint.h>

struct bw_buf {
	char	*p;
	size_t	 len;	/* capacity, with the NUL */
	size_t	 off;
	int	 full;
};

void	bw_buf_init(struct bw_buf *, char *, size_t);
void	bw_buf_mem(struct bw_buf *, const char *, size_t);
void	bw_buf_str(struct bw_buf *, const char *);
void	bw_buf_u64(struct bw_buf *, uint64_t);
void	bw_buf_i64(struct bw_buf *, int64_t);

#endif
