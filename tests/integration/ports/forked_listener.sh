# shellcheck shell=sh
# shellcheck source=tests/integration/ports/common.sh
. "$BW_IT/ports/common.sh"
#
# One listening socket held by a parent and its forked child.

perl "$SRV" 127.0.0.1 5000 fork & P=$!
wait_tcp 5000 127.0.0.1:5000
wait_file fork.pid
C=$(cat fork.pid)
"$BW" ports --json 5000 > p.json
echo "pids=$(same "$(q p.json '[.ports[0].sockets[].pid] | join(",")')" "$(pair "$P" "$C")")"
echo "addrs=$(q p.json '[.ports[0].sockets[].addr] | join(",")')"
# one socket: no reuseport
echo "nopts=$(q p.json '[.ports[0].sockets[].options[]] | length')"
"$BW" which --json localhost:5000 > w.json
echo "which_rc=$?"
# ::1 refused, then both pids
echo "nl=$(q w.json '[.candidates[].listeners | length] | join(",")')"
echo "reached_addr=$(q w.json '.reached.addr')"
echo "answered=$(one_of "$(ask localhost 5000)" "$P" "$C")"
bw_list > bw.list
ss_list > ss.list
echo "lists=$(same "$(cat bw.list)" "$(cat ss.list)")"
