# shellcheck shell=sh
# shellcheck source=tests/integration/policy/common.sh
. "$BW_IT/policy/common.sh"
#
# bindtry.py under the policy, binding $SPECS (see bindtry.py) in order;
# what each bind gave, what listens on $PORTS, and what was said.  The
# rows: --deny (EACCES, nothing listens, an address:port not on the list
# still works, a wildcard that loopback-only would rewrite onto a denied
# address is denied too) and --force ::1 on AF_INET sockets (refused with
# EADDRNOTAVAIL and reported, never bound elsewhere; the AF_INET6 socket
# of the same program is forced to ::1).

fresh
# shellcheck disable=SC2086 # the specs, as words
start "$PY" "$P/bindtry.py" "$D/try.out" $SPECS
wait_text "$D/try.out" ready
echo "try=$(head -n 1 "$D/try.out")"
for port in $PORTS; do
	echo "ss$port=$(listening "$port")"
done
echo "all=$(ss -Hltnup | wc -l)"
stop
echo "binds=$(binds)"
echo "failed=$(failed)"
