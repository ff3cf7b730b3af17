/*
 * libFuzzer: the event decoder, fed anything.  An accepted record must
 * encode back to exactly the same bytes (nothing guessed, nothing lost),
 * and its text and JSON lines must be well formed at any buffer size.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "event.h"
#include "format.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_line(const char *line, size_t n, size_t len, int json)
{
	if (len == 0) {
		CHECK(n == 0);
		return;
	}
	CHECK(n < len && line[n] == '\0' && strlen(line) == n);
	if (len < 2)
		return;
	CHECK(n >= 1 && line[n - 1] == '\n');
	if (json) {
		/* Too small for any object: an empty line. */
		if (len >= 4)
			CHECK(json_valid(line, n - 1));
	} else
		CHECK(text_valid(line, n - 1));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t again[BINDWATCH_MAX_RECORD];
	static char line[BW_LINE_MAX];
	struct bw_event e;
	size_t n, len;
	char *small;

	if (bw_event_decode(&e, data, size) == -1)
		return 0;
	n = bw_event_encode(&e, again, sizeof(again));
	CHECK(n == size && memcmp(again, data, size) == 0);

	n = bw_format_text(&e, line, sizeof(line));
	check_line(line, n, sizeof(line), 0);
	n = bw_format_json(&e, line, sizeof(line));
	check_line(line, n, sizeof(line), 1);

	/* A buffer size taken from the record itself, exact on the heap. */
	len = (size_t)(data[size - 1] | data[size / 2] << 8) % 1024;
	if ((small = malloc(len ? len : 1)) == NULL)
		return 0;
	n = bw_format_text(&e, small, len);
	check_line(small, n, len, 0);
	n = bw_format_json(&e, small, len);
	check_line(small, n, len, 1);
	free(small);
	return 0;
}
