/*
 * Checks shared by the fuzz targets: a strict JSON (RFC 8259) validator
 * and the shape of text output.  A target calls abort() when one fails,
 * so libFuzzer keeps the input as a crash.  Header-only: each target is
 * one translation unit.
 */
#ifndef BW_FUZZ_CHECK_H
#define BW_FUZZ_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(c)	do { if (!(c)) abort(); } while (0)

struct jc {
	const unsigned char	*p, *end;
	int			 depth;
};

static inline int	jc_value(struct jc *);

static inline void
jc_ws(struct jc *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
	    *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static inline int
jc_lit(struct jc *j, const char *s)
{
	size_t n = strlen(s);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, s, n) != 0)
		return 0;
	j->p += n;
	return 1;
}

static inline int
jc_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

/* The contents of a string, up to (not including) the closing quote. */
static inline int
jc_chars(struct jc *j, int quoted)
{
	uint32_t cp;
	size_t len, k;

	while (j->p < j->end) {
		unsigned char c = *j->p;

		if (quoted && c == '"')
			return 1;
		if (c < 0x20 || c == '"')
			return 0;
		if (c == '\\') {
			if (j->end - j->p < 2)
				return 0;
			c = j->p[1];
			if (c == 'u') {
				if (j->end - j->p < 6)
					return 0;
				for (k = 2; k < 6; k++)
					if (!jc_hex(j->p[k]))
						return 0;
				j->p += 6;
				continue;
			}
			if (strchr("\"\\/bfnrt", c) == NULL || c == '\0')
				return 0;
			j->p += 2;
			continue;
		}
		if (c < 0x80) {
			j->p++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			len = 2, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			len = 3, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			len = 4, cp = c & 0x07;
		else
			return 0;
		if ((size_t)(j->end - j->p) < len)
			return 0;
		for (k = 1; k < len; k++) {
			if ((j->p[k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (j->p[k] & 0x3f);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return 0;
		j->p += len;
	}
	return !quoted;
}

static inline int
jc_string(struct jc *j)
{
	if (j->p >= j->end || *j->p != '"')
		return 0;
	j->p++;
	if (!jc_chars(j, 1))
		return 0;
	j->p++;
	return 1;
}

static inline int
jc_digits(struct jc *j)
{
	const unsigned char *s = j->p;

	while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > s;
}

static inline int
jc_number(struct jc *j)
{
	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p < j->end && *j->p == '0')
		j->p++;
	else if (!jc_digits(j))
		return 0;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (!jc_digits(j))
			return 0;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (!jc_digits(j))
			return 0;
	}
	return 1;
}

/* '[' or '{' already seen; object says which. */
static inline int
jc_container(struct jc *j, int object)
{
	int close = object ? '}' : ']';

	j->p++;
	jc_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		return 1;
	}
	for (;;) {
		jc_ws(j);
		if (object) {
			if (!jc_string(j))
				return 0;
			jc_ws(j);
			if (j->p >= j->end || *j->p != ':')
				return 0;
			j->p++;
		}
		if (!jc_value(j))
			return 0;
		jc_ws(j);
		if (j->p >= j->end)
			return 0;
		if (*j->p == close) {
			j->p++;
			return 1;
		}
		if (*j->p != ',')
			return 0;
		j->p++;
	}
}

static inline int
jc_value(struct jc *j)
{
	int ok;

	jc_ws(j);
	if (j->p >= j->end || ++j->depth > 64)
		return 0;
	switch (*j->p) {
	case '{':
		ok = jc_container(j, 1);
		break;
	case '[':
		ok = jc_container(j, 0);
		break;
	case '"':
		ok = jc_string(j);
		break;
	case 't':
		ok = jc_lit(j, "true");
		break;
	case 'f':
		ok = jc_lit(j, "false");
		break;
	case 'n':
		ok = jc_lit(j, "null");
		break;
	default:
		ok = jc_number(j);
	}
	j->depth--;
	return ok;
}

/* One whole JSON text (RFC 8259), nothing after it. */
static inline int
json_valid(const char *s, size_t n)
{
	struct jc j = { (const unsigned char *)s, (const unsigned char *)s + n, 0 };

	if (!jc_value(&j))
		return 0;
	jc_ws(&j);
	return j.p == j.end;
}

/* The contents of a JSON string (what bw_escape_json produces). */
static inline int
json_string_valid(const char *s, size_t n)
{
	struct jc j = { (const unsigned char *)s, (const unsigned char *)s + n, 0 };

	return jc_chars(&j, 0) && j.p == j.end;
}

/*
 * Text output: printable ASCII only, every backslash a whole escape
 * (\" \\ \n \r \t \xNN), and raw quotes only when quotes is set (text
 * lines quote names; an escaped name has none).
 */
static inline int
text_check(const char *str, size_t n, int quotes)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < 0x20 || s[i] >= 0x7f || (s[i] == '"' && !quotes))
			return 0;
		if (s[i] != '\\')
			continue;
		if (i + 1 >= n)
			return 0;
		if (s[i + 1] == 'x') {
			if (i + 3 >= n || !jc_hex(s[i + 2]) || !jc_hex(s[i + 3]))
				return 0;
			i += 3;
		} else if (s[i + 1] != '\0' && strchr("\"\\nrt", s[i + 1]) != NULL)
			i++;
		else
			return 0;
	}
	return 1;
}

static inline int
text_valid(const char *s, size_t n)
{
	return text_check(s, n, 1);
}

#endif
