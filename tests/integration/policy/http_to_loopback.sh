# shellcheck shell=sh
# shellcheck source=tests/integration/policy/common.sh
. "$BW_IT/policy/common.sh"
#
# python3 -m http.server --bind 0.0.0.0 under --force 127.0.0.1 or
# --loopback-only: only 127.0.0.1 listens (ss), a request over loopback
# is answered, another loopback address is not (it was no wildcard), and
# both the event and the report say 0.0.0.0 -> 127.0.0.1.

fresh
start "$PY" -m http.server --bind 0.0.0.0 18000
wait_listen 18000
echo "ss=$(listening 18000)"
echo "get=$(client get http://127.0.0.1:18000/hello.txt)"
echo "other=$(client connect 127.0.0.2 18000)"
stop
echo "binds=$(binds)"
echo "listens=$(listens)"
echo "rewritten=$(rewritten)"
echo "summary=$(summary_listening)"

# The same in text: the event line, and the CLI's summary.
FMT=text
fresh
start "$PY" -m http.server --bind 0.0.0.0 18000
wait_listen 18000
stop
echo "text_bind=$(grep -c 'bind([0-9]*, 0\.0\.0\.0:18000 => 127\.0\.0\.1:18000) = 0 .*\[rewritten by policy\]' "$EV")"
echo "text_summary=$(grep -c '^ *rewritten  tcp 0\.0\.0\.0:18000 => 127\.0\.0\.1:18000$' "$EV")"
