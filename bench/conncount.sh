#!/bin/sh
# The clients' rows counted, not only timed (issue 14).  A loopback
# connect costs ~35 µs of kernel work whose spread between rounds is
# several µs, more than the 1 µs judged; the work the shim and the
# collector add does not move with the load.  Counted here:
#  - instructions (callgrind, user space) of the target per event and of
#    bindwatch's collector per event: evgen KIND, N1 and N2 calls, the
#    difference over N2 - N1 (start-up and exit cancel); bare, under
#    `bindwatch -q` (target and collector), bare again (A/A);
#  - system calls per event (strace -f), the same way;
#  - the same per request for wrk -H 'Connection: close' against nginx
#    (two durations: their difference over the difference of requests).
# bench/report_clients.sh turns them into time with this machine's price
# of an instruction and of a call, both timed in the same run.
#	sh bench/conncount.sh BINDWATCH BENCHDIR TMPDIR RAWDIR
# Writes RAW/conncount.ir: "KIND MODE WHO IR_PER_EVENT" (WHO: target,
# collector) and RAW/conncount.sc: "KIND MODE WHO/CALL PER_EVENT" for
# every call, and "KIND MODE WHO/total PER_EVENT".
set -eu

BW=$1
BB=$2
TMP=$3
RAW=$4
N1=${CC_N1:-1000}
N2=${CC_N2:-3000}
D1=${CC_D1:-2}
D2=${CC_D2:-4}
CG=$TMP/cc
NG=$TMP/ccng
PORT=8083
VG="valgrind --tool=callgrind -q --trace-children=yes"

# MODE CMD...: the command under callgrind, bare or under bindwatch;
# prints "WHO IR" for the target and the collector.  bindwatch is traced
# too (--trace-children), so that it runs as slowly as the target and
# keeps up with it as it does outside valgrind.
ir() {
	mode=$1
	shift
	rm -rf "$CG"
	mkdir -p "$CG"
	case $mode in
	bw) set -- "$BW" -q -o /dev/null -- "$@" ;;
	esac
	# shellcheck disable=SC2086 # $VG is words
	$VG --callgrind-out-file="$CG/cg.%p" "$@" >"$TMP/cc.out" 2>&1
	for f in "$CG"/cg.*; do
		c=$(sed -n 's/^cmd: *\([^ ]*\).*/\1/p' "$f")
		w=target
		[ "${c##*/}" = bindwatch ] && w=collector
		echo "$w $(sed -n 's/^summary: //p' "$f")"
	done | awk '{ s[$1] += $2 } END { for (w in s) print w, s[w] }'
}

# MODE CMD...: the system calls under strace -f, of the target and of
# bindwatch (its first process: the collector), "WHO CALL COUNT" per line
# and "WHO total COUNT".
sc() {
	mode=$1
	shift
	rm -f "$TMP/cc.st".*
	case $mode in
	bw) set -- "$BW" -q -o /dev/null -- "$@" ;;
	esac
	strace -f -qq -ff -o "$TMP/cc.st" "$@" >"$TMP/cc.out" 2>&1
	for f in "$TMP/cc.st".*; do
		w=target
		head -n 1 "$f" | grep -qF "execve(\"$BW\"" && w=collector
		grep -v -e '^+++' -e '^---' -e 'resumed>' "$f" |
		    sed "s/(.*//; s/^/$w /"
	done | sort | uniq -c |
	    awk '{ print $2 "/" $3, $1; t[$2] += $1 }
	    END { for (w in t) print w "/total", t[w] }'
}

# KIND MODE A B N: per-event differences of two runs' "KEY COUNT" lines.
perev() {
	awk -v k="$1" -v m="$2" -v n="$4" 'NR == FNR { a[$1] = $2; next }
	    { printf "%s %s %s %.3f\n", k, m, $1, ($2 - a[$1]) / n }' "$3" "$5"
}

# Requests in wrk's output.
requests() {
	awk '/requests in/ { print $1 }' "$TMP/cc.out"
}

: >"$RAW/conncount.ir"
: >"$RAW/conncount.sc"
for k in ${CC_KINDS:-connect connect-nb bind-inuse bind-ok}; do
	for m in bare bw aa; do
		ir "$m" "$BB/evgen" "$k" "$N1" 1 /dev/null >"$TMP/cc.a"
		ir "$m" "$BB/evgen" "$k" "$N2" 1 /dev/null >"$TMP/cc.b"
		perev "$k" "$m" "$TMP/cc.a" $((N2 - N1)) "$TMP/cc.b" \
		    >>"$RAW/conncount.ir"
		sc "$m" "$BB/evgen" "$k" "$N1" 1 /dev/null >"$TMP/cc.a"
		sc "$m" "$BB/evgen" "$k" "$N2" 1 /dev/null >"$TMP/cc.b"
		perev "$k" "$m" "$TMP/cc.a" $((N2 - N1)) "$TMP/cc.b" \
		    >>"$RAW/conncount.sc"
	done
done

# wrk against nginx, a connection per request.
# shellcheck source=bench/nginx_site.sh
. "$(dirname "$0")/nginx_site.sh"
nginx_site "$NG" "$PORT" "daemon off;"
rm -f "$NG/nginx.pid"
nginx -p "$NG" -e "$NG/error.log" -c "$NG/nginx.conf" &
ngp=$!
nginx_ready "$NG" "$PORT" "$ngp"
URL=http://127.0.0.1:$PORT/
for m in bare bw aa; do
	for how in ir sc; do
		"$how" "$m" wrk -t1 -c50 -d"${D1}s" -H 'Connection: close' \
		    "$URL" >"$TMP/cc.a"
		r1=$(requests)
		"$how" "$m" wrk -t1 -c50 -d"${D2}s" -H 'Connection: close' \
		    "$URL" >"$TMP/cc.b"
		r2=$(requests)
		perev wrk "$m" "$TMP/cc.a" $((r2 - r1)) "$TMP/cc.b" \
		    >>"$RAW/conncount.$how"
	done
done
kill -QUIT "$(cat "$NG/nginx.pid")"
wait "$ngp" || true

cat >"$RAW/conncount.cmds" <<EOF
$VG --callgrind-out-file=OUT.%p $BB/evgen KIND N 1 /dev/null (KIND connect, connect-nb, bind-inuse, bind-ok; N = $N1 and $N2; bare, again for A/A)
$VG --callgrind-out-file=OUT.%p $BW -q -o /dev/null -- $BB/evgen KIND N 1 /dev/null
strace -f -qq -ff -o OUT $BB/evgen KIND N 1 /dev/null
strace -f -qq -ff -o OUT $BW -q -o /dev/null -- $BB/evgen KIND N 1 /dev/null
the same with wrk -t1 -c50 -dDs -H 'Connection: close' $URL for D = $D1 and $D2, against nginx -c $NG/nginx.conf
EOF
