# shellcheck shell=sh
# shellcheck source=tests/integration/scope/common.sh
. "$BW_IT/scope/common.sh"
#
# [::] with IPV6_V6ONLY off serves IPv4 and IPv6.  Under --loopback-only
# it must answer on 127.0.0.1 and [::1] and on nothing from the network:
# the wildcard is kept and confined to the loopback device.

# Bare: dual-stack, and reachable from the network.
"$PY" -m http.server --bind :: 8000 > /dev/null 2>&1 &
p=$!
bw_wait_listen '*:8000' || exit 1
echo "bare_v4=$(get 127.0.0.1 8000)"
echo "bare_v6=$(get ::1 8000)"
echo "bare_net=$(netopen 198.18.0.1 8000)"
kill $p
wait $p 2> /dev/null

"$BW" --loopback-only --timeout 8 -o run.txt --json -- \
    "$PY" -m http.server --bind :: 8000 > /dev/null 2>&1 &
bw_wait_listen '*%lo:8000' || { bw_ss >&2; exit 1; }
echo "v4=$(get 127.0.0.1 8000)"
echo "v6=$(get ::1 8000)"
echo "net=$(netopen 198.18.0.1 8000)"
echo "ss=$(ss -Hltn | awk '$4 ~ /:8000$/ { print $4 }')"
wait
echo "action=$(jq -r 'select(.type == "bind" and .port == 8000) | .action' run.txt)"
echo "addr=$(jq -r 'select(.type == "bind" and .port == 8000) | .addr' run.txt)"
echo "device=$(summary_jq run.txt '.listening[] | select(.port == 8000) | .device')"
echo "exposed=$(summary_jq run.txt '[.warnings[] | select(.kind == "exposed")] | length')"
echo "summary_action=$(summary_jq run.txt '.rewritten[0].action')"
