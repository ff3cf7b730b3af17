# shellcheck shell=sh
# shellcheck source=tests/integration/real/common.sh
. "$BW_IT/real/common.sh"
#
# One case of the matrix of a real server: the scenario defines ask (its
# real request: curl, psql, ssh-keyscan...) and calls real_matrix CMD....
# The server runs twice with the same arguments, bare and under
# bindwatch, and each run prints what it did:
#   bare_nolisten= bare_ssset= bare_req= bare_response= bare_status=
#	(SIGTERM after the request, as --timeout sends it), then real_run's
#	keys (common.sh) for the run under bindwatch;
#   with $HOLD: a process outside both runs holds [::1]:$PORT (the
#	story); hold=yes when the summary names it as the holder of the
#	failed bind, split= the split warning ("ipv6 pid, ipv4 pid" as
#	"held"/"run"), else none; unseen= how many sockets the shim missed;
#   with $NET: a second namespace joined by a veth pair plays the network
#	(scope/common.sh); lo= what 127.0.0.1 and [::1] answer, net= what
#	198.18.0.1 answers from the network's side, for each run (bare_lo=,
#	bare_net=).  probe answers "open" or the error's name; PROTO=udp
#	asks a DNS question instead of opening a connection.
# $BARE_WAIT: the listeners of the bare run, when not $WAIT's; with
# $BARE_EXITS the bare server fails to start: it is waited for, not killed.
# $BARE_WRAP (setsid): the bare run in a session of its own, for a server
# that signals its whole process group when it stops (apache2); bindwatch
# gives the command a group of its own.

if [ -n "${NET-}" ]; then
	# shellcheck source=tests/integration/scope/common.sh
	. "$BW_IT/scope/common.sh"
fi
PROTO=${PROTO-tcp}

# HOST [NETNS]: can HOST:$PORT be reached (from NETNS)?
probe() {
	${2:+ip netns exec "$2"} "$PY" -c 'import socket, sys
proto, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
fam = socket.AF_INET6 if ":" in host else socket.AF_INET
try:
    if proto == "udp":
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.settimeout(2)
        s.connect((host, port))
        # A DNS question: id 7, recursion desired, "bw." type A.
        s.send(bytes.fromhex("000701000001000000000000026277000001 0001".replace(" ", "")))
        s.recv(512)
    else:
        socket.create_connection((host, port), timeout=3)
    print("open")
except OSError as e:
    print(type(e).__name__)' "$PROTO" "$1" "$PORT"
}

# PREFIX: lo= and net= of the server running now.
reach() {
	[ -n "${NET-}" ] || return 0
	echo "${1-}lo=$(probe 127.0.0.1) $(probe ::1)" >> reach
	echo "${1-}net=$(probe 198.18.0.1 bwnet)" >> reach
}

# Does no process hold a TCP connection on $PORT (TIME_WAIT has no owner)?
quiesced() {
	! ss -Htanp "sport = :$PORT" | grep -v '^LISTEN' | grep -q 'users:'
}

# FILE: the local addresses of ss lines, as common.sh prints them.
addrs() {
	awk '{ sub(/^\*/, "[::]", $4); print $4 }' "$1" | LC_ALL=C sort -u | joined
}

real_matrix() {
	: > reach
	if [ -n "${HOLD-}" ]; then
		"$PY" -c 'import socket, os, sys, time
s = socket.socket(socket.AF_INET6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
s.bind(("::1", int(sys.argv[1]))); s.listen(8)
print("HOLDER", os.getpid(), flush=True); time.sleep(60)' "$PORT" > holder &
		_hold=$!
		SS_EXCLUDE=$_hold
		bw_wait_listen "[::1]:$PORT" || exit 80
	fi
	# shellcheck disable=SC2086 # a command word, or none
	${BARE_WRAP-} "$@" > bare.out 2>&1 &
	_bare=$!
	_missing=
	for _a in ${BARE_WAIT-$WAIT}; do
		bw_wait_listen "$_a" || _missing="$_missing $_a"
	done
	echo "bare_nolisten=$_missing"
	ss -Hltnp | grep -v "pid=${SS_EXCLUDE-none}," > bare.ss
	ss -Hlun > bare.udp
	{ ask; } > bare.resp 2>&1
	echo "bare_req=$?"
	echo "bare_response=$(tr '\n' ' ' < bare.resp)"
	reach bare_
	# A server may count a connection it has not closed yet as a reason
	# to exit 1 (lighttpd): SIGTERM once no process holds one.
	bw_until "bare: connections to :$PORT still open" quiesced || exit 82
	[ -n "${BARE_EXITS-}" ] || kill -TERM $_bare
	wait $_bare
	echo "bare_status=$?"
	echo "bare_ssset=$(addrs bare.ss)"
	# shellcheck disable=SC2329 # called by real_run
	request() { ss -Hlun > bw.udp; ask; _r=$?; reach; return $_r; }
	real_run "$@"
	cat reach
	if [ "$PROTO" = udp ]; then
		echo "bare_udpset=$(addrs bare.udp)"
		echo "udpset=$(addrs bw.udp)"
		echo "sumudp=$(jq -r '.bound_udp[] | if (.addr | contains(":"))
		    then "[\(.addr)]:\(.port)" else "\(.addr):\(.port)" end' sum |
		    LC_ALL=C sort -u | joined)"
	fi
	if [ -n "${HOLD-}" ]; then
		kill "$_hold"
		_hp=$(number_after holder 'HOLDER ')
		echo "hold=$(same "$(jq -r '[.failed[] | .holder.pid] | first' sum)" "$_hp")"
	fi
	# Every socket of these servers goes through the shim.
	echo "unseen=$(jq '[.warnings[] | select(.kind == "unseen" or
	    .kind == "policy-not-applied")] | length' sum)"
	echo "split=$(jq -r '[.warnings[] | select(.kind == "split-localhost") |
	    "\(.ipv6 | map(if .in_run then "run" else "held" end) | join("+")),\(.ipv4 | map(if .in_run then "run" else "held" end) | join("+"))"] |
	    if length == 0 then "none" else join(" ") end' sum)"
	cat bare.out >&2
}
