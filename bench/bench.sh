#!/bin/sh
# The benchmarks of issue 6, end to end:  sh bench/bench.sh BUILD_DIR [ROWS]
# ROWS: all (default) or a comma list of perevent,burst,tree,startup,datapath,
# inspection,seccomp,clients.  Raw figures go to BUILD_DIR/bench/raw; bench/report.sh turns
# them into bench/RESULTS.md and bench/README-table.md.
set -eu

B=${1:?usage: bench.sh BUILD_DIR [ROWS]}
ROWS=${2:-all}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/stats.sh
. "$HERE/stats.sh"
# shellcheck source=bench/nginx_site.sh
. "$HERE/nginx_site.sh"

# Everything runs in a private network namespace: loopback only, nothing
# collides with the host.  As root no user namespace (nginx switches users).
if [ "${BW_BENCH_NS:-}" != 1 ]; then
	export BW_BENCH_NS=1
	if [ "$(id -u)" -eq 0 ]; then
		exec unshare -n -m sh "$0" "$@"
	fi
	exec unshare -r -n -m sh "$0" "$@"
fi
ip link set lo up

BW=$B/bindwatch
LIB=$B/libbindwatch.so
BB=$B/bench
RAW=$BB/raw
# Repetitions (environment overrides for quick runs).
PE_N=${PE_N:-200000}		# calls per per-event loop
PE_RUNS=${PE_RUNS:-5}
BURST_N=${BURST_N:-1000000}
BURST_RUNS=${BURST_RUNS:-3}
TREE_N=${TREE_N:-1000}
# Nine rounds for the tree and the data path: single rounds spread widely
# on a shared VM (see the A/A rows of bench/RESULTS.md), and with five the
# median moved by as much as a goal's margin from one make bench to the next.
TREE_RUNS=${TREE_RUNS:-9}
SU_ROUNDS=${SU_ROUNDS:-3}
SU_RUNS=${SU_RUNS:-100}
DP_ROUNDS=${DP_ROUNDS:-9}
# More throughput rounds (DP_MAX_ROUNDS, up to 21 tried) did not narrow the
# interval on a shared VM: the instruction count (dpcount.sh) decides.
DP_MAX_ROUNDS=${DP_MAX_ROUNDS:-9}
DP_SECS=${DP_SECS:-5}

TMP=$(mktemp -d /tmp/bwbench.XXXXXX)
chmod 755 "$TMP"
BG=
cleanup() {
	for p in $BG; do kill -KILL "$p" 2>/dev/null || true; done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

want() { [ "$ROWS" = all ] || case ",$ROWS," in *",$1,"*) return 0;; *) return 1;; esac; }
say() { echo "bench: $*" >&2; }
# Log a command (as run) for RESULTS.md, then run it.
run() {
	echo "$*" >>"$RAW/$SECTION.cmds"
	"$@"
}
# lost_events of the summary (last line) of a `bindwatch --json` file.
lost_of() { tail -n 1 "$1" | jq -r '.lost_events'; }
events_of() { tail -n 1 "$1" | jq -r '.events'; }

mkdir -p "$RAW"
T0=$(date +%s)
{
	echo "date=$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
	echo "nproc=$(nproc)"
	echo "cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
	echo "kernel=$(uname -srm)"
	echo "mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
	echo "bindwatch=$(cd "$HERE/.." && git describe --always --dirty 2>/dev/null || echo unknown)"
	echo "nginx=$(nginx -v 2>&1 | sed 's/.*: //')"
	echo "wrk=$(wrk -v 2>&1 | head -n 1 | awk '{ print $1, $2 }')"
	echo "hyperfine=$(hyperfine --version)"
	echo "strace=$(strace -V | head -n 1)"
	echo "ltrace=$(ltrace -V | head -n 1)"
	echo "load_start=$(cut -d ' ' -f 1-3 /proc/loadavg)"
	echo "shim_sha=$(sha256sum "$LIB" | cut -c 1-16)"
} >"$RAW/machine.new"

# --- per event ------------------------------------------------------------
# ns per call of loops of PE_N calls in one process: bare, the shim bare
# (text lines to stderr, sent to /dev/null) and under bindwatch; rounds
# interleaved.  bind-inuse is bind(2) failing with EADDRINUSE (the kernel
# work is small and constant, the hook runs in full); bind-inherited the
# same on a socket made before a fork (its options are read from the
# kernel at each event: see shim/sockcache.c); bind-ok is
# socket+bind+close, with socket+close measured beside it and subtracted.
if want perevent; then
	SECTION=perevent
	rm -f "$RAW"/perevent.*
	say "per event: $PE_RUNS rounds"
	r=1
	while [ "$r" -le "$PE_RUNS" ]; do
		for k in bind-inuse bind-inherited gai bind-ok socket; do
			run "$BB/evgen" "$k" "$PE_N" 1 "$RAW/perevent.bare"
			run env LD_PRELOAD="$LIB" "$BB/evgen" "$k" "$PE_N" 1 \
			    "$RAW/perevent.shim" 2>/dev/null
			run "$BW" -q --json -o "$TMP/pe.json" -- \
			    "$BB/evgen" "$k" "$PE_N" 1 "$RAW/perevent.bw"
			echo "$k $(events_of "$TMP/pe.json") $(lost_of "$TMP/pe.json")" \
			    >>"$RAW/perevent.lost"
		done
		r=$((r + 1))
	done
	# Evidence: the system calls of one hooked call (strace -c over 2,000).
	n=2000
	for k in bind-inuse bind-ok gai; do
		run strace -f -c -U name,calls -o "$RAW/perevent.sc-bare-$k" \
		    "$BB/evgen" "$k" $n 1 "$TMP/x"
		run strace -f -c -U name,calls -o "$RAW/perevent.sc-shim-$k" \
		    env LD_PRELOAD="$LIB" "$BB/evgen" "$k" $n 1 "$TMP/x" 2>/dev/null
		run "$BW" -q -o /dev/null -- strace -f -c -U name,calls \
		    -o "$RAW/perevent.sc-col-$k" "$BB/evgen" "$k" $n 1 "$TMP/x"
	done
	echo "$n" >"$RAW/perevent.scn"
	# Where the collector spends its time (perf, when it can sample).
	if perf record -q -e cpu-clock -o "$TMP/perf.data" -- "$BW" -q -o /dev/null -- \
	    "$BB/evgen" bind-inuse 20000 1 "$TMP/x" >/dev/null 2>&1; then
		echo "perf record -e cpu-clock -- $BW -q -o /dev/null -- $BB/evgen bind-inuse 20000 1 OUT" \
		    >>"$RAW/perevent.cmds"
		perf report -i "$TMP/perf.data" --no-children --sort comm,dso,sym \
		    --stdio 2>/dev/null | grep '%' | grep -v '^#' | head -n 12 \
		    >"$RAW/perevent.perf" || true
	fi
fi

# --- burst ----------------------------------------------------------------
# BURST_N getaddrinfo events as fast as possible from 1 and from 16
# processes under bindwatch: lost events, bindwatch's peak RSS, wall time.
if want burst; then
	SECTION=burst
	rm -f "$RAW"/burst.*
	say "burst: $BURST_RUNS runs x 2"
	r=1
	while [ "$r" -le "$BURST_RUNS" ]; do
		for np in 1 16; do
			run "$BB/meter" "$RAW/burst.meter-$np" "$BW" -q --json \
			    -o "$TMP/b.json" -- "$BB/evgen" gai "$BURST_N" "$np" \
			    "$RAW/burst.ev-$np" || true
			echo "$(events_of "$TMP/b.json") $(lost_of "$TMP/b.json")" \
			    >>"$RAW/burst.lost-$np"
		done
		r=$((r + 1))
	done
fi

# --- tree -----------------------------------------------------------------
# TREE_N processes (fork+exec, 8 at a time), each binding once; bare,
# under bindwatch, bare again (A/A), interleaved.
if want tree; then
	SECTION=tree
	rm -f "$RAW"/tree.*
	say "tree: $TREE_RUNS rounds"
	r=1
	while [ "$r" -le "$TREE_RUNS" ]; do
		run "$BB/meter" "$RAW/tree.bare" "$BB/tree" "$TREE_N" 8 "$TMP/t"
		run "$BB/meter" "$RAW/tree.bw" "$BW" -q --json -o "$TMP/t.json" -- \
		    "$BB/tree" "$TREE_N" 8 "$TMP/t"
		echo "$(events_of "$TMP/t.json") $(lost_of "$TMP/t.json")" >>"$RAW/tree.lost"
		run "$BB/meter" "$RAW/tree.shim" env LD_PRELOAD="$LIB" \
		    "$BB/tree" "$TREE_N" 8 "$TMP/t" 2>/dev/null
		run "$BB/meter" "$RAW/tree.empty" env LD_PRELOAD="$BB/libempty.so" \
		    "$BB/tree" "$TREE_N" 8 "$TMP/t"
		run "$BB/meter" "$RAW/tree.aa" "$BB/tree" "$TREE_N" 8 "$TMP/t"
		r=$((r + 1))
	done
fi

# --- start-up -------------------------------------------------------------
# hyperfine -N, SU_ROUNDS rounds.  The shim column runs hyperfine itself
# with LD_PRELOAD set (hyperfine has no per-command environment, and an
# `env` in front would add an exec to the figure); nothing in hyperfine
# calls a hooked function.
if want startup; then
	SECTION=startup
	rm -f "$RAW"/startup.*
	say "start-up: $SU_ROUNDS rounds"
	STR="strace -f -qq -o /dev/null -e trace=bind,listen"
	LTR="ltrace -f -o /dev/null -e getaddrinfo+bind+listen"
	HF="hyperfine -N --style none --warmup 10 --runs $SU_RUNS"
	r=1
	while [ "$r" -le "$SU_ROUNDS" ]; do
		run $HF --export-json "$RAW/startup.plain-$r.json" \
		    -n bare-true /bin/true -n bare-fix "$BB/startup" \
		    -n bw-true "$BW -q -- /bin/true" -n bw-fix "$BW -q -- $BB/startup" \
		    -n sup-true "timeout 60 /bin/true" -n sup-fix "timeout 60 $BB/startup" \
		    -n strace-true "$STR /bin/true" -n strace-fix "$STR $BB/startup" \
		    -n ltrace-fix "$LTR $BB/startup" >/dev/null
		run env LD_PRELOAD="$LIB" $HF --export-json "$RAW/startup.shim-$r.json" \
		    -n shim-true /bin/true -n shim-fix "$BB/startup" >/dev/null
		run $HF --export-json "$RAW/startup.aa-$r.json" \
		    -n aa-true /bin/true -n aa-fix "$BB/startup" >/dev/null
		r=$((r + 1))
	done
	# The same, side by side in one loop: each round starts every column
	# once, in turn, so that drift cannot tell them apart (hyperfine runs
	# one command after the other).  The empty preloaded library is the
	# floor of any preload, timeout(1) the floor of any wrapper.
	SU_PAIRS=${SU_PAIRS:-1000}
	echo "su_pairs=$SU_PAIRS" >>"$RAW/machine.new"
	for w in true fix; do
		[ "$w" = true ] && c=/bin/true || c=$BB/startup
		run "$BB/spawnpair" "$SU_PAIRS" "$RAW/startup.pair-$w" "bare:$c" \
		    "empty:LD_PRELOAD=$BB/libempty.so $c" "shim:LD_PRELOAD=$LIB $c" \
		    "bw:$BW -q -- $c" "sup:timeout 60 $c"
	done
	# Evidence: where bindwatch's own time goes (wall time per system call,
	# and the reads of /proc/net/* files, summed per file).
	run strace -f -w -c -o "$RAW/startup.sc" "$BW" -q -o /dev/null -- "$BB/startup"
	run strace -f -T -e trace=openat,read,close -o "$TMP/st.trace" \
	    "$BW" -q -o /dev/null -- "$BB/startup"
	awk '/openat\(.*"\/proc\/net\// { split($0, q, "\"")
		n = split($0, w, "= "); split(w[n], v, " "); path[$1 " " v[1]] = q[2] }
	    /read\(/ { k = $2; sub(/read\(/, "", k); sub(/,.*/, "", k); k = $1 " " k
		if (k in path) { t = $NF; gsub(/[<>]/, "", t); sum[path[k]] += t; cnt[path[k]]++ } }
	    /close\(/ { k = $2; sub(/close\(/, "", k); sub(/\).*/, "", k); delete path[$1 " " k] }
	    END { for (p in sum) printf "%s %d %.6f\n", p, cnt[p], sum[p] }' \
	    "$TMP/st.trace" | sort >"$RAW/startup.procnet"
fi

# --- seccomp --------------------------------------------------------------
# Programs the shim cannot see, under the seccomp supervisor.  Notified: a
# static evgen, each bind answered by the supervisor (bind-ok less socket
# is socket+bind+close less socket+close), bare beside it.  Cookie: the
# shim's own binds under --seccomp=all pass the filter with the run's
# cookie; against --seccomp=off, and off against off again (A/A).
# Start-up: a static program under today's bindwatch (off) and under the
# filter (auto), side by side.
if want seccomp; then
	SECTION=seccomp
	rm -f "$RAW"/seccomp.*
	SC_N=${SC_N:-20000}
	say "seccomp: $PE_RUNS rounds"
	r=1
	while [ "$r" -le "$PE_RUNS" ]; do
		for k in bind-inuse bind-ok socket; do
			run "$BB/evgen-static" "$k" "$SC_N" 1 "$RAW/seccomp.bare"
			run "$BW" -q -o /dev/null --seccomp=all -- \
			    "$BB/evgen-static" "$k" "$SC_N" 1 "$RAW/seccomp.notified"
			for m in off all aa; do
				run "$BW" -q -o /dev/null \
				    --seccomp="$([ $m = all ] && echo all || echo off)" \
				    -- "$BB/evgen" "$k" "$PE_N" 1 "$RAW/seccomp.cookie-$m"
			done
		done
		r=$((r + 1))
	done
	SC_PAIRS=${SC_PAIRS:-1000}
	# Start-up: a static program that starts, forks and exits (one
	# socket, nothing trapped); and the same with one bind, which adds
	# a notified call (the row above) to it.
	for w in socket bind-ok; do
		c="$BB/evgen-static $w 1 1 /dev/null"
		run "$BB/spawnpair" "$SC_PAIRS" "$RAW/seccomp.pair-$w" \
		    "off:$BW -q --seccomp=off -- $c" "auto:$BW -q -- $c" \
		    "aa:$BW -q --seccomp=off -- $c"
	done
fi

# --- data path ------------------------------------------------------------
# nginx, 1 worker, a 4 KiB static file on 127.0.0.1:8080; wrk -t2 -c50;
# rounds interleaved: bare, bindwatch, strace, bare again (A/A).
nginx_conf() {
	NG=$TMP/nginx
	u=
	[ "$(id -u)" -eq 0 ] && u="user nobody nogroup;"
	# The worker on CPU 0, wrk on CPU 1: where the scheduler puts them
	# otherwise changes from round to round, and with it the throughput
	# (the A/A pair showed it), for bare and bindwatch alike.
	AFF=
	WRK="wrk -t2"
	if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
		AFF="worker_cpu_affinity 01;"
		WRK="taskset -c 1 wrk -t1"
	fi
	nginx_site "$NG" 8080 "$u
$AFF"
}

# Start nginx in mode $1, run wrk, stop it; prints requests per second.
dp_round() {
	rm -f "$NG/nginx.pid"
	case $1 in
	bare|aa) echo "nginx -p $NG -e $NG/error.log -c $NG/nginx.conf -g 'daemon off;'" >>"$RAW/datapath.cmds"
		nginx -p "$NG" -e "$NG/error.log" -c "$NG/nginx.conf" -g 'daemon off;' & ;;
	bw) echo "$BW -q -o $TMP/dp.txt -- nginx ... (as above)" >>"$RAW/datapath.cmds"
		"$BW" -q -o "$TMP/dp.txt" -- nginx -p "$NG" -e "$NG/error.log" \
		    -c "$NG/nginx.conf" -g 'daemon off;' & ;;
	sc) echo "$BW -q --seccomp=all -o $TMP/dp.txt -- nginx ... (as above)" >>"$RAW/scdp.cmds"
		"$BW" -q --seccomp=all -o "$TMP/dp.txt" -- nginx -p "$NG" \
		    -e "$NG/error.log" -c "$NG/nginx.conf" -g 'daemon off;' & ;;
	strace) echo "strace -f -qq -o /dev/null -e trace=bind,listen nginx ... (as above)" >>"$RAW/datapath.cmds"
		strace -f -qq -o /dev/null -e trace=bind,listen nginx -p "$NG" \
		    -e "$NG/error.log" -c "$NG/nginx.conf" -g 'daemon off;' & ;;
	esac
	pid=$!
	BG="$BG $pid"
	i=0
	until [ -s "$NG/nginx.pid" ] && ss -ltn | grep -q '127.0.0.1:8080 '; do
		i=$((i + 1))
		[ "$i" -le 200 ] || { say "nginx ($1) did not start"; return 1; }
		sleep 0.05
	done
	sleep 0.3
	$WRK -c50 -d"${DP_SECS}s" http://127.0.0.1:8080/ >"$TMP/wrk.out" 2>&1
	kill -TERM "$(cat "$NG/nginx.pid")" 2>/dev/null || true
	i=0
	while kill -0 "$pid" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -le 100 ] || { kill -KILL "$pid" 2>/dev/null || true; break; }
		sleep 0.1
	done
	wait "$pid" 2>/dev/null || true
	if grep -q -E 'Socket errors|Non-2xx' "$TMP/wrk.out"; then
		say "wrk reported errors ($1):"; cat "$TMP/wrk.out" >&2
	fi
	awk '/^Requests\/sec:/ { print $2 }' "$TMP/wrk.out"
}

if want datapath; then
	SECTION=datapath
	rm -f "$RAW"/datapath.*
	say "data path: $DP_ROUNDS rounds x 4 x ${DP_SECS}s"
	nginx_conf
	echo "$WRK -c50 -d${DP_SECS}s http://127.0.0.1:8080/" >>"$RAW/datapath.cmds"
	# A warm-up round (not counted), then rounds in a rotating order so no
	# mode always runs first.
	DP_SECS_SAVED=$DP_SECS; DP_SECS=1
	dp_round bare >/dev/null
	DP_SECS=$DP_SECS_SAVED
	# DP_ROUNDS rounds, then more (up to DP_MAX_ROUNDS) while the median's
	# confidence interval still holds the goal: more rounds, not luck,
	# decide a close call.
	r=1
	while [ "$r" -le "$DP_ROUNDS" ] || { [ "$r" -le "$DP_MAX_ROUNDS" ] &&
	    dp_ratios "$RAW/datapath.bw" "$RAW/datapath.bare" "$RAW/datapath.aa" |
	    awk '{ exit !($2 < 0.98 && $3 >= 0.98) }'; }; do
		for m in $(turn $((r - 1)) bare bw strace aa); do
			dp_round "$m" >>"$RAW/datapath.$m"
		done
		r=$((r + 1))
	done
	[ "$r" -le "$DP_ROUNDS" ] || say "data path: $((r - 1)) rounds"
	say "data path, counted: nginx under callgrind"
	sh "$HERE/dpcount.sh" "$BW" "$TMP" "$RAW"
fi

# --- seccomp data path ----------------------------------------------------
# nginx as in the data path, under the filter of --seccomp=all: every
# system call of the worker runs the filter, nothing is notified (its binds
# carry the cookie).  Throughput rounds, interleaved with bare and bare
# again (A/A): callgrind (dpcount.sh) cannot count it, as valgrind does not
# run seccomp filters; bench/sccost.sh measures its parts instead.
if want seccomp; then
	SECTION=scdp
	rm -f "$RAW"/scdp.*
	SC_DP_ROUNDS=${SC_DP_ROUNDS:-5}
	say "seccomp data path: $SC_DP_ROUNDS rounds x 3 x ${DP_SECS}s"
	nginx_conf
	echo "$WRK -c50 -d${DP_SECS}s http://127.0.0.1:8080/" >>"$RAW/scdp.cmds"
	DP_SECS_SAVED=$DP_SECS; DP_SECS=1
	dp_round bare >/dev/null
	DP_SECS=$DP_SECS_SAVED
	r=1
	while [ "$r" -le "$SC_DP_ROUNDS" ]; do
		for m in $(turn $((r - 1)) bare sc aa); do
			dp_round "$m" >>"$RAW/scdp.$m"
		done
		r=$((r + 1))
	done
	# The same decided from its parts: ns per call, calls per request.
	sh "$HERE/sccost.sh" "$BW" "$BB" "$TMP" "$RAW"
fi

# --- inspection -----------------------------------------------------------
# 1,000 processes holding 10 listening sockets each on 127.0.0.1; hyperfine
# `bindwatch ports`, `ss -ltnup`, and `bindwatch ports` again (A/A).
if want inspection; then
	SECTION=inspection
	rm -f "$RAW"/inspection.*
	say "inspection"
	echo "$BB/hold 1000 10000 READY 300 &" >>"$RAW/inspection.cmds"
	"$BB/hold" 1000 10000 "$TMP/ready" 300 &
	hp=$!
	BG="$BG $hp"
	i=0
	until [ -e "$TMP/ready" ]; do
		i=$((i + 1))
		[ "$i" -le 600 ] || { say "holders did not start"; exit 1; }
		sleep 0.1
	done
	ss -Hltn | wc -l >"$RAW/inspection.count"
	run hyperfine -N --style none --warmup 3 --runs 20 \
	    --export-json "$RAW/inspection.json" \
	    -n bw-ports "$BW ports" -n ss "ss -ltnup" -n bw-ports-aa "$BW ports" >/dev/null
	# Evidence: where `bindwatch ports` spends its time.
	run strace -f -w -c -o "$RAW/inspection.sc" "$BW" ports >/dev/null
	if perf record -q -e cpu-clock -o "$TMP/perf2.data" -- "$BW" ports >/dev/null 2>&1; then
		echo "perf record -e cpu-clock -- $BW ports" >>"$RAW/inspection.cmds"
		perf report -i "$TMP/perf2.data" --no-children --sort dso,sym \
		    --stdio 2>/dev/null | grep '%' | grep -v '^#' | head -n 12 \
		    >"$RAW/inspection.perf" || true
	fi
	kill -TERM "$hp"
	wait "$hp" || true
fi

# --- clients ----------------------------------------------------------------
# shellcheck source=bench/clients.sh
. "$HERE/clients.sh"

echo "wall_s=$(( $(date +%s) - T0 ))" >>"$RAW/machine.new"
echo "load_end=$(cut -d ' ' -f 1-3 /proc/loadavg)" >>"$RAW/machine.new"
echo "rows=$ROWS" >>"$RAW/machine.new"
mv "$RAW/machine.new" "$RAW/machine"
sh "$HERE/report.sh" "$B" "$HERE"
