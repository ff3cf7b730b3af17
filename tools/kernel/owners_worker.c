/*
 * The owner scan's second walker: with many processes and a second CPU, a
 * forked worker lists the pids for both of us and scans its share while
 * we read the sockets, sharing one anonymous mapping (the work counter,
 * the pids, the set of wanted inodes) and streaming its findings over a
 * pipe.
 */
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "owners.h"

/* Processes handed out at a time: one atomic add per chunk. */
#define SCAN_CHUNK	8
/* Free room for each read of the worker's stream (a pipe's worth). */
#define READ_ROOM	((size_t)64 * 1024)
/* Threads below which a second worker does not pay for its fork
 * (bench/RESULTS.md, "Figures once quoted in the source"). */
#define SPLIT_MIN	128

/*
 * Scan the next chunk of pids[] won from *next: 0 when none is left.  The
 * forked worker (sh set) starts before the sockets are known: it keeps
 * every socket until their set is published.
 */
int
bw_owners_chunk(struct scan *sc, const pid_t *pids, size_t npids,
    size_t *next, struct shared *sh, struct stream *out)
{
	size_t i, end, mask;

	if ((i = __atomic_fetch_add(next, SCAN_CHUNK, __ATOMIC_RELAXED)) >=
	    npids)
		return 0;
	if (sh != NULL && sc->set.slot == NULL &&
	    (mask = __atomic_load_n(&sh->mask, __ATOMIC_ACQUIRE)) != SIZE_MAX) {
		sc->set.slot = sh->slot;
		sc->set.mask = mask;
		sc->set.shift = sh->shift;
	}
	end = npids - i < SCAN_CHUNK ? npids : i + SCAN_CHUNK;
	for (; i < end; i++)
		if (bw_owners_scan_pid(sc, pids[i], 1, out) == -1)
			return -1;
	return 1;
}

/* What the worker has sent so far, or (block) all it will send. */
int
bw_owners_read_stream(int fd, struct stream *st, int block)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	ssize_t n;

	for (;;) {
		if (st->cap - st->len < READ_ROOM) {
			size_t ncap = st->cap ? st->cap * 2 : 2 * READ_ROOM;
			unsigned char *np;

			if ((np = realloc(st->p, ncap)) == NULL)
				return -1;
			st->p = np;
			st->cap = ncap;
		}
		if ((n = read(fd, st->p + st->len, st->cap - st->len)) > 0)
			st->len += (size_t)n;
		else if (n == 0)
			return 0;
		else if (errno == EAGAIN && block)
			(void)poll(&pfd, 1, -1);
		else if (errno != EINTR)
			return errno == EAGAIN ? 0 : -1;
	}
}

static int
write_all(int fd, const unsigned char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * The forked worker: lists the pids for both of us, then scans its share
 * and sends its findings after every chunk.  _exit: no atexit handlers,
 * no flush of the parent's stdio.
 */
static void __attribute__((noreturn))
worker(struct bw_owners *o, int fd)
{
	struct stream out = { NULL, 0, 0 };
	struct shared *sh = o->sh;
	struct dirent *de;
	size_t n = 0;
	pid_t pid;
	DIR *d;
	int r;

	o->sc.skip = getpid();
	(void)sched_setaffinity(0, sizeof(o->cpus), &o->cpus);
	if ((d = opendir(o->procroot)) == NULL)
		_exit(1);
	while ((de = readdir(d)) != NULL && n < SHARED_PIDS)
		if (bw_owners_parse_pid(de->d_name, &pid) == 0)
			sh->pids[n++] = pid;
	r = de == NULL ? 1 : -1;
	closedir(d);
	if (r == 1)
		__atomic_store_n(&sh->npids, n, __ATOMIC_RELEASE);
	while (r == 1 && (r = bw_owners_chunk(&o->sc, sh->pids, n, &sh->next,
	    sh, &out)) == 1) {
		if (write_all(fd, out.p, out.len) == -1)
			r = -1;
		out.len = 0;
	}
	if (r == 0 && (bw_owners_mark(&out, 0, FOUND_END) == -1 ||
	    write_all(fd, out.p, out.len) == -1))
		r = -1;
	free(out.p);
	_exit(r == 0 ? 0 : 1);
}

/*
 * With many processes (threads, by sysinfo: the cheap count) and a second
 * CPU, fork a worker that lists the pids and scans while we read the
 * sockets (with 10,000 listeners, a sixth of the time), then takes
 * chunks of pids from the shared counter as we do.  A process, not a
 * thread: it shares nothing with us but that memory, and if it fails,
 * its stream says so (no FOUND_END) and we scan alone.
 */
void
bw_owners_start_worker(struct bw_owners *o)
{
	struct sysinfo si;
	cpu_set_t one;
	int p[2], cpu, other;

	if (sysinfo(&si) == -1 || si.procs < SPLIT_MIN ||
	    sched_getaffinity(0, sizeof(o->cpus), &o->cpus) == -1 ||
	    CPU_COUNT(&o->cpus) < 2)
		return;
	o->sh = mmap(NULL, sizeof(*o->sh), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (o->sh == MAP_FAILED) {
		o->sh = NULL;
		return;
	}
	o->sh->next = 0;
	o->sh->npids = o->sh->mask = SIZE_MAX;
	if (pipe2(p, O_CLOEXEC) == -1)
		goto fail;
	if (fcntl(p[0], F_SETFL, O_NONBLOCK) == -1 ||
	    (o->kid = fork()) == -1) {
		o->kid = 0;
		close(p[0]);
		close(p[1]);
		goto fail;
	}
	if (o->kid == 0) {
		close(p[0]);
		worker(o, p[1]);
	}
	close(p[1]);
	o->fd = p[0];
	o->sc.skip = o->kid;
	/*
	 * A new process waits on our CPU until a balancer moves it, for
	 * milliseconds at worst: send it to another CPU now.  It takes the
	 * whole set back once it runs.
	 */
	cpu = sched_getcpu();
	for (other = 0; other < CPU_SETSIZE; other++)
		if (other != cpu && CPU_ISSET(other, &o->cpus))
			break;
	if (other < CPU_SETSIZE) {
		CPU_ZERO(&one);
		CPU_SET(other, &one);
		(void)sched_setaffinity(o->kid, sizeof(one), &one);
	}
	return;
fail:
	munmap(o->sh, sizeof(*o->sh));
	o->sh = NULL;
}

/* Reap the worker, killing it first unless it is known to be done. */
void
bw_owners_stop_worker(struct bw_owners *o, int done)
{
	int st;

	if (o->kid <= 0)
		return;
	if (!done)
		(void)kill(o->kid, SIGKILL);
	while (waitpid(o->kid, &st, 0) == -1 && errno == EINTR)
		;
	o->kid = 0;
	o->sc.skip = 0;
}

/*
 * The worker's list of pids.  It writes nothing before the list is
 * there, so data or the end of the pipe both end the wait; without the
 * list, it failed, and we list them ourselves.
 */
int
bw_owners_await_pids(struct bw_owners *o)
{
	struct pollfd pfd = { o->fd, POLLIN, 0 };
	size_t n;

	while ((n = __atomic_load_n(&o->sh->npids, __ATOMIC_ACQUIRE)) ==
	    SIZE_MAX) {
		if (poll(&pfd, 1, -1) == -1 && errno != EINTR)
			break;
		if (pfd.revents != 0 && (n = __atomic_load_n(&o->sh->npids,
		    __ATOMIC_ACQUIRE)) == SIZE_MAX)
			break;
	}
	if (n != SIZE_MAX) {
		o->pids = o->sh->pids;
		o->npids = n;
		return 0;
	}
	bw_owners_stop_worker(o, 0);
	return bw_owners_list_pids(o);
}
