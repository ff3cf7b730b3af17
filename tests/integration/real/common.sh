# shellcheck shell=sh
#
# A real server under `bindwatch --json --timeout 4 $OPTS`: real_run CMD...
# runs it, waits for the listeners of $WAIT (ss -Hltn addresses), takes
# ss, makes the scenario's request() (a server may exit after it), waits
# for bindwatch; then prints both listening sets in the same form (ss's:
# 127.0.0.1:80, [::1]:80, [::ffff:127.0.0.1]:80), the exit status as the
# CLI and the summary say, lost events and failed binds.

set -f
OPTS=${OPTS-}
PY=/usr/bin/python3
[ -x $PY ] || PY=python3

# URL: the body of a GET.
real_get() {
	$PY -c 'import sys, urllib.request
print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())' "$1"
}

real_run() {
	# shellcheck disable=SC2086 # the options, as words
	"$BW" --json --timeout 4 $OPTS -o rep -- "$@" > out 2>&1 &
	_bw=$!
	_missing=
	for _a in $WAIT; do
		bw_wait_listen "$_a" || _missing="$_missing $_a"
	done
	echo "nolisten=$_missing"
	# A holder outside the run (the story) is not the server's.
	ss -Hltnp | grep -v "pid=${SS_EXCLUDE-none}," > ss.txt
	{ request; } > resp 2>&1
	echo "req=$?"
	echo "response=$(tr '\n' ' ' < resp)"
	wait $_bw
	echo "status=$?"
	# ss writes the dual-stack [::] as "*"; a device after "%".
	echo "ssset=$(awk '{ sub(/^\*/, "[::]", $4); print $4 }' ss.txt |
	    LC_ALL=C sort -u | joined)"
	tail -n 1 rep > sum
	echo "sumset=$(jq -r '.listening[] | (if .device then "%\(.device)" else "" end)
	    as $dev | if (.addr | contains(":"))
	    then "[\(.addr)]\($dev):\(.port)" else "\(.addr)\($dev):\(.port)" end' sum |
	    LC_ALL=C sort -u | joined)"
	echo "sumstatus=$(jq -r .exit_status sum)"
	echo "lost=$(jq -r '"\(.lost_events) \(.malformed_events)"' sum)"
	echo "failed=$(jq -c '[.failed[] | "\(.addr):\(.port) \(.errno)"]' sum)"
	{
		echo '--- ss'; cat ss.txt
		echo '--- output'; cat out
		echo '--- report'; cat rep
	} >&2
}
