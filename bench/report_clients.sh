# shellcheck shell=sh
# The clients' rows (bench/clients.sh) in RESULTS.md and the README
# table; sourced by bench/report.sh inside its body (s3, fmt3, pair,
# field, med, le, verdict, row, cmds, $RAW, $T).

if [ -f "$RAW/clients.pe-bare" ]; then
	N=$(cat "$RAW/clients.n")
	echo
	echo "## Clients (issue 14)"
	echo
	echo "### Connect events"
	echo
	echo "ns per call of \`evgen KIND $N 1\`: connect is socket + connect to a"
	echo "listener of the same process + accept + close; connect-nb the same"
	echo "non-blocking, with poll and getsockopt(SO_ERROR).  Added: paired by round."
	echo
	echo "| kind | bare ns | shim added | bindwatch added | A/A |"
	echo "|---|---|---|---|---|"
	for k in connect connect-nb; do
		for m in bare shim bw aa; do
			field "$RAW/clients.pe-$m" "$k" 5 >"$T/c-$m"
		done
		pair diff "$T/c-shim" "$T/c-bare" | s3 >"$T/c-ds"
		pair diff "$T/c-bw" "$T/c-bare" | s3 >"$T/c-dbw"
		pair diff "$T/c-aa" "$T/c-bare" | s3 >"$T/c-daa"
		echo "| $k | $(s3 <"$T/c-bare" | fmt3 %.0f) | $(fmt3 %.0f <"$T/c-ds") | $(fmt3 %.0f <"$T/c-dbw") | $(fmt3 %.0f <"$T/c-daa") |"
		a=$(med "$(cat "$T/c-dbw")")
		row "connect event ($k)" "<= 1 us added, median" \
		    "$(printf %.0f "$a") ns (A/A $(printf %.0f "$(med "$(cat "$T/c-daa")")") ns)" \
		    "$(verdict le "$a" 1000)"
	done
	echo
	echo "### CPU per event, the target and the collector"
	echo
	echo "/usr/bin/time user+sys of the whole run over $N events: bindwatch's"
	echo "minus bare's, per event (paired by round); bare again for the A/A."
	echo
	echo "| kind | bare s | bindwatch s | added per event | A/A per event |"
	echo "|---|---|---|---|---|"
	for k in bind-ok connect; do
		for m in bare bw aa; do
			awk -v k="$k" '$1 == k { print $2 + $3 }' \
			    "$RAW/clients.cpu-$m" >"$T/u-$m"
		done
		pair diff "$T/u-bw" "$T/u-bare" |
		    awk -v n="$N" '{ print $1 / n * 1e6 }' | s3 >"$T/u-d"
		pair diff "$T/u-aa" "$T/u-bare" |
		    awk -v n="$N" '{ print $1 / n * 1e6 }' | s3 >"$T/u-a"
		echo "| $k | $(s3 <"$T/u-bare" | fmt3 %.2f) | $(s3 <"$T/u-bw" | fmt3 %.2f) | $(fmt3 '%.2f us' <"$T/u-d") | $(fmt3 '%.2f us' <"$T/u-a") |"
		a=$(med "$(cat "$T/u-d")")
		row "CPU per event ($k), target + collector" "<= 1.5 us" \
		    "$(printf %.2f "$a") us (A/A $(printf %.2f "$(med "$(cat "$T/u-a")")") us)" \
		    "$(verdict le "$a" 1.5)"
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
