# shellcheck shell=sh
# shellcheck source=tests/integration/ports/common.sh
. "$BW_IT/ports/common.sh"
#
# Owners an unprivileged user may not see: "?", and a hint, no crash.
# Needs root, to run bindwatch as another user.

perl "$SRV" 127.0.0.1 6200 &
wait_tcp 6200 127.0.0.1:6200
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
nobody "$BW" ports --json 6200 > p.json 2> p.err
echo "rc=$?"
echo "pid=$(q p.json '.ports[0].sockets[0].pid')"
echo "comm=$(q p.json '.ports[0].sockets[0].comm')"
echo "user=$(q p.json '.ports[0].sockets[0].user')"
echo "err=$(tr '\n' ' ' < p.err)"
# the listener is there, owner or not
nobody "$BW" which 127.0.0.1:6200 > w.txt 2>/dev/null
echo "wrc=$?"
