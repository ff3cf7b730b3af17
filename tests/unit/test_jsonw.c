/*
 * tools/jsonw.c: the commas and the two spellings ports, which and the
 * summary have always printed, and strings escaped as one piece however
 * long, even where a piece of the writer ends inside a UTF-8 sequence.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "jsonw.h"

struct out {
	char	*buf;
	size_t	 len;
	FILE	*f;
};

static void
start(struct out *o, struct bw_jsonw *w, int flags)
{
	o->buf = NULL;
	o->f = open_memstream(&o->buf, &o->len);
	cr_assert_not_null(o->f);
	bw_jw_init(w, o->f, flags);
}

static char *
finish(struct out *o)
{
	fclose(o->f);
	return o->buf;
}

/* Every kind of value, nested, in the two spellings below. */
static void
sample(struct bw_jsonw *w)
{
	bw_jw_obj(w);
	bw_jw_kint(w, "a", 1);
	bw_jw_key(w, "b");
	bw_jw_arr(w);
	bw_jw_bool(w, 1);
	bw_jw_null(w);
	bw_jw_str(w, "x");
	bw_jw_obj(w);
	bw_jw_obj_end(w);
	bw_jw_arr_end(w);
	bw_jw_key(w, "c");
	bw_jw_obj(w);
	bw_jw_kint(w, "d", -2);
	bw_jw_kuint(w, "e", 18446744073709551615ULL);
	bw_jw_obj_end(w);
	bw_jw_kbool(w, "f", 0);
	bw_jw_knull(w, "g");
	bw_jw_obj_end(w);
}

Test(jsonw, compact_and_spaced)
{
	struct bw_jsonw w;
	struct out o;
	char *s;

	start(&o, &w, 0);
	sample(&w);
	s = finish(&o);
	cr_assert_str_eq(s, "{\"a\":1,\"b\":[true,null,\"x\",{}],"
	    "\"c\":{\"d\":-2,\"e\":18446744073709551615},"
	    "\"f\":false,\"g\":null}");
	free(s);
	start(&o, &w, BW_JW_SPACED);
	sample(&w);
	s = finish(&o);
	cr_assert_str_eq(s, "{\"a\": 1, \"b\": [true, null, \"x\", {}], "
	    "\"c\": {\"d\": -2, \"e\": 18446744073709551615}, "
	    "\"f\": false, \"g\": null}");
	free(s);
}

/* Every cut of a long string: the same as escaping it whole. */
Test(jsonw, long_strings_escaped_whole)
{
	static const char pat[] =
	    "a\xe2\x82\xac\xf0\x9f\x98\x80\xc2\x9b\x80\"\033";
	static char in[2000], want[6 * sizeof(in) + 3];
	struct bw_jsonw w;
	struct out o;
	size_t off, i;
	char *s;

	/* Every alignment of the pattern against the writer's pieces. */
	for (off = 0; off < sizeof(pat) - 1; off++) {
		for (i = 0; i < sizeof(in); i++)
			in[i] = pat[(i + off) % (sizeof(pat) - 1)];
		want[0] = '"';
		i = 1 + bw_escape_json(want + 1, sizeof(want) - 2, in,
		    sizeof(in));
		want[i++] = '"';
		want[i] = '\0';
		start(&o, &w, 0);
		bw_jw_strn(&w, in, sizeof(in));
		s = finish(&o);
		cr_assert_str_eq(s, want, "offset %zu", off);
		free(s);
	}
}
