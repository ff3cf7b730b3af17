# shellcheck shell=sh
# shellcheck source=tests/integration/scope/common.sh
. "$BW_IT/scope/common.sh"
# shellcheck source=tests/integration/seccomp/common.sh
. "$BW_IT/seccomp/common.sh"
#
# caddy, a Go program (dynamically linked: cgo), makes its own system
# calls: --seccomp=auto finds Go's build-id note and filters it.  Under
# --force 127.0.0.1 and --loopback-only: ss, a request over loopback, none
# from the network, events from the supervisor, no unseen socket.
mkdir www && echo caddy-ok > www/index.html
export HOME="$D" XDG_CONFIG_HOME="$D/cfg" XDG_DATA_HOME="$D/data"

"$BW" --force 127.0.0.1 --json --timeout 4 -o force.json -- \
    caddy file-server --listen :8103 --root www > /dev/null 2>&1 &
bw_wait_listen '[::ffff:127.0.0.1]:8103' || { bw_ss >&2; exit 1; }
echo "force_ss=$(ss -Hltn | awk '$4 ~ /:8103$/ { print $4 }')"
echo "force_v4=$(get 127.0.0.1 8103)"
echo "force_net=$(netopen 198.18.0.1 8103)"
wait
echo "force_sources=$(jq -r 'select(.type == "listen" and .port == 8103) | .source' force.json)"
echo "force_action=$(jq -r 'select(.type == "bind" and .requested_port == 8103) | .action' force.json)"
echo "force_unseen=$(unseen force.json)"

"$BW" --loopback-only --json --timeout 4 -o lo.json -- \
    caddy file-server --listen :8104 --root www > /dev/null 2>&1 &
bw_wait_listen '*%lo:8104' || { bw_ss >&2; exit 1; }
echo "lo_v4=$(get 127.0.0.1 8104)"
echo "lo_v6=$(get ::1 8104)"
echo "lo_net=$(netopen 198.18.0.1 8104)"
wait
echo "lo_unseen=$(unseen lo.json)"

# --seccomp=off: today's blindness, for comparison.
"$BW" --seccomp=off --json --timeout 3 -o off.json -- \
    caddy file-server --listen :8105 --root www > /dev/null 2>&1 &
bw_wait_listen '*:8105' || { bw_ss >&2; exit 1; }
wait
echo "off_sources=$(sources off.json)"
echo "off_unseen=$(unseen off.json)"
