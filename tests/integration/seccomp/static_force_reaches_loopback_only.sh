# shellcheck shell=sh
# shellcheck source=tests/integration/scope/common.sh
. "$BW_IT/scope/common.sh"
# shellcheck source=tests/integration/seccomp/common.sh
. "$BW_IT/seccomp/common.sh"
#
# A static program binding 0.0.0.0 with raw system calls: bare, the
# network reaches it; under --force 127.0.0.1 the supervisor rewrites the
# bind, ss shows 127.0.0.1, loopback is answered, the network is not, and
# the summary has its events and no unseen socket.
bw_reap

"$FIX/sc_probe" raw 0.0.0.0 8100 < in > /dev/null &
bw_wait_listen 0.0.0.0:8100 || exit 1
echo "bare_net=$(netopen 198.18.0.1 8100)"
kill $! 2> /dev/null
wait

"$BW" --force 127.0.0.1 --json --timeout 4 -o run.json -- \
    "$FIX/sc_probe" raw 0.0.0.0 8100 < in > /dev/null 2>&1 &
bw_wait_listen 127.0.0.1:8100 || { bw_ss >&2; exit 1; }
echo "ss=$(ss -Hltn | awk '$4 ~ /:8100$/ { print $4 }')"
echo "local=$(hello 127.0.0.1 8100)"
echo "net=$(netopen 198.18.0.1 8100)"
wait
echo "sources=$(sources run.json)"
echo "action=$(jq -r 'select(.type == "bind") | .action' run.json)"
echo "bound=$(jq -r 'select(.type == "bind") | .bound_addr // .addr' run.json)"
echo "unseen=$(unseen run.json)"
echo "exposed=$(summary_jq run.json '[.warnings[] | select(.kind == "exposed")] | length')"
