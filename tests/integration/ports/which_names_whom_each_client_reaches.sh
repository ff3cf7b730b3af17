# shellcheck shell=sh
# shellcheck source=tests/integration/ports/common.sh
. "$BW_IT/ports/common.sh"
#
# "multi" is ::1, ::3 and 127.0.0.1, in that order (the hosts file of the
# row); nothing listens on [::1], one server on [::3], another on
# 127.0.0.1, each answering with its pid.  A client that walks the
# resolver's order (Python, nc; curl for a name other than localhost)
# reaches [::3]; node interleaves the families, so after [::1] refuses it
# tries 127.0.0.1.  Each must reach the pid `which --json` names for its
# kind.  An IPv4 address on lo that is not loopback keeps AI_ADDRCONFIG
# from dropping 127.0.0.1 once ::3 makes IPv6 "configured".

ip addr add ::3/128 dev lo nodad || exit 90
ip addr add 198.18.5.1/32 dev lo || exit 90
PY=/usr/bin/python3
[ -x $PY ] || PY=python3
for a in ::3 127.0.0.1; do
	$PY -c 'import socket, os, sys
s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET)
s.bind((sys.argv[1], 3020)); s.listen(8)
b = str(os.getpid()).encode()
while True:
    c, _ = s.accept()
    f = c.makefile("rb")
    while f.readline() not in (b"\r\n", b"\n", b""):
        pass
    c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(b), b))
    f.close(); c.close()' "$a" &
	pids="${pids-} $!"
done
wait_tcp 3020 '[::3]:3020'
wait_tcp 3020 127.0.0.1:3020
"$BW" which --json multi:3020 > which.json
echo "order=$(jq -r '[.candidates[].addr] | join(",")' which.json)"
nc=$(printf 'GET / HTTP/1.0\r\n\r\n' | nc -N multi 3020 | tail -n 1)
curl=$(curl -s http://multi:3020/)
python=$($PY -c 'import urllib.request
print(urllib.request.urlopen("http://multi:3020/", timeout=5).read().decode())')
node=$(node -e 'require("http").get("http://multi:3020/", (r) => {
	let b = ""; r.on("data", (d) => b += d); r.on("end", () => console.log(b));
});')
# shellcheck disable=SC2086 # the pids, as words
kill $pids

# KIND PID: does which name PID for KIND?
named() {
	same "$(jq -r ".reached_by[] | select(.client == \"$1\") | .pid" which.json)" "$2"
}
echo "nc=$(named getaddrinfo-order "$nc")"
echo "python=$(named getaddrinfo-order "$python")"
echo "curl=$(named curl "$curl")"
echo "node=$(named node "$node")"
echo "differ=$([ -n "$node" ] && [ "$node" != "$python" ] && echo yes)"
