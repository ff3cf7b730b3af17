# shellcheck shell=sh
# shellcheck source=tests/integration/sharing/common.sh
. "$BW_IT/sharing/common.sh"
#
# An established connection on 127.0.0.1:7200 whose listener is gone: a
# new server's bind fails, and the cause is the connection, held by the
# process ss names for it.

python3 "$SOCK" conn 127.0.0.1 7200 > holder.out &
HOLDER=$(ready_pid holder.out)
need_num HOLDER
ss -Htanp state established 'sport = :7200' > ss.out
echo "ss_listen=$(ss -Hltn 'sport = :7200' | wc -l)"
echo "ss_pid=$(same "$(grep -o 'pid=[0-9]*' ss.out | sort -u | cut -d = -f 2)" "$HOLDER")"
"$BW" --json -o report -- python3 "$SOCK" bind 127.0.0.1 7200 > /dev/null
echo "status=$?"
json_ok report || exit 93
echo "cause=$(sj report '.failed[0].cause')"
echo "sockets=$(same "$(sj report '.failed[0].cause_sockets')" "$(wc -l < ss.out)")"
echo "holder=$(same "$(sj report '.failed[0].holder.pid')" "$HOLDER")"
echo "wait_ms=$(sj report '.failed[0].wait_ms')"
"$BW" -o text -- python3 "$SOCK" bind 127.0.0.1 7200 > /dev/null
echo "text=$(count text "EADDRINUSE: in use by 1 established connection, held by pid $HOLDER (python3); SO_REUSEADDR would allow this bind if the sockets in the way have it too")"
