# shellcheck shell=sh
#
# A connect's local end is read (getsockname) only where it shows: the
# JSON events of --json.  There each local end is the port the server
# saw the connection come from; under text output and -q the client makes
# no getsockname at all (strace counts them).
rm -f "$D/ready" "$D/seen"
python3 -c '
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 7100))
s.listen(16)
open(sys.argv[1], "w").write("ready\n")
while True:
    c, peer = s.accept()
    with open(sys.argv[2], "a") as f:
        f.write("%d\n" % peer[1])
    c.close()' "$D/ready" "$D/seen" &
srv=$!
bw_until "server on 7100" test -s "$D/ready"

cat > "$D/client.py" <<'PY'
import socket
for i in range(5):
    socket.create_connection(("127.0.0.1", 7100)).close()
PY
# MODE: the client under bindwatch in MODE; prints its getsockname count.
run() {
	case $1 in
	json)	set -- --json -o "$D/ev.json" ;;
	text)	set -- -o "$D/ev.txt" ;;
	quiet)	set -- -q --json -o "$D/sum.json" ;;
	esac
	"$BW" "$@" -- strace -f -qq -e trace=getsockname -o "$D/gsn" \
	    python3 "$D/client.py" || echo "bindwatch failed: $?" >&2
	grep -c getsockname "$D/gsn"
}
echo "json_calls=$(run json)"
# shellcheck disable=SC2016 # the inner shell expands it
bw_until_n 100 "five connections seen" sh -c '[ "$(wc -l < "$D/seen")" -eq 5 ]'
jq -r 'select(.type=="connect" and .ret==0) | .local_port' "$D/ev.json" |
    sort -n >"$D/local"
sort -n "$D/seen" >"$D/peer"
echo "local_is_peer=$(cmp -s "$D/local" "$D/peer" && echo yes || echo no)"
echo "local_n=$(wc -l <"$D/local")"
echo "local_addr=$(jq -r 'select(.type=="connect") | .local_addr' \
    "$D/ev.json" | sort -u | paste -sd ' ' -)"
echo "text_calls=$(run text)"
echo "text_lines=$(grep -c ': connect([0-9]*, 127.0.0.1:7100) = 0' "$D/ev.txt")"
echo "quiet_calls=$(run quiet)"
echo "quiet_count=$(tail -n 1 "$D/sum.json" |
    jq -r '.connections[] | select(.port == 7100) | .count')"
kill "$srv"
