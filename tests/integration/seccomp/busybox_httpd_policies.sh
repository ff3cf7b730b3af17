# shellcheck shell=sh
# shellcheck source=tests/integration/scope/common.sh
. "$BW_IT/scope/common.sh"
# shellcheck source=tests/integration/seccomp/common.sh
. "$BW_IT/seccomp/common.sh"
#
# busybox-static's httpd binds [::]:P, dual-stack.  Under --loopback-only
# the supervisor confines it to lo; under --force 127.0.0.1 it is moved
# there.  Each time: ss, a request over loopback, none from the network,
# its events from the supervisor and no unseen socket.
mkdir www && echo busybox-ok > www/index.html

"$BW" --loopback-only --json --timeout 3 -o lo.json -- \
    busybox httpd -f -p 8101 -h www > /dev/null 2>&1 &
bw_wait_listen '*%lo:8101' || { bw_ss >&2; exit 1; }
echo "lo_ss=$(ss -Hltn | awk '$4 ~ /:8101$/ { print $4 }')"
echo "lo_v4=$(get 127.0.0.1 8101)"
echo "lo_v6=$(get ::1 8101)"
echo "lo_net=$(netopen 198.18.0.1 8101)"
wait
echo "lo_sources=$(sources lo.json)"
echo "lo_action=$(jq -r 'select(.type == "bind") | .action' lo.json)"
echo "lo_unseen=$(unseen lo.json)"

"$BW" --force 127.0.0.1 --json --timeout 3 -o force.json -- \
    busybox httpd -f -p 8102 -h www > /dev/null 2>&1 &
bw_wait_listen '[::ffff:127.0.0.1]:8102' || { bw_ss >&2; exit 1; }
echo "force_v4=$(get 127.0.0.1 8102)"
echo "force_net=$(netopen 198.18.0.1 8102)"
wait
echo "force_action=$(jq -r 'select(.type == "bind") | .action' force.json)"
echo "force_unseen=$(unseen force.json)"
