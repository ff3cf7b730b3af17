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
	ctext="cookie $(printf %.0f "$c") ns (A/A $(echo "$aa" | fmt3 %.0f) ns)"
	# Timed pair by pair (bench/sccost.sh), the same call is far less
	# noisy than these whole runs: it decides when there.
	# The cookie path's own price: against the least filter a trapped
	# call pays for (bind-floor), A/A beside it; the filter's presence,
	# which every call of a filtered process pays, is the data path's.
	if [ -s "$RAW/sccost.bind-floor" ]; then
		awk '{ print $3 - $2 }' "$RAW/sccost.bind-floor" | ci >"$T/pc"
		awk '{ print $4 - $2 }' "$RAW/sccost.bind-floor" | ci >"$T/pca"
		awk '{ print $3 - $2 }' "$RAW/sccost.bind-cookie" | ci >"$T/pcb"
		# The A/A spread: 5th to 95th percentile of its chunks.
		awk '{ print $4 - $2 }' "$RAW/sccost.bind-floor" | sort -g |
		    awk '{ v[NR] = $1 } END { print v[int(NR * 0.05) + 1], v[int(NR * 0.95)] }' >"$T/pcs"
		cok=$(paste "$T/pc" "$T/pcs" | awk '{ print ($1 >= $4 && $1 <= $5) ? 1 : 0 }')
		ctext="cookie path $(awk '{ printf "%+.1f [%.1f, %.1f]", $1, $2, $3 }' "$T/pc") ns over a filter that reads an argument (A/A chunks spread $(awk '{ printf "%.1f to %.1f", $1, $2 }' "$T/pcs")); over no filter $(awk '{ printf "+%.0f", $1 }' "$T/pcb") ns, the filter's presence (seccomp data path row); whole runs $ctext"
	fi
	# Start-up, paired round by round: auto's run minus off's, in ms.
	supair() { awk -v a="$1" '$1 == a { x[$2] = $3 } $1 == "off" { y[$2] = $3 }
		END { for (r in x) if (r in y) print (x[r] - y[r]) / 1e6 }' "$2" | ci; }
	for w in socket bind-ok; do
		f=$RAW/seccomp.pair-$w.rounds
		[ -s "$f" ] || continue
		supair auto "$f" >"$T/su-$w"
		supair aa "$f" >"$T/suaa-$w"
	done
	echo
	if [ -s "$T/su-socket" ]; then
		su=$(awk '{ printf "%+.3f ms [%.3f, %.3f]", $1, $2, $3 }' "$T/su-socket")
		suaa=$(awk '{ printf "%+.3f ms", $1 }' "$T/suaa-socket")
		su1=$(awk '{ printf "%+.3f ms [%.3f, %.3f]", $1, $2, $3 }' "$T/su-bind-ok")
		echo "Start-up of a static program, \`bindwatch -q\` (auto: filtered) against"
		echo "\`--seccomp=off\` (today's), paired round by round over $(awk '$1 == "off"' "$RAW/seccomp.pair-socket.rounds" | wc -l) rounds (the order turns"
		echo "each round), median [95% interval]: starting, forking and exiting $su"
		echo "(off against off again: $suaa); with one bind, which the supervisor"
		echo "answers (the notified row), $su1.  Medians of the columns, off / auto / off again:"
		for w in socket bind-ok; do
			echo "$w $(field "$RAW/seccomp.pair-$w" off 2) $(field "$RAW/seccomp.pair-$w" auto 2) $(field "$RAW/seccomp.pair-$w" aa 2)" |
			    awk '{ printf "%s %.3f / %.3f / %.3f ms.\n", $1, $2 / 1e6, $3 / 1e6, $4 / 1e6 }'
		done
		sok=$(awk '{ print ($3 <= 0.1) ? 1 : ($2 > 0.1 ? 0 : 2) }' "$T/su-socket")
		stext="start-up $su (A/A $suaa; with one bind $su1)"
	else
		sok=0
		stext="start-up not measured"
	fi
	nok=0; le "$n" 25000 && nok=1
	case $sok in
	1) sv=met ;; 0) sv="**missed**" ;; *) sv="**not shown** (the interval holds 0.1 ms)" ;;
	esac
	row "seccomp" "<= 25 µs per notified bind; cookie path within the A/A spread; static start-up <= +0.1 ms" \
	    "notified +$(awk -v v="$n" 'BEGIN { printf "%.1f", v / 1e3 }') µs; $ctext; $stext" \
	    "notified $(verdict test "$nok" = 1), cookie $(verdict test "$cok" = 1), start-up $sv"
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
	# With the parts measured (below), they decide the row.
	[ -f "$RAW/sccost.calls" ] ||
	row "seccomp data path" ">= 0.97x bare nginx throughput under --seccomp=all (interval not below)" \
	    "$(ival "$T/sc") (A/A $(ival "$T/sa"))" "$(ci_verdict "$T/sc" 0.97)"
	cmds scdp
fi

# --- the filter's cost in parts (bench/sccost.sh) ---------------------------
if [ -f "$RAW/sccost.getppid" ]; then
	echo
	echo "### The filter's cost in parts"
	echo
	echo "Throughput rounds spread by more than the 3% looked for, and valgrind does not run"
	echo "seccomp filters; so the data path is decided from its parts.  ns per system call:"
	echo "three processes on one CPU take turns, a chunk of calls each: bare, under a filter,"
	echo "bare again (A/A) (bench/scloop.c; \"bindwatch\" is the program of \`--seccomp=all\`,"
	echo "built by shim/core/scfilter.c).  Added ns pair by pair (chunk by chunk), median and"
	echo "95% interval over $(wc -l <"$RAW/sccost.getppid") chunks."
	echo
	echo "| call | filter | bare ns | added ns | A/A ns |"
	echo "|---|---|---|---|---|"
	civ() { awk -v f="${1:-%.1f}" '{ printf f " [" f ", " f "]", $1, $2, $3 }'; }
	for k in getppid getppid-const getppid-nocache bind-cookie listen-cookie \
	    bind-floor listen-floor; do
		[ -s "$RAW/sccost.$k" ] || continue
		case $k in
		getppid) w="getppid(2) | bindwatch (the cache answers)";;
		getppid-const) w="getppid(2) | allow only (the cache answers)";;
		getppid-nocache) w="getppid(2) | reads an argument, then allows (no cache)";;
		bind-cookie) w="bind(-1) with the cookie, as the shim | bindwatch (runs the program)";;
		listen-cookie) w="listen(-1) with the cookie, as the shim | bindwatch (runs the program)";;
		bind-floor) w="bind(-1) with the cookie | bindwatch, against a filter that reads an argument (its \"bare\" and A/A)";;
		listen-floor) w="listen(-1) with the cookie | bindwatch, against a filter that reads an argument (its \"bare\" and A/A)";;
		esac
		awk '{ print $3 - $2 }' "$RAW/sccost.$k" | ci >"$T/add-$k"
		echo "| $w | $(awk '{ print $2 }' "$RAW/sccost.$k" | s3 | fmt3 %.0f) | $(civ <"$T/add-$k") | $(awk '{ print $4 - $2 }' "$RAW/sccost.$k" | ci | civ) |"
	done
	one() { awk '{ printf "%.1f", $1 }' "$T/add-$1"; }
	echo
	echo "The cookie path: the shim's bind under the filter costs $(one bind-cookie) ns more than bare."
	echo "Any call of a filtered process costs $(one getppid) ns more (the cache answering), and any call"
	echo "that runs a program $(one getppid-nocache) ns: that much is the filter's presence, whatever its program."
	if [ -s "$T/add-bind-floor" ]; then
		echo "Against that floor (the same call under a filter of two instructions that reads an"
		echo "argument, as a filter that traps bind must), the cookie path adds $(one bind-floor) ns to bind"
		echo "and $(one listen-floor) ns to listen: the cookie itself costs nothing measurable."
	fi
	ka=$(field "$RAW/sccost.calls" keep-alive 2)
	cl=$(field "$RAW/sccost.calls" close 2)
	field "$RAW/sccost.cpu" bare 2 | s3 >"$T/cpu"
	cpu=$(med "$(cat "$T/cpu")" | awk '{ printf "%.0f", $1 }')
	pp=$(cat "$T/add-getppid")
	rm_=$(echo "$pp" | awk -v n="$ka" -v c="$cpu" '{ printf "%.3f", 1 - n * $1 / c }')
	rl=$(echo "$pp" | awk -v n="$ka" -v c="$cpu" '{ printf "%.3f", 1 - n * $3 / c }')
	echo
	echo "nginx (one process, as in the data path) makes $ka system calls per request with"
	echo "keep-alive (wrk's way), $cl with \`Connection: close\` (strace -c, counted); all but"
	echo "bind and listen are answered by the cache (\`$(cat "$RAW/sccost.filters" 2>/dev/null)\` under"
	echo "\`--seccomp=all\`).  Its CPU time per request under wrk, bare: $(fmt3 %.0f <"$T/cpu") ns."
	echo "The filter adds $ka x $(one getppid) ns = $(echo "$pp" | awk -v n="$ka" '{ printf "%.0f", n * $1 }') ns a request: ${rm_}x bare (at the interval's"
	echo "top, $(echo "$pp" | awk '{ printf "%.1f", $3 }') ns a call: ${rl}x), for a server whose CPU is the limit."
	# The shim's share, counted by the data path row (dpcount.sh), if run.
	if [ -s "$RAW/dpcount.keepalive" ]; then
		sh_=$(awk '$1 == "bare" { a = $2 } $1 == "bw" { b = $2 } END { printf "%.4f", a / b }' "$RAW/dpcount.keepalive")
		cm=$(awk -v a="$rm_" -v b="$sh_" 'BEGIN { printf "%.3f", a * b }')
		cw=$(awk -v a="$rl" -v b="$sh_" 'BEGIN { printf "%.3f", a * b }')
		echo "With the shim's share (the data path row, counted: ${sh_}x), bindwatch --seccomp=all:"
		echo "${cm}x bare, at worst ${cw}x."
		what="shim and filter ${cm}x (at worst ${cw}x) = shim ${sh_}x counted x filter ${rm_}x ($ka calls/request x $(one getppid) ns / $cpu ns)"
	else
		cm=$rm_ cw=$rl
		what="filter ${rm_}x (at worst ${rl}x) = $ka calls/request x $(one getppid) ns / $cpu ns (the shim's share: the data path row, not run)"
	fi
	echo
	for m in bare off sc aa; do
		awk -v m="$m" '$1 == m { print $2 }' "$RAW/sccost.cpu" >"$T/c-$m"
	done
	echo "Cross-check, CPU ns per request of nginx measured, $(wc -l <"$T/c-bare") rounds interleaved: bare $(s3 <"$T/c-bare" | fmt3 %.0f),"
	echo "\`bindwatch --seccomp=off\` $(s3 <"$T/c-off" | fmt3 %.0f), \`--seccomp=all\` $(s3 <"$T/c-sc" | fmt3 %.0f), bare again $(s3 <"$T/c-aa" | fmt3 %.0f)."
	echo "Per round (CPU, so above 1 is slower): all against the mean of the round's two bare"
	echo "runs $(dp_ratios "$T/c-sc" "$T/c-bare" "$T/c-aa" | civ %.3f), off likewise $(dp_ratios "$T/c-off" "$T/c-bare" "$T/c-aa" | civ %.3f), all against off"
	echo "$(pair ratio "$T/c-sc" "$T/c-off" | ci | civ %.3f), A/A $(pair ratio "$T/c-aa" "$T/c-bare" | ci | civ %.3f)."
	v=$(awk -v m="$cm" -v w="$cw" 'BEGIN { if (w >= 0.97) print "met"; else if (m >= 0.97) print "**not shown** (at worst below 0.97)"; else print "**missed**" }')
	row "seccomp data path" ">= 0.97x bare nginx throughput under --seccomp=all" \
	    "counted: $what; throughput rounds $(awk '{ printf "%.3fx [%.3f, %.3f]", $1, $2, $3 }' "$T/sc") (A/A $(awk '{ printf "%.3fx [%.3f, %.3f]", $1, $2, $3 }' "$T/sa"))" \
	    "$v"
	cmds sccost
fi
