# shellcheck shell=sh
# The clients' rows (issue 14), sourced by bench/bench.sh (its run, say,
# want, $BB, $BW, $LIB, $RAW, $TMP): rounds interleaved, bare beside each.
#  - per event: ns per connect (blocking, and non-blocking with poll and
#    SO_ERROR), bare, the shim bare, under bindwatch, bare again (A/A),
#    CL_PE_RUNS rounds of CL_PE_N;
#  - CPU per event: user+sys of the whole run (the target and bindwatch's
#    collector) to the microsecond by bench/cpu.c, and the collector's own
#    alone, over CL_CPU_N socket+bind+close rounds and CL_CPU_N connects,
#    bare, under bindwatch, bare again, CL_CPU_RUNS rounds of their own;
#  - bpftrace: a bindsnoop-style script (bench/snoop.bt) on the bind and
#    connect tracepoints, one line per event, beside bindwatch;
#  - wrk with Connection: close (a new connection per request) against
#    nginx, wrk bare and under bindwatch, bare again;
#  - the same work counted (conncount.sh), and the two prices that turn
#    counts into time, timed: a getpeername call and a bind event.

# 50,000: a connect costs tens of µs of kernel work, so more only lengthens
# the run; the per-event figures settle well before.
CL_N=${CL_N:-50000}
CL_RUNS=${CL_RUNS:-5}
# The CPU rows: a run's kernel work for a connect (~35 µs) spreads by
# several % from run to run here, more than the 1.5 µs judged: more
# rounds narrow the median's interval; long enough that bindwatch's own
# start and summary (~3 ms of CPU) weigh under 0.1 µs an event.
# (/usr/bin/time's hundredths of a second were 0.2 µs an event.)
CL_CPU_N=${CL_CPU_N:-40000}
CL_CPU_RUNS=${CL_CPU_RUNS:-11}
# The same for the ns per connect (A/A +-3 µs over five rounds of 50,000).
CL_PE_N=${CL_PE_N:-20000}
CL_PE_RUNS=${CL_PE_RUNS:-15}
CL_DP_SECS=${CL_DP_SECS:-5}

# Where bpftrace needs it; in our mount namespace only.
cl_bpftrace_ready() {
	command -v bpftrace >/dev/null || return 1
	[ -d /sys/kernel/tracing/events ] ||
	    mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || return 1
	# shellcheck disable=SC3045 # dash has it; bpftrace's maps need it
	ulimit -l unlimited 2>/dev/null || true
}

# KIND OUT: evgen under the bpftrace script.  Line-buffered, as on a
# terminal; attached once a probing bind of evgen shows in its output
# (its BEGIN line comes out only with the first event).
cl_bpf_round() {
	rm -f "$TMP/bt.out"
	bpftrace -B line -o "$TMP/bt.out" "$HERE/snoop.bt" >/dev/null \
	    2>>"$RAW/clients.bpf-err" &
	bt=$!
	i=0
	until grep -qs ' evgen ' "$TMP/bt.out"; do
		i=$((i + 1))
		[ "$i" -le 600 ] || { say "bpftrace did not start: $RAW/clients.bpf-err"
			kill "$bt"; return 1; }
		"$BB/evgen" bind-ok 1 1 "$TMP/x"
		sleep 0.1
	done
	run "$BB/evgen" "$1" "$CL_N" 1 "$2"
	kill -INT "$bt"
	wait "$bt" || true
	grep -c ' evgen ' "$TMP/bt.out" >>"$2.lines" || true
}

# MODE: one wrk round with Connection: close; prints requests/s.  Under
# bindwatch, its collector's CPU per request goes to clients.wrkcol.
cl_wrk_round() {
	case $1 in
	bw) pre="$BB/cpu $TMP/wrkcpu bw $BW -q -o /dev/null --" ;;
	*) pre= ;;
	esac
	rm -f "$TMP/wrkcpu"
	# shellcheck disable=SC2086 # $pre and $WRK are words
	$pre $WRK -c50 -d"${CL_DP_SECS}s" -H 'Connection: close' \
	    http://127.0.0.1:8080/ >"$TMP/wrkc.out" 2>&1
	[ -s "$TMP/wrkcpu" ] &&
	    awk 'NR == FNR && /requests in/ { n = $1; next }
	    NR != FNR && n > 0 { print $4 / n * 1e6 }' "$TMP/wrkc.out" \
	    "$TMP/wrkcpu" >>"$RAW/clients.wrkcol"
	awk '/^Requests\/sec:/ { print $2 }' "$TMP/wrkc.out"
}

if want clients; then
	# shellcheck disable=SC2034 # run() of bench.sh logs under it
	SECTION=clients
	rm -f "$RAW"/clients.*
	say "clients: $CL_PE_RUNS + $CL_CPU_RUNS rounds of $CL_PE_N / $CL_CPU_N, $CL_RUNS of $CL_N (bpftrace)"
	bpf=0
	cl_bpftrace_ready && bpf=1
	echo "$bpf" >"$RAW/clients.bpf"
	echo "$CL_N" >"$RAW/clients.n"
	echo "$CL_PE_N" >"$RAW/clients.pe-n"
	r=1
	while [ "$r" -le "$CL_PE_RUNS" ]; do
		# The prices of the counted rows (conncount.sh): a call the
		# shim adds, and the shim's instructions, timed on a bind
		# that fails at once (EADDRINUSE), where nothing but the
		# shim's work tells the columns apart.  After the first
		# records (the ring's set-up), and fewer than half a ring:
		# a producer far faster than a connecting client would wait
		# for the collector, which a client never does.
		run "$BB/evgen" peername "$CL_PE_N" 1 "$RAW/clients.pe-price"
		run env EVGEN_WARM=16 "$BB/evgen" bind-inuse 2000 1 \
		    "$RAW/clients.pe-price"
		run env EVGEN_WARM=16 "$BW" -q -o /dev/null -- "$BB/evgen" \
		    bind-inuse 2000 1 "$RAW/clients.pe-pricebw"
		for k in connect connect-nb; do
			run "$BB/evgen" "$k" "$CL_PE_N" 1 "$RAW/clients.pe-bare"
			run env LD_PRELOAD="$LIB" BINDWATCH_LOG=/dev/null \
			    "$BB/evgen" "$k" "$CL_PE_N" 1 "$RAW/clients.pe-shim"
			run "$BW" -q -o /dev/null -- "$BB/evgen" "$k" "$CL_PE_N" 1 \
			    "$RAW/clients.pe-bw"
			run "$BB/evgen" "$k" "$CL_PE_N" 1 "$RAW/clients.pe-aa"
		done
		r=$((r + 1))
	done
	r=1
	while [ "$r" -le "$CL_RUNS" ]; do
		for k in bind-ok connect; do
			[ "$bpf" = 1 ] && { cl_bpf_round "$k" "$RAW/clients.bpf-$k" ||
			    bpf=0; }
			run "$BB/evgen" "$k" "$CL_N" 1 "$RAW/clients.bpfbare-$k"
			run "$BW" -q -o /dev/null -- "$BB/evgen" "$k" "$CL_N" 1 \
			    "$RAW/clients.bpfbw-$k"
		done
		r=$((r + 1))
	done
	echo "$CL_CPU_N" >"$RAW/clients.cpu-n"
	r=1
	while [ "$r" -le "$CL_CPU_RUNS" ]; do
		for k in bind-ok connect; do
			for m in bare bw aa; do
				pre=
				[ "$m" = bw ] && pre="$BW -q -o /dev/null --"
				# shellcheck disable=SC2086 # $pre is words
				run "$BB/cpu" "$RAW/clients.cpu-$m" "$k" $pre \
				    "$BB/evgen" "$k" "$CL_CPU_N" 1 "$TMP/x"
			done
		done
		r=$((r + 1))
	done
	# wrk, a connection per request, against nginx as in the data path.
	nginx_conf
	rm -f "$NG/nginx.pid"
	nginx -p "$NG" -e "$NG/error.log" -c "$NG/nginx.conf" -g 'daemon off;' &
	ngp=$!
	BG="$BG $ngp"
	i=0
	until [ -s "$NG/nginx.pid" ] && ss -ltn | grep -q '127.0.0.1:8080 '; do
		i=$((i + 1))
		[ "$i" -le 200 ] || { say "nginx did not start"; break; }
		sleep 0.05
	done
	echo "$WRK -c50 -d${CL_DP_SECS}s -H 'Connection: close' http://127.0.0.1:8080/ (bare, then under $BW -q --)" \
	    >>"$RAW/clients.cmds"
	r=1
	while [ "$r" -le "$CL_RUNS" ]; do
		for m in bare bw aa; do
			cl_wrk_round "$m" >>"$RAW/clients.wrk-$m"
		done
		r=$((r + 1))
	done
	kill -TERM "$(cat "$NG/nginx.pid")" 2>/dev/null || true
	wait "$ngp" 2>/dev/null || true
	say "clients, counted: evgen and wrk under callgrind and strace"
	sh "$HERE/conncount.sh" "$BW" "$BB" "$TMP" "$RAW" >>"$RAW/clients.log" 2>&1 ||
	    say "the counted rows failed: $RAW/clients.log"
fi
