# shellcheck shell=sh
# shellcheck source=tests/integration/security/common.sh
. "$BW_IT/security/common.sh"
#
# setuid and setcap programs run by another user: the CLI warns up front
# (text and JSON), and no event comes from them; the same program without
# the bit is the control.  Then the shim's own guard, without the
# loader's: /etc/ld.so.preload (in an overlay of /etc, in this mount
# namespace only) loads the shim into every program, the setuid one
# included (its maps show it), yet it stays silent there while a plain
# copy reports its binds.  Needs root; setcap=no or overlay=no when the
# machine cannot (the table's checks of those parts are then skipped).

mkdir nb
chmod 777 nb
cd nb || exit 96
cp "$FIX/bind_once" "$D/suid"; chown 0:0 "$D/suid"; chmod 4755 "$D/suid"
cp "$FIX/bind_once" "$D/plain"; chmod 755 "$D/plain"
cp "$FIX/gai_walker" "$D/suidw"; chown 0:0 "$D/suidw"; chmod 4755 "$D/suidw"
cp "$FIX/gai_walker" "$D/plainw"
if command -v setcap > /dev/null && cp "$FIX/bind_once" "$D/cap" &&
    setcap cap_net_bind_service+ep "$D/cap"; then
	echo setcap=yes
else
	echo setcap=no
fi

# Text: the warning, up front; the command still ran.
nobody "$BW" -o "$D/nb/suid.txt" -- "$D/suid" > suid.out 2>&1
echo "suidtext=$?"
echo "warned=$(cat suid.out suid.txt | grep -c 'set-user/group-ID')"
echo "suid_binds=$(grep -F 'bindwatch[' suid.txt | grep -cF 'bind(')"
# JSON: the warning and no event.
nobody "$BW" --json -o "$D/nb/suid.json" -- "$D/suid"
echo "suidjson=$?"
echo "suidsum=$(tail -n 1 suid.json)"
nobody "$BW" --json -o "$D/nb/plain.json" -- "$D/plain"
echo "plainjson=$?"
tail -n 1 plain.json > plain.sum
echo "plain_no_events=$(count plain.sum '"events":0,')"
echo "plain_setuid=$(count plain.sum '"kind":"setuid"')"
if [ -e "$D/cap" ]; then
	nobody "$BW" --json -o "$D/nb/cap.json" -- "$D/cap"
	echo "capjson=$?"
	echo "capsum=$(tail -n 1 cap.json)"
fi

mkdir "$D/up" "$D/work"
if mount -t overlay overlay -o "lowerdir=/etc,upperdir=$D/up,workdir=$D/work" /etc; then
	echo overlay=yes
	echo "$LIB" > /etc/ld.so.preload
	# setpriv itself, which execs the program: $! is the program
	setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$D/plainw" 127.0.0.1 4501 2 > /dev/null 2> "$D/plainw.err" &
	bw_wait_listen 127.0.0.1:4501 &&
	    echo "plainmaps=$(grep -c libbindwatch /proc/$!/maps)"
	setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$D/suidw" 127.0.0.1 4502 2 > /dev/null 2> "$D/suidw.err" &
	bw_wait_listen 127.0.0.1:4502 &&
	    echo "suidmaps=$(grep -c libbindwatch /proc/$!/maps)"
	wait
	umount /etc
	echo "plainlines=$(grep -c '^bindwatch\[' "$D/plainw.err")"
	echo "suidlines=$(grep -c '^bindwatch\[' "$D/suidw.err")"
else
	echo overlay=no
fi
