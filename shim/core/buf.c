/* A bounded string builder for places where printf is not allowed. */
#include <string.h>

#include "buf.h"

void
bw_buf_init(struct bw_buf *b, char *p, size_t len)
{
	b->p = p;
	b->len = len;
	b->off = 0;
	b->full = len == 0;
	if (len > 0)
		p[0] = '\0';
}

/* All or nothing: a piece that does not fit is left out whole. */
void
bw_buf_mem(struct bw_buf *b, const char *s, size_t n)
{
	if (b->full || b->len - 1 - b->off < n) {
		b->full = 1;
		return;
	}
	memcpy(b->p + b->off, s, n);
	b->off += n;
	b->p[b->off] = '\0';
}

void
bw_buf_str(struct bw_buf *b, const char *s)
{
	bw_buf_mem(b, s, strlen(s));
}

void
bw_buf_u64(struct bw_buf *b, uint64_t v)
{
	char d[24];
	size_t i = sizeof(d);

	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	bw_buf_mem(b, d + i, sizeof(d) - i);
}

void
bw_buf_i64(struct bw_buf *b, int64_t v)
{
	if (v < 0) {
		bw_buf_mem(b, "-", 1);
		bw_buf_u64(b, (uint64_t)0 - (uint64_t)v);
	} else
		bw_buf_u64(b, (uint64_t)v);
}
