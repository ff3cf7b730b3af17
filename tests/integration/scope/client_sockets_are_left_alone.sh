# shellcheck shell=sh
# shellcheck source=tests/integration/scope/common.sh
. "$BW_IT/scope/common.sh"
#
# A client's socket bound to port 0 (UDP, as a resolver's; TCP that then
# connects) is not a server: --loopback-only leaves it alone, and it still
# reaches the network.  Bare first, then under bindwatch.

cat > cli.py << 'PY'
import socket
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("0.0.0.0", 0))
u.sendto(b"udp-hello\n", ("198.18.0.2", 9999))
t = socket.socket()
t.bind(("0.0.0.0", 0))
t.connect(("198.18.0.2", 9998))
t.sendall(b"tcp-hello\n")
t.close()
print("sent")
PY
for mode in bare bw; do
	ip netns exec bwnet nc -u -l -W 1 198.18.0.2 9999 > "udp.$mode" &
	u=$!
	ip netns exec bwnet nc -l -N 198.18.0.2 9998 > "tcp.$mode" &
	t=$!
	sleep 0.3
	if [ $mode = bare ]; then
		r=$("$PY" cli.py 2>&1)
	else
		r=$("$BW" --loopback-only --json -o run.txt -- "$PY" cli.py 2>&1)
	fi
	echo "${mode}_cli=$r"
	sleep 0.3
	kill $u $t 2> /dev/null
	wait $u $t 2> /dev/null
	echo "${mode}_udp=$(cat "udp.$mode")"
	echo "${mode}_tcp=$(cat "tcp.$mode")"
done
echo "touched=$(jq -r 'select(.type == "bind" and .action != "pass")' run.txt | wc -l)"
echo "udp_bound=$(jq -r 'select(.type == "bind" and .proto == "udp") | .bound_addr' run.txt)"
echo "tcp_bound=$(jq -r 'select(.type == "bind" and .proto == "tcp") | .bound_addr' run.txt)"
echo "client=$(summary_jq run.txt '.bound_udp[0].client')"
