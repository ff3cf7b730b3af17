# shellcheck shell=sh
#
# Signals to bindwatch reach the command: SIGUSR1 to a shell that traps
# it (its own status), SIGTERM to an exec'd sleep (143).

# shellcheck disable=SC2016 # the inner shell's $D
"$BW" -q -- sh -c 'trap "echo got-usr1; exit 3" USR1; touch $D/ready;
    while :; do sleep 0.05; done' > usr1.out 2>/dev/null &
bw=$!
bw_until 'no ready' test -e ready || exit 91
kill -USR1 $bw
wait $bw
echo "usr1=$?"
echo "usr1_out=$(cat usr1.out)"
# shellcheck disable=SC2016
"$BW" -q -- sh -c 'touch $D/r2; exec sleep 30' 2>/dev/null &
bw=$!
bw_until 'no r2' test -e r2 || exit 92
sleep 0.2
kill -TERM $bw
wait $bw
echo "term=$?"
