# shellcheck shell=sh
#
# What the security scenarios share: a second uid (nobody, 65534, no
# supplementary groups) plays the other user; they use $BW and $LIB only,
# so they run as they are against the sanitizer build.

PY=/usr/bin/python3
[ -x $PY ] || PY=python3
# shellcheck disable=SC2034 # the scenarios use it
S="$BW_IT/security"
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

# CMD...: run bindwatch --json -o rep with a command that writes the
# collector's path to $D/path and waits for $D/done (15 s at most), then
# runs CMD; in the background, $bw its pid, once the path is there.
bw_holding() {
	# shellcheck disable=SC2016 # the inner shell's variables
	"$BW" --json -o rep -- sh -c 'echo "$BINDWATCH_COLLECTOR" > "$D/path"
	    i=0
	    until [ -e "$D/done" ] || [ $i -ge 300 ]; do
		sleep 0.05
		i=$((i + 1))
	    done
	    [ $# -eq 0 ] || exec "$@"' sh "$@" > /dev/null &
	# shellcheck disable=SC2034 # the scenarios wait for it
	bw=$!
	bw_wait_grep path / || exit 90
}
