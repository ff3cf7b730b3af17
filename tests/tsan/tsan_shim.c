/*
 * tsan_shim: the real shim under ThreadSanitizer (make tsan).
 *
 * A TSan-instrumented library cannot simply be preloaded (the TSan runtime
 * must be in the process first), so this program is linked with the shim's
 * sources and calls the functions behind its hooks (bw_bind, bw_listen,
 * bw_getaddrinfo, bw_freeaddrinfo) with the configuration and the real
 * calls hooks.c gives them;
 * the shim's constructor reads BINDWATCH_* from the environment as in a
 * preloaded program.  gai.c comes through shim_gai.c (libc's getaddrinfo
 * by TSan's interceptor: see there); hooks.c is left out so that libc's
 * and TSan's own symbols stay what they are.
 *
 * 64 threads, released together, each do ROUNDS times: a TCP socket bound
 * and listened on, a UDP socket bound by syscall(SYS_bind) (as hooks.c's
 * syscall hook does), getaddrinfo + freeaddrinfo of every NAME and of a
 * numeric address, all checked (results, errno left alone).  Meanwhile the
 * main thread forks FORKS children, one at a time while the threads run,
 * each binding and listening once (no getaddrinfo in the children: with
 * clang 14's TSan, malloc in the child of a multi-threaded fork can
 * deadlock on a lock of TSan's allocator that another thread held).  In
 * such a child TSan ignores every access, so the children show that the
 * shim keeps working across fork (atfork handler, shared ring), not races.
 * Run with BINDWATCH_LOG=/dev/null (lines, the log descriptor), with
 * policies (rewritten binds; lists of ours freed by the program's
 * freeaddrinfo) and with -c, a collector in this very process.
 *
 * -c: the program makes a collector socket, re-executes itself with
 * BINDWATCH_COLLECTOR pointing at it (the shim reads it in its
 * constructor, which connects and hands over its ring), and a thread
 * plays the CLI's collector: it takes the connection, then drains the
 * ring through the shim's own mapping of it (same addresses, so TSan
 * sees both sides of every record; the CLI, another process, would be
 * invisible to it), with the CLI's doorbell handshake.  Every record
 * must decode; the main process's sequence numbers must come once each;
 * every record missing by the sequence numbers must be one the shim
 * counted as dropped (when the collector thread gets no CPU for
 * BINDWATCH_SEND_TIMEOUT_MS, the shim gives up on records, by design).
 *
 *	tsan_shim [-c] [-w] [-a] [-r ROUNDS] [-f FORKS] [-n NAME]...
 *	-w	bind the wildcard 0.0.0.0 and expect 127.0.0.1 (--force)
 *	-a	under --force: a second socket binds [::]:same port, which the
 *		shim makes an alias of the first (counted, not required: the
 *		shim's table of rewritten sockets is best effort)
 *
 * Exit 0 and "tsan_shim: OK ..." when every check held.
 */
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "event.h"
#include "gai.h"
#include "init.h"
#include "ring.h"
#include "real.h"
#include "sock.h"

#define NTHREADS	64
#define MAXNAMES	8

static int rounds = 20, forks = 8, wildcard, try_alias;
static const char *names[MAXNAMES];
static int nnames;
static pthread_barrier_t start, done;
static atomic_int failed, running;
static atomic_long binds, aliases, alias_tries, lookups, forks_busy;

static void	fail(int, const char *, ...) __attribute__((format(printf, 2, 3)));

/*
 * hooks.c is left out, so its hooks under their hidden names (real.h) are
 * here for real.c to compare with: it never takes them for libc's, and
 * nothing calls them.
 */
#define HOOK_STUB(ret, name, params, use) \
	ret bw_hook_##name params { use; abort(); }
HOOK_STUB(int, bind, (int a, const struct sockaddr *b, socklen_t c),
    (void)a; (void)b; (void)c)
HOOK_STUB(int, listen, (int a, int b), (void)a; (void)b)
HOOK_STUB(int, getaddrinfo, (const char *a, const char *b,
    const struct addrinfo *c, struct addrinfo **d),
    (void)a; (void)b; (void)c; (void)d)
HOOK_STUB(void, freeaddrinfo, (struct addrinfo *a), (void)a)
HOOK_STUB(long, syscall, (long a, ...), (void)a)
HOOK_STUB(int, socket, (int a, int b, int c), (void)a; (void)b; (void)c)
HOOK_STUB(int, setsockopt, (int a, int b, int c, const void *d, socklen_t e),
    (void)a; (void)b; (void)c; (void)d; (void)e)
HOOK_STUB(int, close, (int a), (void)a)
HOOK_STUB(int, dup2, (int a, int b), (void)a; (void)b)
HOOK_STUB(int, dup3, (int a, int b, int c), (void)a; (void)b; (void)c)
HOOK_STUB(int, close_range, (unsigned int a, unsigned int b, int c),
    (void)a; (void)b; (void)c)
HOOK_STUB(void, closefrom, (int a), (void)a)
HOOK_STUB(int, connect, (int a, const struct sockaddr *b, socklen_t c),
    (void)a; (void)b; (void)c)
HOOK_STUB(int, getsockopt, (int a, int b, int c, void *d, socklen_t *e),
    (void)a; (void)b; (void)c; (void)d; (void)e)

static void
fail(int who, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	if (atomic_fetch_add(&failed, 1) >= 10)
		return;
	va_start(ap, fmt);
	// NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): false positive of clang 14's analyzer, ap is started above
	(void)vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "tsan_shim: %s %d: %s\n", who == -2 ? "collector" :
	    who < 0 ? "child" : "thread", who < 0 ? (int)getpid() : who, line);
}

/* -c: the collector thread's state. */
#define MAXSEQ		(1u << 20)
#define MISS_MS		2000	/* a doorbell later than this is missed */
static struct {
	int		 lfd, cfd, wake;
	char		 path[108];
	void		*base;
	uint32_t	 size;
	atomic_int	 stop;
	atomic_int	 warm;	/* the main thread has made the ring */
	unsigned long	 records, child_records, missed, dups;
	uint8_t		*seqs;	/* the main process's sequence numbers seen */
	struct {
		int32_t		pid;
		uint32_t	maxseq;
		unsigned long	seen;
	}		 procs[64];	/* [0]: the main process */
	size_t		 nprocs;
} col = { .lfd = -1, .cfd = -1, .wake = -1 };

/* The shim's mapping of the ring whose memfd is mfd, from /proc/self/maps. */
static int
attach_ring(int mfd)
{
	char line[512];
	unsigned long lo, hi, ino;
	struct stat st;
	FILE *f;
	int found = 0;

	if (fstat(mfd, &st) == -1 || (f = fopen("/proc/self/maps", "re")) == NULL)
		return -1;
	/* START-END PERMS OFFSET DEV INODE PATH */
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		char *p = line;
		int field;

		lo = strtoul(p, &p, 16);
		if (*p++ != '-')
			continue;
		hi = strtoul(p, &p, 16);
		for (field = 0; field < 3 && p != NULL; field++)
			if ((p = strchr(p + 1, ' ')) != NULL)
				p++;
		if (p == NULL)
			continue;
		ino = strtoul(p, NULL, 10);
		if (ino == (unsigned long)st.st_ino && strstr(line, "bindwatch-ring")) {
			col.base = (void *)lo;
			col.size = bw_ring_check(col.base, hi - lo);
			found = col.size != 0;
		}
	}
	(void)fclose(f);
	return found ? 0 : -1;
}

static void
take(const uint8_t *rec, size_t len)
{
	struct bw_event e;
	size_t i;

	if (bw_event_decode(&e, rec, len) == -1) {
		fail(-2, "a record that does not decode (%zu bytes)", len);
		return;
	}
	col.records++;
	if (e.pid != (int32_t)getpid())
		col.child_records++;
	else if (e.seq > 0 && e.seq < MAXSEQ && col.seqs[e.seq]++)
		col.dups++;
	for (i = 0; i < col.nprocs && col.procs[i].pid != e.pid; i++)
		;
	if (i == col.nprocs) {
		if (i == sizeof(col.procs) / sizeof(col.procs[0]))
			return;
		col.procs[col.nprocs++].pid = e.pid;
	}
	col.procs[i].seen++;
	if (e.seq > col.procs[i].maxseq)
		col.procs[i].maxseq = e.seq;
}

/* Records lost by the sequence numbers (all but trailing ones). */
static unsigned long
lost(void)
{
	unsigned long n = 0;
	size_t i;

	for (i = 0; i < col.nprocs; i++)
		n += col.procs[i].maxseq - col.procs[i].seen;
	return n;
}

/*
 * Everything waiting on the connection: records (before the ring), the
 * ring's memfd, doorbells.  Returns how many messages there were.
 */
static int
take_messages(void)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	uint8_t rec[BINDWATCH_MAX_RECORD];
	struct msghdr msg;
	struct cmsghdr *cm;
	struct iovec iov;
	ssize_t n;
	int mfd, count = 0;

	for (;;) {
		memset(&msg, 0, sizeof(msg));
		iov.iov_base = rec;
		iov.iov_len = sizeof(rec);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = ctl.buf;
		msg.msg_controllen = sizeof(ctl.buf);
		if ((n = recvmsg(col.cfd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC)) <= 0)
			return count;
		count++;
		if ((cm = CMSG_FIRSTHDR(&msg)) != NULL && cm->cmsg_type == SCM_RIGHTS) {
			memcpy(&mfd, CMSG_DATA(cm), sizeof(int));
			/*
			 * The ring was laid out by the main thread before it
			 * sent this message, which orders the two for real;
			 * TSan does not see ordering through a socket, so
			 * the main thread says so once more (col.warm).
			 */
			while (!atomic_load_explicit(&col.warm, memory_order_acquire))
				sched_yield();
			if (n != 1 || rec[0] != 'R' || col.base != NULL ||
			    attach_ring(mfd) == -1)
				fail(-2, "a ring that is not the shim's only one");
			close(mfd);	/* the shim's mapping is used */
		} else if (n == 1 && rec[0] == 'D')
			;	/* a doorbell */
		else
			take(rec, (size_t)n);
	}
}

static void *
collector(void *arg)
{
	struct pollfd pfd[2];
	uint8_t rec[BINDWATCH_MAX_RECORD];
	uint64_t v;
	uint32_t len;
	int r, n;

	(void)arg;
	if ((col.cfd = accept4(col.lfd, NULL, NULL, SOCK_CLOEXEC)) == -1) {
		fail(-2, "accept: errno %d", errno);
		return NULL;
	}
	pfd[0].fd = col.cfd;
	pfd[0].events = POLLIN;
	pfd[1].fd = col.wake;
	pfd[1].events = POLLIN;
	for (;;) {
		(void)take_messages();
		r = col.base == NULL ? 0 :
		    bw_ring_get(col.base, col.size, rec, sizeof(rec), &len);
		if (r == 1) {
			take(rec, len);
			continue;
		}
		if (r == -1) {
			fail(-2, "the ring is corrupt");
			return NULL;
		}
		if (atomic_load(&col.stop)) {
			if (take_messages() == 0)
				break;
			continue;
		}
		/* The CLI's handshake: arm, look once more, sleep. */
		if (col.base != NULL) {
			bw_ring_arm(col.base);
			r = bw_ring_get(col.base, col.size, rec, sizeof(rec), &len);
			if (r != 0) {
				bw_ring_disarm(col.base);
				if (r == 1)
					take(rec, len);
				continue;
			}
		}
		n = poll(pfd, 2, MISS_MS);
		if (n > 0 && (pfd[1].revents & POLLIN))
			(void)!read(col.wake, &v, sizeof(v));
		if (col.base != NULL) {
			bw_ring_disarm(col.base);
			if (n == 0 && bw_ring_get(col.base, col.size, rec,
			    sizeof(rec), &len) == 1) {
				col.missed++;
				take(rec, len);
			}
		}
	}
	if (col.base == NULL)
		fail(-2, "the shim never handed over a ring");
	return NULL;
}

/*
 * -c, first image: a collector socket in a private directory, then this
 * program again with BINDWATCH_COLLECTOR set (the socket stays open).
 */
static void
reexec_with_collector(char *argv[])
{
	char dir[] = "/tmp/tsan_shim.XXXXXX", fd[16];
	struct sockaddr_un sun;

	if (mkdtemp(dir) == NULL ||
	    (col.lfd = socket(AF_UNIX, SOCK_SEQPACKET, 0)) == -1) {
		perror("tsan_shim: collector");
		exit(1);
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/events", dir);
	if (bind(col.lfd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(col.lfd, 64) == -1) {
		perror("tsan_shim: collector");
		exit(1);
	}
	snprintf(fd, sizeof(fd), "%d", col.lfd);
	setenv("BINDWATCH_COLLECTOR", sun.sun_path, 1);
	setenv("TSAN_SHIM_LFD", fd, 1);
	unsetenv("BINDWATCH_LOG");
	execv("/proc/self/exe", argv);
	perror("tsan_shim: exec");
	exit(1);
}

static void
resolve(int who, const char *node, int flags)
{
	struct addrinfo hints, *res = NULL, *ai;
	int rc, sentinel = 20000 + who;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = flags;
	errno = sentinel;
	rc = bw_getaddrinfo(bw_ready(), node, "80", &hints, &res);
	if (rc != 0 || res == NULL) {
		fail(who, "getaddrinfo(%s): %s", node, gai_strerror(rc));
		return;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		const struct sockaddr_in *sin = (const void *)ai->ai_addr;

		if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) ||
		    ai->ai_addr == NULL || ntohs(sin->sin_port) != 80) {
			fail(who, "getaddrinfo(%s): a bad entry", node);
			break;
		}
	}
	bw_freeaddrinfo(res);
	atomic_fetch_add(&lookups, 1);
}

/*
 * -a: descriptors stay open until every thread is done.  The shim probes
 * the descriptor numbers it recorded (fstat, then the inode) while other
 * threads close and reuse numbers; that is safe, but TSan reports it as a
 * race on the descriptor, and clang 14's TSan can crash (CHECK failed in
 * ScopedReportBase::AddLocation) while describing one whose number libc
 * used internally.  So under -a no number is reused during the run.
 */
static __thread int *kept;
static __thread size_t nkept;

static void
dispose(int fd)
{
	if (kept != NULL)
		kept[nkept++] = fd;
	else
		close(fd);
}

/* A port nothing listened on a moment ago. */
static unsigned
free_port(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	unsigned port = 0;
	int fd;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return 0;
	if (real_bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sin, &len) == 0)
		port = ntohs(sin.sin_port);
	close(fd);	/* never bound through the shim: not in its table */
	return port;
}

/* A second socket on the port of the first, as [::]:port (see -a). */
static void
alias_bind(int who, unsigned port)
{
	struct sockaddr_in6 s6;
	socklen_t len;
	int fd;

	if ((fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return;
	memset(&s6, 0, sizeof(s6));
	s6.sin6_family = AF_INET6;
	s6.sin6_addr = in6addr_any;
	s6.sin6_port = htons((uint16_t)port);
	atomic_fetch_add(&alias_tries, 1);
	if (bw_bind(bw_ready(), fd, (struct sockaddr *)&s6, sizeof(s6),
	    real_bind) == 0) {
		struct sockaddr_storage ss;

		memset(&ss, 0, sizeof(ss));
		len = sizeof(ss);
		if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0 &&
		    ss.ss_family == AF_INET &&
		    ntohs(((struct sockaddr_in *)(void *)&ss)->sin_port) == port)
			atomic_fetch_add(&aliases, 1);
		else
			fail(who, "alias of port %u is not that socket", port);
	} else if (errno != EADDRINUSE)
		fail(who, "alias bind: errno %d", errno);
	dispose(fd);
}

/*
 * What hooks.c hands bw_bind for syscall(SYS_bind, ...).  libc's syscall
 * directly: real_syscall6 refuses it here, as without hooks.c the symbol
 * syscall is libc's own (in the shim it is the hook).
 */
static int
sys_bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	return (int)syscall(SYS_bind, fd, addr, len);
}

static void
one_round(int who, int lookups_too)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd, ufd, i, sentinel = 10000 + (who < 0 ? 99 : who);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(wildcard ? INADDR_ANY : INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		fail(who, "socket: errno %d", errno);
		return;
	}
	/* The shim aliases only a fixed port: take one the kernel had free
	 * (another process may take it first: try again). */
	for (i = 0; i < 5; i++) {
		if (try_alias)
			sin.sin_port = htons(free_port());
		errno = sentinel;
		if (bw_bind(bw_ready(), fd, (struct sockaddr *)&sin, sizeof(sin),
		    real_bind) == 0)
			break;
		if (!try_alias || errno != EADDRINUSE)
			break;
	}
	if (i == 5 || errno != sentinel)
		fail(who, "bind: errno %d", errno);
	atomic_fetch_add(&binds, 1);
	if (getsockname(fd, (struct sockaddr *)&sin, &len) == -1 ||
	    sin.sin_addr.s_addr != htonl(INADDR_LOOPBACK))
		fail(who, "not bound to 127.0.0.1");
	errno = sentinel;
	if (bw_listen(bw_ready(), fd, 8, real_listen) == -1)
		fail(who, "listen: errno %d", errno);
	else if (errno != sentinel)
		fail(who, "listen changed errno to %d", errno);
	if (try_alias)
		alias_bind(who, ntohs(sin.sin_port));

	/* syscall(2) is hooked too. */
	if ((ufd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) != -1) {
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sin.sin_port = 0;
		if (bw_bind(bw_ready(), ufd, (struct sockaddr *)&sin,
		    sizeof(sin), sys_bind) == -1)
			fail(who, "syscall(SYS_bind): errno %d", errno);
		dispose(ufd);
	}

	if (lookups_too) {
		for (i = 0; i < nnames; i++)
			resolve(who, names[i], 0);
		resolve(who, "127.0.0.1", AI_NUMERICHOST);
	}
	dispose(fd);
}

static void *
worker(void *arg)
{
	int who = (int)(intptr_t)arg, r;
	size_t i;

	/* -a: 3 sockets a round. */
	if (try_alias && (kept = calloc((size_t)rounds * 4 + 1, sizeof(int))) == NULL)
		fail(who, "calloc");
	pthread_barrier_wait(&start);
	for (r = 0; r < rounds; r++)
		one_round(who, 1);
	atomic_fetch_sub(&running, 1);
	if (kept != NULL) {
		pthread_barrier_wait(&done);
		for (i = 0; i < nkept; i++)
			close(kept[i]);
		free(kept);
	}
	return NULL;
}

/* Room for n descriptors, as far as the hard limit allows: how many. */
static size_t
raise_nofile(size_t n)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return 1024;
	if (rl.rlim_cur < n) {
		rl.rlim_cur = rl.rlim_max < n ? rl.rlim_max : n;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	return (size_t)rl.rlim_cur;
}

/* A count or a descriptor from the command line or environment: 0..100000. */
static int
number(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 0 || v > 100000) {
		fprintf(stderr, "tsan_shim: %s: not a number from 0 to 100000\n", s);
		exit(2);
	}
	return (int)v;
}

int
main(int argc, char *argv[])
{
	pthread_t th[NTHREADS], cth;
	pid_t pid;
	int ch, i, st, forked = 0, with_collector = 0;
	const char *lfd;

	while ((ch = getopt(argc, argv, "acwf:n:r:")) != -1) {
		switch (ch) {
		case 'c':
			with_collector = 1;
			break;
		case 'a':
			try_alias = 1;
			break;
		case 'w':
			wildcard = 1;
			break;
		case 'f':
			forks = number(optarg);
			break;
		case 'n':
			if (nnames < MAXNAMES)
				names[nnames++] = optarg;
			break;
		case 'r':
			rounds = number(optarg);
			break;
		default:
			fprintf(stderr, "usage: tsan_shim [-acw] [-r rounds] "
			    "[-f forks] [-n name]...\n");
			return 2;
		}
	}
	if (nnames == 0)
		names[nnames++] = "localhost";
	if (with_collector && (lfd = getenv("TSAN_SHIM_LFD")) == NULL)
		reexec_with_collector(argv);
	if (with_collector) {
		col.lfd = number(lfd);
		snprintf(col.path, sizeof(col.path), "%s",
		    getenv("BINDWATCH_COLLECTOR"));
		if ((col.seqs = calloc(MAXSEQ, 1)) == NULL ||
		    (col.wake = eventfd(0, EFD_CLOEXEC)) == -1 ||
		    pthread_create(&cth, NULL, collector, NULL) != 0) {
			fprintf(stderr, "tsan_shim: collector thread\n");
			return 1;
		}
		/*
		 * The shim makes its ring after a few records over the
		 * socket: have it made here, before the threads, so that
		 * there is one (two threads racing to make it both send one,
		 * and the loser unmaps its own: the collector here could not
		 * tell which mapping stays).
		 */
		for (i = 0; i < 16; i++)
			resolve(0, "127.0.0.1", AI_NUMERICHOST);
		atomic_store_explicit(&col.warm, 1, memory_order_release);
	}

	pthread_barrier_init(&start, NULL, NTHREADS + 1);
	pthread_barrier_init(&done, NULL, NTHREADS);
	if (try_alias) {
		size_t room = raise_nofile((size_t)NTHREADS * (size_t)rounds * 4 + 256);

		if (room < (size_t)NTHREADS * (size_t)rounds * 4 + 256)
			rounds = room < 256 + (size_t)NTHREADS * 4 ? 1 :
			    (int)((room - 256) / ((size_t)NTHREADS * 4));
	}
	atomic_store(&running, NTHREADS);
	for (i = 0; i < NTHREADS; i++)
		if (pthread_create(&th[i], NULL, worker, (void *)(intptr_t)i) != 0) {
			fprintf(stderr, "tsan_shim: pthread_create failed\n");
			return 1;
		}
	pthread_barrier_wait(&start);
	/* Forks while the threads are inside hooked calls. */
	for (i = 0; i < forks; i++) {
		if ((pid = fork()) == -1) {
			fail(-1, "fork: errno %d", errno);
			break;
		}
		if (pid == 0) {
			atomic_store(&failed, 0);
			one_round(-1, 0);
			/* Not _exit: TSan's would report the parent's threads
			 * as leaked (this child never had them to join). */
			syscall(SYS_exit_group, atomic_load(&failed) ? 1 : 0);
		}
		forked++;
		if (atomic_load(&running) > 0)
			atomic_fetch_add(&forks_busy, 1);
		while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
			;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			fail(-1, "a child failed (status 0x%x)", st);
	}
	for (i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	if (with_collector) {
		uint64_t one = 1;

		atomic_store(&col.stop, 1);
		(void)!write(col.wake, &one, sizeof(one));
		pthread_join(cth, NULL);
		if (col.dups)
			fail(-2, "%lu sequence number(s) twice", col.dups);
		if (col.missed)
			fail(-2, "%lu missed doorbell(s)", col.missed);
		if (col.records == 0)
			fail(-2, "no records");
		/* Every record lost is one the shim gave up on, and counted. */
		if (col.base != NULL && lost() > bw_ring_ndropped(col.base))
			fail(-2, "%lu record(s) lost, %lu counted as dropped",
			    lost(), (unsigned long)bw_ring_ndropped(col.base));
		unlink(col.path);
		*strrchr(col.path, '/') = '\0';
		rmdir(col.path);
	}
	if (atomic_load(&failed)) {
		fprintf(stderr, "tsan_shim: FAILED (%d check(s))\n", atomic_load(&failed));
		return 1;
	}
	printf("tsan_shim: OK %d threads x %d rounds, %d forks (%ld while they "
	    "ran): %ld binds, %ld lookups", NTHREADS, rounds, forked,
	    atomic_load(&forks_busy), atomic_load(&binds), atomic_load(&lookups));
	if (try_alias)
		printf(", %ld/%ld aliased", atomic_load(&aliases),
		    atomic_load(&alias_tries));
	if (with_collector)
		printf("; collector: %lu records (%lu from %zu children), "
		    "%lu lost, %lu dropped (collector stalled)", col.records,
		    col.child_records, col.nprocs - 1, lost(),
		    (unsigned long)bw_ring_ndropped(col.base));
	printf("\n");
	return 0;
}
