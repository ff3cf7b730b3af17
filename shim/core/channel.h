/*
 * The inherited end of the event channel (BINDWATCH_COLLECTOR_FD): a
 * descriptor number and the inode of its socket, "FD:INODE".
 */
#ifndef BW_CHANNEL_H
#define BW_CHANNEL_H

#include <stddef.h>
#include <stdint.h>

int	 bw_channel_parse(const char *, int *, uint64_t *);
int	 bw_channel_format(char *, size_t, int, uint64_t);

#endif
