/*
 * The collector.  Every record is checked (size, decoder, peer uid) before
 * it is believed; what is refused is counted, and what never arrived is
 * counted from the per-process sequence numbers, so a report can always
 * say how complete it is.
 */
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "contract.h"
#include "collect.h"
#include "ring.h"
#include "xalloc.h"

/* Tags in epoll data: the listening socket vs connections. */
#define TAG_LISTEN	(1ull << 40)
#define TAG_CONN	(2ull << 40)

struct bw_seqkey {
	int32_t		pid;
	uint64_t	boot;
	uint32_t	maxseq;
	uint64_t	seen;
};

int
bw_collector_open(struct bw_collector *c, int epfd)
{
	/*
	 * Where the socket lives: a tmpfs first.  On a disk file system
	 * the mkdir, bind, unlink and rmdir are a visible part of every
	 * run (bench/RESULTS.md, "Figures once quoted in the source").
	 */
	const char *dirs[] = {
		getenv("XDG_RUNTIME_DIR"), getenv("TMPDIR"), "/dev/shm", "/tmp"
	};
	struct sockaddr_un sun;
	struct epoll_event ev;
	size_t i;
	int made = 0;

	memset(c, 0, sizeof(*c));
	c->lfd = -1;
	c->chan = -1;
	c->epfd = epfd;
	c->euid = geteuid();
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]) && !made; i++) {
		if (dirs[i] == NULL || *dirs[i] != '/' || strlen(dirs[i]) > 40)
			continue;
		/* mkdtemp makes it 0700: only our uid (and root) can
		 * connect. */
		snprintf(c->dir, sizeof(c->dir), "%s/bindwatch.XXXXXX", dirs[i]);
		made = mkdtemp(c->dir) != NULL;
	}
	if (!made)
		return -1;
	snprintf(c->path, sizeof(c->path), "%s/events", c->dir);
	c->lfd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (c->lfd == -1)
		goto fail;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, c->path, strlen(c->path) + 1);
	if (bind(c->lfd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(c->lfd, SOMAXCONN) == -1)
		goto fail;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.u64 = TAG_LISTEN | (uint64_t)c->lfd;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->lfd, &ev) == -1)
		goto fail;
	return 0;
fail:
	bw_collector_close(c);
	return -1;
}

/*
 * The connection the whole tree inherits.  One end stays here, in the
 * epoll set like an accepted connection; the other goes to the command,
 * and from it to every process of the tree, at a high descriptor, blocking
 * with the shim's bounded send wait.  *fd and *ino say where it is, for
 * BINDWATCH_COLLECTOR_FD; the caller closes *fd once the command has it.
 * -1 when it cannot be made: every process image then connects.
 */
int
bw_collector_channel(struct bw_collector *c, int *fd, uint64_t *ino)
{
	struct timeval tv = { 0, BINDWATCH_SEND_TIMEOUT_MS * 1000L };
	struct epoll_event ev;
	struct stat st;
	int sv[2], hi = -1;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		return -1;
	if ((hi = fcntl(sv[1], F_DUPFD_CLOEXEC, BINDWATCH_HIGH_FD)) == -1 ||
	    fstat(hi, &st) == -1 ||
	    setsockopt(hi, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) == -1 ||
	    fcntl(sv[0], F_SETFL, O_NONBLOCK) == -1)
		goto fail;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | EPOLLRDHUP;
	ev.data.u64 = TAG_CONN | (uint64_t)sv[0];
	if (epoll_ctl(c->epfd, EPOLL_CTL_ADD, sv[0], &ev) == -1)
		goto fail;
	c->nconns++;
	c->chan = sv[0];
	close(sv[1]);
	*fd = hi;
	*ino = (uint64_t)st.st_ino;
	return 0;
fail:
	if (hi != -1)
		close(hi);
	close(sv[0]);
	close(sv[1]);
	return -1;
}

/* Is this epoll tag one of the collector's descriptors? */
int
bw_collector_owns(uint64_t tag)
{
	return (tag & (TAG_LISTEN | TAG_CONN)) != 0;
}

static struct bw_seqkey *
seqkey(struct bw_collector *c, int32_t pid, uint64_t boot)
{
	struct bw_seqkey *k;
	size_t i;

	/* Newest first: events come in bursts from the same process. */
	for (i = c->nkeys; i-- > 0;)
		if (c->keys[i].pid == pid && c->keys[i].boot == boot)
			return &c->keys[i];
	if (c->nkeys == c->capkeys) {
		size_t ncap = c->capkeys ? c->capkeys * 2 : 64;

		c->keys = bw_xreallocarray(c->keys, ncap, sizeof(*c->keys));
		c->capkeys = ncap;
	}
	k = &c->keys[c->nkeys++];
	memset(k, 0, sizeof(*k));
	k->pid = pid;
	k->boot = boot;
	return k;
}

/* Order-independent: lost = highest sequence number - events seen. */
void
bw_seq_note(struct bw_collector *c, int32_t pid, uint64_t boot, uint32_t seq)
{
	struct bw_seqkey *k;

	if (seq == 0)
		return;
	k = seqkey(c, pid, boot);
	k->seen++;
	if (seq > k->maxseq)
		k->maxseq = seq;
}

/*
 * Lost records: the gaps in each process's sequence numbers, or what the
 * rings' producers counted as given up, whichever says more.  Gaps miss
 * the records lost last (nothing follows them); the rings' counts miss
 * the few records a process sends over the socket before it has a ring.
 */
uint64_t
bw_collector_lost(const struct bw_collector *c)
{
	uint64_t gaps = 0, dropped = 0;
	size_t i;

	for (i = 0; i < c->nkeys; i++)
		if (c->keys[i].maxseq > c->keys[i].seen)
			gaps += c->keys[i].maxseq - c->keys[i].seen;
	for (i = 0; i < c->nrings; i++)
		dropped += bw_ring_ndropped(c->rings[i].base);
	return gaps > dropped ? gaps : dropped;
}

static void
accept_all(struct bw_collector *c)
{
	struct epoll_event ev;
	struct ucred cr;
	socklen_t len;
	int fd;

	while ((fd = accept4(c->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) != -1) {
		len = sizeof(cr);
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) == -1 ||
		    cr.uid != c->euid) {
			c->rejected++;
			close(fd);
			continue;
		}
		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN | EPOLLRDHUP;
		ev.data.u64 = TAG_CONN | (uint64_t)fd;
		if (epoll_ctl(c->epfd, EPOLL_CTL_ADD, fd, &ev) == -1) {
			close(fd);
			continue;
		}
		c->nconns++;
	}
}

/* One record, from a connection or a ring: checked, counted, handed on. */
static void
take(struct bw_collector *c, const uint8_t *rec, size_t len, bw_event_cb cb,
    void *arg)
{
	struct bw_event e;

	if (len > BINDWATCH_MAX_RECORD || bw_event_decode(&e, rec, len) == -1 ||
	    e.type == BW_EV_EXIT) {
		c->malformed++;
		return;
	}
	c->received++;
	c->bytes += len;
	bw_seq_note(c, e.pid, e.boot, e.seq);
	cb(&e, arg);
}

/* The ring a new connection hands over (its first message). */
static void
attach_ring(struct bw_collector *c, int mfd)
{
	struct bw_cring *r;
	struct stat st;
	uint32_t size;
	void *p;

	if (fstat(mfd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size < BW_RING_HDR + 4096 || st.st_size > (64 << 20)) {
		c->malformed++;
		return;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED,
	    mfd, 0);
	if (p == MAP_FAILED)
		return;
	if ((size = bw_ring_check(p, (size_t)st.st_size)) == 0) {
		munmap(p, (size_t)st.st_size);
		c->malformed++;
		return;
	}
	c->rings = r = bw_xreallocarray(c->rings, c->nrings + 1, sizeof(*r));
	r[c->nrings].base = p;
	r[c->nrings].mapped = (size_t)st.st_size;
	r[c->nrings].size = size;
	r[c->nrings].corrupt = 0;
	c->nrings++;
}

/* Descriptors passed with a message: a ring for "R", refused otherwise. */
static void
passed_fds(struct bw_collector *c, struct msghdr *mh, const uint8_t *rec,
    size_t len)
{
	struct cmsghdr *cm;
	int fds[8], nfds = 0, i;

	for (cm = CMSG_FIRSTHDR(mh); cm != NULL; cm = CMSG_NXTHDR(mh, cm)) {
		size_t n;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < (int)n && nfds < 8; i++)
			memcpy(&fds[nfds++], CMSG_DATA(cm) + i * sizeof(int),
			    sizeof(int));
	}
	if (nfds == 1 && len == 1 && rec[0] == 'R')
		attach_ring(c, fds[0]);
	else if (nfds > 0)
		c->malformed++;
	for (i = 0; i < nfds; i++)
		close(fds[i]);
}

/*
 * Read every queued message of one connection; 0 at EOF.  recvmmsg takes
 * up to BATCH per system call.  Besides records: "R" with a ring, "D" a
 * doorbell (it only had to wake us).
 */
#define BATCH	32

static int
read_conn(struct bw_collector *c, int fd, int hup, bw_event_cb cb, void *arg)
{
	static uint8_t rec[BATCH][BINDWATCH_MAX_RECORD + 1];
	static union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(8 * sizeof(int))];
	} ctl[BATCH];
	struct mmsghdr mm[BATCH];
	struct iovec iov[BATCH];
	int n, i;

	for (;;) {
		memset(mm, 0, sizeof(mm));
		for (i = 0; i < BATCH; i++) {
			iov[i].iov_base = rec[i];
			iov[i].iov_len = sizeof(rec[i]);
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
			mm[i].msg_hdr.msg_control = ctl[i].buf;
			mm[i].msg_hdr.msg_controllen = sizeof(ctl[i].buf);
		}
		n = recvmmsg(fd, mm, BATCH, MSG_DONTWAIT | MSG_CMSG_CLOEXEC, NULL);
		if (n == -1)
			return errno == EAGAIN || errno == EINTR ? 1 : 0;
		if (n == 0)
			return 0;
		for (i = 0; i < n; i++) {
			size_t len = mm[i].msg_len;

			if (mm[i].msg_hdr.msg_controllen > 0)
				passed_fds(c, &mm[i].msg_hdr, rec[i], len);
			if (len == 0)
				return 0;	/* the peer closed */
			if (len == 1 && (rec[i][0] == 'R' || rec[i][0] == 'D'))
				continue;
			if (mm[i].msg_hdr.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
				c->malformed++;
				continue;
			}
			take(c, rec[i], len, cb, arg);
		}
		/* The peer had closed before we read: what it sent is all
		 * read now, and a last call would only say so. */
		if (n < BATCH)
			return hup ? 0 : 1;
	}
}

/*
 * Quiet: the tree's channel wakes no one, and bw_collector_poll reads it.
 * While records flow, the caller polls on a short timer anyway, and a
 * wake-up per message is a context switch per message.
 */
void
bw_collector_quiet(struct bw_collector *c, int on)
{
	struct epoll_event ev;

	if (c->chan == -1 || c->quiet == on)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.events = on ? 0 : EPOLLIN | EPOLLRDHUP;
	ev.data.u64 = TAG_CONN | (uint64_t)c->chan;
	if (epoll_ctl(c->epfd, EPOLL_CTL_MOD, c->chan, &ev) == 0)
		c->quiet = on;
}

/*
 * Every record waiting in every ring, and in the channel when it is quiet.
 * Rings stay mapped until the end: a daemon that closed its connection
 * may still write into its ring.
 */
size_t
bw_collector_poll(struct bw_collector *c, bw_event_cb cb, void *arg)
{
	uint8_t rec[BINDWATCH_MAX_RECORD];
	uint64_t before = c->received + c->malformed;
	size_t i, got = 0;
	uint32_t len;
	int r;

	if (c->quiet && read_conn(c, c->chan, 0, cb, arg) == 0)
		bw_collector_quiet(c, 0);	/* EOF: let epoll say so */
	got = (size_t)(c->received + c->malformed - before);

	for (i = 0; i < c->nrings; i++) {
		struct bw_cring *cr = &c->rings[i];

		while (!cr->corrupt && (r = bw_ring_get(cr->base, cr->size,
		    rec, sizeof(rec), &len)) != 0) {
			if (r == -1) {
				cr->corrupt = 1;
				c->malformed++;
				break;
			}
			take(c, rec, len, cb, arg);
			got++;
		}
		if (!cr->corrupt)
			bw_ring_polled(cr->base);
	}
	return got;
}

/* About to sleep: producers, ring the doorbell on your next record. */
void
bw_collector_arm(struct bw_collector *c)
{
	size_t i;

	for (i = 0; i < c->nrings; i++)
		if (!c->rings[i].corrupt)
			bw_ring_arm(c->rings[i].base);
}

void
bw_collector_ready(struct bw_collector *c, uint64_t tag, uint32_t events,
    bw_event_cb cb, void *arg)
{
	int fd = (int)(tag & 0xffffffffu);

	if (tag & TAG_LISTEN) {
		accept_all(c);
		return;
	}
	if (read_conn(c, fd, (events & (EPOLLRDHUP | EPOLLHUP)) != 0, cb,
	    arg) == 0) {
		/* Not left to close: a fork (netstate's worker) may hold
		 * the descriptor too, and keep it in the set. */
		epoll_ctl(c->epfd, EPOLL_CTL_DEL, fd, NULL);
		close(fd);
		c->nconns--;
		if (fd == c->chan)
			c->chan = -1;
	}
}

/*
 * Accept what is queued and read every connection and ring dry, polling
 * the epoll set without waiting, for at most rounds rounds (0: until it
 * has nothing more).
 */
void
bw_collector_drain(struct bw_collector *c, int rounds, bw_event_cb cb,
    void *arg)
{
	struct epoll_event evs[64];
	int n, i, again = 1, round = 0;

	while (again && (rounds == 0 || round++ < rounds)) {
		again = bw_collector_poll(c, cb, arg) > 0;
		n = epoll_wait(c->epfd, evs, 64, 0);
		for (i = 0; i < n; i++) {
			if (!bw_collector_owns(evs[i].data.u64))
				continue;
			bw_collector_ready(c, evs[i].data.u64, evs[i].events,
			    cb, arg);
			again = 1;
		}
	}
}

void
bw_collector_close(struct bw_collector *c)
{
	if (c->lfd != -1)
		close(c->lfd);
	c->lfd = -1;
	if (c->chan != -1)
		close(c->chan);
	c->chan = -1;
	if (c->path[0] != '\0')
		unlink(c->path);
	if (c->dir[0] != '\0')
		rmdir(c->dir);
	/* The mappings are left to go with the process: unmapping a
	 * thousand rings costs a tenth of a second at the end of a run. */
	free(c->rings);
	c->rings = NULL;
	c->nrings = 0;
	free(c->keys);
	c->keys = NULL;
	c->nkeys = c->capkeys = 0;
}
