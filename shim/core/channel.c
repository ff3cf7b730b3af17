/*
 * Pure: the value of BINDWATCH_COLLECTOR_FD, written by the CLI and read
 * by the shim.  The CLI hands the whole tree one connection to its
 * collector, a descriptor inherited across fork and exec, so that a new
 * process image costs no connect and the collector no accept.  The inode
 * tells the shim whether the descriptor is still that socket: a program
 * may have closed it, or put something else at its number.
 */
#include <stddef.h>
#include <stdint.h>

#include "channel.h"

/* Decimal digits of s into *v; the rest of s, or NULL. */
static const char *
number(const char *s, uint64_t max, uint64_t *v)
{
	const char *p = s;

	for (*v = 0; *p >= '0' && *p <= '9'; p++) {
		if (*v > (max - (uint64_t)(*p - '0')) / 10)
			return NULL;
		*v = *v * 10 + (uint64_t)(*p - '0');
	}
	return p == s ? NULL : p;
}

/* "FD:INODE": 0, or -1 when it is anything else. */
int
bw_channel_parse(const char *s, int *fd, uint64_t *ino)
{
	uint64_t f;

	if (s == NULL || (s = number(s, INT32_MAX, &f)) == NULL ||
	    *s++ != ':' || (s = number(s, UINT64_MAX, ino)) == NULL ||
	    *s != '\0' || *ino == 0)
		return -1;
	*fd = (int)f;
	return 0;
}

/* The value for fd and ino into buf: its length, or -1 if it cannot be. */
int
bw_channel_format(char *buf, size_t len, int fd, uint64_t ino)
{
	char tmp[48];
	size_t n = 0, i;
	uint64_t v;
	int part;

	if (fd < 0 || ino == 0)
		return -1;
	/* Written backwards: inode, ':', descriptor. */
	for (part = 0; part < 2; part++) {
		v = part == 0 ? ino : (uint64_t)fd;
		do {
			tmp[n++] = (char)('0' + v % 10);
			v /= 10;
		} while (v != 0);
		if (part == 0)
			tmp[n++] = ':';
	}
	if (n + 1 > len)
		return -1;
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return (int)n;
}
