/*
 * Mistakes on the command line, said the same way by every subcommand:
 * one line "bindwatch: ..." on stderr, and BINDWATCH_EXIT_USAGE (125).
 */
#ifndef BW_USAGE_H
#define BW_USAGE_H

#include "contract.h"

/*
 * getopt_long's '?' for arg (argv[optind - 1]) and optopt: an unknown
 * option or a value given to one that takes none.  cmd is the
 * subcommand, NULL for the options of a run.  Returns 125.
 */
int	 bw_bad_option(const char *cmd, const char *arg, int opt);

/* "bindwatch: " and the message; returns 125. */
int	 bw_usage_error(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));

/* The same, then exit(125): for checks deep in the option parsing. */
void	 bw_usage_exit(const char *fmt, ...)
	    __attribute__((noreturn, format(printf, 1, 2)));

#endif
