/* Symbolic names of errno, EAI_* and signal values (musl has no strerrorname_np). */
#ifndef BW_NAMES_H
#define BW_NAMES_H

const char	*bw_errno_name(int, char *, unsigned);
const char	*bw_eai_name(int, char *, unsigned);
const char	*bw_signal_name(int, char *, unsigned);

#endif
