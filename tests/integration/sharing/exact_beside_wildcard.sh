# shellcheck shell=sh
# shellcheck source=tests/integration/sharing/common.sh
. "$BW_IT/sharing/common.sh"
#
# 0.0.0.0:7600 outside the tree, 127.0.0.1:7600 inside (both with
# SO_REUSEPORT, or the second bind fails): connections to 127.0.0.1 go to
# the exact one, to 127.0.0.2 to the wildcard.  The warning says so, as
# ss -tlnp and real clients do.

python3 "$SOCK" listen 0.0.0.0 7600 reuseport > wild.out &
WILD=$(ready_pid wild.out)
need_num WILD
"$BW" --json --timeout 3 -o report -- python3 "$SOCK" listen 127.0.0.1 7600 reuseport > exact.out &
BWPID=$!
EXACT=$(ready_pid exact.out)
need_num EXACT
echo "ss_wild=$(same "$(ss_owner 0.0.0.0:7600 | cut -d ' ' -f 2)" "$WILD")"
echo "ss_exact=$(same "$(ss_owner 127.0.0.1:7600 | cut -d ' ' -f 2)" "$EXACT")"
ask() { python3 -c 'import socket, sys
c = socket.create_connection((sys.argv[1], 7600))
print(c.makefile().readline().strip())' "$1"; }
"$BW" which --json 127.0.0.1:7600 > w.json
echo "which_passed=$(same "$(jq -r '.candidates[0].passed_over[0] | "\(.pid) \(.addr)"' w.json)" "$WILD 0.0.0.0")"
echo "which_reached=$(same "$(jq -r '.reached.pid' w.json)" "$EXACT")"
"$BW" which 127.0.0.1:7600 > w.txt
echo "which_text=$(count w.txt "exact address: beats pid $WILD (python3) on 0.0.0.0:7600")"
echo "to_exact=$(same "$(ask 127.0.0.1)" "$EXACT")"
echo "to_wild=$(same "$(ask 127.0.0.2)" "$WILD")"
wait $BWPID
json_ok report || exit 93
X='.warnings[] | select(.kind=="exact-beats-wildcard")'
echo "addr=$(sj report "$X | \"\(.addr):\(.port)\"")"
echo "to=$(same "$(sj report "$X | .to[0].pid")" "$EXACT")"
echo "passed=$(same "$(sj report "$X | \"\(.passed_over[0].pid) \(.passed_over[0].addr) \(.passed_over[0].in_run)\"")" "$WILD 0.0.0.0 false")"
# Two sockets of two groups: not one SO_REUSEPORT group.
echo "shared=$(sj report '[.warnings[] | select(.kind=="reuseport-shared")] | length')"
