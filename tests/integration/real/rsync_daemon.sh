# shellcheck shell=sh
# shellcheck source=tests/integration/real/matrix.sh
. "$BW_IT/real/matrix.sh"
#
# rsync --daemon --no-detach on port $PORT, $ADDRESS (--address) when
# set: with none it binds 0.0.0.0 and [::] first and listens on both
# after.  The request: list the module at $HOST (rsync://).

mkdir -p "$D/mod"
echo rsync-ok > "$D/mod/rsync-ok"
printf 'use chroot = no\n[mod]\n  path = %s/mod\n' "$D" > "$D/rsyncd.conf"
ask() { rsync --contimeout=5 "rsync://$HOST:$PORT/mod/"; }
real_matrix rsync --daemon --no-detach --port "$PORT" \
    --config "$D/rsyncd.conf" ${ADDRESS:+--address "$ADDRESS"}
