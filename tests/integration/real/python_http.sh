# shellcheck shell=sh
# shellcheck source=tests/integration/real/common.sh
. "$BW_IT/real/common.sh"
#
# python3 -m http.server --bind $BIND $PORT; the request: GET $URL.

echo python-ok > "$D/index.html"
request() { real_get "$URL"; }
real_run "$PY" -m http.server --directory "$D" --bind "$BIND" "$PORT"
