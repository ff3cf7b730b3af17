# shellcheck shell=sh
# shellcheck source=tests/integration/real/common.sh
. "$BW_IT/real/common.sh"
#
# Node.js: http.createServer().listen($LISTEN); the request: GET $URL.

request() { real_get "$URL"; }
real_run node -e 'require("http").createServer((q, s) =>
    s.end("node-ok")).listen('"$LISTEN"')'
