# shellcheck shell=sh
# shellcheck source=tests/integration/real/matrix.sh
. "$BW_IT/real/matrix.sh"
#
# OpenSSH's sshd -D with a host key of its own, no configuration file:
# ListenAddress $LISTEN (and $LISTEN2 when set), port $PORT.  The
# request: ssh-keyscan at $HOST.

ssh-keygen -q -t ed25519 -N '' -f "$D/hostkey" || exit 81
mkdir -p /run/sshd	# privilege separation wants it
ask() { ssh-keyscan -T 5 -t ed25519 -p "$PORT" "$HOST" 2> /dev/null | cut -d ' ' -f 2; }
real_matrix /usr/sbin/sshd -D -e -f /dev/null -h "$D/hostkey" -p "$PORT" \
    -o PidFile=none -o "ListenAddress=$LISTEN" ${LISTEN2:+-o "ListenAddress=$LISTEN2"}
