# shellcheck shell=sh
# shellcheck source=tests/integration/real/matrix.sh
. "$BW_IT/real/matrix.sh"
#
# PostgreSQL 15 (Debian's), as the postgres user: listen_addresses
# $LISTEN, port $PORT, its Unix socket in $D.  The request: psql at $HOST.

PGBIN=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d | sort | tail -n 1)
chown postgres "$D"
setpriv --reuid postgres --regid postgres --clear-groups \
    "$PGBIN/initdb" -N -D "$D/data" -A trust -U postgres > /dev/null || exit 81
ask() {
	psql -h "$HOST" -p "$PORT" -U postgres -w -Atc "select 'postgres-ok'"
}
real_matrix setpriv --reuid postgres --regid postgres --clear-groups \
    "$PGBIN/postgres" -D "$D/data" -p "$PORT" -k "$D" \
    -c "listen_addresses=$LISTEN" -c fsync=off
