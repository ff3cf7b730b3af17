# shellcheck shell=sh
#
# Lists the shim builds are freed by the program's own freeaddrinfo, with
# no leak (valgrind), and keep libc's semantics: ai_canonname, no
# override for AI_NUMERICHOST, AI_NUMERICSERV, NULL hints, service names,
# EAI_SERVICE.  First a run that leaks on purpose (-k: never free), to
# show that valgrind sees our lists at all.  The answers, one line per
# query (plain: libc's own; vg: under --resolve; v4: and BINDWATCH_FAMILY=4),
# are printed as plainN=, vgN=, v4N=.

set -f
Q='passive,canonname/unspec/stream/localhost/8080 null/-/-/localhost/80
numerichost/unspec/stream/localhost/80 numerichost/unspec/stream/::1/80
numericserv/unspec/stream/localhost/8080 numericserv/unspec/stream/localhost/http
0/unspec/stream/localhost/http 0/unspec/stream/localhost/nosuchsvc
0/unspec/dgram/LOCALHOST./domain passive/unspec/stream/-/80
canonname/unspec/stream/dual/80 0/inet6/stream/localhost/80'
VG='valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=definite,possible --error-exitcode=1'
R=localhost=::1,127.0.0.1

printf '127.0.0.1 localhost\n::1 dual.example dual\n127.0.0.1 dual.example dual\n' > "$D/hosts"
mount --bind "$D/hosts" /etc/hosts || exit 97
# shellcheck disable=SC2086 # $Q and $VG: words
{
	"$FIX/gai_dump" $Q > "$D/plain.out"

	env LD_PRELOAD="$LIB" BINDWATCH_LOG="$D/leak.json" BINDWATCH_FORMAT=json \
	    BINDWATCH_RESOLVE=$R $VG --log-file="$D/leak.log" \
	    "$FIX/gai_dump" -k -n 3 0/unspec/stream/localhost/80 > /dev/null
	echo "leak=$?"
	# The control: lists never freed show up, allocated in gai.c.  (Still
	# reachable, not lost: the shim's registry of its lists points to
	# them.  So the runs below count any record from gai.c, not only
	# valgrind's error status.)
	echo "leak_seen=$(grep -c 'gai\.c:' "$D/leak.log")"

	env LD_PRELOAD="$LIB" BINDWATCH_LOG="$D/vg.json" BINDWATCH_FORMAT=json \
	    BINDWATCH_RESOLVE=$R $VG --log-file="$D/vg.log" \
	    "$FIX/gai_dump" -n 20 $Q > "$D/vg.out"
	echo "vg=$?"
	echo "vg_ours=$(grep -c 'gai\.c:' "$D/vg.log")"
	echo "vg_events=$(jq -r 'select(.type=="getaddrinfo" and .action=="rewrite") | .node' "$D/vg.json" | wc -l)"

	env LD_PRELOAD="$LIB" BINDWATCH_LOG=/dev/null BINDWATCH_RESOLVE=$R \
	    BINDWATCH_FAMILY=4 $VG --log-file="$D/v4.log" \
	    "$FIX/gai_dump" -n 20 $Q > "$D/v4.out"
	echo "v4=$?"
	echo "v4_ours=$(grep -c 'gai\.c:' "$D/v4.log")"
}
numbered plain "$D/plain.out"
numbered vg "$D/vg.out"
numbered v4 "$D/v4.out"
# A later round that gave another answer marks its line "unstable".
echo "unstable=$(cat "$D/vg.out" "$D/v4.out" | grep -c unstable)"
# What valgrind said, for the log of a failure.
for f in vg v4; do
	if grep -q -e 'gai\.c:' -e '== ' "$D/$f.log"; then
		echo "valgrind, $f:" >&2
		cat "$D/$f.log" >&2
	fi
done
