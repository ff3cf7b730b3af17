# shellcheck shell=sh
#
# Forked workers are processes of the run (issue 13, item 9): workers that
# inherit their parent's listener and make no call of their own hold it
# (held_by), so they are in `processes` and counted in "N processes".
# A fixture (a listener and 2 forked workers), then gunicorn with 2
# workers; each stopped once ss shows all 3 holders, checked against ss.
# Then haproxy -W, whose master closes its listener once its worker holds
# it: the worker is a process of the run, the listener still listening.

# PORT: the pids ss shows holding it, sorted, on one line.
holders() {
	ss -Hltnp "sport = :$1" | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -n |
	    paste -sd ' ' -
}
three() { [ "$(holders "$1" | wc -w)" -eq 3 ]; }
# FILE: the pids of the summary's processes that held_by names, sorted.
procs_holding() {
	jq -r 'select(.type=="summary") | [.listening[].held_by[].pid] as $h |
	    [.processes[].pid | select(. as $p | $h | index($p))] | sort |
	    map(tostring) | join(" ")' "$1"
}

# The real python3, not a version manager's wrapper scripts.
PY=$(python3 -c 'import sys; print(sys.executable)')
"$BW" --json -o fx.json -- "$PY" "$BW_IT/run/workers.py" 4800 2 \
    > /dev/null 2>&1 &
bw=$!
bw_until 'no 3 holders on 4800' three 4800 || exit 91
ss_fx=$(holders 4800)
kill -TERM $bw
wait $bw
echo "fx_status=$?"
echo "fx_match=$([ "$(procs_holding fx.json)" = "$ss_fx" ] && echo yes || echo "no: ss $ss_fx, summary $(procs_holding fx.json)")"
echo "fx_nprocs=$(jq -r 'select(.type=="summary") | .processes | length' fx.json)"
echo "fx_ppids=$(jq -r 'select(.type=="summary") | .processes as $p |
    [$p[] | select(.pid != $p[0].pid) | .ppid == $p[0].pid] | all' fx.json)"

cat > app.py <<'APP'
def app(environ, start_response):
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return [b'hello\n']
APP
"$BW" -o gu.txt -- gunicorn -w 2 -b 127.0.0.1:4801 --chdir "$D" app:app \
    > /dev/null 2>&1 &
bw=$!
bw_until 'no 3 holders on 4801' three 4801 || exit 92
echo "gu_get=$(python3 "$BW_IT/policy/client.py" get http://127.0.0.1:4801/)"
ss_gu=$(holders 4801)
kill -TERM $bw
wait $bw
echo "gu_status=$?"
# Each of the three is in the summary, the two workers as holders.
n=0
for p in $ss_gu; do
	grep -q "^  pid $p gunicorn" gu.txt && n=$((n + 1))
done
echo "gu_listed=$n"
echo "gu_holds=$(grep -c '^    holds      tcp 127\.0\.0\.1:4801  (listened on by pid [0-9]*)$' gu.txt)"
echo "gu_count=$(grep -c '^[0-9]* events from 3 processes' gu.txt)"

cat > hap.cfg <<CFG
defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s
frontend fe
    bind 127.0.0.1:4802
    http-request return status 200 content-type text/plain string "haproxy-ok"
CFG
"$BW" --json -o ha.json -- haproxy -W -db -f "$D/hap.cfg" > /dev/null 2>&1 &
bw=$!
# The worker holds the listener, and the master closed its copy.
bw_wait_grep ha.json '"type":"close"' || exit 93
bw_until 'no worker on 4802' test -n "$(holders 4802)" || exit 94
echo "ha_get=$(python3 "$BW_IT/policy/client.py" get http://127.0.0.1:4802/)"
ss_ha=$(holders 4802)
kill -TERM $bw
wait $bw
echo "ha_status=$?"
echo "ha_listening=$(jq -r 'select(.type=="summary") | [.listening[] | "\(.addr):\(.port)"] | join(" ")' ha.json)"
echo "ha_closed=$(jq -r 'select(.type=="summary") | .closed | length' ha.json)"
echo "ha_held=$([ "$(procs_holding ha.json)" = "$ss_ha" ] && echo yes || echo "no: ss $ss_ha, summary $(procs_holding ha.json)")"
echo "ha_nprocs=$(jq -r 'select(.type=="summary") | .processes | length' ha.json)"
