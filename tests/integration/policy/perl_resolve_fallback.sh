# shellcheck shell=sh
# shellcheck source=tests/integration/policy/common.sh
. "$BW_IT/policy/common.sh"
#
# --resolve localhost=::1,127.0.0.1 with a holder (not under the shim) on
# [::1]:13000: the fallback story.  EADDRINUSE on ::1, listening on
# 127.0.0.1, two processes answer on "localhost:13000".

fresh
perl "$P/srv.pl" ::1 13000 > "$D/holder.out" &
HOLDER=$!
wait_listen 13000 'tcp [::1]:13000'
"$UNDER" perl "$P/srv.pl" localhost 13000 > "$D/srv.out" &
PID=$!
wait_listen 13000 'tcp 127.0.0.1:13000 tcp [::1]:13000'
wait_text "$D/srv.out" bound
echo "ss=$(listening 13000)"
echo "srv=$(cat "$D/srv.out")"
SERVER=$(client line 127.0.0.1 13000)
echo "server=$SERVER"
echo "server_not_holder=$([ "$SERVER" != "$HOLDER" ] && echo yes || echo "no: $SERVER")"
echo "v6_is_holder=$(same "$(client line ::1 13000)" "$HOLDER")"
stop
echo "gai=$(gai localhost)"
echo "binds=$(binds)"
echo "failed=$(failed)"
echo "fallbacks=$(fallbacks)"
echo "failed_holder=$(same "$(jq -r 'select(.type=="summary") | .failed[0].holder.pid' "$EV")" "$HOLDER")"
