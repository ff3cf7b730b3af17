/*
 * NETLINK_SOCK_DIAG (inet_diag): the live namespace's sockets with
 * IPV6_V6ONLY, filtered by state in the kernel, and exact lookups of one
 * listening endpoint.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "event.h"
#include "kernel.h"
#include "netstate.h"

/*
 * A sock_diag request on a new netlink socket: of family and ipproto in
 * states, for the endpoint id (an exact lookup) or, without one, a dump.
 * The socket to read the answer from, or -1.
 */
static int
diag_ask(int family, int ipproto, uint32_t states,
    const struct inet_diag_sockid *id)
{
	struct {
		struct nlmsghdr			nh;
		struct inet_diag_req_v2		r;
	} req;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd;

	if ((fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
	    NETLINK_SOCK_DIAG)) == -1)
		return -1;
	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nh.nlmsg_flags = NLM_F_REQUEST | (id == NULL ? NLM_F_DUMP : 0);
	req.r.sdiag_family = (uint8_t)family;
	req.r.sdiag_protocol = (uint8_t)ipproto;
	req.r.idiag_states = states;
	if (id != NULL)
		req.r.id = *id;
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&sa,
	    sizeof(sa)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * The live namespace's sockets from an inet_diag dump, filtered by state
 * in the kernel: /proc/net/tcp makes the kernel walk (and print) every
 * socket even to list the few listeners, even for an empty table.  Fills
 * what the /proc parser would, plus IPV6_V6ONLY.  -1 when
 * netlink cannot answer: the caller then reads /proc/net.
 */
int
bw_diag_read(struct bw_netstate *ns, size_t *cap, int family, int ipproto,
    uint8_t proto, int flags)
{
	uint32_t buf[8192];	/* NLMSG_ALIGNTO */
	int fd, done = 0, ret = -1;

	if ((fd = diag_ask(family, ipproto, (flags & BW_NS_ALL) ? ~0U :
	    proto == BW_PROTO_TCP ? 1U << BW_TCP_LISTEN : 1U << BW_UDP_UNCONN,
	    NULL)) == -1)
		return -1;
	while (!done) {
		struct nlmsghdr *h;
		int n = (int)recv(fd, buf, sizeof(buf), 0);

		if (n <= 0)
			break;
		for (h = (struct nlmsghdr *)buf; n >= (int)sizeof(*h) &&
		    h->nlmsg_len >= sizeof(*h) && h->nlmsg_len <= (unsigned)n;
		    h = NLMSG_NEXT(h, n)) {
			struct inet_diag_msg *m;
			struct bw_sock s;
			struct rtattr *a;
			int alen;

			if (h->nlmsg_type == NLMSG_DONE) {
				done = 1;
				ret = 0;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				done = 1;
				break;
			}
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*m)))
				continue;
			m = NLMSG_DATA(h);
			if (m->idiag_family != family)
				continue;
			memset(&s, 0, sizeof(s));
			s.proto = proto;
			s.state = m->idiag_state;
			s.local.family = s.remote.family = (uint16_t)family;
			memcpy(s.local.addr, m->id.idiag_src,
			    family == AF_INET ? 4 : 16);
			memcpy(s.remote.addr, m->id.idiag_dst,
			    family == AF_INET ? 4 : 16);
			s.local.port = ntohs(m->id.idiag_sport);
			s.remote.port = ntohs(m->id.idiag_dport);
			s.uid = m->idiag_uid;
			s.inode = m->idiag_inode;
			s.reuseport = -1;
			s.v6only = -1;
			if (s.state == BW_TCP_TIME_WAIT && proto == BW_PROTO_TCP)
				s.expires_ms = m->idiag_expires;
			alen = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof(*m)));
			for (a = (struct rtattr *)(m + 1); RTA_OK(a, alen);
			    a = RTA_NEXT(a, alen))
				if (a->rta_type == INET_DIAG_SKV6ONLY &&
				    RTA_PAYLOAD(a) >= 1 && family == AF_INET6)
					s.v6only = *(uint8_t *)RTA_DATA(a) ? 1 : 0;
			if (bw_ns_wanted(&s, flags) &&
			    bw_ns_push(ns, cap, &s) == -1) {
				done = 1;
				ret = -1;
				break;
			}
		}
	}
	close(fd);
	return ret;
}

/*
 * Does a TCP listener take connections to a (loopback) address:port?  One
 * exact sock_diag lookup (the kernel's own, wildcards and dual-stack "::"
 * included) instead of a dump, which walks the whole listening hash even
 * when it is empty.  1 yes, 0 no, -1 when
 * the kernel would not say.
 */
int
bw_netstate_tcp_listener_at(const struct bw_sa *a)
{
	uint64_t ino;

	return bw_netstate_tcp_listener_inode(a, &ino);
}

/* The same, with the inode of the listener the kernel picked. */
int
bw_netstate_tcp_listener_inode(const struct bw_sa *a, uint64_t *ino)
{
	struct inet_diag_sockid id;
	uint32_t buf[1024];	/* NLMSG_ALIGNTO */
	struct nlmsghdr *h;
	struct inet_diag_msg *m;
	int fd, n, ret = -1;

	*ino = 0;
	if (a->family != AF_INET && a->family != AF_INET6)
		return -1;
	memset(&id, 0, sizeof(id));
	/* TCP looks up the local end in src (UDP would in dst). */
	memcpy(id.idiag_src, a->addr, a->family == AF_INET ? 4 : 16);
	id.idiag_sport = htons(a->port);
	id.idiag_cookie[0] = id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	if ((fd = diag_ask(a->family, IPPROTO_TCP, 1U << BW_TCP_LISTEN,
	    &id)) == -1)
		return -1;
	if ((n = (int)recv(fd, buf, sizeof(buf), 0)) >= (int)sizeof(*h)) {
		h = (struct nlmsghdr *)buf;
		if (h->nlmsg_type == SOCK_DIAG_BY_FAMILY &&
		    h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct inet_diag_msg)) &&
		    h->nlmsg_len <= (unsigned)n) {
			m = NLMSG_DATA(h);
			ret = m->idiag_state == BW_TCP_LISTEN;
			if (ret)
				*ino = m->idiag_inode;
		} else if (h->nlmsg_type == NLMSG_ERROR &&
		    h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct nlmsgerr)) &&
		    ((struct nlmsgerr *)NLMSG_DATA(h))->error == -ENOENT)
			ret = 0;
	}
	close(fd);
	return ret;
}
