# shellcheck shell=sh
# shellcheck source=tests/integration/policy/common.sh
. "$BW_IT/policy/common.sh"
#
# --ipv4 / --ipv6: the other family is dropped from getaddrinfo lists,
# both from an override (--resolve with both families) and from libc's
# own list (NULL node, passive: 0.0.0.0 and ::; a name with both in a
# bind-mounted hosts file, with its canonical name kept).  Checked with
# the gai_dump fixture and with python3's socket.getaddrinfo.  The
# policies are this scenario's own: three runs, each in $MODE.

printf '127.0.0.1 localhost\n::1 dual.example dual\n127.0.0.1 dual.example dual\n' > "$D/hosts"
mount --bind "$D/hosts" /etc/hosts || exit 97
Q='0/unspec/stream/localhost/80 passive/unspec/stream/-/80 canonname/unspec/stream/dual/80'
PYQ='import socket; print(",".join(a[4][0] for a in socket.getaddrinfo("localhost", 80, type=socket.SOCK_STREAM)))'
R='localhost=::1,127.0.0.1'
# NAME: one run under the policy of the moment, its keys named NAME_*
run() {
	fresh
	# shellcheck disable=SC2086 # the queries, as words
	echo "$1=$("$UNDER" "$FIX/gai_dump" $Q | paste -sd '|' -)"
	echo "$1_null=$(gai null)"
	echo "$1_null_orig=$(gai_orig null)"
	echo "$1_py=$("$UNDER" "$PY" -c "$PYQ")"
}
# Without the shim: what libc says (the reference).
# shellcheck disable=SC2086 # the queries, as words
echo "plain=$("$FIX/gai_dump" $Q | paste -sd '|' -)"
POLCLI="--resolve $R"; POLENV="BINDWATCH_RESOLVE=$R"; run both
POLCLI="--resolve $R --ipv4"; POLENV="BINDWATCH_RESOLVE=$R BINDWATCH_FAMILY=4"; run v4
POLCLI="--resolve $R --ipv6"; POLENV="BINDWATCH_RESOLVE=$R BINDWATCH_FAMILY=6"; run v6
