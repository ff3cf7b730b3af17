/*
 * Escaping of strings that come from the observed program (host names,
 * service names, program names): they must never reach a terminal as
 * control sequences nor break a text or JSON line.  Pure; usable inside
 * the shim, where libbsd's vis(3) is not available.
 */
#ifndef BW_ESCAPE_H
#define BW_ESCAPE_H

#include <stddef.h>

/*
 * C-like: printable ASCII as is, \" \\ \n \r \t, every other byte \xNN
 * (also bytes >= 0x80: no C1 control or odd UTF-8 ever reaches a tty).
 * Writes at most dstlen bytes including the NUL; returns the length it
 * wrote (a truncated escape is never cut in half).
 */
size_t	 bw_escape_text(char *dst, size_t dstlen, const char *src, size_t srclen);

/*
 * The contents of a JSON string: \" \\ \n \r \t \uNNNN for controls
 * (C0, DEL and the C1 range U+0080..U+009F),
 * other valid UTF-8 as is, each byte of invalid UTF-8 as the five characters
 * \\xNN (so the line stays valid JSON and the byte stays visible).
 */
size_t	 bw_escape_json(char *dst, size_t dstlen, const char *src, size_t srclen);

#endif
