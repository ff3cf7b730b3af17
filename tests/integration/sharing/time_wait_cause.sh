# shellcheck shell=sh
# shellcheck source=tests/integration/sharing/common.sh
. "$BW_IT/sharing/common.sh"
#
# TIME_WAIT made on purpose: a server closes its connection first, then
# a new server binds the port without SO_REUSEADDR.  The bind fails and
# the summary says time-wait, how many and for how long, as ss does.

# Two of them: the second server may bind only with SO_REUSEADDR on both.
python3 "$SOCK" tw 127.0.0.1 7100 reuseaddr > tw1.out || exit 90
python3 "$SOCK" tw 127.0.0.1 7100 reuseaddr > tw2.out || exit 90
ss -Htan state time-wait 'sport = :7100' > ss.out
echo "ss_tw=$(wc -l < ss.out)"
"$BW" --json -o report -- python3 "$SOCK" bind 127.0.0.1 7100 > /dev/null
echo "status=$?"
json_ok report || exit 93
echo "cause=$(sj report '.failed[0].cause')"
echo "sockets=$(same "$(sj report '.failed[0].cause_sockets')" "$(wc -l < ss.out)")"
WAIT=$(sj report '.failed[0].wait_ms')
need_num WAIT
# 60 s at most, and not yet over: ss said more than a second left.
echo "wait_ms=$WAIT"
echo "holder=$(sj report '.failed[0].holder')"
echo "reuseaddr=$(sj report '.failed[0].reuseaddr_would_allow')"
"$BW" -o text -- python3 "$SOCK" bind 127.0.0.1 7100 > /dev/null
echo "text=$(count text 'EADDRINUSE: in use by 2 connections in TIME_WAIT for up to')"
echo "advice=$(count text ' s more; SO_REUSEADDR would allow this bind if the sockets in the way have it too')"
# What the advice says, the kernel does: with SO_REUSEADDR it binds.
"$BW" --json -o report2 -- python3 "$SOCK" bind 127.0.0.1 7100 reuseaddr > /dev/null
echo "status_reuseaddr=$?"
