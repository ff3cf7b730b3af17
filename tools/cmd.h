/*
 * The subcommands of bindwatch(1).  Each takes the arguments after
 * "bindwatch" (argv[0] is the subcommand's name) and returns the exit
 * status: 0 success, 125 bad usage or bindwatch's own failure.
 */
#ifndef BW_CMD_H
#define BW_CMD_H

/* bindwatch ports [--json] [--all] [PORT...] */
int	 bw_cmd_ports(int argc, char **argv);

/* bindwatch which [--json] HOST:PORT; 1 when nothing listens */
int	 bw_cmd_which(int argc, char **argv);

#endif
