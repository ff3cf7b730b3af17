# shellcheck shell=sh
#
# Bad input: exit 125 and exactly one line "bindwatch: ..." on stderr.
# NAME ARG...: NAME=ok, else what bindwatch ARG... did.  Outside the
# namespaces.

bad() {
	_name=$1
	shift
	"$BW" "$@" > /dev/null 2> err
	_rc=$?
	_seen="status=$_rc lines=$(wc -l < err) err=$(head -n 1 err)"
	case $_seen in
	"status=125 lines=1 err=bindwatch: "*)
		# one line, and that line ends
		[ "$(tail -c 1 err | od -An -c | tr -d ' ')" = '\n' ] && _seen=ok ;;
	esac
	echo "$_name=$_seen"
}
bad ports_bogus ports --bogus
bad ports_x ports -x
bad ports_json_yes ports --json=yes
bad ports_70000 ports 70000
bad ports_0 ports 0
bad ports_30x ports 30x
bad which which
bad which_no_port which localhost
bad which_bare_v6 which ::1:3000
bad which_open_bracket which '[::1:3000'
bad which_v6_no_port which '[::1]'
bad which_empty_port which localhost:
bad which_no_host which :3000
bad which_99999 which localhost:99999
bad which_extra which localhost:3000 extra
bad which_nope which --nope localhost:3000
