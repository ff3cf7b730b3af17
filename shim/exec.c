/*
 * The exec hooks' work under --seccomp=auto: before this process becomes
 * an image the shim cannot see (static, Go, another ELF class; a script
 * by its interpreter), install bindwatch's seccomp filter here, hand its
 * listener to bindwatch and wait until bindwatch holds it; then the real
 * exec runs.  So a shell script that executes a Go server is supervised
 * like a Go server started by bindwatch itself.
 *
 * Every failure leaves the exec as it would have been: unfiltered (at
 * worst unseen), errno as the caller left it.  Nothing here allocates or
 * takes a lock: the caller may be a vfork child, sharing its parent's
 * memory.  The only cost for an image the shim does see is reading its
 * first page (and, for execvp and execlp, finding it along PATH).
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/xattr.h>

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "contract.h"
#include "elfimage.h"
#include "exec.h"
#include "real.h"
#include "scfilter.h"

#ifdef BW_HAVE_SECCOMP
#include <linux/seccomp.h>
#endif

#define OUR_CLASS	(sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32)

/* A blind image that gains privileges when executed. */
#define SECURE	0x100

/*
 * The open image judged by its first bytes (read in place: fexecve).  A
 * blind one is also looked at for set-user-ID, set-group-ID or file
 * capabilities (SECURE), which no_new_privs would take from it.
 */
static int
judge_fd(int fd, char *interp, size_t len)
{
	unsigned char buf[BW_IMG_HEAD];
	struct stat st;
	ssize_t n;
	int v;

	n = pread(fd, buf, sizeof(buf), 0);
	if (n <= 0)
		return BW_IMG_SEEN;
	v = bw_img_judge(buf, (size_t)n, OUR_CLASS, interp, len);
	if ((v == BW_IMG_BLIND || v == BW_IMG_CLASS) && ((fstat(fd, &st) == 0 &&
	    (st.st_mode & (S_ISUID | S_ISGID))) ||
	    fgetxattr(fd, "security.capability", NULL, 0) > 0))
		v |= SECURE;
	return v;
}

static int
judge_path(int dirfd, const char *path, char *interp, size_t len)
{
	int fd, v;

	if ((fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC)) == -1)
		return BW_IMG_SEEN;
	v = judge_fd(fd, interp, len);
	(void)real_close(fd);
	return v;
}

/*
 * The verdict on an image the shim cannot see (its SECURE bit kept), or
 * 0.  Another class is counted blind: its own shim, if one is installed,
 * passes the filter with the run's cookie and is reported once all the
 * same.  A script is judged by its interpreter (one level, like
 * bindwatch's own check).
 */
static int
blind(int v, const char *interp)
{
	char unused[8];

	if (v == BW_IMG_SCRIPT && interp[0] == '/')
		v = judge_path(AT_FDCWD, interp, unused, sizeof(unused));
	return (v & ~SECURE) == BW_IMG_BLIND || (v & ~SECURE) == BW_IMG_CLASS ?
	    v : 0;
}

#ifdef BW_HAVE_SECCOMP
/* Send the installer's word and the listener (SCM_RIGHTS); 0 or -1. */
static int
send_listener(int sock, int status, int err, int lfd)
{
	union {
		struct cmsghdr	h;
		char		buf[CMSG_SPACE(sizeof(int))];
	} c;
	int word[2] = { status, err };
	struct msghdr m;
	struct iovec v;

	memset(&m, 0, sizeof(m));
	memset(&c, 0, sizeof(c));
	v.iov_base = word;
	v.iov_len = sizeof(word);
	m.msg_iov = &v;
	m.msg_iovlen = 1;
	m.msg_control = c.buf;
	m.msg_controllen = sizeof(c.buf);
	c.h.cmsg_level = SOL_SOCKET;
	c.h.cmsg_type = SCM_RIGHTS;
	c.h.cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(&c.h), &lfd, sizeof(int));
	return sendmsg(sock, &m, MSG_NOSIGNAL) == (ssize_t)sizeof(word) ?
	    0 : -1;
}

/* bindwatch's one-byte ack: it holds the listener now.  Bounded. */
static void
await_ack(int sock)
{
	struct pollfd p;
	char b;
	int i;

	p.fd = sock;
	p.events = POLLIN;
	for (i = 0; i < 3; i++) {
		if (poll(&p, 1, BINDWATCH_HANDOFF_TIMEOUT_MS) == -1 &&
		    errno == EINTR)
			continue;
		break;
	}
	(void)recv(sock, &b, 1, MSG_DONTWAIT);
}

static int
install(struct sock_fprog *prog)
{
	return (int)real_syscall6(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
	    BW_SC_INSTALL_FLAGS, (long)prog, 0, 0, 0);
}

/*
 * Connected to bindwatch first: a filter whose listener nobody took would
 * leave every later bind failing with ENOSYS.  Privileged, no_new_privs
 * is left alone; otherwise the kernel requires it (bindwatch warns), but
 * not for an image it would take privileges from (secure): that one runs
 * unfiltered, as it would have.  A listener already over us (an
 * ancestor's filter, ours or the program's own: EBUSY) means nothing to
 * do.
 */
static void
filter_and_hand_over(const struct bw_conf *c, int secure)
{
	struct sock_filter f[BW_SC_FILTER_MAX];
	struct bw_sc_fopts o;
	struct sock_fprog prog;
	int sock, lfd, nnp = 0;

	memset(&o, 0, sizeof(o));
	o.cookie = c->seccomp_cookie;
	prog.len = (unsigned short)bw_sc_filter(f, BW_SC_FILTER_MAX, &o);
	prog.filter = f;
	if (prog.len == 0)
		return;
	if ((sock = real_socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC,
	    0)) == -1)
		return;
	if (real_connect(sock, (const struct sockaddr *)&c->handoff,
	    sizeof(c->handoff)) == -1) {
		(void)real_close(sock);
		return;
	}
	if ((lfd = install(&prog)) == -1 && errno == EACCES && !secure &&
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0) {
		nnp = BW_SC_NNP;
		lfd = install(&prog);
	}
	if (lfd == -1) {
		if (errno != EBUSY && !(errno == EACCES && secure))
			(void)send(sock, (int[2]){ BW_SC_ST_FAIL | nnp, errno },
			    2 * sizeof(int), MSG_NOSIGNAL);
		(void)real_close(sock);
		return;
	}
	if (send_listener(sock, BW_SC_ST_OK | nnp, 0, lfd) == 0)
		await_ack(sock);
	(void)real_close(lfd);
	(void)real_close(sock);
}
#else
static void
filter_and_hand_over(const struct bw_conf *c, int secure)
{
	(void)c;
	(void)secure;
}
#endif

/* Under the CLI's --seccomp=auto only, and for a blind image only. */
static void
maybe_filter(const struct bw_conf *c, int v, const char *interp)
{
	if ((v = blind(v, interp)) != 0)
		filter_and_hand_over(c, v & SECURE);
}

static int
wanted(const struct bw_conf *c)
{
	return c != NULL && c->handoff.sun_path[0] != '\0';
}

/*
 * The image execvp would run: file itself when it has a slash, else the
 * first executable regular file along PATH (glibc's default without it).
 * 0 with out filled, or -1.
 */
static int
search(const char *file, char *out, size_t len)
{
	const char *p, *e;
	size_t dl, fl = strlen(file);

	if ((p = getenv("PATH")) == NULL)
		p = "/bin:/usr/bin";
	for (; ; p = e + 1) {
		if ((e = strchr(p, ':')) == NULL)
			e = p + strlen(p);
		dl = (size_t)(e - p);
		if (dl + fl + 2 <= len) {
			if (dl == 0)
				out[dl++] = '.';	/* "" means "." */
			else
				memcpy(out, p, dl);
			out[dl] = '/';
			memcpy(out + dl + 1, file, fl + 1);
			if (access(out, X_OK) == 0)
				return 0;
		}
		if (*e == '\0')
			return -1;
	}
}

/* execve, execv, execl, execle (path) and the p-variants (PATH). */
void
bw_exec_file(const struct bw_conf *c, const char *file, int path_search)
{
	char path[PATH_MAX], interp[PATH_MAX];
	int saved = errno;

	if (!wanted(c) || file == NULL || file[0] == '\0')
		return;
	if (path_search && strchr(file, '/') == NULL) {
		if (search(file, path, sizeof(path)) == -1) {
			errno = saved;
			return;
		}
		file = path;
	}
	maybe_filter(c, judge_path(AT_FDCWD, file, interp, sizeof(interp)),
	    interp);
	errno = saved;
}

/* fexecve: the image is open already. */
void
bw_exec_fd(const struct bw_conf *c, int fd)
{
	char interp[PATH_MAX];
	int saved = errno;

	if (!wanted(c))
		return;
	maybe_filter(c, judge_fd(fd, interp, sizeof(interp)), interp);
	errno = saved;
}

/* execveat: relative to dirfd, or dirfd itself (AT_EMPTY_PATH). */
void
bw_exec_at(const struct bw_conf *c, int dirfd, const char *path, int flags)
{
	char interp[PATH_MAX];
	int saved = errno;

	if (!wanted(c) || path == NULL)
		return;
	if (path[0] == '\0' && (flags & AT_EMPTY_PATH))
		maybe_filter(c, judge_fd(dirfd, interp, sizeof(interp)),
		    interp);
	else
		maybe_filter(c, judge_path(dirfd, path, interp,
		    sizeof(interp)), interp);
	errno = saved;
}
