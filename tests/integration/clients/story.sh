# shellcheck shell=sh
#
# The story, client side: the old server on [::1]:3000, the new one on
# 127.0.0.1:3000.  Each client under bindwatch reports the process that
# answered it, checked against the pid that process sent back.
# shellcheck source=tests/integration/clients/clients.sh
. "$BW_IT/clients/clients.sh"
bw_reap
pidsrv ::1 3000 old || exit 90
pidsrv 127.0.0.1 3000 new || exit 90
echo "old_is_pid=$(same "$(ss_owner '[::1]:3000' | cut -d ' ' -f 2)" "$(cat old)")"
for c in nc curl python asyncio node node_auto perl; do
	"$BW" --json -o "$c.report" -- sh -c ". $BW_IT/clients/clients.sh; client $c localhost 3000" > "$c.out"
	json_ok "$c.report" || exit 93
	# The answering pid is old's or new's, and bindwatch named it.
	echo "$c=$(same "$(peer_pid "$c.report")" "$(tr -d '\n' < "$c.out")")"
done
# The other address: the new server answers, and is named.
"$BW" --json -o v4.report -- sh -c ". $BW_IT/clients/clients.sh; client python 127.0.0.1 3000" > v4.out
echo "v4=$(same "$(peer_pid v4.report)" "$(tr -d '\n' < v4.out)")"
echo "v4_is_new=$(same "$(cat v4.out)" "$(cat new)")"
echo "nc_async=$(jq -r 'select(.type=="connect") | .async' nc.report | head -n 1)"
echo "python_async=$(jq -r 'select(.type=="connect") | .async' python.report | head -n 1)"
echo "asyncio_async=$(jq -r 'select(.type=="connect") | .async' asyncio.report | head -n 1)"
echo "keys=$(jq -r 'select(.type=="connect") | keys | sort | join(",")' python.report | head -n 1)"
echo "connections=$(jq -r 'select(.type=="summary") | .connections[] | "\(.addr) \(.port) \(.errno) \(.count)"' python.report | joined)"
