# shellcheck shell=sh
#
# Forked workers are processes of the run (issue 13, item 9): workers that
# inherit their parent's listener and make no call of their own hold it
# (held_by), so they are in `processes` and counted in "N processes".
# A fixture (a listener and 2 forked workers), then gunicorn with 2
# workers; each stopped once ss shows all 3 holders, checked against ss.

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
