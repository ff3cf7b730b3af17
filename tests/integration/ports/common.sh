# shellcheck shell=sh
#
# What the ports scenarios share: servers that tell each client their pid
# (srv.pl, dead on their own after 30 s), killed when the scenario ends;
# ports and which are checked against ss and against a real client.

bw_reap
# "$SRV" HOST PORT [OPTION...] &: perl itself in the background, so that
# $! is the server's pid.
# shellcheck disable=SC2034 # the scenarios run it
SRV="$BW_IT/ports/srv.pl"

# PORT TEXT: until ss lists a TCP listener on PORT whose line has TEXT.
wait_tcp() {
	bw_until "timeout: $2" tcp_has "$1" "$2" || exit 99
}
tcp_has() { ss -Hltn "sport = :$1" | grep -qF "$2"; }

# FILE: until it is not empty.
wait_file() {
	bw_until "timeout: $1" test -s "$1" || exit 99
}

# "proto addr port pid", one line per (socket, process), as ss sees it...
ss_list() {
	ss -Hltnup | awk '{
		n = split($5, a, ":"); port = a[n]
		addr = substr($5, 1, length($5) - length(port) - 1)
		gsub(/^\[|\]$/, "", addr); if (addr == "*") addr = "::"
		p = $0
		while (match(p, /pid=[0-9]+/)) {
			print $1, addr, port, substr(p, RSTART + 4, RLENGTH - 4)
			p = substr(p, RSTART + RLENGTH)
		}
	}' | sort -u
}

# ... and as bindwatch ports --json --all does.
bw_list() {
	"$BW" ports --json --all | jq -r '.ports[] | . as $g | .sockets[] |
	    "\($g.proto) \(.addr) \($g.port) \(.pid)"' | sort -u
}

# HOST PORT: what a client that tries the addresses in getaddrinfo order,
# like nc, is told (the server's pid).
ask() {
	# shellcheck disable=SC2016 # Perl's variables
	perl -MIO::Socket::IP -e '$s = IO::Socket::IP->new(PeerHost =>
	    $ARGV[0], PeerPort => $ARGV[1]) or exit 1; print scalar <$s>' "$1" "$2"
}

# FILE: jq -r FILTER FILE, for the one-liners below.
q() { jq -r "$2" "$1"; }

# VALUE A B: yes when VALUE is A or B (and not empty).
one_of() {
	if [ -n "$1" ] && { [ "$1" = "$2" ] || [ "$1" = "$3" ]; }; then
		echo yes
	else
		echo "no: '$1' is neither '$2' nor '$3'"
	fi
}

# A B: the two numbers, sorted, joined by a comma.
pair() { printf '%s\n' "$1" "$2" | sort -n | paste -sd , -; }
