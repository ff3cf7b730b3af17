# shellcheck shell=sh
# shellcheck source=tests/integration/scope/common.sh
. "$BW_IT/scope/common.sh"
# shellcheck source=tests/integration/seccomp/common.sh
. "$BW_IT/seccomp/common.sh"
#
# A dynamic program (python3) that forks and executes busybox-static's
# httpd: the child's exec hook filters busybox.  Under --force 127.0.0.1:
# ss, a request over loopback, none from the network, a rewrite by the
# supervisor, no unseen.  Under --seccomp=off, today's blindness: the
# server stays on every address, unseen and unpoliced.
mkdir www && echo busybox-ok > www/index.html
# PORT: python3 forks, the child executes busybox httpd on PORT.
spawn='import os, sys
pid = os.fork()
if pid == 0:
    os.execvp("busybox", ["busybox", "httpd", "-f", "-p", sys.argv[1], "-h", "www"])
os.waitpid(pid, 0)'

"$BW" --force 127.0.0.1 --json --timeout 3 -o force.json -- \
    "$PY" -c "$spawn" 9201 > /dev/null 2>&1 &
bw_wait_listen '[::ffff:127.0.0.1]:9201' || { bw_ss >&2; exit 1; }
echo "force_ss=$(ss -Hltn | awk '$4 ~ /:9201$/ { print $4 }')"
echo "force_v4=$(get 127.0.0.1 9201)"
echo "force_net=$(netopen 198.18.0.1 9201)"
wait
echo "force_sources=$(sources force.json)"
echo "force_action=$(jq -r 'select(.type == "bind") | .action' force.json)"
echo "force_unseen=$(unseen force.json)"

"$BW" --seccomp=off --force 127.0.0.1 --json --timeout 3 -o off.json -- \
    "$PY" -c "$spawn" 9202 > /dev/null 2>&1 &
bw_wait_listen '*:9202' || { bw_ss >&2; exit 1; }
echo "off_net=$(netopen 198.18.0.1 9202)"
wait
echo "off_sources=$(sources off.json)"
echo "off_unseen=$(unseen off.json)"
