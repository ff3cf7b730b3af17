/*
 * libFuzzer: every BINDWATCH_* policy variable, the input as its value.
 * A value is parsed or refused with a reason; a parsed policy then
 * decides binds and lookups that must keep their promises: never rewrite
 * across families, loopback-only never yields a non-loopback address,
 * force yields the forced address, refusals carry EACCES/EADDRNOTAVAIL.
 */
#include <sys/socket.h>

#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "event.h"
#include "policy.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const vars[] = {
	BINDWATCH_ENV_FORCE, BINDWATCH_ENV_LOOPBACK_ONLY, BINDWATCH_ENV_RESOLVE,
	BINDWATCH_ENV_FAMILY, BINDWATCH_ENV_MAP_PORT, BINDWATCH_ENV_DENY,
};

static const char *const reqs[] = {
	"0.0.0.0:80", "127.0.0.1:3000", "10.0.0.1:0", "[::]:80", "[::1]:3000",
	"[::ffff:0.0.0.0]:8080", "[::ffff:127.0.0.1]:1", "[::ffff:10.1.2.3]:443",
	"[fe80::1%2]:53", "[2001:db8::1]:65535",
};

static const char *const names[] = {
	"localhost", "LOCALHOST.", "a", "", ".", "db.internal",
};

static void
decide(const struct bw_policy *p)
{
	struct bw_bind_decision d;
	struct bw_sa req, want;
	size_t i;
	int hp, fam, ok;
	char err[256];

	ok = bw_policy_check(p, err, sizeof(err)) == 0;
	for (i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		CHECK(bw_sa_parse_endpoint(reqs[i], &req, &hp) == 0);
		for (fam = 0; fam < 3; fam++) {
			int sf = fam == 0 ? AF_INET : fam == 1 ? AF_INET6 : AF_UNIX;
			const struct bw_sa *res = &req;

			bw_policy_bind(p, sf, &req, &d);
			if (req.family != sf) {
				CHECK(d.action == BW_ACT_PASS);
				continue;
			}
			if (d.action == BW_ACT_DENY) {
				CHECK(d.err == EACCES || d.err == EADDRNOTAVAIL);
				continue;
			}
			if (d.action == BW_ACT_REWRITE) {
				CHECK(d.addr.family == sf);
				CHECK(!bw_sa_equal(&d.addr, &req, 1) ||
				    d.addr.scope_id != req.scope_id);
				res = &d.addr;
			} else
				CHECK(d.action == BW_ACT_PASS);
			if (ok && p->loopback_only)
				CHECK(bw_sa_class(res) == BW_CLASS_LOOPBACK);
			if (p->has_force) {
				want = p->force;
				if (sf == AF_INET6 && want.family == AF_INET)
					bw_sa_v4mapped(&want, &want);
				CHECK(bw_sa_equal(res, &want, 0));
			}
		}
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct bw_resolve *r = bw_policy_lookup(p, names[i]);

		if (r != NULL)
			CHECK(r->naddrs >= 1 && r->naddrs <= BINDWATCH_MAX_ADDRS);
	}
	(void)bw_policy_active(p);
	(void)bw_policy_rewrites_gai(p);
	for (fam = 0; fam < 3; fam++) {
		int f = fam == 0 ? AF_UNSPEC : fam == 1 ? AF_INET : AF_INET6;
		CHECK(bw_policy_family_ok(p, f) == (p->family == 0 ||
		    p->family == f));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bw_policy p, all;
	char *v, err[256];
	size_t i;

	if ((v = malloc(size + 1)) == NULL)
		return 0;
	memcpy(v, data, size);
	v[size] = '\0';
	bw_policy_init(&all);
	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		bw_policy_init(&p);
		err[0] = '\0';
		if (bw_policy_set(&p, vars[i], v, err, sizeof(err)) == 0) {
			decide(&p);
			/* The input itself as a name to look up. */
			(void)bw_policy_lookup(&p, v);
		} else
			CHECK(err[0] != '\0' && strlen(err) < sizeof(err));
		/* Every variable at once on one policy, failures and all. */
		(void)bw_policy_set(&all, vars[i], v, err, sizeof(err));
	}
	decide(&all);
	free(v);
	return 0;
}
