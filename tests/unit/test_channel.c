/*
 * BINDWATCH_COLLECTOR_FD: what the CLI writes, the shim reads back, and
 * anything else is refused.
 */
#include <criterion/criterion.h>

#include <stdint.h>
#include <string.h>

#include "channel.h"

Test(channel, round_trip)
{
	static const struct { int fd; uint64_t ino; } cases[] = {
		{ 0, 1 }, { 700, 64937560 }, { 2147483647, UINT64_MAX },
	};
	char buf[48];
	uint64_t ino;
	size_t i;
	int fd;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_assert_gt(bw_channel_format(buf, sizeof(buf), cases[i].fd,
		    cases[i].ino), 0);
		cr_assert_eq(bw_channel_parse(buf, &fd, &ino), 0, "%s", buf);
		cr_expect_eq(fd, cases[i].fd, "%s", buf);
		cr_expect_eq(ino, cases[i].ino, "%s", buf);
	}
	cr_expect_eq(bw_channel_format(buf, sizeof(buf), 700, 64937560), 12);
	cr_expect_str_eq(buf, "700:64937560");
}

Test(channel, refused)
{
	static const char *const bad[] = {
		"", ":", "700", "700:", ":5", "700:0", "-1:5", "700:5x",
		"700 :5", " 700:5", "700:5:6", "2147483648:5",
		"700:18446744073709551616", "0x10:5", "700;5",
	};
	uint64_t ino;
	size_t i;
	int fd;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(bw_channel_parse(bad[i], &fd, &ino), -1, "%s",
		    bad[i]);
	cr_expect_eq(bw_channel_parse(NULL, &fd, &ino), -1);
}

Test(channel, format_limits)
{
	char buf[9];

	cr_expect_eq(bw_channel_format(buf, sizeof(buf), -1, 5), -1);
	cr_expect_eq(bw_channel_format(buf, sizeof(buf), 5, 0), -1);
	/* "70:12345" and its NUL fill nine bytes exactly; one more digit
	 * does not fit. */
	cr_expect_eq(bw_channel_format(buf, sizeof(buf), 70, 12345), 8);
	cr_expect_str_eq(buf, "70:12345");
	cr_expect_eq(bw_channel_format(buf, sizeof(buf), 700, 12345), -1);
}
