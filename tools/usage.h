/*
 * Mistakes on the command line, said the same way by every subcommand:
 * one line "bindwatch: ..." on stderr, and BINDWATCH_EXIT_USAGE (125);
 * and the same last words of ports and which.
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

/*
 * The options of ports and which: --json, --all (when all is not NULL),
 * --help (prints usage).  -1 with optind at the first operand, or the
 * status to exit with: 0 after --help, 125 after a bad option.
 */
int	 bw_cmd_options(int argc, char **argv, const char *cmd,
	    const char *usage, int *json, int *all);

/*
 * The end of ports and which: the hint when owners were hidden ("?"),
 * then stdout flushed, whose failure is bindwatch's own (125).  Returns
 * status otherwise.
 */
int	 bw_cmd_finish(const char *cmd, int hidden, int status);

#endif
