# shellcheck shell=sh
# shellcheck source=tests/integration/real/matrix.sh
. "$BW_IT/real/matrix.sh"
#
# lighttpd -D: server.bind $BIND, port $PORT, and with $V6 a second socket
# on [::]:$PORT.  The request: GET $URL (curl).

mkdir -p "$D/www"
echo lighttpd-ok > "$D/www/index.html"
{
	echo "server.document-root = \"$D/www\""
	echo "server.bind = \"$BIND\""
	echo "server.port = $PORT"
	echo "server.errorlog = \"$D/lighttpd.err\""
	[ -z "${V6-}" ] || echo "\$SERVER[\"socket\"] == \"[::]:$PORT\" { }"
} > "$D/lighttpd.conf"
ask() { curl -sS --max-time 5 "$URL"; }
real_matrix lighttpd -D -f "$D/lighttpd.conf"
