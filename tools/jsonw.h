/*
 * The CLI's one JSON writer: ports, which and the run's summary.  It
 * puts the commas, escapes every string with the core escaper
 * (bw_escape_json) and writes straight to a FILE.  Two spellings:
 * BW_JW_SPACED (", " and ": ", as ports and which have always printed)
 * and compact (as the events and the summary of a run).
 */
#ifndef BW_JSONW_H
#define BW_JSONW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define BW_JW_SPACED	0x1

struct bw_jsonw {
	FILE		*f;
	const char	*comma, *colon;
	unsigned	 depth;
	uint32_t	 more;		/* bit d: level d has an item already */
	int		 valnext;	/* a key was written: its value comes */
};

void	 bw_jw_init(struct bw_jsonw *, FILE *, int flags);
void	 bw_jw_obj(struct bw_jsonw *);
void	 bw_jw_obj_end(struct bw_jsonw *);
void	 bw_jw_arr(struct bw_jsonw *);
void	 bw_jw_arr_end(struct bw_jsonw *);
void	 bw_jw_key(struct bw_jsonw *, const char *);

void	 bw_jw_str(struct bw_jsonw *, const char *);
void	 bw_jw_strn(struct bw_jsonw *, const char *, size_t);
void	 bw_jw_int(struct bw_jsonw *, long long);
void	 bw_jw_uint(struct bw_jsonw *, unsigned long long);
void	 bw_jw_bool(struct bw_jsonw *, int);
void	 bw_jw_null(struct bw_jsonw *);

/* A key and its value, the common case of an object's member. */
void	 bw_jw_kstr(struct bw_jsonw *, const char *, const char *);
void	 bw_jw_kint(struct bw_jsonw *, const char *, long long);
void	 bw_jw_kuint(struct bw_jsonw *, const char *, unsigned long long);
void	 bw_jw_kbool(struct bw_jsonw *, const char *, int);
void	 bw_jw_knull(struct bw_jsonw *, const char *);

struct bw_sa;
/* An address (bare: "::1") and its port under two keys; both null when
 * there is none (family 0). */
void	 bw_jw_kaddr(struct bw_jsonw *, const char *, const char *,
	    const struct bw_sa *);

#endif
