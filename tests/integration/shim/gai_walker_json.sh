# shellcheck shell=sh
#
# The same story with the Ruby-like fixture, in JSON: every line valid,
# every field as the kernel and the program say; a client of each
# address reaches the process ss names.  The walker's pid is WPID in the
# events.

"$FIX/gai_walker" localhost 3000 30 > holder.out 2>&1 &
bw_wait_listen '[::1]:3000' || exit 90
BINDWATCH_FORMAT=json LD_PRELOAD=$LIB "$FIX/gai_walker" localhost 3000 30 \
    > w.out 2> w.json &
bw_wait_grep w.out LISTENING || { cat w.json >&2; exit 91; }
bw_wait_listen '127.0.0.1:3000' || exit 92

HPID=$(number_after holder.out 'LISTENING ::1 3000 ')
WPID=$(number_after w.out 'LISTENING 127\.0\.0\.1 3000 ')
echo "walker_pid=$WPID"
json_ok w.json || exit 93
echo "lines=$(wc -l < w.json)"
# shellcheck disable=SC2016 # jq's variables
ev() {
	jq -r --arg w "$WPID" 'def pid: if (.pid | tostring) == $w then "WPID" else .pid end;
	    '"$1" w.json
}
echo "gai=$(ev 'select(.type == "getaddrinfo") | "\(pid) \(.node) \(.service) "
    + "\(.hints.family) \(.hints.socktype) \(.hints.flags | join(",")) "
    + "\(.ret) \(.error) \(.naddrs) \(.action) "
    + ([.addrs[] | "\(.addr)/\(.port)/\(.family)/\(.proto)"] | join(" "))')"
ev 'select(.type == "bind") | "\(pid) \(.fd) \(.family) "
    + "\(.addr) \(.port) \(.requested_addr) \(.requested_port) \(.ret) "
    + "\(.errno) \(.bound_addr) \(.bound_port) \(.class) \(.proto) "
    + "\(.options | join(",")) \(.action)"' > binds
numbered bind binds
echo "listens=$(ev 'select(.type == "listen") | "\(pid) \(.fd) \(.backlog) "
    + "\(.ret) \(.errno) \(.addr) \(.port) \(.autobound) \(.proto) "
    + "\(.options | join(","))"')"
echo "ss4=$(same "$(ss_owner 127.0.0.1:3000 | cut -d ' ' -f 2,3)" "$WPID 3")"
echo "ss6=$(same "$(ss_owner '[::1]:3000' | cut -d ' ' -f 2)" "$HPID")"
# A client of each address: who answers?
ask() {
	# shellcheck disable=SC2016 # Perl's variables
	perl -MIO::Socket::IP -e '$s = IO::Socket::IP->new(PeerHost => $ARGV[0],
	    PeerPort => 3000) or die; print scalar <$s>' "$1"
}
echo "reply4=$(same "$(ask 127.0.0.1)" "$WPID")"
echo "reply6=$(same "$(ask ::1)" "$HPID")"
