# shellcheck shell=sh
#
# For the seccomp scenarios: programs the shim cannot see, seen by the
# supervisor.  hello HOST PORT asks sc_probe's server for its pid.

PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)

# HOST PORT: "answered" when a pid comes back, else the error's name.
hello() {
	"$PY" -c 'import socket, sys
try:
    s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=3)
    print("answered" if s.recv(16).strip().isdigit() else "garbage")
except OSError as e:
    print(type(e).__name__)' "$1" "$2"
}

# FILE: the events of a --json run, by source, as "shim:N seccomp:N".
sources() {
	jq -r 'select(.type == "bind" or .type == "listen") | .source' "$1" |
	    sort | uniq -c | awk '{ printf "%s%s:%s", s, $2, $1; s = " " }'
}

# FILE: how many unseen warnings the summary has.
unseen() {
	summary_jq "$1" '[.warnings[] | select(.kind == "unseen")] | length'
}

# A stdin that stays open while the scenario runs (sc_probe serves until
# its stdin ends): the fifo "in", held by descriptor 3.
mkfifo in && exec 3<> in

# HOST PORT: the status of an HTTP GET, or the error's name.
http_status() {
	"$PY" -c 'import socket, sys
try:
    s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=3)
    s.sendall(b"GET / HTTP/1.0\r\n\r\n")
    print(s.recv(12).decode().split()[1])
except OSError as e:
    print(type(e).__name__)' "$1" "$2"
}
