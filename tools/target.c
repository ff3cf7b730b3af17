/*
 * Splitting a HOST:PORT argument.  Pure (fuzzed in tests/fuzz): no I/O,
 * the result points into the caller's buffer.
 */
#include <stdint.h>
#include <string.h>

#include "addr.h"
#include "target.h"

/*
 * "host:port", "[v6]:port".  A bare IPv6 address with a port is
 * ambiguous ("::1:3000"): refused rather than guessed.  Returns an error
 * message, or NULL with host and serv pointing into buf.
 */
const char *
bw_split_target(const char *arg, char *buf, size_t len, char **host,
    char **serv)
{
	char *colon, *close;
	size_t n = strlen(arg);

	if (len == 0 || n >= len)
		return "argument too long";
	memcpy(buf, arg, n + 1);
	if (buf[0] == '[') {
		if ((close = strchr(buf, ']')) == NULL)
			return "missing ']' after an IPv6 address";
		*close = '\0';
		*host = buf + 1;
		if (close[1] != ':')
			return "expected HOST:PORT or [V6ADDR]:PORT";
		*serv = close + 2;
	} else {
		if ((colon = strrchr(buf, ':')) == NULL)
			return "expected HOST:PORT or [V6ADDR]:PORT";
		*colon = '\0';
		if (strchr(buf, ':') != NULL)
			return "write an IPv6 address in brackets: [V6ADDR]:PORT";
		*host = buf;
		*serv = colon + 1;
	}
	if (**host == '\0')
		return "empty host";
	if (**serv == '\0')
		return "empty port";
	if ((*serv)[0] >= '0' && (*serv)[0] <= '9') {
		uint16_t p;

		if (bw_parse_port(*serv, strlen(*serv), &p) == -1 || p == 0)
			return "port out of range (1-65535)";
	}
	return NULL;
}
