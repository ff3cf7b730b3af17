# shellcheck shell=sh
# shellcheck source=tests/integration/real/matrix.sh
. "$BW_IT/real/matrix.sh"
#
# php -S $ADDR:$PORT, PHP's built-in web server.  The request: GET $URL
# (curl).

mkdir -p "$D/www"
echo php-ok > "$D/www/index.html"
ask() { curl -sS --max-time 5 "$URL"; }
real_matrix php -S "$ADDR:$PORT" -t "$D/www"
