# shellcheck shell=sh
#
# The check of invalid_cli_options.sh and invalid_env_values.sh.
# NAME WANT1 WANT2 CMD...: CMD (the runner, then `touch MARKER`) must be
# refused: exit 125, exactly one line on stderr, from bindwatch, naming
# both WANT1 and WANT2 (the option or variable, and the value), and the
# command never ran.  Prints NAME=ok, else NAME= what was seen.
refused() {
	_name=$1 _w1=$2 _w2=$3
	shift 3
	_seen=$(observe "$@")
	case $_seen in
	"rc=125 lines=1 marker=no err=bindwatch: "*"$_w1"*)
		case ${_seen#*err=} in
		*"$_w2"*) _seen=ok ;;
		esac ;;
	esac
	echo "$_name=$_seen"
}

# NAME CMD...: the valid case, so the check itself can tell the
# difference: CMD exits 0 and the command ran.
accepted() {
	_name=$1
	shift
	_seen=$(observe "$@")
	case $_seen in
	"rc=0 "*" marker=yes "*) _seen=ok ;;
	esac
	echo "$_name=$_seen"
}

observe() {
	rm -f "$D/marker"
	"$@" touch "$D/marker" > /dev/null 2> "$D/err"
	_rc=$?
	echo "rc=$_rc lines=$(wc -l < "$D/err") marker=$([ -e "$D/marker" ] && echo yes || echo no) err=$(head -n 3 "$D/err" | tr '\n' '|')"
}
