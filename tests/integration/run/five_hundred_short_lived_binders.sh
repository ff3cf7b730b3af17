# shellcheck shell=sh
#
# 500 processes that bind, listen and exit at once: none lost, none
# malformed, each a listener of its own in the summary.

# shellcheck disable=SC2016 # the inner shell's variables
"$BW" --json -q -o report -- sh -c 'i=0; while [ $i -lt 500 ]; do
    "$FIX/bind_once" & i=$((i+1)); done; wait'
echo "status=$?"
echo "summary=$(summary_jq report '"\(.lost_events) \(.malformed_events) \(.listening | map(.pid) | unique | length)"')"
