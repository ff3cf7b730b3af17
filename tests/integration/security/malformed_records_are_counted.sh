# shellcheck shell=sh
# shellcheck source=tests/integration/security/common.sh
. "$BW_IT/security/common.sh"
#
# A same-uid process speaks to the collector directly (send.py): 13
# malformed messages, each counted, none believed; a whole record sent
# last on the same connection is taken (the connection was not merely
# dropped).  The real records are captured first from the shim itself,
# through a fake collector.

# shellcheck disable=SC2119 # nothing to run after the wait
bw_holding
"$PY" "$S/send.py" "$D/fake" "$(cat path)" "$LIB" "$FIX" > send.out
echo "sender=$?"
cat send.out
PID=$(sed -n 's/^pid=//p' send.out)
touch "$D/done"
wait $bw
echo "status=$?"
tail -n 1 rep > sum
echo "malformed=$(jq -r .malformed_events sum)"
echo "refused=$(jq -r .refused_connections sum)"
# The one whole record, once; nothing of the broken ones.
echo "taken=$(grep -F '{"type":"bind"' rep | grep -cF "\"pid\":$PID,")"
echo "exits=$(grep -F '{"type":"exit"' rep | grep -cF "\"pid\":$PID,")"
# Every line bindwatch wrote is valid JSON.
json_ok rep || exit 93
