# shellcheck shell=sh
# The clients' rows (bench/clients.sh) in RESULTS.md and the README
# table; sourced by bench/report.sh inside its body (s3, fmt3, pair,
# field, med, le, verdict, row, cmds, ci of stats.sh, $RAW, $T).

# "median lo hi" in file $1 against a ceiling $2: met when the whole
# interval is at or under it, missed when wholly over, else not shown.
ci_ceiling() { awk -v c="$2" '{ if ($3 <= c) print "met"; else if ($2 > c) print "**missed**";
	else print "**not shown** (the interval holds " c ")" }' "$1"; }

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
		row "connect event ($k)" "<= 1 us added, median" \
		    "$(awk '{ printf "%.0f ns [%.0f, %.0f]", $1, $2, $3 }' "$T/c-ibw") (A/A $(printf %.0f "$(med "$(cat "$T/c-daa")")") ns)" \
		    "$(ci_ceiling "$T/c-ibw" 1000)"
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
		row "CPU per event ($k), target + collector" "<= 1.5 us" \
		    "$(awk '{ printf "%.2f us [%.2f, %.2f]", $1, $2, $3 }' "$T/u-d") (A/A $(printf %.2f "$(med "$(cat "$T/u-a")")") us; collector $(printf %.2f "$(med "$(cat "$T/u-c")")") us)" \
		    "$(ci_ceiling "$T/u-d" 1.5)"
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
		a=$(med "$(cat "$T/w1")")
		row "wrk, Connection: close" ">= 0.97x bare" \
		    "$(printf %.3f "$a")x (A/A $(printf %.3f "$(med "$(cat "$T/w2")")")x)" \
		    "$(verdict le 0.97 "$a")"
	fi
	cmds clients
fi
