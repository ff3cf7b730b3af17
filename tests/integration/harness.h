/*
 * Helpers shared by the integration tests (all of tests/integration, one
 * binary: build/test-integration).  Nothing here depends on Criterion:
 * the helpers report failure by their return value and the tests assert.
 *
 * The namespace runner: bw_ns_run() writes a /bin/sh script to a fresh
 * private directory and runs it in new network, mount and pid namespaces
 * (`unshare -n -m -p --fork --mount-proc`, plus -r when not root) where
 *   - the loopback interface is up and is the only network there is;
 *   - /etc/hosts is a bind mount of "::1 localhost" + "127.0.0.1 localhost"
 *     (the dual-stack desktop case), unless a table row says otherwise;
 *   - when the script exits every process it left behind dies with it
 *     (pid namespace), and the whole run is bounded by timeout(1).
 * The shell first sources tests/integration/lib.sh (the prelude: the
 * namespace set up, the waits, the helpers every scenario shares), then
 * the scenario: a file under tests/integration/ (bw_ns_run_file(), the
 * tables of cases.h) or a script given as text (bw_ns_run()).  It sees
 *   $D         the private directory (removed afterwards); hosts file in it
 *              and the working directory (these variables are exported)
 *   $BW_BUILD  the build directory; $LIB the shim, $FIX the fixtures
 *              directory, $BW the bindwatch command
 *   $BW_IT     tests/integration of the source tree ($BW_SRC, else ".")
 *   bw_wait_listen, bw_wait_grep, bw_ss and the rest: see lib.sh.
 */
#ifndef BW_HARNESS_H
#define BW_HARNESS_H

#include <stddef.h>

/* Default bounds of a namespace run, and of every wait inside it. */
#define BW_NS_TIMEOUT	60	/* seconds, the whole script */

/* The hosts file of the dual-stack case: ::1 first, as on most desktops. */
extern const char bw_hosts_dual[];

/*
 * The absolute build directory: $BW_BUILD, else ./build made absolute.
 * NULL when it does not exist.  The string is static.
 */
const char	*bw_build(void);

/* "$BW_BUILD/rel", malloc'd; NULL when there is no build directory. */
char		*bw_build_path(const char *rel);

/*
 * Run script (sh) in the namespaces described above.  *out and *err get
 * its stdout and stderr (malloc'd, NUL-terminated, never NULL on success;
 * either pointer may be NULL when not wanted); *status its exit status,
 * 128+N if killed by signal N, 124 when the timeout struck.  Returns 0
 * when the script could be run at all, -1 otherwise (errno set).
 */
int		 bw_ns_run(const char *script, char **out, char **err,
		    int *status);

/*
 * The same for the scenario file (relative to bw_it()), with env added to
 * its environment ("NAME=value" strings, NULL-terminated; may be NULL);
 * plain: not in namespaces, as bw_sh_run().
 */
int		 bw_ns_run_file(const char *file, const char *const *env,
		    int plain, const char *hosts, int timeout_s, char **out,
		    char **err, int *status);

/* The absolute tests/integration directory; NULL without its lib.sh. */
const char	*bw_it(void);

/* Run a shell command here, no namespace; same contract as bw_ns_run. */
int		 bw_sh_run(const char *cmd, char **out, char **err, int *status);

/* The value of the first "key=value" line of text (malloc'd), or NULL. */
char		*bw_value(const char *text, const char *key);

#endif
