/*
 * An event as one line of text (strace-like) or one JSON object (JSON
 * Lines).  Shared by the bare shim and the CLI's live output so the two
 * can never differ.  Pure, printf-free: safe on a hook path.
 */
#ifndef BW_FORMAT_H
#define BW_FORMAT_H

#include <stddef.h>

#include "event.h"

/*
 * Enough for the longest text line (names escaped x4, 16 addresses) and
 * for JSON lines with ordinary names.  A JSON getaddrinfo line whose long
 * names are full of escapes (x6) can reach ~5.5 KB: it comes out as
 * {"type":...,"truncated":true}.  Not more: this lives on the stack of
 * hooks, which may run on a small signal stack.
 */
#define BW_LINE_MAX	4096

size_t	 bw_format_text(const struct bw_event *, char *, size_t);
size_t	 bw_format_json(const struct bw_event *, char *, size_t);
const char *bw_proto_name(int);

#endif
