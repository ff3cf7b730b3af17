# shellcheck shell=sh
# shellcheck source=tests/integration/scope/common.sh
. "$BW_IT/scope/common.sh"
# shellcheck source=tests/integration/seccomp/common.sh
. "$BW_IT/seccomp/common.sh"
#
# A shell script that executes a Go server: the command (dash) is seen by
# the shim, so --seccomp=auto does not filter it; caddy is filtered by the
# shim's exec hook instead.  Under --loopback-only: ss, requests over
# loopback, none from the network, events from the supervisor, no unseen.
mkdir www && echo caddy-ok > www/index.html
export HOME="$D" XDG_CONFIG_HOME="$D/cfg" XDG_DATA_HOME="$D/data"

"$BW" --loopback-only --json --timeout 4 -o lo.json -- \
    sh -c 'exec caddy file-server --listen :9200 --root www' \
    > /dev/null 2>&1 &
bw_wait_listen '*%lo:9200' || { bw_ss >&2; exit 1; }
echo "ss=$(ss -Hltn | awk '$4 ~ /:9200$/ { print $4 }')"
echo "v4=$(get 127.0.0.1 9200)"
echo "v6=$(get ::1 9200)"
echo "net=$(netopen 198.18.0.1 9200)"
wait
echo "sources=$(jq -r 'select(.type == "listen" and .port == 9200) | .source' lo.json)"
echo "action=$(jq -r 'select(.type == "bind" and .requested_port == 9200) | .action' lo.json)"
echo "unseen=$(unseen lo.json)"
