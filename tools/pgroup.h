/*
 * The command's own process group, and the terminal (pgroup.c): a program
 * that signals its group (apache2 prefork's stop, kill(0, sig)) reaches
 * only its own tree, never bindwatch or the shell that ran it.
 */
#ifndef BW_PGROUP_H
#define BW_PGROUP_H

#include <sys/types.h>

struct bw_pgroup {
	int	tty;		/* the controlling terminal, or -1 */
	pid_t	pgid;		/* the command's group, 0 before it runs */
	int	handed;		/* the command's group has the terminal */
};

void	 bw_pgroup_open(struct bw_pgroup *);
void	 bw_pgroup_started(struct bw_pgroup *, pid_t);
void	 bw_pgroup_take_back(struct bw_pgroup *);
void	 bw_pgroup_stopped(struct bw_pgroup *, int);
void	 bw_pgroup_signal(const struct bw_pgroup *, pid_t, int, int);
void	 bw_pgroup_close(struct bw_pgroup *);

#endif
