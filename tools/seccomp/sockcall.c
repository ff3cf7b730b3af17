/*
 * Pure: which call a notification is about, from its architecture, number
 * and registers.  ia32 has bind and listen both as their own calls (since
 * Linux 4.3) and behind socketcall(2), whose arguments sit in an array in
 * the target's memory.
 */
#include <linux/audit.h>
#include <linux/net.h>

#include <string.h>

#include "seccomp.h"

#define NR64_BIND	49
#define NR64_LISTEN	50
#define NR32_SOCKETCALL	102
#define NR32_BIND	361
#define NR32_LISTEN	363

int
bw_sc_decode(uint32_t arch, int nr, const uint64_t args[6],
    struct bw_sc_call *c)
{
	memset(c, 0, sizeof(*c));
	c->kind = BW_SC_OTHER;
	if (arch == AUDIT_ARCH_I386) {
		c->compat = 1;
		if (nr == NR32_SOCKETCALL) {
			c->kind = BW_SC_SOCKETCALL;
			c->sub = (int)(uint32_t)args[0];
			c->argv = (uint32_t)args[1];
			return c->sub == SYS_BIND || c->sub == SYS_LISTEN ?
			    0 : -1;
		}
		if (nr == NR32_BIND)
			c->kind = BW_SC_BIND;
		else if (nr == NR32_LISTEN)
			c->kind = BW_SC_LISTEN;
	} else if (arch == AUDIT_ARCH_X86_64) {
		if (nr == NR64_BIND)
			c->kind = BW_SC_BIND;
		else if (nr == NR64_LISTEN)
			c->kind = BW_SC_LISTEN;
	}
	if (c->kind == BW_SC_OTHER)
		return -1;
	c->fd = (int)(uint32_t)args[0];
	if (c->kind == BW_SC_BIND) {
		c->addr = c->compat ? (uint32_t)args[1] : args[1];
		c->len = (uint32_t)args[2];
	} else
		c->backlog = (int)(uint32_t)args[1];
	return 0;
}

/*
 * Would the kernel have refused the target this port?  Our bind has our
 * credentials, so the rule is the target's: below
 * ip_unprivileged_port_start, CAP_NET_BIND_SERVICE (bit 10 of CapEff).
 */
int
bw_sc_port_refused(uint16_t port, int unpriv_start, uint64_t capeff)
{
	return port != 0 && port < unpriv_start && !(capeff & (1ULL << 10));
}

/* socketcall's array, read from the target: the call it stands for. */
int
bw_sc_decode_socketcall(struct bw_sc_call *c, const uint32_t w[3])
{
	if (c->kind != BW_SC_SOCKETCALL)
		return -1;
	c->fd = (int)w[0];
	if (c->sub == SYS_BIND) {
		c->kind = BW_SC_BIND;
		c->addr = w[1];
		c->len = w[2];
	} else if (c->sub == SYS_LISTEN) {
		c->kind = BW_SC_LISTEN;
		c->backlog = (int)w[1];
	} else
		return -1;
	return 0;
}
