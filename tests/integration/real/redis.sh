# shellcheck shell=sh
# shellcheck source=tests/integration/real/common.sh
. "$BW_IT/real/common.sh"
#
# redis-server --daemonize yes (a double fork that closes its descriptors)
# on $BIND $PORT; the request: PING.

request() { printf 'PING\r\nQUIT\r\n' | nc -w 5 127.0.0.1 "$PORT"; }
real_run redis-server --port "$PORT" --bind "$BIND" --daemonize yes \
    --dir "$D" --pidfile "$D/r.pid" --save ''
