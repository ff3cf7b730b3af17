/*
 * Load for the inspection row: NPROC processes holding NSOCK TCP sockets
 * listening on 127.0.0.1 between them.  Creates READY when every socket is
 * up, then waits for SIGTERM/SIGINT (or at most LIMIT seconds) and takes
 * its holders down.  Run it inside a private network namespace.
 *
 *	hold NPROC NSOCK READY LIMIT
 */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <netinet/in.h>

#include <err.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int
listener(void)
{
	struct sockaddr_in a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) == -1 || listen(fd, 8) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

int
main(int argc, char **argv)
{
	int nproc, nsock, limit, p, i, ready[2], fd;
	sigset_t set;
	struct timespec ts;
	pid_t *kids, me = getpid();
	char c;

	if (argc != 5 || (nproc = atoi(argv[1])) < 1 ||
	    (nsock = atoi(argv[2])) < nproc || (limit = atoi(argv[4])) < 1)
		errx(2, "usage: hold NPROC NSOCK READY LIMIT");
	if ((kids = calloc((size_t)nproc, sizeof(*kids))) == NULL)
		err(1, "calloc");
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (pipe(ready) == -1)
		err(1, "pipe");
	for (p = 0; p < nproc; p++) {
		int mine = nsock / nproc + (p < nsock % nproc);

		if ((kids[p] = fork()) == -1)
			err(1, "fork");
		if (kids[p] == 0) {
			struct rlimit rl = { (rlim_t)mine + 64, (rlim_t)mine + 64 };

			/* Never outlive the parent. */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != me)
				_exit(1);
			if (mine + 16 > 1024)
				setrlimit(RLIMIT_NOFILE, &rl);
			close(ready[0]);
			for (i = 0; i < mine; i++)
				if (listener() == -1)
					_exit(1);
			if (write(ready[1], "x", 1) != 1)
				_exit(1);
			close(ready[1]);
			pause();
			_exit(0);
		}
	}
	close(ready[1]);
	for (p = 0; p < nproc; p++)
		if (read(ready[0], &c, 1) != 1)
			errx(1, "a holder failed to create its sockets");
	if ((fd = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) == -1)
		err(1, "%s", argv[3]);
	close(fd);
	ts.tv_sec = limit;
	ts.tv_nsec = 0;
	(void)sigtimedwait(&set, NULL, &ts);
	for (p = 0; p < nproc; p++)
		kill(kids[p], SIGKILL);
	while (wait(NULL) > 0)
		;
	unlink(argv[3]);
	return 0;
}
