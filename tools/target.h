/* HOST:PORT and [V6ADDR]:PORT, as `bindwatch which` takes them. */
#ifndef BW_TARGET_H
#define BW_TARGET_H

#include <stddef.h>

const char	*bw_split_target(const char *, char *, size_t, char **, char **);

#endif
