/*
 * Bare (no collector), an event is a line, text or JSON, on stderr or
 * appended to BINDWATCH_LOG: a file opened at initialisation (created
 * 0600, never through a symbolic link), moved high and checked before
 * each use like every descriptor of ours, and opened again if the program
 * closed it.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "format.h"
#include "ownfd.h"
#include "sink_log.h"

static atomic_uint_fast64_t logfd;	/* BINDWATCH_LOG file */

/* All of buf, or -1 with errno. */
static int
write_all(int fd, const char *buf, size_t n)
{
	ssize_t r;

	while (n > 0) {
		if ((r = write(fd, buf, n)) == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		buf += r;
		n -= (size_t)r;
	}
	return 0;
}

/*
 * write(2) that can never raise SIGPIPE in the program.  Only a pipe or a
 * socket raises it; for a file or a terminal one fstat replaces the three
 * system calls of blocking the signal.
 */
static void
write_nosigpipe(int fd, const char *buf, size_t n)
{
	struct timespec zero = { 0, 0 };
	sigset_t pipe, old, pending;
	struct stat st;
	int had;

	if (fstat(fd, &st) == 0 && !S_ISFIFO(st.st_mode) &&
	    !S_ISSOCK(st.st_mode)) {
		(void)write_all(fd, buf, n);
		return;
	}
	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	if (pthread_sigmask(SIG_BLOCK, &pipe, &old) != 0)
		return;
	had = sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE);
	if (write_all(fd, buf, n) == -1 && errno == EPIPE && !had)
		(void)sigtimedwait(&pipe, NULL, &zero);
	(void)pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static int
log_open(const char *path)
{
	int fd;

	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC |
	    O_NOCTTY, 0600);
	if (fd == -1)
		return -1;
	return bw_ownfd_move_high(fd);
}

/* At initialisation: a log that cannot be opened is refused (init.c). */
int
bw_sink_log_open(const char *path)
{
	int fd = log_open(path);

	if (fd == -1)
		return -1;
	return bw_ownfd_publish(&logfd, 0, fd) == -1 ? -1 : 0;
}

void
bw_sink_log_write(const struct bw_conf *c, const struct bw_event *e)
{
	char line[BW_LINE_MAX];
	size_t n;
	uint64_t old;
	int fd = STDERR_FILENO;

	n = c->json ? bw_format_json(e, line, sizeof(line)) :
	    bw_format_text(e, line, sizeof(line));
	if (c->out == BW_OUT_FILE) {
		old = atomic_load(&logfd);
		if ((fd = bw_ownfd_get(old)) == -1) {
			if ((fd = log_open(c->logpath)) == -1)
				return;
			if ((fd = bw_ownfd_publish(&logfd, old, fd)) == -1)
				return;
		}
	}
	write_nosigpipe(fd, line, n);
}

