# shellcheck shell=sh
#
# musl: the shim and gai_dump built with musl-gcc (make musl).  The
# override and the family filter hand musl programs lists that their own
# freeaddrinfo must free (musl's allocator and list layout differ from
# glibc's); a loop of 200 rounds, then valgrind on the musl binary.  That
# one runs through musl's loader with --preload naming valgrind's preloads
# and the shim: LD_PRELOAD would also reach valgrind's glibc launcher,
# which cannot load a musl library, and --preload replaces LD_PRELOAD.

set -f
M="$BW_BUILD/musl"
Q='passive,canonname/unspec/stream/localhost/8080 passive/unspec/stream/-/80
0/unspec/stream/localhost/nosuchsvc numerichost/unspec/stream/localhost/80
0/unspec/dgram/localhost/domain'
R=localhost=::1,127.0.0.1
VG='valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=definite,possible --error-exitcode=1'

LDSO=$(readelf -l "$M/gai_dump" | sed -n 's/.*interpreter: \(.*\)]/\1/p')
echo "ldso=$LDSO"
echo "needed=$(readelf -d "$M/libbindwatch.so" | sed -n 's/.*NEEDED.*\[\(.*\)\]/\1/p' | joined)"
# musl's own answers: the reference for what the shim passes through
# shellcheck disable=SC2086 # $Q and $VG: words
echo "plain=$("$M/gai_dump" $Q | paste -sd '|' -)"

# shellcheck disable=SC2086
LD_PRELOAD="$M/libbindwatch.so" BINDWATCH_FORMAT=json BINDWATCH_LOG="$D/m.json" \
    BINDWATCH_RESOLVE=$R "$M/gai_dump" -n 200 $Q > "$D/m1.out"
echo "m1rc=$?"
echo "m1=$(paste -sd '|' "$D/m1.out")"
echo "events=$(jq -r 'select(.type=="getaddrinfo" and .action=="rewrite") | .pid' "$D/m.json" | wc -l)"

# shellcheck disable=SC2086
LD_PRELOAD="$M/libbindwatch.so" BINDWATCH_LOG=/dev/null BINDWATCH_RESOLVE=$R \
    BINDWATCH_FAMILY=6 "$M/gai_dump" -n 200 $Q > "$D/m2.out"
echo "m2rc=$?"
echo "m2=$(paste -sd '|' "$D/m2.out")"

# musl's --preload replaces LD_PRELOAD: name valgrind's own too.
ARCH=$(uname -m | sed 's/x86_64/amd64/; s/aarch64/arm64/')
VGP=$(dirname "$(find /usr/libexec/valgrind /usr/lib/valgrind \
    /usr/lib/x86_64-linux-gnu/valgrind /usr/lib/aarch64-linux-gnu/valgrind \
    -name "vgpreload_memcheck-$ARCH-linux.so" 2>/dev/null | head -n 1)")
VGPRE="$VGP/vgpreload_core-$ARCH-linux.so:$VGP/vgpreload_memcheck-$ARCH-linux.so"
echo "vgpre=$([ -r "$VGP/vgpreload_memcheck-$ARCH-linux.so" ] && echo yes || echo "no: $VGP")"
# shellcheck disable=SC2086
BINDWATCH_LOG=/dev/null BINDWATCH_RESOLVE=$R \
    $VG --log-file="$D/leak.log" "$LDSO" --preload "$VGPRE:$M/libbindwatch.so" \
    "$M/gai_dump" -k -n 3 0/unspec/stream/localhost/80 > /dev/null
# the control: lists a musl program never frees are seen
echo "leak_seen=$(grep -c 'gai\.c:' "$D/leak.log")"
# shellcheck disable=SC2086
BINDWATCH_LOG=/dev/null BINDWATCH_RESOLVE=$R BINDWATCH_FAMILY=4 \
    $VG --log-file="$D/vg.log" "$LDSO" --preload "$VGPRE:$M/libbindwatch.so" \
    "$M/gai_dump" -n 20 $Q > "$D/m3.out"
echo "m3rc=$?"
echo "m3_ours=$(grep -c 'gai\.c:' "$D/vg.log")"
echo "m3=$(paste -sd '|' "$D/m3.out")"
if grep -q '== ' "$D/vg.log"; then
	echo 'valgrind, musl:' >&2
	cat "$D/vg.log" >&2
fi
