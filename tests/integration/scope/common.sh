# shellcheck shell=sh
#
# The network, for the scope scenarios: a second network namespace joined
# by a veth pair, 198.18.0.1 on this side, 198.18.0.2 on the other.  All
# traffic stays on the pair and on loopback.

# /run/netns is shared with the tests running beside this one.
mkdir -p /run/netns && mount -t tmpfs tmpfs /run/netns || exit 90
ip netns add bwnet || exit 91
ip link add bwv0 type veth peer name bwv1 netns bwnet || exit 92
{ ip addr add 198.18.0.1/24 dev bwv0 && ip link set bwv0 up; } || exit 93
ip -n bwnet addr add 198.18.0.2/24 dev bwv1 || exit 94
{ ip -n bwnet link set bwv1 up && ip -n bwnet link set lo up; } || exit 95
trap 'ip netns delete bwnet 2>/dev/null' EXIT

# Debian's python3, not a version manager's wrapper script.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)

# HOST PORT: an HTTP request from this machine; the status code, or the
# error's name.
get() {
	"$PY" -c 'import socket, sys
try:
    s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=3)
    s.sendall(b"GET / HTTP/1.0\r\n\r\n")
    print(s.recv(12).decode().split()[1])
except OSError as e:
    print(type(e).__name__)' "$1" "$2"
}

# HOST PORT: from the network's side, can a connection be opened at all?
netopen() {
	ip netns exec bwnet "$PY" -c 'import socket, sys
try:
    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=3)
    print("open")
except OSError as e:
    print(type(e).__name__)' "$1" "$2"
}
