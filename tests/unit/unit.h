/*
 * Helpers shared by the unit tests.
 */
#ifndef BW_UNIT_H
#define BW_UNIT_H

#include <criterion/criterion.h>

#include "addr.h"

/* "ADDR:PORT" or "[V6]:PORT" as plain data; anything else fails the test. */
static inline struct bw_sa
unit_sa(const char *s)
{
	struct bw_sa sa;
	int has_port;

	cr_assert_eq(bw_sa_parse_endpoint(s, &sa, &has_port), 0, "%s", s);
	return sa;
}

#endif
