# shellcheck shell=sh
#
# A bind never fails with EINTR natively.  Under the filter, a thread
# sends SIGUSR1 every 50 µs to the one making 2000 notified binds; with a
# handler installed as signal(3) and Go do (SA_RESTART), none fails.
"$BW" --json -o run.json -- "$FIX/sc_probe" signals 2000 restart > out 2> err
echo "result=$(cat out)"
echo "events=$(jq -r 'select(.type == "bind" and .source == "seccomp") | .ret' run.json | grep -c '^0$')"
