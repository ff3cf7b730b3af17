/*
 * Every name that crosses a process boundary: environment variables, the
 * event channel, limits shared by the shim and the CLI.  One header so the
 * two sides can never disagree on a spelling.
 */
#ifndef BW_CONTRACT_H
#define BW_CONTRACT_H

/* User-facing policy and output variables (see README and bindwatch(1)). */
#define BINDWATCH_ENV_LOG		"BINDWATCH_LOG"
#define BINDWATCH_ENV_FORMAT		"BINDWATCH_FORMAT"
#define BINDWATCH_ENV_FORCE		"BINDWATCH_FORCE"
#define BINDWATCH_ENV_LOOPBACK_ONLY	"BINDWATCH_LOOPBACK_ONLY"
#define BINDWATCH_ENV_RESOLVE		"BINDWATCH_RESOLVE"
#define BINDWATCH_ENV_FAMILY		"BINDWATCH_FAMILY"
#define BINDWATCH_ENV_MAP_PORT		"BINDWATCH_MAP_PORT"
#define BINDWATCH_ENV_DENY		"BINDWATCH_DENY"

/*
 * Internal: set by the CLI only.  Path of the collector's SOCK_SEQPACKET
 * socket, inside a 0700 directory of the invoking user.
 */
#define BINDWATCH_ENV_COLLECTOR		"BINDWATCH_COLLECTOR"
/*
 * Internal: set by the CLI only.  "FD:INODE": a connection to the
 * collector that every process of the tree inherits (shim/channel.c).
 */
#define BINDWATCH_ENV_COLLECTOR_FD	"BINDWATCH_COLLECTOR_FD"
/*
 * Internal: set by the CLI only, when its seccomp filter is in the tree.
 * 16 hex digits: the shim's own bind and listen carry this cookie in the
 * unused sixth argument, and the filter lets them pass untrapped (they
 * are reported by the shim already).
 */
#define BINDWATCH_ENV_SECCOMP_COOKIE	"BINDWATCH_SECCOMP_COOKIE"
/*
 * Internal: set by the CLI only, to 1 when it prints events as JSON (the
 * one place a connect's local end shows).  Else, under the collector, the
 * shim reads no local end: a getsockname per connect that nothing shows.
 */
#define BINDWATCH_ENV_LOCAL_ENDS	"BINDWATCH_LOCAL_ENDS"
/*
 * Internal: set by the CLI only, under --seccomp=auto.  Path of a
 * SOCK_SEQPACKET socket in the collector's 0700 directory: a process that
 * executes an image the shim cannot see installs the filter first and
 * hands its listener over there (shim/exec.c, tools/seccomp/handoff.c).
 */
#define BINDWATCH_ENV_SECCOMP_HANDOFF	"BINDWATCH_SECCOMP_HANDOFF"
/* How long the exec hook waits for bindwatch to take a listener (ms). */
#define BINDWATCH_HANDOFF_TIMEOUT_MS	2000

/* Our descriptors in the program keep at or above this number, clear of
 * the low numbers programs expect to be free. */
#define BINDWATCH_HIGH_FD	700

/* The network device a confined socket is bound to (SO_BINDTODEVICE):
 * every client on this machine, none from the network. */
#define BINDWATCH_LOOPBACK_DEVICE	"lo"

/* Exit status when the shim or the CLI refuses to start (bad policy). */
#define BINDWATCH_EXIT_USAGE	125

/* Limits of one event record. */
#define BINDWATCH_MAX_NAME	256	/* node, exe (bytes, with the NUL) */
#define BINDWATCH_MAX_SERV	64	/* service */
#define BINDWATCH_MAX_COMM	16	/* the kernel's TASK_COMM_LEN */
#define BINDWATCH_MAX_ADDRS	16	/* addresses kept per getaddrinfo */
#define BINDWATCH_MAX_RECORD	2048	/* encoded record, upper bound */

/* Bounded wait of a send when the collector does not drain (ms). */
#define BINDWATCH_SEND_TIMEOUT_MS	200

#endif
