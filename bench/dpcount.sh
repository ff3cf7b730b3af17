#!/bin/sh
# The data path counted, not timed: instructions per request of nginx
# under callgrind, bare and under bindwatch.  Counts do not move with the
# load of a shared machine, where the throughput rounds spread by several
# per cent.  N1 and N2 requests in two runs; their difference divided by
# N2 - N1 is the cost of one request, with start-up and exit cancelled.
#	sh bench/dpcount.sh BINDWATCH TMPDIR RAWDIR
# Writes RAW/dpcount.CONN (CONN: keepalive, close), one line per run:
# "MODE IR_PER_REQUEST" for MODE bare, bw and aa (bare again).
set -eu

BW=$1
TMP=$2
RAW=$3
N1=${DPC_N1:-500}
N2=${DPC_N2:-2500}
NG=$TMP/dpc
# shellcheck source=bench/nginx_site.sh
. "$(dirname "$0")/nginx_site.sh"
# One process: the worker is the master, so one callgrind file counts it.
nginx_site "$NG" 8081 "master_process off;
daemon off;"

# One run in mode $1 of $N requests with "Connection: $CONN" -> total Ir.
count() {
	out=$NG/cg.out
	rm -f "$out" "$NG/nginx.pid"
	mode=$1
	set -- valgrind --tool=callgrind -q --callgrind-out-file="$out" \
	    nginx -p "$NG" -c "$NG/nginx.conf"
	case $mode in
	bare|aa) "$@" & ;;
	bw) "$BW" -q -o "$NG/bw.txt" -- "$@" & ;;
	esac
	pid=$!
	nginx_ready "$NG" 8081 "$pid" || return 1
	curl -sS -o /dev/null -H "Connection: $CONN" "http://127.0.0.1:8081/?[1-$N]"
	kill -QUIT "$(cat "$NG/nginx.pid")"
	wait "$pid" || true
	sed -n 's/^summary: //p' "$out"
}

for CONN in keep-alive close; do
	f=$RAW/dpcount.$(echo "$CONN" | tr -d -)
	: >"$f"
	for m in bare bw aa; do
		N=$N1; a=$(count "$m")
		N=$N2; b=$(count "$m")
		echo "$m $(( (b - a) / (N2 - N1) ))" >>"$f"
	done
done
echo "valgrind --tool=callgrind nginx (master_process off), curl -H 'Connection: keep-alive|close' http://127.0.0.1:8081/?[1-N] for N = $N1 and $N2; bindwatch: $BW -q -- valgrind ..." >"$RAW/dpcount.cmds"
