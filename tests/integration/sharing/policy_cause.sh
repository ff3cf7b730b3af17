# shellcheck shell=sh
# shellcheck source=tests/integration/sharing/common.sh
. "$BW_IT/sharing/common.sh"
#
# BINDWATCH_MAP_PORT sends a bind of the free port 7400 to 7401, where a
# listener is: the cause is the policy, the holder the listener ss names.
# A bind a policy refuses has the cause "policy" too.  A plain listener in
# the way is "listener".

python3 "$SOCK" listen 127.0.0.1 7401 > holder.out &
HOLDER=$(ready_pid holder.out)
need_num HOLDER
echo "ss_holder=$(same "$(ss_owner 127.0.0.1:7401 | cut -d ' ' -f 2)" "$HOLDER")"
echo "free=$(ss -Htan 'sport = :7400' | wc -l)"
"$BW" --json --map-port 7400=7401 -o report -- python3 "$SOCK" bind 127.0.0.1 7400 > /dev/null
echo "status=$?"
json_ok report || exit 93
echo "cause=$(sj report '.failed[0].cause')"
echo "port=$(sj report '.failed[0].port')"
echo "holder=$(same "$(sj report '.failed[0].holder.pid')" "$HOLDER")"
"$BW" --map-port 7400=7401 -o text -- python3 "$SOCK" bind 127.0.0.1 7400 > /dev/null
echo "text=$(count text "EADDRINUSE: a policy moved it here from 127.0.0.1:7400, which was free, held by pid $HOLDER")"
"$BW" --json --deny 127.0.0.1:7402 -o report2 -- python3 "$SOCK" bind 127.0.0.1 7402 > /dev/null
echo "deny_cause=$(sj report2 '.failed[0].cause')"
"$BW" --json -o report3 -- python3 "$SOCK" bind 127.0.0.1 7401 > /dev/null
echo "listener_cause=$(sj report3 '.failed[0].cause')"
echo "listener_holder=$(same "$(sj report3 '.failed[0].holder.pid')" "$HOLDER")"
