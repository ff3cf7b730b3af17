# shellcheck shell=sh
# shellcheck source=tests/integration/policy/common.sh
. "$BW_IT/policy/common.sh"
#
# An inherited socket is not the program's bind: a parent without the
# shim binds 0.0.0.0:18000 and execs a child under --loopback-only that
# only calls listen() on it; it stays 0.0.0.0 (and the listen event says
# so).  The same child's own listen() without bind (an implicit bind) is
# moved to loopback, so the policy was active there.

fresh
"$PY" "$P/inherit.py" 18000 "$UNDER" "$PY" "$P/child.py" "$D/child.out" &
PID=$!
wait_text "$D/child.out" listening
echo "child=$(cat "$D/child.out")"
echo "ss=$(listening 18000)"
echo "get=$(client connect 127.0.0.2 18000)"
stop
echo "binds=$(binds)"
echo "listens=$(listens)"

fresh
start "$PY" "$P/bindtry.py" "$D/try.out" L4
wait_text "$D/try.out" ready
echo "auto=$(head -n 1 "$D/try.out" | sed 's/:[0-9]*$//')"
stop
echo "auto_listens=$(jq -r 'select(.type=="listen") | "\(.addr):\(.autobound):\(.action)"' "$EV")"
