/*
 * Event generator for the per-event and burst rows.
 *
 *	evgen KIND N NPROC OUT
 *
 * NPROC processes (forked) make N calls of KIND between them, as fast as
 * they can, and append one line to OUT:
 *	KIND NPROC N WALL_NS NS_PER_CALL
 * where WALL_NS runs from before the first fork to after the last wait and
 * NS_PER_CALL is the median over the processes of each one's loop time
 * divided by its number of calls.  With EVGEN_WARM=W in the environment,
 * each process first makes W calls that are not timed.  KIND:
 *	bind-inuse	bind(2) to 127.0.0.1:P, which another socket of ours
 *			listens on: EADDRINUSE every time, one event per call;
 *			each process binds a socket it made itself
 *	bind-inherited	the same with a socket made before the fork, shared
 *			with the parent: the shim reads its options from the
 *			kernel at every event (see shim/sockcache.c)
 *	bind-ok		socket + bind(127.0.0.1:0) + close, one event per call
 *	socket		socket + close: subtracted from bind-ok
 *	gai		getaddrinfo("127.0.0.1", "8080", numeric) + freeaddrinfo
 *	connect		socket + connect to a listener of ours on 127.0.0.1 +
 *			accept + close both (the accepted one with a reset: no
 *			TIME_WAIT to run out of ports), one event per call
 *	connect-nb	the same non-blocking: EINPROGRESS, poll, then
 *			getsockopt(SO_ERROR), as libuv, asyncio and curl do
 *	peername	getpeername(2) on a connected socket: the price of the
 *			one call the shim adds to a non-blocking connect
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <poll.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum kind { K_BIND_INUSE, K_BIND_INHERITED, K_BIND_OK, K_SOCKET, K_GAI,
    K_CONNECT, K_CONNECT_NB, K_PEERNAME };

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int
llcmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* One connect to the listener ls at a, accepted and closed. */
static void
connect_once(int ls, const struct sockaddr_in *a, int nb)
{
	struct linger lg = { 1, 0 };
	struct pollfd p;
	socklen_t len = sizeof(int);
	int fd, c, e = 0;

	if ((fd = socket(AF_INET, SOCK_STREAM | (nb ? SOCK_NONBLOCK : 0),
	    0)) == -1)
		err(1, "socket");
	if (connect(fd, (const struct sockaddr *)a, sizeof(*a)) == -1) {
		if (!nb || errno != EINPROGRESS)
			err(1, "connect");
		p.fd = fd;
		p.events = POLLOUT;
		if (poll(&p, 1, 5000) != 1 ||
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) == -1 ||
		    e != 0)
			errx(1, "connect-nb: no connection");
	}
	if ((c = accept(ls, NULL, NULL)) == -1)
		err(1, "accept");
	(void)setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(c);
	close(fd);
}

/* One process's share: n calls after warm untimed ones; returns the
 * duration of the n in ns. */
static long long
work(enum kind k, long n, long warm, const struct sockaddr_in *inuse,
    int fd_inuse)
{
	struct sockaddr_in any;
	struct addrinfo hints, *res;
	struct sockaddr_storage ss;
	socklen_t len;
	long long t0;
	long i;
	int fd;

	memset(&any, 0, sizeof(any));
	any.sin_family = AF_INET;
	any.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	t0 = now_ns();
	for (i = 0; i < warm + n; i++) {
		if (i == warm)
			t0 = now_ns();
		switch (k) {
		case K_BIND_INUSE:
		case K_BIND_INHERITED:
			if (bind(fd_inuse, (const struct sockaddr *)inuse,
			    sizeof(*inuse)) != -1 || errno != EADDRINUSE)
				errx(1, "bind-inuse: expected EADDRINUSE");
			break;
		case K_BIND_OK:
		case K_SOCKET:
			if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
				err(1, "socket");
			if (k == K_BIND_OK && bind(fd,
			    (const struct sockaddr *)&any, sizeof(any)) == -1)
				err(1, "bind");
			close(fd);
			break;
		case K_GAI:
			if (getaddrinfo("127.0.0.1", "8080", &hints, &res) != 0)
				errx(1, "getaddrinfo failed");
			freeaddrinfo(res);
			break;
		case K_CONNECT:
		case K_CONNECT_NB:
			connect_once(fd_inuse, inuse, k == K_CONNECT_NB);
			break;
		case K_PEERNAME:
			len = sizeof(ss);
			if (getpeername(fd_inuse, (struct sockaddr *)&ss,
			    &len) == -1)
				err(1, "getpeername");
			break;
		}
	}
	return now_ns() - t0;
}

int
main(int argc, char **argv)
{
	static const char *const names[] = { "bind-inuse", "bind-inherited",
	    "bind-ok", "socket", "gai", "connect", "connect-nb", "peername" };
	struct sockaddr_in inuse;
	socklen_t len = sizeof(inuse);
	long long t0, wall, *per;
	long n, warm;
	int k, nproc, p, ls = -1, fd = -1, ac = -1, pfd[2], out, st;
	char line[256];
	pid_t pid;

	if (argc != 5)
		errx(2, "usage: evgen bind-inuse|bind-inherited|bind-ok|socket|gai"
		    "|connect|connect-nb|peername N NPROC OUT");
	for (k = 0; k < 8 && strcmp(argv[1], names[k]) != 0; k++)
		;
	n = atol(argv[2]);
	warm = getenv("EVGEN_WARM") != NULL ? atol(getenv("EVGEN_WARM")) : 0;
	nproc = atoi(argv[3]);
	if (k == 8 || n < 1 || nproc < 1 || nproc > 256 || n < nproc)
		errx(2, "bad KIND, N or NPROC");
	if ((per = calloc((size_t)nproc, sizeof(*per))) == NULL)
		err(1, "calloc");
	if (k == K_BIND_INUSE || k == K_BIND_INHERITED || k == K_CONNECT ||
	    k == K_CONNECT_NB || k == K_PEERNAME) {
		memset(&inuse, 0, sizeof(inuse));
		inuse.sin_family = AF_INET;
		inuse.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if ((ls = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
		    bind(ls, (struct sockaddr *)&inuse, sizeof(inuse)) == -1 ||
		    listen(ls, 64) == -1 ||
		    getsockname(ls, (struct sockaddr *)&inuse, &len) == -1 ||
		    (fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
			err(1, "setup");
	}
	if (k == K_PEERNAME && (connect(fd, (struct sockaddr *)&inuse,
	    sizeof(inuse)) == -1 || (ac = accept(ls, NULL, NULL)) == -1))
		err(1, "setup");
	if (pipe(pfd) == -1)
		err(1, "pipe");
	t0 = now_ns();
	for (p = 0; p < nproc; p++) {
		long mine = n / nproc + (p < n % nproc);

		if ((pid = fork()) == -1)
			err(1, "fork");
		if (pid == 0) {
			long long d;

			if (k == K_BIND_INUSE && (close(fd), fd = socket(AF_INET,
			    SOCK_STREAM, 0)) == -1)
				err(1, "socket");
			d = work((enum kind)k, mine, warm, &inuse,
			    k == K_CONNECT || k == K_CONNECT_NB ? ls : fd);

			d /= mine;
			if (write(pfd[1], &d, sizeof(d)) != sizeof(d))
				_exit(1);
			_exit(0);
		}
	}
	close(pfd[1]);
	for (p = 0; p < nproc; p++)
		if (read(pfd[0], &per[p], sizeof(per[p])) != sizeof(per[p]))
			errx(1, "a worker failed");
	while ((pid = wait(&st)) > 0)
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			errx(1, "a worker failed: status %d", st);
	wall = now_ns() - t0;
	qsort(per, (size_t)nproc, sizeof(*per), llcmp);
	snprintf(line, sizeof(line), "%s %d %ld %lld %lld\n", names[k], nproc, n,
	    wall, per[nproc / 2]);
	if ((out = open(argv[4], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644)) == -1 ||
	    write(out, line, strlen(line)) != (ssize_t)strlen(line))
		err(1, "%s", argv[4]);
	close(out);
	if (ac != -1)
		close(ac);
	if (ls != -1)
		close(ls);
	free(per);
	return 0;
}
