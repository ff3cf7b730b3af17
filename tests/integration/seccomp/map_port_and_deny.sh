# shellcheck shell=sh
# shellcheck source=tests/integration/seccomp/common.sh
. "$BW_IT/seccomp/common.sh"
#
# The other policies reach a static program too: --map-port moves its
# listener (ss, a request on the new port, none on the old), --deny
# refuses its bind with EACCES.
bw_reap
"$BW" --map-port 9100=9101 --json --timeout 2 -o map.json -- \
    "$FIX/sc_probe" raw 127.0.0.1 9100 < in > /dev/null 2>&1 &
bw_wait_listen 127.0.0.1:9101 || { bw_ss >&2; exit 1; }
echo "mapped=$(hello 127.0.0.1 9101)"
echo "old=$(hello 127.0.0.1 9100)"
wait
echo "map_action=$(jq -r 'select(.type == "bind") | "\(.action) \(.requested_port) \(.port) \(.source)"' map.json)"
echo "denied=$("$BW" --deny 127.0.0.1:9102 --json -o deny.json -- \
    "$FIX/sc_probe" raw 127.0.0.1 9102 < /dev/null 2> /dev/null)"
echo "deny_action=$(jq -r 'select(.type == "bind") | "\(.action) \(.errno)"' deny.json)"
