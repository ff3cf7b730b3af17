/*
 * Records to the CLI's collector.  Under the CLI every process of the
 * tree inherits one connection to the collector (SOCK_SEQPACKET), a
 * descriptor the CLI made; an image whose copy is gone (closed, replaced)
 * connects to the collector itself (a 0700 directory guards the path and
 * the collector checks the peer's uid).  A process image's first few
 * records go over the socket; one that has more to say then hands the
 * collector a shared-memory ring, and records go into the ring: a
 * compare-and-swap and a copy, no system call.  The collector is woken by
 * a one-byte doorbell only when it said it sleeps, or once when the ring
 * is half full.  Forks share the ring and the connection; a daemon that
 * closed every descriptor keeps its ring (the collector polls every ring
 * until the end).  Without a ring, records go over the socket.
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
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "contract.h"
#include "ownfd.h"
#include "real.h"
#include "ring.h"
#include "sink_collector.h"

#define RING_BYTES	(BW_RING_HDR + 512 * 1024)
#define RING_AFTER	8	/* records over the socket before a ring */

static atomic_uint_fast64_t conn;	/* collector connection */
static _Atomic(void *) ring;		/* its shared-memory ring, if any */
static atomic_int stalled;		/* last send timed out */
static atomic_int dead;			/* the collector is gone */
static atomic_uint socket_records;	/* sent before there was a ring */
static atomic_int no_ring;		/* making one failed: do not retry */
static atomic_int making;		/* a thread is making the ring */

/*
 * A ring for this connection: a memfd, mapped shared, handed to the
 * collector with SCM_RIGHTS.  Without it (no memfd_create, descriptor
 * limit: *hard) records go over the socket; a socket that is only full
 * now (a burst) is tried again later, when the ring matters most.
 */
static void *
make_ring(int sock, int *hard)
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

	*hard = 1;
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
	if (sendmsg(sock, &msg, MSG_NOSIGNAL | MSG_DONTWAIT) != 1) {
		*hard = errno != EAGAIN && errno != EWOULDBLOCK;
		goto fail;
	}
	bw_ownfd_close(mfd);
	return p;
fail:
	if (p != MAP_FAILED)
		munmap(p, RING_BYTES);
	bw_ownfd_close(mfd);
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
	    (v = bw_ownfd_pack(c->chan_fd, &st)) == 0)
		return -1;
	if (!atomic_compare_exchange_strong(&conn, &old, v))
		return bw_ownfd_get(old);
	return c->chan_fd;
}

static int
collector_fd(const struct bw_conf *c)
{
	struct timeval tv = { 0, BINDWATCH_SEND_TIMEOUT_MS * 1000L };
	uint64_t old = atomic_load(&conn);
	int fd, fl;

	if ((fd = bw_ownfd_get(old)) != -1)
		return fd;
	if (atomic_load(&dead))
		return -1;
	if ((fd = inherited_fd(c, old)) != -1)
		return fd;
	/* Non-blocking connect: a full backlog must not stall the program. */
	fd = real_socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1)
		return -1;
	if (real_connect(fd, (const struct sockaddr *)&c->collector,
	    sizeof(c->collector)) == -1) {
		if (errno == ENOENT || errno == ECONNREFUSED)
			atomic_store(&dead, 1);
		bw_ownfd_close(fd);
		return -1;
	}
	if ((fl = fcntl(fd, F_GETFL)) != -1)
		(void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	(void)real_setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return bw_ownfd_publish(&conn, old, bw_ownfd_move_high(fd));
}

/*
 * The ring comes with the RING_AFTER-th record of a process image: a
 * short-lived process says its few things over the socket and never pays
 * for a memfd and its mapping (nor does the collector).
 */
static void *
ensure_ring(int fd)
{
	void *r = atomic_load(&ring);
	int expect = 0, hard;

	if (r != NULL || atomic_load(&no_ring) ||
	    atomic_fetch_add(&socket_records, 1) < RING_AFTER)
		return r;
	/* One thread makes it (the collector takes one ring per image);
	 * the others use the socket meanwhile. */
	if (!atomic_compare_exchange_strong(&making, &expect, 1))
		return NULL;
	if ((r = make_ring(fd, &hard)) != NULL)
		atomic_store(&ring, r);	/* never unmapped: threads use it */
	else if (hard)
		atomic_store(&no_ring, 1);
	else
		atomic_store(&socket_records, 0);	/* RING_AFTER more */
	atomic_store(&making, 0);
	return r;
}

/* The collector said it sleeps: wake it, once, without ever blocking. */
static void
doorbell(void)
{
	int fd = bw_ownfd_get(atomic_load(&conn));

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
			/* A store here is a full barrier on every record. */
			if (atomic_load_explicit(&stalled, memory_order_relaxed))
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

void
bw_sink_collector_send(const struct bw_conf *c, const struct bw_event *e)
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

/* The child shares the parent's connection; a stall is the parent's. */
void
bw_sink_collector_forked(void)
{
	atomic_store(&stalled, 0);
	atomic_store(&making, 0);	/* its maker was another thread */
}
