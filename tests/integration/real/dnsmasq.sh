# shellcheck shell=sh
# shellcheck source=tests/integration/real/matrix.sh
. "$BW_IT/real/matrix.sh"
#
# dnsmasq -k: a DNS server on UDP and TCP port $PORT that answers
# test.bw itself; $LISTEN its extra options (--listen-address ...; none:
# the wildcards).  The request: dig over UDP and over TCP at $SERVER.

PROTO=udp
ask() {
	dig +short +tries=1 +time=3 -p "$PORT" "@$SERVER" test.bw A &&
	    dig +tcp +short +tries=1 +time=3 -p "$PORT" "@$SERVER" test.bw A
}
# shellcheck disable=SC2086 # the options, as words
real_matrix dnsmasq -k --conf-file=/dev/null --port "$PORT" --no-resolv \
    --no-hosts --address=/test.bw/192.0.2.7 -u root ${LISTEN-}
