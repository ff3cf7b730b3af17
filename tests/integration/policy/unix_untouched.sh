# shellcheck shell=sh
# shellcheck source=tests/integration/policy/common.sh
. "$BW_IT/policy/common.sh"
#
# Policies leave AF_UNIX alone: under --force 127.0.0.1 a program binds
# a Unix socket (untouched, unreported, connectable) and 0.0.0.0 (forced,
# so the shim is at work in that very process).

fresh
start "$PY" "$P/bindtry.py" "$D/try.out" "u,$D/s.sock" 4,0.0.0.0,18000
wait_text "$D/try.out" ready
echo "try=$(head -n 1 "$D/try.out" | sed "s|$D|D|g")"
echo "unix=$(ss -Hlxn | grep -cF "$D/s.sock")"
echo "connect=$(client unix "$D/s.sock")"
echo "ss=$(listening 18000)"
stop
echo "binds=$(binds)"
echo "listens=$(listens)"
echo "nonip=$(jq -r 'select(.type=="bind" or .type=="listen") | select(.addr == null or (.family // "inet") != "inet")' "$EV" | wc -l)"
