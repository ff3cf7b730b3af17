# shellcheck shell=sh
# shellcheck source=tests/integration/sharing/common.sh
. "$BW_IT/sharing/common.sh"
#
# A socket bound to 127.0.0.1:7300 that never listens: ss -tan does not
# list it (nor does /proc/net/tcp); sock_diag does since Linux 6.7.  The
# cause is "bound", held by the process that bound it.

python3 "$SOCK" bound 127.0.0.1 7300 > holder.out &
HOLDER=$(ready_pid holder.out)
need_num HOLDER
echo "ss_sees=$(ss -Htan 'sport = :7300' | wc -l)"
"$BW" --json -o report -- python3 "$SOCK" bind 0.0.0.0 7300 > /dev/null
echo "status=$?"
json_ok report || exit 93
echo "cause=$(sj report '.failed[0].cause')"
echo "holder=$(same "$(sj report '.failed[0].holder.pid')" "$HOLDER")"
"$BW" -o text -- python3 "$SOCK" bind 0.0.0.0 7300 > /dev/null
echo "text=$(count text "EADDRINUSE: in use by a socket bound there but not listening, held by pid $HOLDER (python3); SO_REUSEADDR would allow this bind if the sockets in the way have it too")"
