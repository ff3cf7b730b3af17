# shellcheck shell=sh
# Sourced by bench/report.sh: the rows of programs that bypass libc (the
# seccomp supervisor), with report.sh's helpers (s3, fmt3, pair, field, row,
# cmds, dp_ratios, ci) and its T, RAW.
# --- seccomp --------------------------------------------------------------
if [ -f "$RAW/seccomp.notified" ]; then
	echo
	echo "## Programs that bypass libc (seccomp)"
	echo
	echo "A static evgen (loops of $(awk 'NR == 1 { print $3 }' "$RAW/seccomp.bare") calls), bare and under"
	echo "\`bindwatch --seccomp=all\`: each bind goes to the supervisor, which makes it on a"
	echo "duplicate of the socket and answers.  The cookie rows: the dynamic evgen under the shim"
	echo "with the filter (\`--seccomp=all\`: its binds carry the cookie and pass) and without"
	echo "(\`--seccomp=off\`), and off against off again (A/A).  ns per call, pair by pair."
	echo
	echo "| call | bare ns | notified ns | added |"
	echo "|---|---|---|---|"
	for k in bind-inuse bind-ok; do
		for c in bare notified; do
			if [ "$k" = bind-ok ]; then
				field "$RAW/seccomp.$c" bind-ok 5 >"$T/a"
				field "$RAW/seccomp.$c" socket 5 >"$T/b"
				pair diff "$T/a" "$T/b" >"$T/$c"
			else
				field "$RAW/seccomp.$c" "$k" 5 >"$T/$c"
			fi
		done
		pair diff "$T/notified" "$T/bare" >"$T/d-$k"
		echo "| $k | $(s3 <"$T/bare" | fmt3 %.0f) | $(s3 <"$T/notified" | fmt3 %.0f) | $(s3 <"$T/d-$k" | fmt3 %.0f) |"
	done
	echo
	echo "| bind-inuse, shim | off ns | all ns | all - off | A/A: off - off |"
	echo "|---|---|---|---|---|"
	field "$RAW/seccomp.cookie-off" bind-inuse 5 >"$T/off"
	field "$RAW/seccomp.cookie-all" bind-inuse 5 >"$T/all"
	field "$RAW/seccomp.cookie-aa" bind-inuse 5 >"$T/aa"
	pair diff "$T/all" "$T/off" >"$T/dc"
	pair diff "$T/aa" "$T/off" >"$T/daa"
	echo "| cookie path | $(s3 <"$T/off" | fmt3 %.0f) | $(s3 <"$T/all" | fmt3 %.0f) | $(s3 <"$T/dc" | fmt3 %.0f) | $(s3 <"$T/daa" | fmt3 %.0f) |"
	n=$(s3 <"$T/d-bind-inuse" | awk '{ printf "%.0f", $1 }')
	c=$(s3 <"$T/dc" | awk '{ print $1 }')
	aa=$(s3 <"$T/daa")
	cok=$(echo "$aa" | awk -v c="$c" '{ print (c >= $2 && c <= $3) ? 1 : 0 }')
	so=$(field "$RAW/seccomp.pair" off 2); sa=$(field "$RAW/seccomp.pair" auto 2)
	saa=$(field "$RAW/seccomp.pair" aa 2)
	su=$(awk -v a="$sa" -v o="$so" 'BEGIN { printf "%.2f", (a - o) / 1e6 }')
	suaa=$(awk -v a="$saa" -v o="$so" 'BEGIN { printf "%.2f", (a - o) / 1e6 }')
	echo
	echo "Start-up of a static program (one bind), side by side: \`--seccomp=off\` $(awk -v v="$so" 'BEGIN { printf "%.2f", v / 1e6 }') ms,"
	echo "auto (filtered) $(awk -v v="$sa" 'BEGIN { printf "%.2f", v / 1e6 }') ms (+$su ms), off again $(awk -v v="$saa" 'BEGIN { printf "%.2f", v / 1e6 }') ms (A/A $suaa ms); medians."
	nok=0; le "$n" 25000 && nok=1
	sok=0; le "$su" 0.1 && sok=1
	row "seccomp" "<= 25 µs per notified bind; cookie path within the A/A spread; static start-up <= +0.1 ms" \
	    "notified +$(awk -v v="$n" 'BEGIN { printf "%.1f", v / 1e3 }') µs; cookie $(printf %.0f "$c") ns (A/A $(echo "$aa" | fmt3 %.0f) ns); start-up +$su ms (A/A $suaa ms)" \
	    "notified $(verdict test "$nok" = 1), cookie $(verdict test "$cok" = 1), start-up $(verdict test "$sok" = 1)"
	cmds seccomp
fi

# --- seccomp data path ----------------------------------------------------
if [ -f "$RAW/scdp.bare" ]; then
	echo
	echo "## Data path under the seccomp filter"
	echo
	echo "nginx as in the data path, under \`bindwatch --seccomp=all\`: every system call of"
	echo "the worker runs the filter; none is notified.  $(wc -l <"$RAW/scdp.bare") rounds interleaved: bare, filtered,"
	echo "bare again (A/A); throughput (valgrind does not run seccomp filters: no count)."
	echo
	dp_ratios "$RAW/scdp.sc" "$RAW/scdp.bare" "$RAW/scdp.aa" >"$T/sc"
	pair ratio "$RAW/scdp.aa" "$RAW/scdp.bare" | ci >"$T/sa"
	ival() { awk '{ printf "%.3fx [%.3f, %.3f]", $1, $2, $3 }' "$1"; }
	echo "| nginx | requests/s |"
	echo "|---|---|"
	echo "| bare | $(s3 <"$RAW/scdp.bare" | fmt3 %.0f) |"
	echo "| bindwatch -q --seccomp=all -- | $(s3 <"$RAW/scdp.sc" | fmt3 %.0f) |"
	echo "| bare again (A/A) | $(s3 <"$RAW/scdp.aa" | fmt3 %.0f) |"
	echo
	echo "Per round against the mean of its two bare runs, median and 95% interval:"
	echo "$(ival "$T/sc"); A/A $(ival "$T/sa")."
	row "seccomp data path" ">= 0.97x bare nginx throughput under --seccomp=all (interval not below)" \
	    "$(ival "$T/sc") (A/A $(ival "$T/sa"))" "$(ci_verdict "$T/sc" 0.97)"
	cmds scdp
fi
