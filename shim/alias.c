/*
 * The aliases a policy makes: a table of the sockets this process bound
 * while a policy was active, and the dup3 that makes a descriptor that
 * collided with one of them an alias of it, at bind or at listen.
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <sched.h>
#include <stdatomic.h>
#include <unistd.h>

#include "alias.h"
#include "arena.h"
#include "real.h"
#include "sockcache.h"

/*
 * Sockets this process bound while a policy was active.  A program that
 * binds 0.0.0.0:80 and [::]:80 under --force 127.0.0.1 asks for the same
 * endpoint twice; the second bind then makes its descriptor an alias (dup3)
 * of the first socket, so the program starts and serves on the forced
 * address.  Only a collision the policy made is resolved so: one of the
 * two binds must have been rewritten.
 */
#define MAX_REWRITTEN	64

struct rewritten {
	int		fd;
	ino_t		ino;
	int		proto;
	int		rewrote;
	int		deferred;	/* port 0: the policy decides at listen */
	struct bw_sa	sa;	/* unmapped */
};

/* The table (struct rewritten[MAX_REWRITTEN]) in the arena. */
static _Atomic(void *) rewritten_table;
static atomic_flag rewritten_lock = ATOMIC_FLAG_INIT;

/* At initialisation: the table; -1 if the arena has no room. */
int
bw_alias_setup(void)
{
	return bw_arena_take(&rewritten_table,
	    MAX_REWRITTEN * sizeof(struct rewritten));
}

/*
 * The table (in the arena), locked, or NULL.  Contention is brief (a few
 * loads and an fstat), so wait for the lock, but boundedly: a signal
 * handler that interrupted the holder on this very thread must not spin
 * for ever.
 */
static struct rewritten *
lock_table(void)
{
	struct rewritten *t = atomic_load_explicit(&rewritten_table,
	    memory_order_acquire);
	int tries;

	if (t == NULL)
		return NULL;
	for (tries = 0; tries < 4096; tries++) {
		if (!atomic_flag_test_and_set_explicit(&rewritten_lock,
		    memory_order_acquire))
			return t;
		if (tries % 64 == 63)
			sched_yield();
	}
	return NULL;
}

static void
unlock_table(void)
{
	atomic_flag_clear_explicit(&rewritten_lock, memory_order_release);
}

/* Is r a socket the program has closed (or replaced) since? */
static int
stale(const struct rewritten *r)
{
	struct stat st;

	return fstat(r->fd, &st) == -1 || st.st_ino != r->ino;
}

void
bw_alias_remember(int fd, int proto, const struct bw_sa *sa, int rewrote, int deferred)
{
	struct rewritten *rw;
	struct stat st;
	size_t i, slot = MAX_REWRITTEN;

	if (fstat(fd, &st) == -1 || (rw = lock_table()) == NULL)
		return;
	for (i = 0; i < MAX_REWRITTEN && slot == MAX_REWRITTEN; i++)
		if (rw[i].ino == 0 || rw[i].fd == fd)
			slot = i;
	/* Full: take the place of a socket that is gone. */
	for (i = 0; i < MAX_REWRITTEN && slot == MAX_REWRITTEN; i++)
		if (stale(&rw[i]))
			slot = i;
	if (slot < MAX_REWRITTEN) {
		rw[slot].fd = fd;
		rw[slot].ino = st.st_ino;
		rw[slot].proto = proto;
		rw[slot].rewrote = rewrote;
		rw[slot].deferred = deferred;
		rw[slot].sa = *sa;
		bw_sa_unmap(&rw[slot].sa);
	}
	unlock_table();
}

/* A live socket of ours bound to sa for proto by a policy, or -1. */
static int
rewritten_holder(int fd, int proto, const struct bw_sa *sa, int rewrote,
    ino_t *ino)
{
	struct rewritten *rw;
	struct bw_sa u = *sa;
	int found = -1;
	size_t i;

	bw_sa_unmap(&u);
	if ((rw = lock_table()) == NULL)
		return -1;
	for (i = 0; i < MAX_REWRITTEN && found == -1; i++)
		if (rw[i].ino != 0 && rw[i].fd != fd && rw[i].proto == proto &&
		    (rewrote || rw[i].rewrote) &&
		    bw_sa_equal(&rw[i].sa, &u, 1) && !stale(&rw[i])) {
			found = rw[i].fd;
			*ino = rw[i].ino;
		}
	unlock_table();
	return found;
}

/* fd's entry, copied into *out: 0, or -1 when this process did not bind
 * it under a policy. */
static int
entry_of(int fd, struct rewritten *out)
{
	struct rewritten *rw;
	struct stat st;
	int found = -1;
	size_t i;

	if (fstat(fd, &st) == -1 || (rw = lock_table()) == NULL)
		return -1;
	for (i = 0; i < MAX_REWRITTEN && found == -1; i++)
		if (rw[i].ino == st.st_ino && rw[i].fd == fd) {
			*out = rw[i];
			found = 0;
		}
	unlock_table();
	return found;
}

/* Did this process bind fd to port 0 and leave the policy for listen? */
int
bw_alias_deferred(int fd)
{
	struct rewritten r;

	return entry_of(fd, &r) == 0 && r.deferred;
}

/*
 * Make fd an alias of holder, keeping fd's close-on-exec flag.  The
 * holder is duplicated and checked on the copy first: the program may
 * close it and reuse its number between our look-up and the dup3.
 */
static int
alias(int fd, int holder, ino_t ino)
{
	struct stat st;
	int fl = fcntl(fd, F_GETFD), tmp, ret = -1;

	if (fl == -1 || (tmp = fcntl(holder, F_DUPFD_CLOEXEC, 0)) == -1)
		return -1;
	if (fstat(tmp, &st) == 0 && st.st_ino == ino) {
		bw_sockcache_forget(fd);
		if (real_dup3(tmp, fd, (fl & FD_CLOEXEC) ? O_CLOEXEC : 0) != -1)
			ret = 0;
	}
	bw_sockcache_forget(tmp);
	(void)real_close(tmp);
	return ret;
}

/*
 * A bind under a policy that found sa in use: when a socket of this
 * process holds it and one of the two binds was rewritten, fd becomes an
 * alias of that socket.  0 (*holder: its descriptor), or -1.
 */
int
bw_alias_bind(int fd, int proto, const struct bw_sa *sa, int rewrote,
    int *holder)
{
	ino_t ino;
	int h;

	if ((h = rewritten_holder(fd, proto, sa, rewrote, &ino)) == -1 ||
	    alias(fd, h, ino) == -1)
		return -1;
	*holder = h;
	return 0;
}

/*
 * A server that binds 0.0.0.0:P and [::]:P (SO_REUSEADDR) and only then
 * listens on both: under --force both binds land on one endpoint and
 * succeed, as neither listens yet, and the second listen finds the first
 * listening there.  As for a second bind, fd becomes an alias of that
 * socket, which serves the forced endpoint already; only a collision the
 * policy made, with a listener of this process, is resolved so.
 */
int
bw_alias_listen(int fd, const struct bw_sa *bound, int *holder)
{
	struct rewritten me;
	struct bw_sa b = *bound;
	socklen_t len = sizeof(int);
	int h, on = 0;
	ino_t ino;

	bw_sa_unmap(&b);
	if (entry_of(fd, &me) == -1 || !bw_sa_equal(&me.sa, &b, 1) ||
	    (h = rewritten_holder(fd, me.proto, &me.sa, me.rewrote,
	    &ino)) == -1)
		return -1;
	if (real_getsockopt(h, SOL_SOCKET, SO_ACCEPTCONN, &on, &len) == -1 ||
	    !on || alias(fd, h, ino) == -1)
		return -1;
	*holder = h;
	return 0;
}
