# shellcheck shell=sh
#
# A SIGALRM handler binds every 200 us while the main loop binds and
# resolves (sig_binder).  It completes, and every call is accounted for:
# the events received plus lost_events are exactly the calls made.

ROUNDS=3000
"$BW" --json -q -o rep -- "$FIX/sig_binder" $ROUNDS > out 2>&1
echo "status=$?"
MAIN=$(number_after out 'MAIN_BINDS ')
HANDLER=$(number_after out 'HANDLER_BINDS ')
tail -n 1 rep > sum
json_ok sum || exit 93
EVENTS=$(jq -r .events sum)
LOST=$(jq -r .lost_events sum)
need_num MAIN HANDLER EVENTS LOST
echo "main_binds=$MAIN"
echo "handler_binds=$HANDLER"
echo "lost=$LOST"
echo "malformed=$(jq -r .malformed_events sum)"
# exec; warm-up bind, listen, close, getaddrinfo; per round bind, listen
# and close (of a socket that listened: reported), getaddrinfo every
# 10th; per handler run bind, listen and close.
CALLS=$((1 + 4 + 3 * MAIN + (ROUNDS + 9) / 10 + 3 * HANDLER))
echo "calls=$CALLS"
echo "vanished=$((CALLS - EVENTS - LOST))"
