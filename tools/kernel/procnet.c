/*
 * The /proc/net/{tcp,tcp6,udp,udp6} parser: one line into a struct bw_sock
 * (pure, fuzzed by tests/fuzz/fuzz_procnet.c), and the reading of one such
 * file into the table.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "kernel.h"
#include "netstate.h"

#include "netstate.h"

/* Tokens of a /proc/net line we need: sl local remote st ... uid timeout inode */
#define NTOK	10

/*
 * tm->when is printed in clock ticks (jiffies_delta_to_clock_t): USER_HZ,
 * 100 on every architecture Debian builds but alpha.
 */
#define USER_HZ	100

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Exactly n hex digits (n <= 8) into *v. */
static int
hex32(const char *s, size_t n, uint32_t *v)
{
	size_t i;
	int h;

	*v = 0;
	for (i = 0; i < n; i++) {
		if ((h = hexval((unsigned char)s[i])) == -1)
			return -1;
		*v = (*v << 4) | (uint32_t)h;
	}
	return 0;
}

/* Decimal digits only, no sign, no overflow past max. */
int
bw_procnet_dec64(const char *s, size_t n, uint64_t max, uint64_t *v)
{
	size_t i;

	*v = 0;
	if (n == 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (*v > (max - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		*v = *v * 10 + (uint64_t)(s[i] - '0');
	}
	return 0;
}

/*
 * "0100007F:0BB8": the kernel prints each 32-bit word of the address with
 * %08X of its value in host order, so copying the parsed value back into
 * memory restores the network-order bytes on any endianness.
 */
static int
parse_endpoint(const char *s, size_t n, int family, struct bw_sa *sa)
{
	size_t alen = family == AF_INET ? 8 : 32, i;
	uint32_t w, port;

	memset(sa, 0, sizeof(*sa));
	if (n != alen + 5 || s[alen] != ':')
		return -1;
	for (i = 0; i < alen / 8; i++) {
		if (hex32(s + i * 8, 8, &w) == -1)
			return -1;
		memcpy(sa->addr + i * 4, &w, 4);
	}
	if (hex32(s + alen + 1, 4, &port) == -1)
		return -1;
	sa->family = (uint16_t)family;
	sa->port = (uint16_t)port;
	return 0;
}

int
bw_procnet_parse_line(const char *line, int proto, int family, struct bw_sock *s)
{
	const char *tok[NTOK];
	size_t len[NTOK], nt = 0, i;
	const char *p = line;
	uint32_t st, w;
	uint64_t v;

	memset(s, 0, sizeof(*s));
	if (line == NULL || (family != AF_INET && family != AF_INET6) ||
	    (proto != BW_PROTO_TCP && proto != BW_PROTO_UDP))
		return -1;
	while (nt < NTOK) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '\n')
			break;
		tok[nt] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n')
			p++;
		len[nt] = (size_t)(p - tok[nt]);
		nt++;
	}
	if (nt >= 1 && len[0] == 2 && memcmp(tok[0], "sl", 2) == 0)
		return 0;
	if (nt < NTOK)
		return -1;

	/* "12:" */
	if (len[0] < 2 || tok[0][len[0] - 1] != ':' ||
	    bw_procnet_dec64(tok[0], len[0] - 1, UINT32_MAX, &v) == -1)
		return -1;
	if (parse_endpoint(tok[1], len[1], family, &s->local) == -1 ||
	    parse_endpoint(tok[2], len[2], family, &s->remote) == -1)
		return -1;
	if (len[3] != 2 || hex32(tok[3], 2, &st) == -1)
		return -1;
	/* tx_queue:rx_queue, tr:tm->when, retrnsmt: shape only. */
	for (i = 4; i <= 6; i++) {
		size_t j;

		for (j = 0; j < len[i]; j++)
			if (hexval((unsigned char)tok[i][j]) == -1 &&
			    tok[i][j] != ':')
				return -1;
	}
	if (bw_procnet_dec64(tok[7], len[7], UINT32_MAX - 1, &v) == -1)
		return -1;
	s->uid = (uid_t)v;
	/* timeout may be negative in old kernels: tolerate a sign. */
	if (bw_procnet_dec64(tok[8] + (tok[8][0] == '-'),
	    len[8] - (tok[8][0] == '-'), UINT64_MAX, &v) == -1)
		return -1;
	if (bw_procnet_dec64(tok[9], len[9], UINT64_MAX, &v) == -1)
		return -1;
	s->inode = v;
	s->proto = (uint8_t)proto;
	s->state = (uint8_t)st;
	s->reuseport = -1;
	s->v6only = -1;
	/* "tr:tm->when": a TIME_WAIT socket's timer (tr 3) is how long it
	 * stays. */
	if (proto == BW_PROTO_TCP && st == BW_TCP_TIME_WAIT && len[5] == 11 &&
	    tok[5][2] == ':' && hex32(tok[5] + 3, 8, &w) == 0)
		s->expires_ms = (uint32_t)((uint64_t)w * 1000 / USER_HZ);
	return 1;
}

int
bw_ns_wanted(const struct bw_sock *s, int flags)
{
	if (flags & BW_NS_ALL)
		return 1;
	if (s->proto == BW_PROTO_TCP)
		return s->state == BW_TCP_LISTEN;
	return s->state == BW_UDP_UNCONN;
}

int
bw_ns_push(struct bw_netstate *ns, size_t *cap, const struct bw_sock *s)
{
	if (ns->nsocks == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		struct bw_sock *n;

		if ((n = reallocarray(ns->socks, ncap, sizeof(*n))) == NULL)
			return -1;
		ns->socks = n;
		*cap = ncap;
	}
	ns->socks[ns->nsocks++] = *s;
	return 0;
}

/* One /proc/net file; a missing one (no IPv6) is not an error. */
int
bw_procnet_read(struct bw_netstate *ns, size_t *cap, const char *path,
    int proto, int family, int flags)
{
	struct bw_sock s;
	char *line = NULL;
	size_t lcap = 0;
	FILE *f;
	int r, ret = 0;

	if ((f = fopen(path, "re")) == NULL)
		return errno == ENOENT ? 0 : -1;
	while (getline(&line, &lcap, f) != -1) {
		r = bw_procnet_parse_line(line, proto, family, &s);
		if (r == -1)
			ns->malformed++;
		else if (r == 1 && bw_ns_wanted(&s, flags) &&
		    bw_ns_push(ns, cap, &s) == -1) {
			ret = -1;
			break;
		}
	}
	free(line);
	(void)fclose(f);	/* read-only: nothing to lose */
	return ret;
}
