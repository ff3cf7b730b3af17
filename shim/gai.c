/*
 * getaddrinfo: report what the program asked and what it got; under a
 * resolve override or a family filter, hand it another list.
 *
 * Lists we build are one malloc'd block that our freeaddrinfo hook
 * recognises (a small registry of live blocks) and frees itself, so the
 * program's own freeaddrinfo works with glibc and musl alike, whose
 * allocators and list layouts differ.  Lists from libc go back to libc.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "config.h"
#include "emit.h"
#include "gai.h"
#include "real.h"

#ifndef EAI_ADDRFAMILY
#define EAI_ADDRFAMILY	EAI_NONAME
#endif

/*
 * The lists of ours alive, in a table that is a slice of the arena: at
 * most MAX_OWNED at once, and one more gets EAI_MEMORY, never a leak.
 */
#define MAX_OWNED	4096
static _Atomic(void *) owned_table;	/* _Atomic(void *)[MAX_OWNED] */
static atomic_int nowned;

static atomic_uint next_free;	/* where to start looking: a hint */

/* At initialisation: the table; -1 if the arena has no room. */
int
bw_gai_setup(void)
{
	return bw_arena_take(&owned_table,
	    MAX_OWNED * sizeof(_Atomic(void *)));
}

/* Slots are read before they are swapped: a scan costs loads, not locks. */
static int
own(void *p)
{
	unsigned start = atomic_load_explicit(&next_free, memory_order_relaxed);
	_Atomic(void *) *owned = atomic_load_explicit(&owned_table,
	    memory_order_acquire);
	size_t k;

	if (owned == NULL)
		return -1;
	for (k = 0; k < MAX_OWNED; k++) {
		size_t i = (start + k) % MAX_OWNED;
		void *expect = NULL;

		if (atomic_load_explicit(&owned[i], memory_order_relaxed) == NULL &&
		    atomic_compare_exchange_strong(&owned[i], &expect, p)) {
			atomic_fetch_add(&nowned, 1);
			atomic_store_explicit(&next_free, (unsigned)(i + 1) % MAX_OWNED,
			    memory_order_relaxed);
			return 0;
		}
	}
	return -1;
}

static int
disown(void *p)
{
	_Atomic(void *) *owned = atomic_load_explicit(&owned_table,
	    memory_order_acquire);
	size_t i;

	if (owned == NULL || atomic_load(&nowned) == 0)
		return -1;
	for (i = 0; i < MAX_OWNED; i++) {
		void *expect = p;

		if (atomic_load_explicit(&owned[i], memory_order_relaxed) == p &&
		    atomic_compare_exchange_strong(&owned[i], &expect, NULL)) {
			atomic_fetch_sub(&nowned, 1);
			return 0;
		}
	}
	return -1;
}

static uint8_t
ai_proto(const struct addrinfo *ai)
{
	if (ai->ai_socktype == SOCK_STREAM || ai->ai_protocol == IPPROTO_TCP)
		return BW_PROTO_TCP;
	if (ai->ai_socktype == SOCK_DGRAM || ai->ai_protocol == IPPROTO_UDP)
		return BW_PROTO_UDP;
	return BW_PROTO_OTHER;
}

/* Record a list into addrs; returns how many entries the list had. */
static size_t
record(const struct addrinfo *ai, struct bw_sa *addrs, uint8_t *proto,
    uint16_t *n)
{
	size_t total = 0;

	*n = 0;
	for (; ai != NULL; ai = ai->ai_next, total++) {
		if (*n == BINDWATCH_MAX_ADDRS ||
		    bw_sa_from_sockaddr(&addrs[*n], ai->ai_addr, ai->ai_addrlen) == -1)
			continue;
		if (proto != NULL)
			proto[*n] = ai_proto(ai);
		(*n)++;
	}
	return total;
}

static void
copy_name(char *dst, size_t cap, const char *src, uint8_t *truncated)
{
	size_t n = strnlen(src, cap);

	if (n == cap) {
		n = cap - 1;
		*truncated = 1;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* A new list of n nodes in one block, registered as ours. */
static struct addrinfo *
new_list(size_t n, const char *canon)
{
	size_t clen = canon ? strlen(canon) + 1 : 0, i;
	struct addrinfo *ai;
	struct sockaddr_in6 *sa;
	char *p;

	if (n == 0 || n > 4096)
		return NULL;
	p = calloc(1, n * (sizeof(*ai) + sizeof(*sa)) + clen);
	if (p == NULL)
		return NULL;
	ai = (struct addrinfo *)(void *)p;
	sa = (struct sockaddr_in6 *)(void *)(p + n * sizeof(*ai));
	for (i = 0; i < n; i++) {
		ai[i].ai_addr = (struct sockaddr *)&sa[i];
		ai[i].ai_next = i + 1 < n ? &ai[i + 1] : NULL;
	}
	if (canon != NULL) {
		ai[0].ai_canonname = p + n * (sizeof(*ai) + sizeof(*sa));
		memcpy(ai[0].ai_canonname, canon, clen);
	}
	if (own(ai) == -1) {
		free(p);
		return NULL;
	}
	return ai;
}

static void
set_node(struct addrinfo *dst, const struct addrinfo *tmpl, const struct bw_sa *a)
{
	struct sockaddr_storage ss;
	struct bw_sa sa = *a;
	size_t len;

	dst->ai_flags = tmpl->ai_flags;
	dst->ai_family = a->family;
	dst->ai_socktype = tmpl->ai_socktype;
	dst->ai_protocol = tmpl->ai_protocol;
	/* The port is the caller's service, as libc resolved it. */
	if (bw_sa_from_sockaddr(&sa, tmpl->ai_addr, tmpl->ai_addrlen) == 0) {
		uint16_t port = sa.port;

		sa = *a;
		sa.port = port;
	}
	len = bw_sa_to_sockaddr(&sa, &ss);
	memcpy(dst->ai_addr, &ss, len);
	dst->ai_addrlen = (socklen_t)len;
}

/*
 * The override: exactly the policy's addresses in its order.  libc is
 * asked for the same service on a numeric wildcard of each family, so the
 * caller's service, socktype, protocol and flags are honoured (and their
 * errors, EAI_SERVICE, EAI_SOCKTYPE... come from libc).
 */
static int
override(const struct bw_policy *p, const struct bw_resolve *r,
    const char *node, const char *service, const struct addrinfo *hints,
    struct addrinfo **res)
{
	struct addrinfo th, *tmpl[2] = { NULL, NULL }, *t, *list;
	int fams[2] = { AF_INET, AF_INET6 }, want, rc = 0, k;
	size_t i, n = 0, j;

	memset(&th, 0, sizeof(th));
	if (hints != NULL)
		th = *hints;
	want = hints ? hints->ai_family : AF_UNSPEC;
	th.ai_flags = (th.ai_flags & ~(AI_CANONNAME | AI_ADDRCONFIG |
	    AI_V4MAPPED | AI_ALL)) | AI_NUMERICHOST;
	th.ai_canonname = NULL;
	th.ai_addr = NULL;
	th.ai_next = NULL;
	for (k = 0; k < 2; k++) {
		for (i = 0; i < r->naddrs; i++)
			if (r->addrs[i].family == fams[k])
				break;
		if (i == r->naddrs || !bw_policy_family_ok(p, fams[k]) ||
		    (want != AF_UNSPEC && want != fams[k]))
			continue;
		th.ai_family = fams[k];
		rc = real_getaddrinfo(fams[k] == AF_INET ? "0.0.0.0" : "::",
		    service, &th, &tmpl[k]);
		if (rc != 0)
			goto out;
	}
	for (i = 0; i < r->naddrs; i++) {
		k = r->addrs[i].family == AF_INET ? 0 : 1;
		for (t = tmpl[k]; t != NULL; t = t->ai_next)
			n++;
	}
	if (n == 0) {
		rc = EAI_ADDRFAMILY;
		goto out;
	}
	list = new_list(n, hints && (hints->ai_flags & AI_CANONNAME) ? node : NULL);
	if (list == NULL) {
		rc = EAI_MEMORY;
		goto out;
	}
	for (i = 0, j = 0; i < r->naddrs; i++) {
		k = r->addrs[i].family == AF_INET ? 0 : 1;
		for (t = tmpl[k]; t != NULL; t = t->ai_next)
			set_node(&list[j++], t, &r->addrs[i]);
	}
	*res = list;
out:
	for (k = 0; k < 2; k++)
		if (tmpl[k] != NULL)
			real_freeaddrinfo(tmpl[k]);
	return rc;
}

/* libc's list without the family the policy drops, as a list of ours. */
static int
filter(const struct bw_policy *p, struct addrinfo **res)
{
	struct addrinfo *in = *res, *t, *list;
	size_t n = 0, total = 0, j = 0;

	for (t = in; t != NULL; t = t->ai_next, total++)
		if (bw_policy_family_ok(p, t->ai_family))
			n++;
	if (n == total)
		return 0;
	if (n == 0) {
		real_freeaddrinfo(in);
		*res = NULL;
		return EAI_ADDRFAMILY;
	}
	list = new_list(n, in->ai_canonname);
	if (list == NULL) {
		real_freeaddrinfo(in);
		*res = NULL;
		return EAI_MEMORY;
	}
	for (t = in; t != NULL; t = t->ai_next) {
		struct bw_sa sa;

		if (!bw_policy_family_ok(p, t->ai_family) ||
		    bw_sa_from_sockaddr(&sa, t->ai_addr, t->ai_addrlen) == -1)
			continue;
		set_node(&list[j++], t, &sa);
	}
	if (j == 0) {
		bw_freeaddrinfo(list);
		real_freeaddrinfo(in);
		*res = NULL;
		return EAI_ADDRFAMILY;
	}
	if (j < n)
		list[j - 1].ai_next = NULL;
	real_freeaddrinfo(in);
	*res = list;
	return 0;
}

int
bw_getaddrinfo(const struct bw_conf *c, const char *node, const char *service,
    const struct addrinfo *hints, struct addrinfo **res)
{
	const struct bw_resolve *r = NULL;
	struct bw_event e;
	int rc, err;

	if (c == NULL)
		return real_getaddrinfo(node, service, hints, res);
	memset(&e, 0, sizeof(e));
	e.type = BW_EV_GAI;
	e.fd = -1;
	e.alias_fd = -1;
	if ((e.has_node = node != NULL))
		copy_name(e.node, sizeof(e.node), node, &e.truncated);
	if ((e.has_service = service != NULL))
		copy_name(e.service, sizeof(e.service), service, &e.truncated);
	if ((e.has_hints = hints != NULL)) {
		e.h_flags = hints->ai_flags;
		e.h_family = hints->ai_family;
		e.h_socktype = hints->ai_socktype;
		e.h_protocol = hints->ai_protocol;
	}
	if (bw_policy_rewrites_gai(&c->policy) && res != NULL &&
	    (hints == NULL || !(hints->ai_flags & AI_NUMERICHOST)))
		r = bw_policy_lookup(&c->policy, node);
	if (r != NULL) {
		rc = override(&c->policy, r, node, service, hints, res);
		err = errno;
		e.action = BW_ACT_REWRITE;
		e.opts = BW_GAI_OVERRIDE;
	} else {
		rc = real_getaddrinfo(node, service, hints, res);
		err = errno;
		if (rc == 0 && res != NULL && c->policy.family != 0) {
			struct addrinfo *before = *res;

			e.naddrs_total = (uint16_t)record(before, e.orig, NULL, &e.norig);
			rc = filter(&c->policy, res);
			err = errno;
			if (rc != 0 || *res != before)
				e.action = BW_ACT_REWRITE;
			else
				e.norig = 0;
		}
	}
	e.ret = rc;
	e.err = rc == EAI_SYSTEM ? err : 0;
	if (rc == 0 && res != NULL)
		e.naddrs_total = (uint16_t)record(*res, e.addrs, e.addr_proto, &e.naddrs);
	else
		e.naddrs_total = 0;
	bw_emit(c, &e);
	errno = err;	/* what libc left, as without us */
	return rc;
}

void
bw_freeaddrinfo(struct addrinfo *ai)
{
	if (ai != NULL && disown(ai) == 0) {
		free(ai);
		return;
	}
	real_freeaddrinfo(ai);
}
