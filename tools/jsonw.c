/*
 * JSON out, one piece at a time.  Nesting is kept as one bit a level
 * (deeper than 31 levels is a caller's bug, not input: our shapes are
 * fixed).
 */
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "escape.h"
#include "jsonw.h"

/* Input bytes escaped at a time: at most 6 output bytes each. */
#define CHUNK	256

void
bw_jw_init(struct bw_jsonw *w, FILE *f, int flags)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	w->comma = flags & BW_JW_SPACED ? ", " : ",";
	w->colon = flags & BW_JW_SPACED ? ": " : ":";
}

/* Before any value: the comma, unless it is the first or a key's value. */
static void
item(struct bw_jsonw *w)
{
	if (w->valnext) {
		w->valnext = 0;
		return;
	}
	if (w->more & (UINT32_C(1) << w->depth))
		fputs(w->comma, w->f);
	w->more |= UINT32_C(1) << w->depth;
}

static void
enter(struct bw_jsonw *w, int c)
{
	item(w);
	fputc(c, w->f);
	w->depth++;
	w->more &= ~(UINT32_C(1) << w->depth);
}

static void
leave(struct bw_jsonw *w, int c)
{
	w->depth--;
	fputc(c, w->f);
}

void
bw_jw_obj(struct bw_jsonw *w)
{
	enter(w, '{');
}

void
bw_jw_obj_end(struct bw_jsonw *w)
{
	leave(w, '}');
}

void
bw_jw_arr(struct bw_jsonw *w)
{
	enter(w, '[');
}

void
bw_jw_arr_end(struct bw_jsonw *w)
{
	leave(w, ']');
}

/*
 * The string escaped in pieces, so no length is too long; a piece never
 * ends inside a UTF-8 sequence, whose bytes would then read as invalid.
 */
static void
put_str(struct bw_jsonw *w, const char *s, size_t n)
{
	char e[6 * CHUNK + 1];
	size_t k, j;

	fputc('"', w->f);
	while (n > 0) {
		k = n < CHUNK ? n : CHUNK;
		for (j = 0; j < 3 && k < n &&
		    ((unsigned char)s[k] & 0xc0) == 0x80; j++)
			k--;
		bw_escape_json(e, sizeof(e), s, k);
		fputs(e, w->f);
		s += k;
		n -= k;
	}
	fputc('"', w->f);
}

void
bw_jw_key(struct bw_jsonw *w, const char *k)
{
	item(w);
	put_str(w, k, strlen(k));
	fputs(w->colon, w->f);
	w->valnext = 1;
}

void
bw_jw_strn(struct bw_jsonw *w, const char *s, size_t n)
{
	item(w);
	put_str(w, s, n);
}

void
bw_jw_str(struct bw_jsonw *w, const char *s)
{
	bw_jw_strn(w, s, strlen(s));
}

void
bw_jw_int(struct bw_jsonw *w, long long v)
{
	item(w);
	fprintf(w->f, "%lld", v);
}

void
bw_jw_uint(struct bw_jsonw *w, unsigned long long v)
{
	item(w);
	fprintf(w->f, "%llu", v);
}

void
bw_jw_bool(struct bw_jsonw *w, int b)
{
	item(w);
	fputs(b ? "true" : "false", w->f);
}

void
bw_jw_null(struct bw_jsonw *w)
{
	item(w);
	fputs("null", w->f);
}

void
bw_jw_kstr(struct bw_jsonw *w, const char *k, const char *s)
{
	bw_jw_key(w, k);
	bw_jw_str(w, s);
}

void
bw_jw_kint(struct bw_jsonw *w, const char *k, long long v)
{
	bw_jw_key(w, k);
	bw_jw_int(w, v);
}

void
bw_jw_kuint(struct bw_jsonw *w, const char *k, unsigned long long v)
{
	bw_jw_key(w, k);
	bw_jw_uint(w, v);
}

void
bw_jw_kbool(struct bw_jsonw *w, const char *k, int b)
{
	bw_jw_key(w, k);
	bw_jw_bool(w, b);
}

void
bw_jw_knull(struct bw_jsonw *w, const char *k)
{
	bw_jw_key(w, k);
	bw_jw_null(w);
}

void
bw_jw_kaddr(struct bw_jsonw *w, const char *akey, const char *pkey,
    const struct bw_sa *sa)
{
	char a[BW_ADDRSTRLEN];

	bw_jw_key(w, akey);
	if (sa->family != 0)
		bw_jw_str(w, bw_sa_format(sa, a, sizeof(a),
		    BW_FMT_NOPORT | BW_FMT_BARE));
	else
		bw_jw_null(w);
	bw_jw_key(w, pkey);
	if (sa->family != 0)
		bw_jw_uint(w, sa->port);
	else
		bw_jw_null(w);
}
