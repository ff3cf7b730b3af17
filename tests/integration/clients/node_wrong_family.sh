# shellcheck shell=sh
#
# Node's "ECONNREFUSED ::1": the server listens on 127.0.0.1 only, Node
# (autoSelectFamily false) tries ::1, the first address of localhost, and
# fails.  bindwatch says wrong-family and names the listener; --resolve
# fixes it with no change to the client.
# shellcheck source=tests/integration/clients/clients.sh
. "$BW_IT/clients/clients.sh"
bw_reap
pidsrv 127.0.0.1 5432 srv || exit 90
"$BW" --json -o report -- sh -c ". $BW_IT/clients/clients.sh; client node localhost 5432" > out
json_ok report || exit 93
echo "node=$(cat out)"
echo "event=$(jq -r 'select(.type=="connect") | "\(.addr) \(.port) \(.ret) \(.errno) \(.async) \(.peer)"' report | joined)"
echo "warning=$(jq -r 'select(.type=="summary") | .warnings[] | select(.kind=="wrong-family") | "\(.port) \(.refused | join(",")) \(.listening[0].addr)"' report)"
echo "listener=$(same "$(jq -r 'select(.type=="summary") | .warnings[] | select(.kind=="wrong-family") | .listening[0].pid' report)" "$(cat srv)")"
"$BW" -o text -- sh -c ". $BW_IT/clients/clients.sh; client node localhost 5432" > /dev/null
echo "fix_text=$(grep -c -- '--resolve localhost=127.0.0.1,::1' text)"
"$BW" --json -o fixed --resolve localhost=127.0.0.1,::1 -- sh -c ". $BW_IT/clients/clients.sh; client node localhost 5432" > fixed.out
echo "fixed=$(same "$(cat fixed.out)" "$(cat srv)")"
echo "fixed_peer=$(same "$(peer_pid fixed)" "$(cat srv)")"
echo "fixed_warnings=$(jq -r 'select(.type=="summary") | .warnings | length' fixed)"
"$BW" --json -o v4 --ipv4 -- sh -c ". $BW_IT/clients/clients.sh; client node localhost 5432" > v4.out
echo "ipv4=$(same "$(cat v4.out)" "$(cat srv)")"
