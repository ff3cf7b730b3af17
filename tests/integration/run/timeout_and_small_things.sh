# shellcheck shell=sh
#
# --timeout is said (issue 13, item 8): a server that exits 0 on SIGTERM
# keeps its 0, and the summary says that the timeout ended the run
# ("timed_out": true, a text line); a run that ends by itself says false.
# --timeout 0 means no timeout, as for timeout(1).  Small words (item 11):
# `ports PORT` with nothing there says so; a command that is not found
# is not "1 other process".

# shellcheck disable=SC2016 # the inner program's own text
srv='import signal, sys, time
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
open(sys.argv[1], "w").close()
time.sleep(30)'
"$BW" --json -o j --timeout 1 -- python3 -c "$srv" "$D/up1"
echo "sigterm_zero=$?"
echo "json_timed_out=$(jq -r 'select(.type=="summary") | .timed_out' j)"
echo "json_status=$(jq -r 'select(.type=="summary") | .exit_status' j)"
"$BW" -o t --timeout 1 -- python3 -c "$srv" "$D/up2"
echo "text_timed_out=$(count t 'timed out: --timeout ended the run')"
"$BW" --json -o j2 --timeout 30 -- true
echo "not_timed_out=$(jq -r 'select(.type=="summary") | .timed_out' j2)"
"$BW" -q --timeout 0 -- sh -c 'exit 4' 2> zero.err
echo "timeout_zero=$? $(count zero.err "not a number")"

"$BW" ports 1 > p1 2>&1
echo "ports_nothing=$(cat p1)"
"$BW" -- /nonexistent/cmd > nx 2>&1
echo "notfound_other=$(count nx 'other process')"
echo "notfound_said=$(count nx 'the command did not run')"
"$BW" -- true > true.out 2>&1
echo "true_other=$(count true.out 'other process')"
