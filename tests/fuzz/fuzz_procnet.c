/*
 * libFuzzer: one line of /proc/net/{tcp,tcp6,udp,udp6}.  The first byte
 * picks the file; the rest is the line.  Parsed or refused, never read
 * past its end; a parsed socket has addresses of the file's family.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "event.h"
#include "netstate.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bw_sock s;
	char *line, buf[BW_ADDRSTRLEN];
	int proto, family, r;

	if (size < 1)
		return 0;
	proto = data[0] & 1 ? BW_PROTO_UDP : BW_PROTO_TCP;
	family = data[0] & 2 ? AF_INET6 : AF_INET;
	if ((line = malloc(size)) == NULL)
		return 0;
	memcpy(line, data + 1, size - 1);
	line[size - 1] = '\0';
	r = bw_procnet_parse_line(line, proto, family, &s);
	CHECK(r >= -1 && r <= 1);
	if (r == 1) {
		CHECK(s.local.family == family && s.remote.family == family);
		CHECK(s.proto == proto && s.nowners == 0);
		bw_sa_format(&s.local, buf, sizeof(buf), 0);
		bw_sa_format(&s.remote, buf, sizeof(buf), 0);
	}
	/* Out-of-range proto and family are refused. */
	CHECK(bw_procnet_parse_line(line, 7, family, &s) == -1);
	CHECK(bw_procnet_parse_line(line, proto, AF_UNIX, &s) == -1);
	free(line);
	return 0;
}
