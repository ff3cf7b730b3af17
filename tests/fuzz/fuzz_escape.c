/*
 * libFuzzer: the two escapers, on any bytes and any output size.  The
 * output is always terminated, inside the buffer, made of whole escapes,
 * a prefix of the full output, and (JSON) a valid string body.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "escape.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

typedef size_t (*escfn)(char *, size_t, const char *, size_t);

static void
run(escfn fn, int json, const char *src, size_t n, size_t dstlen)
{
	size_t cap = 6 * n + 1, fl, ol;
	char *full, *out;

	if ((full = malloc(cap)) == NULL)
		return;
	fl = fn(full, cap, src, n);
	CHECK(fl < cap && full[fl] == '\0' && strlen(full) == fl);
	CHECK(json ? json_string_valid(full, fl) : text_check(full, fl, 0));

	if ((out = malloc(dstlen ? dstlen : 1)) == NULL) {
		free(full);
		return;
	}
	ol = fn(out, dstlen, src, n);
	if (dstlen == 0)
		CHECK(ol == 0);
	else {
		CHECK(ol < dstlen && out[ol] == '\0' && strlen(out) == ol);
		CHECK(ol <= fl && memcmp(out, full, ol) == 0);
		CHECK(json ? json_string_valid(out, ol) : text_check(out, ol, 0));
		if (dstlen > fl)
			CHECK(ol == fl);
	}
	free(out);
	free(full);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t dstlen;

	if (size < 2)
		return 0;
	/* Two bytes choose the output size, the rest is the string. */
	dstlen = (size_t)(data[0] | data[1] << 8) % (6 * size + 8);
	run(bw_escape_text, 0, (const char *)data + 2, size - 2, dstlen);
	run(bw_escape_json, 1, (const char *)data + 2, size - 2, dstlen);
	return 0;
}
