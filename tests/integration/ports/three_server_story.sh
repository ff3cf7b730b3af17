# shellcheck shell=sh
# shellcheck source=tests/integration/ports/common.sh
. "$BW_IT/ports/common.sh"
#
# The article: three servers asked for localhost:3000.  The first gets
# [::1], the second falls back to 127.0.0.1, the third fails; a client of
# localhost:3000 reaches the first, and `which` must say so.

perl "$SRV" localhost 3000 & A=$!
wait_tcp 3000 '[::1]:3000'
perl "$SRV" localhost 3000 & B=$!
wait_tcp 3000 '127.0.0.1:3000'
perl "$SRV" localhost 3000
echo "third=$?"
"$BW" ports --json 3000 > ports.json
echo "ports_rc=$?"
echo "groups=$(q ports.json '[.ports[].port] | join(",")')"
echo "split=$(q ports.json '.ports[0].split')"
echo "exposed=$(q ports.json '.ports[0].exposed')"
echo "v6pid=$(same "$(q ports.json '.ports[0].sockets[] | select(.addr == "::1") | .pid')" "$A")"
echo "v4pid=$(same "$(q ports.json '.ports[0].sockets[] | select(.addr == "127.0.0.1") | .pid')" "$B")"
echo "comm=$(q ports.json '.ports[0].sockets[0].comm')"
"$BW" ports > ports.txt
echo "text_rc=$?"
echo "text_split=$(count ports.txt SPLIT)"
echo "text_v6=$(count ports.txt '[::1]:3000')"
"$BW" which --json localhost:3000 > which.json
echo "which_rc=$?"
echo "order=$(q which.json '[.candidates[].addr] | join(",")')"
echo "reached=$(same "$(q which.json '.reached.pid')" "$A")"
echo "reached_addr=$(q which.json '.reached.addr')"
echo "which_split=$(q which.json '.split')"
echo "cand1=$(same "$(q which.json '.candidates[1].listeners[0].pid')" "$B")"
# The real client lands where `which` said.
echo "answered=$(same "$(ask localhost 3000)" "$A")"
echo "answered4=$(same "$(ask 127.0.0.1 3000)" "$B")"
bw_list > bw.list
ss_list > ss.list
echo "lists=$(same "$(cat bw.list)" "$(cat ss.list)")"
