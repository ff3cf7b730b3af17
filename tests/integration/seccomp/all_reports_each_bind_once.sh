# shellcheck shell=sh
# shellcheck source=tests/integration/seccomp/common.sh
. "$BW_IT/seccomp/common.sh"
#
# --seccomp=all filters the whole tree, the shim's own programs too: their
# bind and listen carry the run's cookie and pass the filter, so each is
# reported once, by the shim; a static program below is reported by the
# supervisor.  Both answer over loopback.
bw_reap
# shellcheck disable=SC2016 # expanded by the inner shell
"$BW" --seccomp=all --json --timeout 4 -o run.json -- sh -c '
    "$0" -m http.server --bind 127.0.0.1 8900 > /dev/null 2>&1 &
    exec "$FIX/sc_probe" raw 127.0.0.1 8901 < "$D/in"' "$PY" > /dev/null 2>&1 &
bw_wait_listen 127.0.0.1:8900 || exit 1
bw_wait_listen 127.0.0.1:8901 || exit 1
echo "static=$(hello 127.0.0.1 8901)"
echo "py=$(http_status 127.0.0.1 8900)"
wait
echo "py_sources=$(jq -r 'select((.type == "bind" or .type == "listen") and .port == 8900) | .source' run.json | sort | uniq -c | awk '{ printf "%s%s:%s", s, $2, $1; s = " " }')"
echo "static_sources=$(jq -r 'select((.type == "bind" or .type == "listen") and .port == 8901) | .source' run.json | sort | uniq -c | awk '{ printf "%s%s:%s", s, $2, $1; s = " " }')"
echo "unseen=$(unseen run.json)"
