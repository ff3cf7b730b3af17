/*
 * Delivering events.  Under the CLI every process of the tree inherits one
 * connection to the collector (SOCK_SEQPACKET), a descriptor the CLI made;
 * an image whose copy is gone (closed, replaced) connects to the collector
 * itself (a 0700 directory guards the path and the collector checks the
 * peer's uid).  A process image's first few records go over the socket;
 * one that has more to say then hands the collector a shared-memory ring,
 * and records go into the ring: a compare-and-swap and a copy, no system
 * call.  The collector is woken by a one-byte doorbell only when it said
 * it sleeps, or once when the ring is half full.  Forks share the ring and
 * the connection; a daemon that closed every descriptor keeps its ring
 * (the collector polls every ring until the end).  Without a ring, records
 * go over the socket.  Bare, a line goes to stderr or to BINDWATCH_LOG.
 *
 * Never crash, block for long or touch the program's descriptors: our
 * descriptors are checked by inode before every use (the program may have
 * closed them and reused the number), sends use MSG_NOSIGNAL, and a full
 * ring is waited for only while the collector makes progress, at most
 * BINDWATCH_SEND_TIMEOUT_MS without: then the channel counts as stalled
 * and records are dropped until there is room again.  Every record has a
 * sequence number, so the collector counts each one that was lost.
 */
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "contract.h"
#include "emit.h"
#include "format.h"
#include "real.h"
#include "ring.h"
#include "self.h"
#include "sockcache.h"

/*
 * A descriptor of ours and the inode it had, packed in one atomic word so
 * readers never see one without the other: inode << 20 | fd.  0: none.
 */
#define FD_BITS		20
#define FD_MASK		((1u << FD_BITS) - 1)
#define RING_BYTES	(BW_RING_HDR + 512 * 1024)
#define RING_AFTER	8	/* records over the socket before a ring */

static atomic_uint_fast64_t conn;	/* collector connection */
static _Atomic(void *) ring;		/* its shared-memory ring, if any */
static atomic_uint_fast64_t logfd;	/* BINDWATCH_LOG file */
static atomic_int stalled;		/* last send timed out */
static atomic_int dead;			/* the collector is gone */
static atomic_uint socket_records;	/* sent before there was a ring */
static atomic_int no_ring;		/* making one failed: do not retry */

/* Close one of ours, forgotten as the close hook would: the number may
 * come back to the program by a call the cache does not see. */
static void
close_ours(int fd)
{
	bw_sockcache_forget(fd);
	(void)real_close(fd);
}

static uint64_t
pack(int fd, const struct stat *st)
{
	if (fd < 0 || (unsigned)fd > FD_MASK || st->st_ino >= (1ull << 44))
		return 0;
	return ((uint64_t)st->st_ino << FD_BITS) | (uint64_t)fd;
}

/* The descriptor if it is still ours, else -1. */
static int
checked_fd(uint64_t v)
{
	struct stat st;
	int fd = (int)(v & FD_MASK);

	if (v == 0 || fstat(fd, &st) == -1 || (uint64_t)st.st_ino != v >> FD_BITS)
		return -1;
	return fd;
}

/* Move fd above the numbers the program is likely to expect free. */
static int
move_high(int fd)
{
	int nfd = fcntl(fd, F_DUPFD_CLOEXEC, BINDWATCH_HIGH_FD);

	if (nfd == -1)
		return fd;
	close_ours(fd);
	return nfd;
}

/* Install fd in slot unless another thread was faster; returns the winner. */
static int
publish(atomic_uint_fast64_t *slot, uint64_t old, int fd)
{
	struct stat st;
	uint64_t v;

	if (fstat(fd, &st) == -1 || (v = pack(fd, &st)) == 0) {
		close_ours(fd);
		return -1;
	}
	if (!atomic_compare_exchange_strong(slot, &old, v)) {
		close_ours(fd);
		return checked_fd(old);
	}
	return fd;
}

/*
 * A ring for this connection: a memfd, mapped shared, handed to the
 * collector with SCM_RIGHTS as the connection's first message.  Without
 * it (no memfd_create, descriptor limit) records go over the socket.
 */
static void *
make_ring(int sock)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct msghdr msg;
	struct cmsghdr *cm;
	struct iovec iov;
	char hello = 'R';
	void *p = MAP_FAILED;
	int mfd;

	if ((mfd = memfd_create("bindwatch-ring", MFD_CLOEXEC)) == -1)
		return NULL;
	if (ftruncate(mfd, RING_BYTES) == -1 ||
	    (p = mmap(NULL, RING_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED,
	    mfd, 0)) == MAP_FAILED ||
	    bw_ring_init(p, RING_BYTES) == -1)
		goto fail;
	memset(&msg, 0, sizeof(msg));
	memset(&ctl, 0, sizeof(ctl));
	iov.iov_base = &hello;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl.buf;
	msg.msg_controllen = sizeof(ctl.buf);
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &mfd, sizeof(int));
	if (sendmsg(sock, &msg, MSG_NOSIGNAL | MSG_DONTWAIT) != 1)
		goto fail;
	close_ours(mfd);
	return p;
fail:
	if (p != MAP_FAILED)
		munmap(p, RING_BYTES);
	close_ours(mfd);
	return NULL;
}

/*
 * The connection the CLI gave the whole tree (BINDWATCH_COLLECTOR_FD), if
 * its descriptor is still that socket; else -1.  Shared by every process
 * of the tree: never moved, never closed here, and left open across exec
 * for the next image.  It saves each image a connect (and the collector
 * an accept, an epoll_ctl and a close).
 */
static int
inherited_fd(const struct bw_conf *c, uint64_t old)
{
	struct stat st;
	uint64_t v;

	if (c->chan_ino == 0 || fstat(c->chan_fd, &st) == -1 ||
	    !S_ISSOCK(st.st_mode) || (uint64_t)st.st_ino != c->chan_ino ||
	    (v = pack(c->chan_fd, &st)) == 0)
		return -1;
	if (!atomic_compare_exchange_strong(&conn, &old, v))
		return checked_fd(old);
	return c->chan_fd;
}

static int
collector_fd(const struct bw_conf *c)
{
	struct timeval tv = { 0, BINDWATCH_SEND_TIMEOUT_MS * 1000L };
	uint64_t old = atomic_load(&conn);
	int fd, fl;

	if ((fd = checked_fd(old)) != -1)
		return fd;
	if (atomic_load(&dead))
		return -1;
	if ((fd = inherited_fd(c, old)) != -1)
		return fd;
	/* Non-blocking connect: a full backlog must not stall the program. */
	fd = real_socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1)
		return -1;
	if (connect(fd, (const struct sockaddr *)&c->collector,
	    sizeof(c->collector)) == -1) {
		if (errno == ENOENT || errno == ECONNREFUSED)
			atomic_store(&dead, 1);
		close_ours(fd);
		return -1;
	}
	if ((fl = fcntl(fd, F_GETFL)) != -1)
		(void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	(void)real_setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return publish(&conn, old, move_high(fd));
}

/*
 * The ring comes with the RING_AFTER-th record of a process image: a
 * short-lived process says its few things over the socket and never pays
 * for a memfd and its mapping (nor does the collector).
 */
static void *
ensure_ring(int fd)
{
	void *r = atomic_load(&ring), *expect = NULL;

	if (r != NULL || atomic_load(&no_ring) ||
	    atomic_fetch_add(&socket_records, 1) < RING_AFTER)
		return r;
	if ((r = make_ring(fd)) == NULL) {
		atomic_store(&no_ring, 1);
		return NULL;
	}
	/* A ring once published is never unmapped: a thread may be in it.
	 * The loser's was never written to. */
	if (!atomic_compare_exchange_strong(&ring, &expect, r)) {
		munmap(r, RING_BYTES);
		return expect;
	}
	return r;
}

/* The collector said it sleeps: wake it, once, without ever blocking. */
static void
doorbell(void)
{
	int fd = checked_fd(atomic_load(&conn));

	if (fd != -1)
		(void)send(fd, "D", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
}

/*
 * Into the ring.  When it is full, wait for the collector as long as it
 * makes progress (a slow collector slows the program down; nothing is
 * lost), but never longer than BINDWATCH_SEND_TIMEOUT_MS without progress:
 * then the channel counts as stalled and records are dropped (and counted
 * by their sequence numbers) until there is room again.
 */
static void
ring_send(void *rg, const uint8_t *rec, size_t n)
{
	struct timespec nap = { 0, 100 * 1000L };
	uint64_t tail = 0;
	long idle_us = 0;
	int bell;

	for (;;) {
		if (bw_ring_put(rg, rec, (uint32_t)n, &bell) == 0) {
			atomic_store(&stalled, 0);
			if (bell)
				doorbell();
			return;
		}
		if (atomic_load(&stalled) ||
		    idle_us >= BINDWATCH_SEND_TIMEOUT_MS * 1000L) {
			atomic_store(&stalled, 1);
			bw_ring_dropped(rg);
			return;
		}
		doorbell();
		if (bw_ring_tail(rg) != tail) {
			tail = bw_ring_tail(rg);
			idle_us = 0;
		}
		(void)nanosleep(&nap, NULL);
		idle_us += 100;
	}
}

static void
send_collector(const struct bw_conf *c, const struct bw_event *e)
{
	uint8_t rec[BINDWATCH_MAX_RECORD];
	size_t n = bw_event_encode(e, rec, sizeof(rec));
	int fd, tries, fl;
	void *rg;
	ssize_t r;

	if (n == 0)
		return;
	if ((rg = atomic_load(&ring)) != NULL) {
		ring_send(rg, rec, n);
		return;
	}
	if ((fd = collector_fd(c)) == -1)
		return;
	if ((rg = ensure_ring(fd)) != NULL) {
		ring_send(rg, rec, n);
		return;
	}
	/* No ring (yet): the socket, waiting a bounded time. */
	for (tries = 0; tries < 3; tries++) {
		fl = MSG_NOSIGNAL | (atomic_load(&stalled) ? MSG_DONTWAIT : 0);
		if ((r = send(fd, rec, n, fl)) == (ssize_t)n) {
			atomic_store(&stalled, 0);
			return;
		}
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			atomic_store(&stalled, 1);
		else if (r == -1 && (errno == EPIPE || errno == ECONNRESET ||
		    errno == ENOTCONN))
			atomic_store(&dead, 1);
		return;
	}
}

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
	return move_high(fd);
}

/* At start-up: a log that cannot be opened stops the program (init.c). */
int
bw_emit_open_log(const char *path)
{
	int fd = log_open(path);

	if (fd == -1)
		return -1;
	return publish(&logfd, 0, fd) == -1 ? -1 : 0;
}

static void
write_line(const struct bw_conf *c, const struct bw_event *e)
{
	char line[BW_LINE_MAX];
	size_t n;
	uint64_t old;
	int fd = STDERR_FILENO;

	n = c->json ? bw_format_json(e, line, sizeof(line)) :
	    bw_format_text(e, line, sizeof(line));
	if (c->out == BW_OUT_FILE) {
		old = atomic_load(&logfd);
		if ((fd = checked_fd(old)) == -1) {
			if ((fd = log_open(c->logpath)) == -1)
				return;
			if ((fd = publish(&logfd, old, fd)) == -1)
				return;
		}
	}
	write_nosigpipe(fd, line, n);
}

/*
 * No guard against our own re-entry: a signal handler's bind that
 * interrupts an event of the same thread emits its own (the ring is
 * lock-free, a send atomic); refusing it would lose it without a trace.
 */
void
bw_emit(const struct bw_conf *c, struct bw_event *e)
{
	struct timespec ts;
	int saved = errno;

	bw_self_stamp(e);
	clock_gettime(CLOCK_REALTIME, &ts);
	e->time_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	if (c->out == BW_OUT_COLLECTOR)
		send_collector(c, e);
	else
		write_line(c, e);
	errno = saved;
}

/* Under the CLI, a new image says so: the CLI follows the tree by it. */
void
bw_emit_exec(const struct bw_conf *c)
{
	struct bw_event e;
	ssize_t n;

	memset(&e, 0, sizeof(e));
	e.type = BW_EV_EXEC;
	e.fd = -1;
	e.alias_fd = -1;
	n = readlink("/proc/self/exe", e.exe, sizeof(e.exe) - 1);
	e.exe[n > 0 ? n : 0] = '\0';
	bw_emit(c, &e);
}

/* The child shares the parent's connection; a stall is the parent's. */
void
bw_emit_atfork_child(void)
{
	atomic_store(&stalled, 0);
}
