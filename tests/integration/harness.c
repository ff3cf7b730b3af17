/*
 * Helpers of the integration tests: see harness.h.  Scripts run through
 * timeout(1) and unshare(1); their output goes to files, not pipes, so a
 * server left in the background can never keep a test waiting for EOF.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

const char bw_hosts_dual[] = "::1 localhost\n127.0.0.1 localhost\n";

const char *
bw_build(void)
{
	static char path[PATH_MAX];
	const char *b = getenv("BW_BUILD");

	if (path[0] != '\0')
		return path;
	if (realpath(b != NULL && *b != '\0' ? b : "build", path) == NULL) {
		path[0] = '\0';
		return NULL;
	}
	return path;
}

char *
bw_build_path(const char *rel)
{
	const char *b = bw_build();
	char *p;

	if (b == NULL || asprintf(&p, "%s/%s", b, rel) == -1)
		return NULL;
	return p;
}

const char *
bw_it(void)
{
	static char path[PATH_MAX];
	const char *src = getenv("BW_SRC");
	char rel[PATH_MAX], lib[PATH_MAX + 16];

	if (path[0] != '\0')
		return path;
	if (snprintf(rel, sizeof(rel), "%s/tests/integration",
	    src != NULL && *src != '\0' ? src : ".") >= (int)sizeof(rel) ||
	    realpath(rel, path) == NULL)
		goto none;
	snprintf(lib, sizeof(lib), "%s/lib.sh", path);
	if (access(lib, R_OK) == 0)
		return path;
none:
	path[0] = '\0';
	return NULL;
}

static int
write_file(const char *dir, const char *name, const char *a, const char *b)
{
	char path[PATH_MAX];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	ok = fputs(a, f) >= 0 && (b == NULL || fputs(b, f) >= 0);
	return fclose(f) == 0 && ok ? 0 : -1;
}

static char *
slurp_path(const char *path)
{
	char *buf = NULL;
	size_t cap = 0;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL)
		return strdup("");
	if (getdelim(&buf, &cap, '\0', f) == -1) {
		free(buf);
		buf = strdup("");
	}
	fclose(f);
	return buf;
}

static char *
slurp(const char *dir, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return slurp_path(path);
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	(void)remove(path);
	return 0;
}

/* In the child: stdin from /dev/null, stdout and stderr to files of dir. */
static void
redirect(const char *dir)
{
	char path[PATH_MAX];
	int fd;

	if ((fd = open("/dev/null", O_RDONLY)) != -1) {
		dup2(fd, STDIN_FILENO);
		close(fd);
	}
	snprintf(path, sizeof(path), "%s/.stdout", dir);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) != -1) {
		dup2(fd, STDOUT_FILENO);
		close(fd);
	}
	snprintf(path, sizeof(path), "%s/.stderr", dir);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) != -1) {
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
}

/*
 * Run a scenario in a new private directory; netns: inside the namespaces.
 * The scenario is file (a path under bw_it()) or else the text script; env
 * ("NAME=value", NULL-terminated, or NULL) is added to its environment.
 * The directory is removed afterwards.
 */
static int
run(const char *file, const char *script, const char *const *env, int netns,
    const char *hosts, int timeout_s, char **out, char **err, int *status)
{
	char dir[] = "/tmp/bw-it.XXXXXX", path[PATH_MAX], secs[16];
	const char *argv[20];
	const char *b = bw_build(), *it = bw_it();
	pid_t pid;
	int st, n = 0, saved;

	if (out != NULL)
		*out = NULL;
	if (err != NULL)
		*err = NULL;
	*status = -1;
	if (b == NULL || it == NULL) {
		errno = ENOENT;
		return -1;
	}
	if (mkdtemp(dir) == NULL)
		return -1;
	/* Readable by whoever the namespace's root maps to. */
	(void)chmod(dir, 0755);
	if (hosts != NULL && write_file(dir, "hosts", hosts, NULL) == -1)
		goto fail;
	if (file != NULL)
		snprintf(path, sizeof(path), "%s/%s", it, file);
	else {
		if (write_file(dir, ".script", script, NULL) == -1)
			goto fail;
		snprintf(path, sizeof(path), "%s/.script", dir);
	}
	snprintf(secs, sizeof(secs), "%d", timeout_s > 0 ? timeout_s : BW_NS_TIMEOUT);
	argv[n++] = "timeout";
	argv[n++] = "-k";
	argv[n++] = "5";
	argv[n++] = secs;
	if (netns) {
		argv[n++] = "unshare";
		argv[n++] = "-n";
		argv[n++] = "-m";
		/* A pid namespace: whatever the script leaves behind dies with it. */
		argv[n++] = "-p";
		argv[n++] = "--fork";
		argv[n++] = "--kill-child";
		argv[n++] = "--mount-proc";
		if (geteuid() != 0)
			argv[n++] = "-r";
	}
	/* The prelude first, then the scenario, in one shell. */
	argv[n++] = "sh";
	argv[n++] = "-c";
	argv[n++] = ". \"$BW_IT/lib.sh\"; . \"$BW_SCRIPT\"";
	argv[n] = NULL;

	fflush(NULL);
	if ((pid = fork()) == -1)
		goto fail;
	if (pid == 0) {
		redirect(dir);
		setenv("D", dir, 1);
		setenv("BW_BUILD", b, 1);
		setenv("BW_IT", it, 1);
		setenv("BW_SCRIPT", path, 1);
		setenv("BW_NETNS", netns ? "1" : "0", 1);
		setenv("BW_HOSTS", netns && hosts != NULL ? "1" : "0", 1);
		for (; env != NULL && *env != NULL; env++)
			if (putenv((char *)*env) != 0)
				_exit(127);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			goto fail;
	*status = WIFEXITED(st) ? WEXITSTATUS(st) :
	    WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
	if (out != NULL)
		*out = slurp(dir, ".stdout");
	if (err != NULL)
		*err = slurp(dir, ".stderr");
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
fail:
	saved = errno;
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	errno = saved;
	return -1;
}

int
bw_ns_run_file(const char *file, const char *const *env, int plain,
    const char *hosts, int timeout_s, char **out, char **err, int *status)
{
	return run(file, NULL, env, !plain, hosts, timeout_s, out, err, status);
}

int
bw_ns_run(const char *script, char **out, char **err, int *status)
{
	return run(NULL, script, NULL, 1, bw_hosts_dual, BW_NS_TIMEOUT, out, err,
	    status);
}

int
bw_sh_run(const char *cmd, char **out, char **err, int *status)
{
	return run(NULL, cmd, NULL, 0, NULL, BW_NS_TIMEOUT, out, err, status);
}

char *
bw_value(const char *text, const char *key)
{
	size_t k = strlen(key);
	const char *l = text;

	while (l != NULL && *l != '\0') {
		if (strncmp(l, key, k) == 0 && l[k] == '=')
			return strndup(l + k + 1, strcspn(l + k + 1, "\n"));
		if ((l = strchr(l, '\n')) != NULL)
			l++;
	}
	return NULL;
}
