/*
 * Between fork and exec: the child installs the filter and hands the
 * listener to bindwatch over a socketpair (SCM_RIGHTS), then forgets it,
 * so that only the supervisor (and its stand-in, responder.c) can answer.
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <linux/seccomp.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "fdpass.h"
#include "seccomp.h"

/* The shim's exec hooks install with the same (scfilter.h). */
#define FLAGS	BW_SC_INSTALL_FLAGS

static int
install(struct sock_fprog *prog)
{
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, FLAGS, prog);
}

/*
 * Can this kernel give us what we need?  With no program, the flags are
 * checked first: EFAULT means they are known.  0, or -1 with why filled.
 */
int
bw_sc_probe(char *why, size_t len)
{
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, FLAGS, NULL) == -1 &&
	    errno == EFAULT)
		return 0;
	if (errno == EINVAL)
		strncpy(why, "this kernel lacks SECCOMP_FILTER_FLAG_WAIT_"
		    "KILLABLE_RECV (Linux 5.19), without which a signal would "
		    "make bind fail with EINTR", len);
	else
		strncpy(why, strerror(errno), len);
	if (len > 0)
		why[len - 1] = '\0';
	return -1;
}

static void
tell(int sock, int status, int err, int fd)
{
	int word[2] = { status, err };

	(void)bw_fd_send(sock, word, sizeof(word), fd);
}

/*
 * In the child, before exec.  Privileged, no_new_privs is left alone;
 * otherwise the kernel requires it, and the parent warns that set-user-ID
 * programs below will not gain privileges.  Whatever happens, the command
 * runs: at worst unseen, as without the filter.
 */
void
bw_sc_child(int sock, const struct bw_sc_fopts *o)
{
	struct sock_filter f[BW_SC_FILTER_MAX];
	struct sock_fprog prog;
	int fd, nnp = 0;

	prog.len = (unsigned short)bw_sc_filter(f, BW_SC_FILTER_MAX, o);
	prog.filter = f;
	if (prog.len == 0) {
		tell(sock, BW_SC_ST_FAIL, EINVAL, -1);
		close(sock);
		return;
	}
	if ((fd = install(&prog)) == -1 && errno == EACCES &&
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0) {
		nnp = BW_SC_NNP;
		fd = install(&prog);
	}
	if (fd == -1)
		tell(sock, (errno == EBUSY ? BW_SC_ST_BUSY : BW_SC_ST_FAIL) | nnp,
		    errno, -1);
	else {
		tell(sock, BW_SC_ST_OK | nnp, 0, fd);
		close(fd);
	}
	close(sock);
}

/*
 * In the parent: the child's word, and its listener.  The status, or -1
 * when the child said nothing (it died first).
 */
int
bw_sc_from_child(int sock, int *listener, int *err)
{
	int word[2];

	if (bw_fd_recv(sock, word, sizeof(word), listener) == -1)
		return -1;
	*err = word[1];
	return word[0];
}
