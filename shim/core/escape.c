/*
 * Escaping of untrusted strings for text and JSON output.  The output is
 * built escape by escape: when the next escape does not fit, we stop
 * before it, so the result is always well formed.
 */
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "escape.h"

/* Append one escape; once one does not fit, nothing more is added. */
static void
emit(struct bw_buf *o, const char *s, size_t n)
{
	bw_buf_mem(o, s, n);
}

/* prefix then v in ndig hex digits, as one piece: never cut in half. */
static void
emit_hex(struct bw_buf *o, const char *prefix, unsigned v, int ndig)
{
	static const char hexd[] = "0123456789abcdef";
	char e[12];
	size_t n = strlen(prefix);
	int i;

	// NOLINTNEXTLINE(bugprone-not-null-terminated-result): e is a counted buffer for emit(), never a string
	memcpy(e, prefix, n);
	for (i = ndig - 1; i >= 0; i--)
		e[n++] = hexd[(v >> (4 * i)) & 0xf];
	emit(o, e, n);
}

size_t
bw_escape_text(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	struct bw_buf o;
	size_t i;

	bw_buf_init(&o, dst, dstlen);

	for (i = 0; i < srclen && !o.full; i++) {
		unsigned char c = (unsigned char)src[i];

		switch (c) {
		case '"':
			emit(&o, "\\\"", 2);
			break;
		case '\\':
			emit(&o, "\\\\", 2);
			break;
		case '\n':
			emit(&o, "\\n", 2);
			break;
		case '\r':
			emit(&o, "\\r", 2);
			break;
		case '\t':
			emit(&o, "\\t", 2);
			break;
		default:
			if (c >= 0x20 && c < 0x7f)
				emit(&o, (const char *)&src[i], 1);
			else {
				emit_hex(&o, "\\x", c, 2);
			}
		}
	}
	return o.off;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates, beyond U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

size_t
bw_escape_json(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	const unsigned char *s = (const unsigned char *)src;
	struct bw_buf o;
	size_t i = 0, n;

	bw_buf_init(&o, dst, dstlen);

	while (i < srclen && !o.full) {
		unsigned char c = s[i];

		if (c == '"')
			emit(&o, "\\\"", 2);
		else if (c == '\\')
			emit(&o, "\\\\", 2);
		else if (c == '\n')
			emit(&o, "\\n", 2);
		else if (c == '\r')
			emit(&o, "\\r", 2);
		else if (c == '\t')
			emit(&o, "\\t", 2);
		else if (c < 0x20 || c == 0x7f) {
			emit_hex(&o, "\\u", c, 4);
		} else if ((n = utf8_len(s + i, srclen - i)) == 0) {
			emit_hex(&o, "\\\\x", c, 2);
		} else if (n == 2 && c == 0xc2 && s[i + 1] < 0xa0) {
			/* C1 controls (U+0080..U+009F): CSI, OSC reach a tty too. */
			emit_hex(&o, "\\u", s[i + 1], 4);
			i += 2;
			continue;
		} else {
			emit(&o, (const char *)s + i, n);
			i += n;
			continue;
		}
		i++;
	}
	return o.off;
}
