/*
 * libFuzzer: the HOST:PORT argument of `bindwatch which`.  Whatever the
 * input, the split never reads or writes past its buffer, and on success
 * host and serv are non-empty strings inside it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "target.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, buf[64], *host = NULL, *serv = NULL;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (bw_split_target(s, buf, sizeof(buf), &host, &serv) == NULL) {
		if (host < buf || host >= buf + sizeof(buf) ||
		    serv < buf || serv >= buf + sizeof(buf) ||
		    *host == '\0' || *serv == '\0' ||
		    strlen(host) >= sizeof(buf) || strlen(serv) >= sizeof(buf))
			abort();
	}
	free(s);
	return 0;
}
