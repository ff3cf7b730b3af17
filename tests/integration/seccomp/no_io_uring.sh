# shellcheck shell=sh
#
# --no-io-uring: io_uring_setup fails with ENOSYS under the filter, so a
# program falls back to plain system calls the supervisor sees.
echo "with=$("$BW" -q --no-io-uring -- "$FIX/sc_probe" uring 2> /dev/null)"
echo "without=$("$BW" -q -- "$FIX/sc_probe" uring 2> /dev/null)"
