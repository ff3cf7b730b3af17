# shellcheck shell=sh
# shellcheck source=tests/integration/scope/common.sh
. "$BW_IT/scope/common.sh"
#
# A TCP socket bound to 0.0.0.0:0 is left alone at bind (it may be a
# client's); when it listens it is a server, bound where it is, and is
# confined to the loopback device: answered here, not from the network.

cat > srv.py << 'PY'
import socket
s = socket.socket()
s.bind(("0.0.0.0", 0))
s.listen()
open("port.tmp", "w").write(str(s.getsockname()[1]))
__import__("os").rename("port.tmp", "port")
while True:
    c, _ = s.accept()
    c.sendall(b"HTTP/1.0 200 OK\r\n\r\n")
    c.close()
PY
"$BW" --loopback-only --timeout 6 --json -o run.txt -- "$PY" srv.py > /dev/null 2>&1 &
bw_wait_grep port . || exit 1
P=$(cat port)
bw_wait_listen "0.0.0.0%lo:$P" || { bw_ss >&2; exit 1; }
echo "local=$(get 127.0.0.1 "$P")"
echo "net=$(netopen 198.18.0.1 "$P")"
wait
echo "bind_action=$(jq -r 'select(.type == "bind") | .action' run.txt)"
echo "listen_action=$(jq -r 'select(.type == "listen") | .action' run.txt)"
echo "device=$(summary_jq run.txt '.listening[0].device')"
echo "exposed=$(summary_jq run.txt '[.warnings[] | select(.kind == "exposed")] | length')"
