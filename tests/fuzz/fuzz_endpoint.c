/*
 * libFuzzer: ADDR, ADDR:PORT, [V6]:PORT and bare addresses (the syntax of
 * BINDWATCH_DENY, BINDWATCH_FORCE and `bindwatch which`).  What parses
 * formats, and what it formats parses back to the same endpoint.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "check.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
same(const struct bw_sa *a, const struct bw_sa *b)
{
	return bw_sa_equal(a, b, 1) && a->scope_id == b->scope_id;
}

static void
sockaddr_round_trip(const struct bw_sa *sa)
{
	struct sockaddr_storage ss;
	struct bw_sa back;
	size_t n;

	n = bw_sa_to_sockaddr(sa, &ss);
	CHECK(n > 0 && n <= sizeof(ss));
	CHECK(bw_sa_from_sockaddr(&back, (struct sockaddr *)&ss, n) == 0);
	CHECK(same(sa, &back));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, buf[BW_ADDRSTRLEN];
	struct bw_sa sa, back;
	uint16_t port;
	int hp, hp2;

	/* The parsers take C strings. */
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	if (bw_sa_parse_endpoint(s, &sa, &hp) == 0) {
		CHECK(sa.family == AF_INET || sa.family == AF_INET6);
		CHECK(hp || sa.port == 0);
		(void)bw_sa_class(&sa);
		bw_sa_format(&sa, buf, sizeof(buf), 0);
		CHECK(strlen(buf) < sizeof(buf) - 1);
		CHECK(bw_sa_parse_endpoint(buf, &back, &hp2) == 0);
		CHECK(hp2 == 1 && same(&sa, &back));
		sockaddr_round_trip(&sa);
	}
	if (bw_sa_parse_addr(s, &sa) == 0) {
		CHECK(sa.port == 0);
		bw_sa_format(&sa, buf, sizeof(buf), BW_FMT_NOPORT | BW_FMT_BARE);
		CHECK(bw_sa_parse_addr(buf, &back) == 0 && same(&sa, &back));
		bw_sa_format(&sa, buf, sizeof(buf), BW_FMT_NOPORT);
		CHECK(bw_sa_parse_addr(buf, &back) == 0 && same(&sa, &back));
		/* The mapped form and back: the same IPv4 address. */
		if (sa.family == AF_INET) {
			bw_sa_v4mapped(&back, &sa);
			CHECK(bw_sa_is_v4mapped(&back));
			CHECK(bw_sa_class(&back) == bw_sa_class(&sa));
			bw_sa_unmap(&back);
			CHECK(same(&sa, &back));
		}
	}
	if (bw_parse_port(s, size, &port) == 0)
		CHECK(size >= 1 && size <= 5);
	free(s);
	return 0;
}
