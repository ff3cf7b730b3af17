# shellcheck shell=sh
# shellcheck source=tests/integration/policy/refused.sh
. "$BW_IT/policy/refused.sh"
#
# Invalid options: exit 125, one line on stderr naming the option and the
# value, and the command never ran (refused.sh).  The first is valid.

accepted valid env "$BW" --force 127.0.0.1 --loopback-only --map-port 80=8080 \
    --deny '[::1]:80' --resolve localhost=::1 --ipv4 --
refused force_addr --force 1.2.3.x env "$BW" --force 1.2.3.x --
refused force_name --force localhost env "$BW" --force localhost --
refused map_empty --map-port 8080= env "$BW" --map-port 8080= --
refused map_range --map-port 70000=1 env "$BW" --map-port 70000=1 --
refused map_twice --map-port 80=8081 env "$BW" --map-port 80=8080 --map-port 80=8081 --
refused families --ipv4 --ipv6 env "$BW" --ipv4 --ipv6 --
refused resolve_no_addr --resolve localhost env "$BW" --resolve localhost --
refused resolve_addr --resolve 1.2.3.x env "$BW" --resolve localhost=::1,1.2.3.x --
refused deny_bracket --deny '[::1' env "$BW" --deny '[::1' --
refused deny_port --deny 127.0.0.1:70000 env "$BW" --deny 127.0.0.1:70000 --
refused force_family ::1 IPv4 env "$BW" --force ::1 --ipv4 --
refused force_not_loopback 10.1.2.3 loopback env "$BW" --force 10.1.2.3 --loopback-only --
# What the CLI passes on from the environment must parse too.
refused env_deny BINDWATCH_DENY nope env BINDWATCH_DENY=nope "$BW" --ipv4 --
