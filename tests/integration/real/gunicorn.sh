# shellcheck shell=sh
# shellcheck source=tests/integration/real/matrix.sh
. "$BW_IT/real/matrix.sh"
#
# gunicorn with 2 worker processes (the master binds, the workers accept):
# -b $BIND.  The request: GET $URL (curl); the answer names the worker.

cat > "$D/app.py" <<'PY'
import os


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"gunicorn-ok %d\n" % os.getpid()]
PY
ask() { curl -sS --max-time 5 "$URL"; }
real_matrix gunicorn -w 2 --chdir "$D" -b "$BIND" app:app
