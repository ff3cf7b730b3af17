# shellcheck shell=sh
# shellcheck source=tests/integration/policy/common.sh
. "$BW_IT/policy/common.sh"
#
# --map-port 8080=18080: a server binding 8080 really listens on 18080.

fresh
start "$PY" -m http.server --bind 127.0.0.1 8080
wait_listen 18080
echo "ss=$(listening 18080)"
echo "ss8080=$(listening 8080)"
echo "get=$(client get http://127.0.0.1:18080/hello.txt)"
echo "get8080=$(client connect 127.0.0.1 8080)"
stop
echo "binds=$(binds)"
echo "listens=$(listens)"
echo "rewritten=$(rewritten)"
