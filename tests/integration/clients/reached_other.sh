# shellcheck shell=sh
#
# reached-other: the tree starts the new server (on 127.0.0.1:3000, as the
# old one holds [::1]:3000) and a client of localhost:3000, which reaches
# the old one first.
# shellcheck source=tests/integration/clients/clients.sh
. "$BW_IT/clients/clients.sh"
bw_reap
pidsrv ::1 3000 old || exit 90
"$BW" --json -o report -- sh -c ". $BW_IT/lib.sh; . $BW_IT/clients/clients.sh
pidsrv 127.0.0.1 3000 new; client python localhost 3000 > answered; kill \$(cat new)"
json_ok report || exit 93
echo "answered=$(same "$(cat answered)" "$(cat old)")"
echo "peer=$(same "$(peer_pid report)" "$(cat old)")"
echo "reached=$(jq -r 'select(.type=="summary") | .warnings[] | select(.kind=="reached-other") | "\(.addr) \(.port) \(.peer.pid == '"$(cat old)"') \(.server.addr)"' report)"
