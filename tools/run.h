/* bindwatch -- COMMAND: run a tree under the shim and report on it. */
#ifndef BW_RUN_H
#define BW_RUN_H

#include <stdio.h>

struct bw_policy;

struct bw_runopts {
	char		**argv;		/* the command */
	FILE		 *out;		/* live lines and the summary */
	int		  json;
	int		  quiet;	/* summary only */
	int		  verbose;
	int		  color;
	double		  timeout;	/* seconds, 0: none */
	const char	 *shim;		/* LD_PRELOAD entry of the shim */
	const char	 *shimbase;	/* its prefix when named by $LIB, or "" */
	int		  seccomp;	/* enum bw_sc_mode */
	int		  no_io_uring;
	const struct bw_policy *policy;	/* for the supervisor, the report */
};

int	 bw_run(const struct bw_runopts *);
int	 bw_exit_status(int);

#endif
