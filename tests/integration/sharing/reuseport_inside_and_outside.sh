# shellcheck shell=sh
# shellcheck source=tests/integration/sharing/common.sh
. "$BW_IT/sharing/common.sh"
#
# SO_REUSEPORT on 127.0.0.1:7500: one server outside the tree, one inside
# (reuseport-shared, with the outsider in "others"); two inside the tree
# on 127.0.0.1:7501.  The groups are checked against ss -tlnp, and every
# client connection lands on a process the warning names.

python3 "$SOCK" listen 127.0.0.1 7500 reuseport > out.out &
OUT=$(ready_pid out.out)
need_num OUT
"$BW" --json --timeout 3 -o report -- sh -c "
	python3 '$SOCK' listen 127.0.0.1 7500 reuseport > in.out &
	python3 '$SOCK' listen 127.0.0.1 7501 reuseport > a.out &
	python3 '$SOCK' listen 127.0.0.1 7501 reuseport > b.out &
	wait" &
BWPID=$!
IN=$(ready_pid in.out)
A=$(ready_pid a.out)
B=$(ready_pid b.out)
need_num IN A B
# What ss says holds each port, and where real clients land.
pids_of() { ss -Htlnp "sport = :$1" | grep -o 'pid=[0-9]*' | cut -d = -f 2 | sort -n | paste -sd , -; }
SS0=$(pids_of 7500)
SS1=$(pids_of 7501)
ask() { python3 -c 'import socket, sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
print(c.makefile().readline().strip())' "$1"; }
# ports and which, while the groups are there.
"$BW" ports --json 7500 > p.json
echo "ports_procs=$(jq -r '[.ports[0].sockets[].reuseport_processes] | map(tostring) | join(",")' p.json)"
"$BW" ports 7500 > p.txt
echo "ports_shared=$(count p.txt 'SHARED')"
"$BW" which --json 127.0.0.1:7500 > w.json
echo "which_procs=$(jq -r '.candidates[0].processes' w.json)"
"$BW" which 127.0.0.1:7500 > w.txt
echo "which_text=$(count w.txt 'the connection goes to one of 2 processes')"
LAND=
for _ in 1 2 3 4 5 6 7 8; do LAND="$LAND $(ask 7500)"; done
wait $BWPID
json_ok report || exit 93
W0='.warnings[] | select(.kind=="reuseport-shared" and .port==7500)'
W1='.warnings[] | select(.kind=="reuseport-shared" and .port==7501)'
echo "ss0=$(same "$SS0" "$(pair "$IN" "$OUT")")"
echo "ss1=$(same "$SS1" "$(pair "$A" "$B")")"
echo "w0=$(same "$(sj report "$W0 | \"\(.pid) \(.in_run) \(.others[0].pid) \(.others[0].in_run) \(.processes)\"")" "$IN true $OUT false 2")"
echo "w1=$(same "$(sj report "[$W1 | .pid, .others[].pid] | sort | map(tostring) | join(\",\")")" "$(pair "$A" "$B")")"
echo "w1_run=$(sj report "[$W1 | .in_run, .others[].in_run] | all")"
# Every connection went to one of the group's processes.
BAD=0
for p in $LAND; do [ "$p" = "$IN" ] || [ "$p" = "$OUT" ] || BAD=$((BAD + 1)); done
echo "landed_elsewhere=$BAD"
"$BW" --timeout 2 -o text -- python3 "$SOCK" listen 127.0.0.1 7500 reuseport > /dev/null
echo "text=$(count text 'the kernel spreads new connections among 2 processes')"
# Without SO_REUSEPORT the bind fails: the group rule needs both.
"$BW" --json -o report2 -- python3 "$SOCK" bind 127.0.0.1 7500 > /dev/null
echo "plain_cause=$(sj report2 '.failed[0].cause')"
