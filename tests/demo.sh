#!/bin/sh
# make demo: the localhost:3000 trap, told by bindwatch.
#
# In a private network namespace where "localhost" is ::1 and 127.0.0.1
# (as on most desktops), an old server holds [::1]:3000; a new one starts
# under bindwatch, silently falls back to 127.0.0.1:3000, and bindwatch
# explains who a client of localhost:3000 really reaches.
set -eu

if [ "${1:-}" = --inside ]; then
	B=$2
	hosts=$(mktemp)
	printf '::1 localhost\n127.0.0.1 localhost\n' >"$hosts"
	mount --bind "$hosts" /etc/hosts
	ip link set lo up
	log=$(mktemp)
	echo "== An old server already runs: it asked for localhost:3000 and got [::1]:3000"
	"$B/fixtures/gai_walker" localhost 3000 20 >"$log" 2>&1 &
	old=$!
	i=0
	until grep -q LISTENING "$log" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] || { echo "demo: the old server did not start" >&2; exit 1; }
		sleep 0.05
	done
	sed 's/^/   /' "$log"
	echo
	echo "== The new server starts under bindwatch: bindwatch --timeout 3 -- gai_walker localhost 3000"
	"$B/bindwatch" --timeout 3 -- "$B/fixtures/gai_walker" localhost 3000 &
	run=$!
	sleep 1.5
	echo
	echo "== Meanwhile: bindwatch which localhost:3000 (what a client reaches)"
	"$B/bindwatch" which localhost:3000 || true
	echo
	echo "== And a real client of localhost:3000 (the server answers with its pid):"
	got=$(perl -MIO::Socket::IP -e '$c = IO::Socket::IP->new(PeerHost =>
	    "localhost", PeerPort => 3000) or die "connect: $@\n"; print <$c>;' || true)
	if [ "$got" = "$old" ]; then
		echo "   answered by pid $got: the OLD server; the one just started is not reached"
	else
		echo "   answered by pid ${got:-nobody}"
	fi
	echo
	wait $run || true
	kill $old 2>/dev/null || true
	wait $old 2>/dev/null || true
	rm -f "$hosts" "$log"
	exit 0
fi

B=$(cd "${1:-build}" && pwd)
if [ "$(id -u)" -eq 0 ]; then ns="unshare -n -m"; else ns="unshare -r -n -m"; fi
if ! $ns true 2>/dev/null; then
	echo "demo: cannot create a private network namespace ($ns); it needs" >&2
	echo "      root or unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1)" >&2
	exit 1
fi
exec $ns sh "$0" --inside "$B"
