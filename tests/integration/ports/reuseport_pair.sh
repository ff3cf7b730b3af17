# shellcheck shell=sh
# shellcheck source=tests/integration/ports/common.sh
. "$BW_IT/ports/common.sh"
#
# Two processes share 127.0.0.1:4000 with SO_REUSEPORT: not a split.

perl "$SRV" 127.0.0.1 4000 reuseport & A=$!
wait_tcp 4000 127.0.0.1:4000
perl "$SRV" 127.0.0.1 4000 reuseport & B=$!
two() { [ "$(ss -Hltn 'sport = :4000' | wc -l)" -eq 2 ]; }
bw_until 'timeout: two on 4000' two || exit 99
"$BW" ports --json > p.json
echo "n=$(q p.json '.ports[0].sockets | length')"
echo "split=$(q p.json '.ports[0].split')"
echo "opts=$(q p.json '[.ports[0].sockets[].options[]] | join(",")')"
echo "pids=$(same "$(q p.json '[.ports[0].sockets[].pid] | sort | join(",")')" "$(pair "$A" "$B")")"
"$BW" which --json 127.0.0.1:4000 > w.json
echo "which_rc=$?"
echo "listeners=$(same "$(q w.json '[.candidates[0].listeners[].pid] | sort | join(",")')" "$(pair "$A" "$B")")"
echo "which_split=$(q w.json '.split')"
# Whichever sibling the kernel picked is one `which` named.
echo "answered=$(one_of "$(ask 127.0.0.1 4000)" "$A" "$B")"
bw_list > bw.list
ss_list > ss.list
echo "lists=$(same "$(cat bw.list)" "$(cat ss.list)")"
