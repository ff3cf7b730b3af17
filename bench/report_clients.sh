# shellcheck shell=sh
# The clients' rows (bench/clients.sh) in RESULTS.md and the README
# table; sourced by bench/report.sh inside its body (s3, fmt3, pair,
# field, med, le, verdict, row, cmds, ci of stats.sh, $RAW, $T).

# "median lo hi" in file $1 against a ceiling $2: met when the whole
# interval is at or under it, missed when wholly over, else not shown.
# Counted value $1 against a ceiling $2, with the timed "median lo hi"
# in file $3: met when the count meets it and the interval holds a value
# that does; missed when either says no.
cc_verdict() { awk -v v="$1" -v c="$2" '{ if (v <= c && $2 <= c) print "met"; else print "**missed**" }' "$3"; }
# The same against a floor.
cc_floor() { awk -v v="$1" -v f="$2" '{ if (v >= f && $3 >= f) print "met"; else print "**missed**" }' "$3"; }
ci_ceiling() { awk -v c="$2" '{ if ($3 <= c) print "met"; else if ($2 > c) print "**missed**";
	else print "**not shown** (the interval holds " c ")" }' "$1"; }

# Counted (conncount.sh): value of KIND MODE WHO in conncount.ir, or of
# KIND MODE WHO/CALL in conncount.sc; 0 when absent.
cc_get() { awk -v k="$2" -v m="$3" -v w="$4" '$1 == k && $2 == m && $3 == w { v = $4 } END { print v + 0 }' "$RAW/conncount.$1"; }
cc_ir() { cc_get ir "$@"; }
cc_sc() { cc_get sc "$@"; }
# The calls KIND makes more under bindwatch than bare: "name +n, ...".
cc_added() { awk -v k="$1" '$1 == k && $3 ~ /^target\// && $3 != "target/total" {
	c = substr($3, 8); if ($2 == "bare") b[c] = $4; if ($2 == "bw") w[c] = $4 }
	END { for (c in w) if (w[c] - b[c] > 0.005) { printf "%s%s +%.2f", sep, c, w[c] - b[c]; sep = ", " }
	if (sep == "") printf "none" }' "$RAW/conncount.sc"; }
# KIND -> "NS IR CALLS": the target's added work per event in ns at this
# run's prices ($P_IR ns an instruction, $P_CALL ns a call).
cc_ns() { awk -v i="$(cc_ir "$1" bw target)" -v i0="$(cc_ir "$1" bare target)" \
	-v c="$(cc_sc "$1" bw target/total)" -v c0="$(cc_sc "$1" bare target/total)" \
	-v pi="$P_IR" -v pc="$P_CALL" 'BEGIN { di = i - i0; dc = c - c0
	printf "%.0f %.0f %.2f\n", di * pi + (dc > 0 ? dc : 0) * pc, di, dc }'; }

CC=0
if [ -s "$RAW/conncount.ir" ] && [ -s "$RAW/clients.pe-pricebw" ]; then
	CC=1
	P_CALL=$(field "$RAW/clients.pe-price" peername 5 | s3 | awk '{ print $1 }')
	field "$RAW/clients.pe-price" bind-inuse 5 >"$T/p-bare"
	field "$RAW/clients.pe-pricebw" bind-inuse 5 >"$T/p-bw"
	P_BIND=$(pair diff "$T/p-bw" "$T/p-bare" | s3 | awk '{ print $1 }')
	P_IR=$(awk -v t="$P_BIND" -v i="$(cc_ir bind-inuse bw target)" \
	    -v i0="$(cc_ir bind-inuse bare target)" \
	    'BEGIN { printf "%.4f", (i > i0 && t > 0) ? t / (i - i0) : 0 }')
fi

if [ -f "$RAW/clients.pe-bare" ]; then
	N=$(cat "$RAW/clients.n")
	echo
	echo "## Clients (issue 14)"
	echo
	echo "### Connect events"
	echo
	PN=$(cat "$RAW/clients.pe-n" 2>/dev/null || echo "$N")
	echo "ns per call of \`evgen KIND $PN 1\`: connect is socket + connect to a"
	echo "listener of the same process + accept + close; connect-nb the same"
	echo "non-blocking, with poll and getsockopt(SO_ERROR).  Added: paired by"
	echo "round, median (min-max) over $(wc -l <"$RAW/clients.pe-bare" | awk '{ print $1 / 2 }') rounds; the row gives the"
	echo "median's interval (>= 95%, order statistics)."
	echo
	echo "| kind | bare ns | shim added | bindwatch added | A/A |"
	echo "|---|---|---|---|---|"
	for k in connect connect-nb; do
		for m in bare shim bw aa; do
			field "$RAW/clients.pe-$m" "$k" 5 >"$T/c-$m"
		done
		pair diff "$T/c-shim" "$T/c-bare" | s3 >"$T/c-ds"
		pair diff "$T/c-bw" "$T/c-bare" | s3 >"$T/c-dbw"
		pair diff "$T/c-bw" "$T/c-bare" | ci >"$T/c-ibw"
		pair diff "$T/c-aa" "$T/c-bare" | s3 >"$T/c-daa"
		echo "| $k | $(s3 <"$T/c-bare" | fmt3 %.0f) | $(fmt3 %.0f <"$T/c-ds") | $(fmt3 %.0f <"$T/c-dbw") | $(fmt3 %.0f <"$T/c-daa") |"
		timed="$(awk '{ printf "%.0f ns [%.0f, %.0f]", $1, $2, $3 }' "$T/c-ibw") (A/A $(printf %.0f "$(med "$(cat "$T/c-daa")")") ns)"
		if [ "$CC" = 1 ]; then
			# shellcheck disable=SC2046 # three words
			set -- $(cc_ns "$k")
			row "connect event ($k)" "<= 1 us added, median" \
			    "counted $1 ns ($2 instructions, $3 calls); timed $timed" \
			    "$(cc_verdict "$1" 1000 "$T/c-ibw")"
		else
			row "connect event ($k)" "<= 1 us added, median" \
			    "$timed" "$(ci_ceiling "$T/c-ibw" 1000)"
		fi
	done
	echo
	echo "### CPU per event, the target and the collector"
	echo
	CN=$(cat "$RAW/clients.cpu-n" 2>/dev/null || echo "$N")
	echo "User+sys of the whole run over $CN events, to the microsecond (wait4's"
	echo "rusage, bench/cpu.c): bindwatch's minus bare's, per event, paired by"
	echo "round; median [its interval, >= 95%, order statistics] over"
	echo "$(awk '$1 == "connect"' "$RAW/clients.cpu-bare" | wc -l) rounds; bare again for the A/A.  The collector: bindwatch's own"
	echo "process alone (/proc/PID/schedstat), per event, no subtraction."
	echo
	echo "| kind | bare s | bindwatch s | added per event | A/A per event | collector per event |"
	echo "|---|---|---|---|---|---|"
	for k in bind-ok connect; do
		for m in bare bw aa; do
			awk -v k="$k" '$1 == k { print $2 + $3 }' \
			    "$RAW/clients.cpu-$m" >"$T/u-$m"
		done
		pair diff "$T/u-bw" "$T/u-bare" |
		    awk -v n="$CN" '{ print $1 / n * 1e6 }' >"$T/u-dd"
		ci <"$T/u-dd" >"$T/u-d"
		pair diff "$T/u-aa" "$T/u-bare" |
		    awk -v n="$CN" '{ print $1 / n * 1e6 }' | ci >"$T/u-a"
		awk -v k="$k" -v n="$CN" '$1 == k { print $4 / n * 1e6 }' \
		    "$RAW/clients.cpu-bw" | s3 >"$T/u-c"
		echo "| $k | $(s3 <"$T/u-bare" | fmt3 %.3f) | $(s3 <"$T/u-bw" | fmt3 %.3f) | $(awk '{ printf "%.2f us [%.2f, %.2f]\n", $1, $2, $3 }' "$T/u-d") | $(awk '{ printf "%.2f us [%.2f, %.2f]\n", $1, $2, $3 }' "$T/u-a") | $(fmt3 '%.2f us' <"$T/u-c") |"
		timed="$(awk '{ printf "%.2f us [%.2f, %.2f]", $1, $2, $3 }' "$T/u-d") (A/A $(printf %.2f "$(med "$(cat "$T/u-a")")") us; collector $(printf %.2f "$(med "$(cat "$T/u-c")")") us)"
		if [ "$CC" = 1 ] && [ "$(cc_ir "$k" bw target)" != 0 ]; then
			# The target's added CPU counted; the collector's is
			# its own, measured without a subtraction.
			tg=$(cc_ns "$k" | awk '{ print $1 / 1000 }')
			col=$(med "$(cat "$T/u-c")")
			sum=$(awk -v a="$tg" -v b="$col" 'BEGIN { printf "%.2f", a + b }')
			row "CPU per event ($k), target + collector" "<= 1.5 us" \
			    "$sum us = target $(printf %.2f "$tg") counted + collector $(printf %.2f "$col") measured; whole runs timed $timed" \
			    "$(cc_verdict "$sum" 1.5 "$T/u-d")"
		else
			row "CPU per event ($k), target + collector" "<= 1.5 us" \
			    "$timed" "$(ci_ceiling "$T/u-d" 1.5)"
		fi
	done
	if [ "$(cat "$RAW/clients.bpf")" = 1 ] && [ -s "$RAW/clients.bpf-connect" ]; then
		echo
		echo "### bpftrace beside bindwatch"
		echo
		echo "bench/snoop.bt (bindsnoop-style: the bind and connect tracepoints,"
		echo "one line per event) against \`bindwatch -q\`: ns per call added to"
		echo "\`evgen KIND $N 1\`, paired by round."
		echo
		echo "| kind | bpftrace added | bindwatch added | ratio |"
		echo "|---|---|---|---|"
		for k in bind-ok connect; do
			field "$RAW/clients.bpf-$k" "$k" 5 >"$T/b-bpf"
			field "$RAW/clients.bpfbare-$k" "$k" 5 >"$T/b-bare"
			field "$RAW/clients.bpfbw-$k" "$k" 5 >"$T/b-bw"
			pair diff "$T/b-bpf" "$T/b-bare" | s3 >"$T/b-d1"
			pair diff "$T/b-bw" "$T/b-bare" | s3 >"$T/b-d2"
			x=$(med "$(cat "$T/b-d1")"); y=$(med "$(cat "$T/b-d2")")
			ratio=$(awk -v x="$x" -v y="$y" 'BEGIN { if (y > 0) printf "%.1f", x / y; else print "n/a" }')
			echo "| $k | $(fmt3 %.0f <"$T/b-d1") | $(fmt3 %.0f <"$T/b-d2") | ${ratio}x |"
			row "bpftrace ($k)" "beside bindwatch, ns added per event" \
			    "$(printf %.0f "$x") ns vs $(printf %.0f "$y") ns (${ratio}x)" "-"
		done
	fi
	if [ -s "$RAW/clients.wrk-bare" ]; then
		pair ratio "$RAW/clients.wrk-bw" "$RAW/clients.wrk-bare" | s3 >"$T/w1"
		pair ratio "$RAW/clients.wrk-aa" "$RAW/clients.wrk-bare" | s3 >"$T/w2"
		echo
		echo "### A connection per request"
		echo
		echo "wrk -H 'Connection: close' against nginx (as in the data path), wrk"
		echo "bare and under \`bindwatch -q\`: requests per second."
		echo
		echo "| wrk | requests/s | ratio to bare |"
		echo "|---|---|---|"
		echo "| bare | $(s3 <"$RAW/clients.wrk-bare" | fmt3 %.0f) | |"
		echo "| bindwatch -q -- wrk | $(s3 <"$RAW/clients.wrk-bw" | fmt3 %.0f) | $(fmt3 %.3fx <"$T/w1") |"
		echo "| bare again (A/A) | $(s3 <"$RAW/clients.wrk-aa" | fmt3 %.0f) | $(fmt3 %.3fx <"$T/w2") |"
		pair ratio "$RAW/clients.wrk-bw" "$RAW/clients.wrk-bare" | ci >"$T/w3"
		a=$(med "$(cat "$T/w1")")
		timed="$(awk '{ printf "%.3fx [%.3f, %.3f]", $1, $2, $3 }' "$T/w3") (A/A $(printf %.3f "$(med "$(cat "$T/w2")")")x)"
		if [ "$CC" = 1 ] && [ -s "$RAW/clients.wrkcol" ]; then
			# shellcheck disable=SC2046 # three words
			set -- $(cc_ns wrk)
			col=$(s3 <"$RAW/clients.wrkcol" | awk '{ print $1 * 1000 }')
			rate=$(s3 <"$RAW/clients.wrk-bare" | awk '{ print $1 }')
			# All of the added CPU on the critical path, as if
			# both CPUs were saturated: a floor of the ratio.
			est=$(awk -v t="$1" -v c="$col" -v r="$rate" \
			    'BEGIN { printf "%.3f", 1 / (1 + (t + c) * 1e-9 * r) }')
			echo
			echo "Counted per request: wrk $2 instructions and $3 calls more under"
			echo "bindwatch ($(cc_added wrk)), $1 ns at this run's prices; its collector"
			echo "$(printf %.0f "$col") ns of CPU (measured, bench/cpu.c).  At the bare rate of"
			echo "$(printf %.0f "$rate") requests/s, all of it on the critical path: ${est}x."
			row "wrk, Connection: close" ">= 0.97x bare" \
			    "counted ${est}x (wrk +$1 ns, collector $(printf %.0f "$col") ns a request); timed $timed" \
			    "$(cc_floor "$est" 0.97 "$T/w3")"
		else
			row "wrk, Connection: close" ">= 0.97x bare" "$timed" \
			    "$(verdict le 0.97 "$a")"
		fi
	fi
	if [ "$CC" = 1 ]; then
		echo
		echo "### Counted"
		echo
		echo "The work the shim and the collector add, counted where the timed"
		echo "rounds spread by more than the goal (bench/conncount.sh): user-space"
		echo "instructions under callgrind and system calls under strace, per event,"
		echo "from two runs of different lengths (their difference over the"
		echo "difference of events).  Turned into time at this run's prices, timed"
		echo "above in the same rounds: a call the shim adds (getpeername) $(printf %.0f "$P_CALL") ns;"
		echo "an instruction of the shim $(printf %.3f "$P_IR") ns (a bind event, +$(printf %.0f "$P_BIND") ns timed"
		echo "for $(awk -v a="$(cc_ir bind-inuse bw target)" -v b="$(cc_ir bind-inuse bare target)" 'BEGIN { printf "%.0f", a - b }') instructions counted)."
		echo
		echo "| kind | instructions bare | added | A/A | collector | calls bare | added calls | added ns |"
		echo "|---|---|---|---|---|---|---|---|"
		for k in connect connect-nb bind-inuse bind-ok wrk; do
			[ "$(cc_ir "$k" bw target)" != 0 ] || continue
			# shellcheck disable=SC2046 # three words
			set -- $(cc_ns "$k")
			echo "| $k | $(printf %.0f "$(cc_ir "$k" bare target)") | $2 | $(awk -v a="$(cc_ir "$k" aa target)" -v b="$(cc_ir "$k" bare target)" 'BEGIN { printf "%.0f", a - b }') | $(printf %.0f "$(cc_ir "$k" bw collector)") | $(printf %.2f "$(cc_sc "$k" bare target/total)") | $(cc_added "$k") | $1 |"
		done
		echo
		echo "Verdicts: met when the counted figure meets the goal and the timed"
		echo "interval does not contradict it (it holds a value that meets it)."
		cmds conncount
	fi
	cmds clients
fi
