# shellcheck shell=sh
# shellcheck source=tests/integration/real/matrix.sh
. "$BW_IT/real/matrix.sh"
#
# haproxy -db (foreground, one process): a frontend that binds $BIND and,
# when set, $EXTRA; it answers "haproxy-ok" itself.  The request: GET $URL
# (curl).

{
	printf 'defaults\n  mode http\n  timeout client 5s\n'
	printf '  timeout server 5s\n  timeout connect 5s\n'
	printf 'frontend f\n  bind %s\n' "$BIND"
	[ -z "${EXTRA-}" ] || printf '  bind %s\n' "$EXTRA"
	printf '  http-request return status 200 content-type text/plain string haproxy-ok\n'
} > "$D/haproxy.cfg"
ask() { curl -sS --max-time 5 "$URL"; }
real_matrix haproxy -db -f "$D/haproxy.cfg"
