/*
 * shim/core/escape.c: strings from the observed program never reach a terminal
 * raw and never break a JSON line, whatever their bytes and length, and a
 * cut output is always made of whole escapes.
 */
#include <sys/wait.h>

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"

typedef size_t (*esc_fn)(char *, size_t, const char *, size_t);

static const char *
esc_text(const char *s, size_t n)
{
	static char out[4 * 4096 + 1];

	cr_assert_leq(n, sizeof(out) / 4);
	bw_escape_text(out, sizeof(out), s, n);
	return out;
}

static const char *
esc_json(const char *s, size_t n)
{
	static char out[6 * 4096 + 1];

	cr_assert_leq(n, sizeof(out) / 6);
	bw_escape_json(out, sizeof(out), s, n);
	return out;
}

static int
esc_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * RFC 8259 string contents, strictly: no raw control character or quote,
 * every backslash a known escape, every byte >= 0x80 part of well-formed
 * UTF-8 (no overlong form, no surrogate, nothing past U+10FFFF).
 */
static int
esc_json_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, k, len;
	uint32_t cp;

	while (i < n) {
		if (s[i] < 0x20 || s[i] == '"')
			return 0;
		if (s[i] == '\\') {
			if (i + 1 >= n)
				return 0;
			switch (s[i + 1]) {
			case '"': case '\\': case '/': case 'b': case 'f':
			case 'n': case 'r': case 't':
				i += 2;
				continue;
			case 'u':
				if (i + 6 > n)
					return 0;
				for (k = 2; k < 6; k++)
					if (esc_hex(s[i + k]) == -1)
						return 0;
				i += 6;
				continue;
			default:
				return 0;
			}
		}
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf)
			len = 2, cp = s[i] & 0x1f;
		else if (s[i] >= 0xe0 && s[i] <= 0xef)
			len = 3, cp = s[i] & 0x0f;
		else if (s[i] >= 0xf0 && s[i] <= 0xf4)
			len = 4, cp = s[i] & 0x07;
		else
			return 0;
		if (i + len > n)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return 0;
		i += len;
	}
	return 1;
}

/* Text output: printable ASCII only, every backslash a known escape. */
static int
esc_text_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < n) {
		if (s[i] < 0x20 || s[i] >= 0x7f)
			return 0;
		if (s[i] == '"')
			return 0;
		if (s[i] != '\\') {
			i++;
			continue;
		}
		if (i + 1 >= n)
			return 0;
		switch (s[i + 1]) {
		case '"': case '\\': case 'n': case 'r': case 't':
			i += 2;
			break;
		case 'x':
			if (i + 4 > n || esc_hex(s[i + 2]) == -1 ||
			    esc_hex(s[i + 3]) == -1)
				return 0;
			i += 4;
			break;
		default:
			return 0;
		}
	}
	return 1;
}

Test(escape, validators_can_fail)
{
	/* The checks below mean something only if these catch bad input. */
	cr_expect_not(esc_json_valid("a\"b", 3));
	cr_expect_not(esc_json_valid("a\\", 2));
	cr_expect_not(esc_json_valid("\\x41", 4));
	cr_expect_not(esc_json_valid("\\u12g4", 6));
	cr_expect_not(esc_json_valid("\x1b", 1));
	cr_expect_not(esc_json_valid("\xc3", 1));
	cr_expect_not(esc_json_valid("\xed\xa0\x80", 3));
	cr_expect_not(esc_json_valid("\xc0\xaf", 2));
	cr_expect(esc_json_valid("\\\\x41 \xc3\xa9 \\u001b", 15));
	cr_expect_not(esc_text_valid("\x7f", 1));
	cr_expect_not(esc_text_valid("\xc3\xa9", 2));
	cr_expect_not(esc_text_valid("\\x4", 3));
	cr_expect_not(esc_text_valid("\\e", 2));
	cr_expect(esc_text_valid("\\x1b[31m", 8));
}

Test(escape, text_table)
{
	static const struct {
		const char	*in;
		size_t		 n;
		const char	*want;
	} t[] = {
		{ "localhost", 9, "localhost" },
		{ "", 0, "" },
		{ "a\"b", 3, "a\\\"b" },
		{ "a\\b", 3, "a\\\\b" },
		{ "\n\r\t", 3, "\\n\\r\\t" },
		{ "\x01\x1b[2J", 5, "\\x01\\x1b[2J" },
		{ "\x7f", 1, "\\x7f" },
		{ "\x80\xff", 2, "\\x80\\xff" },
		{ "\x9b" "31m", 4, "\\x9b31m" },	/* C1 CSI */
		{ "caf\xc3\xa9", 5, "caf\\xc3\\xa9" },	/* even valid UTF-8 */
		{ "a\0b", 3, "a\\x00b" },
		{ " ~", 2, " ~" },
		{ "'$`", 3, "'$`" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const char *o = esc_text(t[i].in, t[i].n);

		cr_expect_str_eq(o, t[i].want, "row %zu", i);
		cr_expect(esc_text_valid(o, strlen(o)), "row %zu", i);
	}
}

Test(escape, json_table)
{
	static const struct {
		const char	*in;
		const char	*want;
	} t[] = {
		{ "localhost", "localhost" },
		{ "", "" },
		{ "a\"b", "a\\\"b" },
		{ "a\\b", "a\\\\b" },
		{ "\n\r\t", "\\n\\r\\t" },
		{ "\x01\x1b[2J", "\\u0001\\u001b[2J" },
		{ "\x1f", "\\u001f" },
		{ "\x7f", "\\u007f" },
		{ "/", "/" },
		/* Valid UTF-8 stays as it is. */
		{ "caf\xc3\xa9", "caf\xc3\xa9" },
		{ "\xe2\x82\xac", "\xe2\x82\xac" },
		{ "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" },
		{ "\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf" },	/* U+10FFFF */
		{ "\xc2\xa0", "\xc2\xa0" },			/* U+00A0 */
		{ "\xef\xbf\xbf", "\xef\xbf\xbf" },		/* U+FFFF */
		/* Invalid: each byte visible as \xNN (escaped backslash). */
		{ "\x80", "\\\\x80" },				/* lone continuation */
		{ "a\xbf" "b", "a\\\\xbfb" },
		{ "\xc0\xaf", "\\\\xc0\\\\xaf" },		/* overlong '/' */
		{ "\xc1\xbf", "\\\\xc1\\\\xbf" },
		{ "\xe0\x80\xaf", "\\\\xe0\\\\x80\\\\xaf" },	/* overlong, 3 */
		{ "\xf0\x80\x80\xaf", "\\\\xf0\\\\x80\\\\x80\\\\xaf" },
		{ "\xed\xa0\x80", "\\\\xed\\\\xa0\\\\x80" },	/* surrogate */
		{ "\xed\xbf\xbf", "\\\\xed\\\\xbf\\\\xbf" },
		{ "\xf4\x90\x80\x80", "\\\\xf4\\\\x90\\\\x80\\\\x80" },
		{ "\xf5\x80\x80\x80", "\\\\xf5\\\\x80\\\\x80\\\\x80" },
		{ "\xff\xfe", "\\\\xff\\\\xfe" },
		{ "\xe2\x82", "\\\\xe2\\\\x82" },		/* truncated at end */
		{ "\xe2\x82" "A", "\\\\xe2\\\\x82A" },		/* cut by ASCII */
		{ "\xf0\x9f\x98", "\\\\xf0\\\\x9f\\\\x98" },
		{ "\xc3\xc3\xa9", "\\\\xc3\xc3\xa9" },		/* resyncs */
		/* C1 controls (U+0080..U+009F) are controls too: CSI, OSC. */
		{ "\x1b]0;\xc2\x9b\x07", "\\u001b]0;\\u009b\\u0007" },
		{ "\xc2\x80\xc2\x9f\xc2\xa0", "\\u0080\\u009f\xc2\xa0" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const char *o = esc_json(t[i].in, strlen(t[i].in));

		cr_expect_str_eq(o, t[i].want, "row %zu", i);
		cr_expect(esc_json_valid(o, strlen(o)), "row %zu: %s", i, o);
	}
	/* An embedded NUL is a control character like the others. */
	cr_expect_str_eq(esc_json("a\0b", 3), "a\\u0000b");
}

/*
 * Cut output, for every dstlen: NUL-terminated, within dstlen, a prefix of
 * the full output that ends exactly where a whole escape ends, and the
 * longest such prefix that fits.
 */
static void
esc_check_cuts(esc_fn fn, const char *src, size_t n, const char *name)
{
	size_t full_len, dl, k, *bound, nb = 0;
	char *full, *part, *out;
	size_t cap = 6 * n + 1;

	full = malloc(cap);
	part = malloc(cap);
	out = malloc(cap + 8);
	bound = malloc((n + 1) * sizeof(*bound));
	cr_assert(full && part && out && bound);
	full_len = fn(full, cap, src, n);
	cr_assert_eq(strlen(full), full_len);

	/* Where escapes end: outputs of input prefixes that prefix full. */
	for (k = 0; k <= n; k++) {
		size_t pl = fn(part, cap, src, k);

		if (memcmp(part, full, pl) == 0)
			bound[nb++] = pl;
	}
	for (dl = 0; dl <= full_len + 2; dl++) {
		size_t ol, next = SIZE_MAX;

		memset(out, 'Z', cap + 8);
		ol = fn(out, dl, src, n);
		cr_expect_eq(out[dl], 'Z', "%s: wrote past %zu", name, dl);
		if (dl == 0) {
			cr_expect_eq(ol, 0);
			continue;
		}
		cr_assert_eq(out[ol], '\0', "%s: dstlen %zu not terminated",
		    name, dl);
		cr_expect_lt(ol, dl);
		cr_expect_eq(strlen(out), ol);
		cr_expect_eq(memcmp(out, full, ol), 0, "%s: dstlen %zu", name, dl);
		for (k = 0; k < nb; k++)
			if (bound[k] > ol && bound[k] < next)
				next = bound[k];
		for (k = 0; k < nb; k++)
			if (bound[k] == ol)
				break;
		cr_expect_lt(k, nb, "%s: dstlen %zu cut inside an escape: %s",
		    name, dl, out);
		/* Greedy: the next whole escape would not have fit. */
		if (next != SIZE_MAX)
			cr_expect_geq(next, dl, "%s: dstlen %zu stopped early",
			    name, dl);
	}
	free(full);
	free(part);
	free(out);
	free(bound);
}

Test(escape, truncation_keeps_escapes_whole)
{
	static const char s[] = "a\"\x1b\xc3\xa9\\\x80\xe2\x82\xac\n\x7f"
	    "\xf0\x9f\x98\x80z\xed\xa0\x80";

	esc_check_cuts(bw_escape_text, s, sizeof(s) - 1, "text");
	esc_check_cuts(bw_escape_json, s, sizeof(s) - 1, "json");
}

Test(escape, truncation_one_byte_buffer)
{
	char out[4] = "XYZ";

	cr_expect_eq(bw_escape_text(out, 1, "\x1b", 1), 0);
	cr_expect_eq(out[0], '\0');
	cr_expect_eq(out[1], 'Y');
	memcpy(out, "XYZ", 4);
	cr_expect_eq(bw_escape_json(out, 3, "\x1b", 1), 0, "\\u001b needs 7");
	cr_expect_str_eq(out, "");
	cr_expect_eq(bw_escape_json(out, 0, "a", 1), 0);
}

static uint32_t
esc_xorshift(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

Test(escape, four_kilobytes_of_anything)
{
	char src[4096];
	uint32_t rng = 12345;
	const char *o;
	size_t i, round;

	for (round = 0; round < 8; round++) {
		for (i = 0; i < sizeof(src); i++) {
			uint32_t r = esc_xorshift(&rng);

			/* Mix plain ASCII, valid UTF-8 and random bytes. */
			switch (round % 4) {
			case 0:
				src[i] = (char)r;
				break;
			case 1:
				src[i] = (char)(0x80 | (r & 0x7f));
				break;
			case 2:
				src[i] = r % 3 ? (char)(0x20 + r % 95) :
				    (char)(r >> 8);
				break;
			default:
				src[i] = "\xe2\x82\xac"[i % 3];
			}
		}
		o = esc_text(src, sizeof(src));
		cr_expect(esc_text_valid(o, strlen(o)), "text round %zu", round);
		cr_expect_geq(strlen(o), sizeof(src));
		o = esc_json(src, sizeof(src));
		cr_expect(esc_json_valid(o, strlen(o)), "json round %zu", round);
		cr_expect_geq(strlen(o), sizeof(src));
	}
}

Test(escape, four_kilobytes_worst_case_fits)
{
	char src[4096], *dst;
	size_t n;

	/* Every byte at its longest escape: x4 text, x6 JSON. */
	memset(src, 0x01, sizeof(src));
	dst = malloc(6 * sizeof(src) + 1);
	cr_assert_not_null(dst);
	n = bw_escape_text(dst, 4 * sizeof(src) + 1, src, sizeof(src));
	cr_expect_eq(n, 4 * sizeof(src));
	n = bw_escape_json(dst, 6 * sizeof(src) + 1, src, sizeof(src));
	cr_expect_eq(n, 6 * sizeof(src));
	cr_expect(esc_json_valid(dst, n));
	/* One byte short: the last escape is left out whole. */
	n = bw_escape_json(dst, 6 * sizeof(src), src, sizeof(src));
	cr_expect_eq(n, 6 * sizeof(src) - 6);
	cr_expect(esc_json_valid(dst, n));
	free(dst);
}

/*
 * Run a python3 program on the bytes of in (a file given as argv[1]) and
 * put what it printed in out.  Returns its exit status, -1 without python3.
 */
static int
esc_python(const char *prog, const char *in, size_t inlen, char *out,
    size_t outlen)
{
	char path[] = "/tmp/bw-test-escape.XXXXXX", cmd[1024];
	FILE *f;
	size_t n;
	int fd, st;

	if ((fd = mkstemp(path)) == -1)
		return -1;
	if (write(fd, in, inlen) != (ssize_t)inlen) {
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	snprintf(cmd, sizeof(cmd), "python3 -c '%s' %s", prog, path);
	if ((f = popen(cmd, "r")) == NULL) {
		unlink(path);
		return -1;
	}
	n = fread(out, 1, outlen - 1, f);
	out[n] = '\0';
	st = pclose(f);
	unlink(path);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* The JSON output, wrapped in quotes, is read back by a real parser. */
Test(escape, json_parses_with_python)
{
	static const char s[] = "q\"b\\s\x01\x1b[31m\x7f\xc3\xa9\x80\xed\xa0\x80"
	    "\xe2\x82\xf0\x9f\x98\x80\xff\n\t\xc2\x9b";
	static const char want[] = "q\"b\\s\x01\x1b[31m\x7f\xc3\xa9\\x80\\xed"
	    "\\xa0\\x80\\xe2\\x82\xf0\x9f\x98\x80\\xff\n\t\xc2\x9b";
	const char *o = esc_json(s, sizeof(s) - 1);
	char in[512], got[512];
	int st;

	snprintf(in, sizeof(in), "\"%s\"", o);
	st = esc_python("import json,sys;sys.stdout.buffer.write("
	    "json.loads(open(sys.argv[1],\"rb\").read()).encode())",
	    in, strlen(in), got, sizeof(got));
	if (st == -1)
		cr_skip_test("python3 not available");
	cr_assert_eq(st, 0, "json.loads refused: %s", in);
	cr_expect_str_eq(got, want);
}

/* And so does a 4 KB string of random bytes. */
Test(escape, json_random_parses_with_python)
{
	static char in[6 * 4096 + 3];
	char src[4096], got[64];
	uint32_t rng = 777;
	size_t i;
	int st;

	for (i = 0; i < sizeof(src); i++)
		src[i] = (char)esc_xorshift(&rng);
	snprintf(in, sizeof(in), "\"%s\"", esc_json(src, sizeof(src)));
	st = esc_python("import json,sys;"
	    "print(len(json.loads(open(sys.argv[1],\"rb\").read())))",
	    in, strlen(in), got, sizeof(got));
	if (st == -1)
		cr_skip_test("python3 not available");
	cr_assert_eq(st, 0, "json.loads refused the random string");
	cr_expect_geq(atoi(got), 4096 / 2);
}
