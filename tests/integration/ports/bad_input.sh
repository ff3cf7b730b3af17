# shellcheck shell=sh
#
# Bad input: exit 125 and exactly one line "bindwatch: ..." on stderr.
# NAME ARG...: NAME=ok, else what bindwatch ARG... did.  Outside the
# namespaces.

bad() {
	_name=$1
	_want=$2
	shift 2
	"$BW" "$@" > /dev/null 2> err
	_rc=$?
	_seen="status=$_rc lines=$(wc -l < err) err=$(head -n 1 err)"
	case $_seen in
	"status=125 lines=1 err=bindwatch: "*)
		# one line, and that line ends; where given, word for word
		[ "$(tail -c 1 err | od -An -c | tr -d ' ')" = '\n' ] &&
		    { [ -z "$_want" ] || [ "$(cat err)" = "bindwatch: $_want" ]; } &&
		    _seen=ok ;;
	esac
	echo "$_name=$_seen"
}
# What was typed is escaped as the live lines escape it (\xNN), by the one
# helper of every subcommand (tools/usage.c).
bad ports_bogus 'ports: unknown option: --bogus' ports --bogus
bad ports_x 'ports: unknown option: -x' ports -x
bad ports_json_yes 'ports: option takes no value: --json=yes' ports --json=yes
bad ports_70000 '' ports 70000
bad ports_0 '' ports 0
bad ports_30x 'ports: not a port (1-65535): 30x' ports 30x
bad ports_esc 'ports: not a port (1-65535): a\x1b b' ports "$(printf 'a\033 b')"
bad which '' which
bad which_no_port '' which localhost
bad which_bare_v6 '' which ::1:3000
bad which_open_bracket '' which '[::1:3000'
bad which_v6_no_port '' which '[::1]'
bad which_empty_port '' which localhost:
bad which_no_host '' which :3000
bad which_99999 '' which localhost:99999
bad which_extra '' which localhost:3000 extra
bad which_nope 'which: unknown option: --nope' which --nope localhost:3000
bad which_long_esc 'which: unknown option: --a\x1b' which "$(printf -- '--a\033')" x:1
bad which_short_esc 'which: unknown option: -\x1b' which "$(printf -- '-\033')" x:1
bad run_bogus '--bogus: unknown option' --bogus true
bad run_short '-Z: unknown option' -Z true
bad run_json_1 '--json=1: option takes no value' --json=1 true
bad run_force '--force needs a value' --force
bad run_o '-o needs a value' -o
