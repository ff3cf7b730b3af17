# shellcheck shell=sh
#
# A value the shim cannot parse: exit 125 before the program runs, one
# line on stderr naming the variable.  The good values beside them start.
# NAME VAR VALUE: what the program under VAR=VALUE did, as NAME=.

t() {
	env "$2=$3" LD_PRELOAD="$LIB" "$FIX/gai_walker" 127.0.0.1 0 0 > o 2> e
	echo "$1=status=$? lines=$(wc -l < e) out=$(wc -c < o)" \
	    "named=$(grep -c "^bindwatch: $2=" e)"
	sed "s/^/$1: /" e >&2
}
t bad0 BINDWATCH_FORMAT xml
t bad1 BINDWATCH_FORCE not-an-ip
t bad2 BINDWATCH_FORCE 999.1.1.1
t bad3 BINDWATCH_LOOPBACK_ONLY yes
t bad4 BINDWATCH_RESOLVE garbage
t bad5 BINDWATCH_RESOLVE localhost=not-an-ip
t bad6 BINDWATCH_FAMILY 5
t bad7 BINDWATCH_MAP_PORT abc
t bad8 BINDWATCH_MAP_PORT 80=70000
t bad9 BINDWATCH_DENY not-an-address
t good0 BINDWATCH_FORMAT json
t good1 BINDWATCH_FORCE 127.0.0.1
t good2 BINDWATCH_LOOPBACK_ONLY 1
t good3 BINDWATCH_RESOLVE localhost=127.0.0.1
t good4 BINDWATCH_FAMILY 4
t good5 BINDWATCH_MAP_PORT 80=8080
t good6 BINDWATCH_DENY 10.0.0.1
