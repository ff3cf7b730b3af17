# shellcheck shell=sh
# shellcheck source=tests/integration/security/common.sh
. "$BW_IT/security/common.sh"
#
# A process of another uid cannot reach the collector: the directory is
# 0700, so connect fails with EACCES; the shim itself, preloaded as that
# user and pointed at the socket, cannot deliver anything.  Even with the
# directory and socket opened up (an administrator's chmod), the collector
# refuses the peer by SO_PEERCRED: counted in refused_connections, none of
# its records read (no events, no malformed ones).  The tree's own events
# still arrive afterwards.  Needs root.

bw_holding "$FIX/gai_walker" 127.0.0.1 4321 0
P=$(cat path)
echo "dir=$(stat -c '%a %u' "$(dirname "$P")")"
N1=$(nobody "$PY" "$S/conn.py" "$P")
echo "nobody1=$N1"
case $N1 in
'CONNECT EACCES' | 'CONNECT EPERM') echo "nobody1_refused=yes" ;;
esac
# The other user's program is not disturbed by the shim's refusal.
inject() {
	nobody env LD_PRELOAD="$LIB" BINDWATCH_COLLECTOR="$P" "$PY" -c '
import socket, sys; s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen()
print("bound")' "$1"
}
I=$(inject 4999)
echo "inject1_rc=$?"
echo "inject1=$I"
chmod 755 "$(dirname "$P")"
chmod 777 "$P"
# Opened up: the connection is accepted by the kernel, then dropped.
nobody "$PY" "$S/conn.py" "$P" > nobody2
echo "nobody2=$(joined < nobody2)"
echo "nobody2_data=$(count nobody2 'SEND DATA')"
I=$(inject 4998)
echo "inject2_rc=$?"
echo "inject2=$I"
touch "$D/done"
wait $bw
echo "status=$?"
# Nothing of theirs in the report; the tree's own listener is.
# A value of exactly 4999 or 4998 (a port), not those digits inside a
# time_ns or an inode.
echo "believed=$(grep -cE ':499[89][,}]' rep)"
echo "listen=$(grep -F '"type":"listen"' rep | grep -cF '"port":4321,')"
tail -n 1 rep > sum
echo "malformed=$(jq -r .malformed_events sum)"
echo "lost=$(jq -r .lost_events sum)"
# NOBODY2's connection and INJECT2's shim: refused, and counted.
echo "refused=$(jq -r .refused_connections sum)"
