#!/bin/sh
# The seccomp filter's cost on the data path, counted and timed in parts
# rather than in throughput rounds (which spread by more than the 3% that
# is looked for on a shared VM):
#   - ns per system call, filtered against unfiltered twins taking turns
#     (bench/scloop: getppid, answered by the kernel's action cache when
#     the filter allows it without reading arguments; the same under an
#     allow-only filter and under a filter that cannot be cached; the
#     shim's bind and listen with the cookie, which run the program,
#     against bare and against the least filter that reads an argument);
#   - system calls nginx makes per request (strace -c, N1 and N2 requests:
#     the difference over N2 - N1 cancels start-up and exit);
#   - CPU time of the nginx worker per request under wrk, bare; and, as a
#     cross-check, under bindwatch --seccomp=off (the shim alone), under
#     --seccomp=all (shim and filter) and bare again, rounds interleaved.
# Added fraction = calls/request x ns/call / CPU ns/request.
#	sh bench/sccost.sh BINDWATCH BENCH_BIN TMPDIR RAWDIR
# Writes RAW/sccost.KIND (scloop's lines), RAW/sccost.calls ("CONN CALLS"),
# RAW/sccost.cpu ("MODE CPU_NS_PER_REQUEST REQUESTS_PER_S", MODE bare,
# off, sc, aa),
# RAW/sccost.filters (nginx's Seccomp_filters under --seccomp=all),
# RAW/sccost.cmds.
set -eu

BW=$1
BB=$2
TMP=$3
RAW=$4
N1=${SCC_N1:-500}
N2=${SCC_N2:-2500}
ROUNDS=${SCC_ROUNDS:-3}
CPU_ROUNDS=${SCC_CPU_ROUNDS:-6}
CHUNKS=${SCC_CHUNKS:-60}
M=${SCC_M:-20000}
SECS=${SCC_SECS:-5}
NG=$TMP/scc
PORT=8082
# shellcheck source=bench/nginx_site.sh
. "$(dirname "$0")/nginx_site.sh"
# shellcheck source=bench/stats.sh
. "$(dirname "$0")/stats.sh"
u=
[ "$(id -u)" -eq 0 ] && u="user nobody nogroup;"
# One process (the worker is the master): one pid to count and to time.
nginx_site "$NG" $PORT "master_process off;
daemon off;
$u"
rm -f "$RAW"/sccost.*
say() { echo "bench: $*" >&2; }
cmd() { echo "$*" >>"$RAW/sccost.cmds"; }
CPU0='' CPU1=''
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
	CPU0="taskset -c 0" CPU1="taskset -c 1"
fi

say "seccomp cost: $ROUNDS rounds of scloop, strace -c, $CPU_ROUNDS x 4 x ${SECS}s of wrk"
r=1
while [ "$r" -le "$ROUNDS" ]; do
	for k in getppid getppid-const getppid-nocache bind-cookie listen-cookie \
	    bind-floor listen-floor; do
		"$BB/scloop" "$k" "$CHUNKS" "$M" "$RAW/sccost.$k"
	done
	r=$((r + 1))
done
cmd "$BB/scloop KIND $CHUNKS $M OUT    (KIND: getppid getppid-const getppid-nocache bind-cookie listen-cookie bind-floor listen-floor; $ROUNDS runs each)"

# Start nginx as "$@" (a prefix: nothing, strace ..., bindwatch ...).
ng_start() {
	rm -f "$NG/nginx.pid"
	"$@" nginx -p "$NG" -c "$NG/nginx.conf" &
	pid=$!
	nginx_ready "$NG" $PORT "$pid" || exit 1
	npid=$(cat "$NG/nginx.pid")
}
ng_stop() {
	kill -QUIT "$npid"
	wait "$pid" || true
}

# Total system calls of nginx serving $1 requests with "Connection: $2".
calls() {
	ng_start strace -f -c -U name,calls -o "$NG/sc.out"
	curl -sS -o /dev/null -H "Connection: $2" "http://127.0.0.1:$PORT/?[1-$1]"
	ng_stop
	awk '$1 == "total" { print $2 }' "$NG/sc.out"
}
for conn in keep-alive close; do
	a=$(calls "$N1" "$conn")
	b=$(calls "$N2" "$conn")
	echo "$conn $(awk -v a="$a" -v b="$b" -v n=$((N2 - N1)) \
	    'BEGIN { printf "%.2f", (b - a) / n }')" >>"$RAW/sccost.calls"
done
cmd "strace -f -c -U name,calls -o OUT nginx -p NG -c NG/nginx.conf (master_process off); curl -H 'Connection: keep-alive|close' http://127.0.0.1:$PORT/?[1-N] for N = $N1 and $N2"

# utime + stime of process $1, in ns.
cpu_ns() {
	awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, "")
		printf "%.0f", ($12 + $13) * 1e9 / hz }' "/proc/$1/stat"
}
# One wrk run against nginx in mode $1 -> "MODE CPU_NS_PER_REQ REQ_PER_S".
cpu_round() {
	# shellcheck disable=SC2086 # CPU0: a command prefix or nothing
	case $1 in
	sc) ng_start "$BW" -q -o /dev/null --seccomp=all -- $CPU0 ;;
	off) ng_start "$BW" -q -o /dev/null --seccomp=off -- $CPU0 ;;
	*) ng_start $CPU0 ;;
	esac
	c0=$(cpu_ns "$npid")
	# shellcheck disable=SC2086
	$CPU1 wrk -t1 -c50 -d"${SECS}s" "http://127.0.0.1:$PORT/" >"$NG/wrk.out" 2>&1
	c1=$(cpu_ns "$npid")
	ng_stop
	awk -v m="$1" -v c="$((c1 - c0))" '/ requests in / { n = $1 }
	    /^Requests\/sec:/ { rps = $2 }
	    END { if (n > 0) printf "%s %.0f %s\n", m, c / n, rps }' "$NG/wrk.out"
}
cpu_round bare >/dev/null	# warm-up
r=1
while [ "$r" -le "$CPU_ROUNDS" ]; do
	for m in $(turn $((r - 1)) bare off sc aa); do
		cpu_round "$m" >>"$RAW/sccost.cpu"
	done
	r=$((r + 1))
done
cmd "$CPU0 nginx -p NG -c NG/nginx.conf (off, sc: $BW -q -o /dev/null --seccomp=off|all -- $CPU0 nginx ...); $CPU1 wrk -t1 -c50 -d${SECS}s http://127.0.0.1:$PORT/; utime+stime of nginx from /proc/PID/stat around wrk"

# Evidence: one filter on nginx under --seccomp=all (each more runs too).
ng_start "$BW" -q -o /dev/null --seccomp=all --
awk '/^Seccomp(_filters)?:/ { printf "%s %s ", $1, $2 } END { print "" }' \
    "/proc/$npid/status" >"$RAW/sccost.filters"
ng_stop
cmd "$BW -q -o /dev/null --seccomp=all -- nginx ...; grep Seccomp /proc/NGINX/status"
