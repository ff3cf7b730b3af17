/* Starting the command (launch.c). */
#ifndef BW_LAUNCH_H
#define BW_LAUNCH_H

#include <signal.h>
#include <sys/types.h>

struct bw_sc_run;

pid_t	 bw_launch(char **, const sigset_t *, int, struct bw_sc_run *, int *);
void	 bw_raise_nofile(void);

#endif
