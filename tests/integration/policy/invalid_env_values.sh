# shellcheck shell=sh
# shellcheck source=tests/integration/policy/refused.sh
. "$BW_IT/policy/refused.sh"
#
# Invalid BINDWATCH_* values for the bare shim: exit 125, one line on
# stderr naming the variable and the value, and the command never ran
# (refused.sh).  The first is valid.

accepted valid env LD_PRELOAD="$LIB" BINDWATCH_FORCE=127.0.0.1 \
    BINDWATCH_LOOPBACK_ONLY=1 BINDWATCH_RESOLVE='localhost=::1;x=1.2.3.4' \
    BINDWATCH_FAMILY=4 BINDWATCH_MAP_PORT=80=8080,443=8443 \
    BINDWATCH_DENY='127.0.0.2,[::1]:80'
refused force_addr BINDWATCH_FORCE 1.2.3.x env LD_PRELOAD="$LIB" BINDWATCH_FORCE=1.2.3.x
refused force_name BINDWATCH_FORCE localhost env LD_PRELOAD="$LIB" BINDWATCH_FORCE=localhost
refused loopback BINDWATCH_LOOPBACK_ONLY yes env LD_PRELOAD="$LIB" BINDWATCH_LOOPBACK_ONLY=yes
refused resolve_no_addr BINDWATCH_RESOLVE localhost env LD_PRELOAD="$LIB" BINDWATCH_RESOLVE=localhost
refused resolve_addr BINDWATCH_RESOLVE 1.2.3.x env LD_PRELOAD="$LIB" 'BINDWATCH_RESOLVE=localhost=::1;x=1.2.3.x'
refused family_5 BINDWATCH_FAMILY 5 env LD_PRELOAD="$LIB" BINDWATCH_FAMILY=5
refused family_name BINDWATCH_FAMILY inet env LD_PRELOAD="$LIB" BINDWATCH_FAMILY=inet
refused map_empty BINDWATCH_MAP_PORT 8080= env LD_PRELOAD="$LIB" BINDWATCH_MAP_PORT=8080=
refused map_range BINDWATCH_MAP_PORT 70000=1 env LD_PRELOAD="$LIB" BINDWATCH_MAP_PORT=70000=1
refused map_comma BINDWATCH_MAP_PORT 80=8080, env LD_PRELOAD="$LIB" BINDWATCH_MAP_PORT=80=8080,
refused deny_bracket BINDWATCH_DENY '[::1' env LD_PRELOAD="$LIB" 'BINDWATCH_DENY=[::1'
refused force_family ::1 IPv4 env LD_PRELOAD="$LIB" BINDWATCH_FORCE=::1 BINDWATCH_FAMILY=4
refused format BINDWATCH_FORMAT xml env LD_PRELOAD="$LIB" BINDWATCH_FORMAT=xml
# The CLI's own variables are checked as strictly.
refused collector_fd BINDWATCH_COLLECTOR_FD 700 env LD_PRELOAD="$LIB" \
    BINDWATCH_COLLECTOR=/nonexistent BINDWATCH_COLLECTOR_FD=700
refused collector_fd_syntax BINDWATCH_COLLECTOR_FD 7:x env LD_PRELOAD="$LIB" \
    BINDWATCH_COLLECTOR=/nonexistent BINDWATCH_COLLECTOR_FD=7:x
