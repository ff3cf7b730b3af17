# shellcheck shell=sh
# shellcheck source=tests/integration/real/common.sh
. "$BW_IT/real/common.sh"
#
# memcached -l $L -p $PORT; the request: "version" to each of $HOSTS.

request() {
	for h in $HOSTS; do
		printf 'version\r\nquit\r\n' | nc -w 5 "$h" "$PORT" || return
	done
}
real_run memcached -l "$L" -p "$PORT" -U 0 -u root
