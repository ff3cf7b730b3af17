# shellcheck shell=sh
#
# A listener the program closed is not "listening" at the end, and raises
# no "exposed" (issue 13, item 7): a start-up probe on 0.0.0.0:0, and the
# sockets of a server that failed to start, are listed under "closed".
# A process that closes its sockets as it exits 0 listened until then;
# a socket a fork still holds is not closed.  Checked against ss.

PY=$(python3 -c 'import sys; print(sys.executable)')
C="$BW_IT/run/closes.py"
# FILE: the summary's lists, one line each.
lists() {
	jq -r 'select(.type=="summary") |
	    "listening=" + ([.listening[] | "\(.addr):\(.port)"] | join(" ")),
	    "closed=" + ([.closed[] | "\(.addr):\(if .addr == "0.0.0.0" and .port != 4911 then "eph" else .port end)"] | join(" ")),
	    "warnings=" + ([.warnings[].kind] | join(" "))' "$1" |
	    sed "s/^/$2_/"
}

"$BW" --json -o probe.json -- "$PY" "$C" probe 4910 "$D/up" \
    > /dev/null 2>&1 &
bw=$!
bw_until 'probe not up' test -e up || exit 91
# The kernel: the probe is gone, the server listens.
echo "probe_ss=$(ss -Hltn | awk '{ print $4 }' | sort | paste -sd ' ' -)"
kill -TERM $bw
wait $bw
echo "probe_status=$?"
lists probe.json probe
echo "probe_close_event=$(jq -r 'select(.type=="close") | "\(.addr) \(.proto)"' probe.json | sort -u | paste -sd ' ' -)"

"$BW" --json -o failed.json -- "$PY" "$C" failed 4911 "$D/x" > /dev/null 2>&1
echo "failed_status=$?"
lists failed.json failed

"$BW" --json -o clean.json -- "$PY" "$C" clean 4913 "$D/x" > /dev/null 2>&1
echo "clean_status=$?"
lists clean.json clean

"$BW" --json -o forked.json -- "$PY" "$C" forked 4914 "$D/go" \
    > /dev/null 2>&1 &
bw=$!
bw_until 'forked: no close' test -e go.closed || exit 92
echo "forked_ss=$(ss -Hltn 'sport = :4914' | wc -l)"
: > go
wait $bw
echo "forked_status=$?"
lists forked.json forked
