# shellcheck shell=sh
# shellcheck source=tests/integration/scope/common.sh
. "$BW_IT/scope/common.sh"
# shellcheck source=tests/integration/seccomp/common.sh
. "$BW_IT/seccomp/common.sh"
#
# A static program binds 0.0.0.0:0 (a client's bind, as far as the policy
# can tell), then listens: under --loopback-only the listen confines it
# to lo, as the shim does.  Loopback is answered, the network is not.
bw_reap
"$BW" --loopback-only --json --timeout 4 -o run.json -- \
    "$FIX/sc_probe" raw 0.0.0.0 0 < in > /dev/null 2>&1 &
bw_wait_grep run.json '"type":"listen"' || exit 1
port=$(jq -r 'select(.type == "listen") | .port' run.json)
bw_wait_listen "0.0.0.0%lo:$port" || { bw_ss >&2; exit 1; }
echo "local=$(hello 127.0.0.1 "$port")"
echo "net=$(netopen 198.18.0.1 "$port")"
wait
echo "actions=$(jq -r 'select(.type == "bind" or .type == "listen") | .action' run.json | paste -sd ' ' -)"
echo "exposed=$(summary_jq run.json '[.warnings[] | select(.kind == "exposed")] | length')"
