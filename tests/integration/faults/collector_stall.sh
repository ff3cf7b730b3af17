# shellcheck shell=sh
#
# The stall: once the fixture listens, bindwatch is stopped for 5 s and
# the fixture binds 10,000 times (EADDRINUSE, at once).  The ring fills,
# the shim waits at most its stall timeout for progress, then drops: the
# fixture finishes (exit 0) long before the stop ends.  With TAIL=1,
# after the CONT the fixture binds once more (a record that does arrive:
# the gap in its sequence numbers is the loss).  Whatever did not arrive
# is counted in lost_events, never silently dropped.  The times, bare (no
# shim) and under bindwatch without and with the stall, are printed.

N=10000
T=${TAIL:-0}
"$FIX/bind_loop" $N > bare && echo "bare=$(tail -n 1 bare)"
"$BW" --json -q -o rep0 -- "$FIX/bind_loop" $N > calm &&
    echo "calm=$(tail -n 1 calm)"
if [ "$T" = 1 ]; then
	"$BW" --json -o rep -- "$FIX/bind_loop" $N "$D/go" "$D/tail" > out 2> err &
else
	"$BW" --json -o rep -- "$FIX/bind_loop" $N "$D/go" > out 2> err &
fi
bw=$!
bw_wait_grep out READY || exit 90
kill -STOP $bw
touch go
sleep 5
echo "during_stop=$(grep -q BINDS out && echo yes || echo no)"
kill -CONT $bw
if [ "$T" = 1 ]; then
	sleep 0.2
	touch tail
fi
wait $bw
echo "status=$?"
cat out err > all
# The fixture finished, every bind failed as it should, in bounds.
echo "binds=$(grep '^BINDS ' all)"
echo "ms=$(sed -n 's/^BINDS 10000 EADDRINUSE 10000 MS \([0-9]*\).*/\1/p' all)"
echo "tail=$(count all 'TAIL -1')"

tail -n 1 rep > sum
json_ok sum || exit 93
PORT=$(number_after all 'READY ')
GOT=$(jq -r "[.failed[] | select(.port == $PORT and .errno == \"EADDRINUSE\") | .count] | add // 0" sum)
LOST=$(jq -r .lost_events sum)
need_num PORT GOT LOST
echo "got=$GOT"
echo "lost=$LOST"
echo "events=$(jq -r .events sum)"
echo "malformed=$(jq -r .malformed_events sum)"
# what did not arrive is lost_events, exactly
echo "unaccounted=$((N + T - GOT - LOST))"
# One process, reported once: records that arrive after its exit was
# reaped (they waited in the ring) are still its own.
echo "processes=$(jq -r '. as $s | [$s.processes[] | select(.pid == ($s.listening[0].pid // -1))] | length' sum)"
