# shellcheck shell=sh
# shellcheck source=tests/integration/seccomp/common.sh
. "$BW_IT/seccomp/common.sh"
#
# The supervisor binds with its own credentials.  Run as root, it must not
# give port 80 to a target without CAP_NET_BIND_SERVICE: EACCES, as bare.
# Run unprivileged, it sets no_new_privs (and says so), and a target that
# made itself non-dumpable cannot be read: under a policy its bind is
# refused with EACCES and a warning, never let through unchecked.
NOCAP="setpriv --bounding-set=-net_bind_service --inh-caps=-net_bind_service"
# shellcheck disable=SC2086 # the command, as words
echo "bare=$($NOCAP "$FIX/sc_probe" raw 127.0.0.1 80 < /dev/null)"
# shellcheck disable=SC2086
echo "supervised=$("$BW" --seccomp=all --json -o root.json -- \
    $NOCAP "$FIX/sc_probe" raw 127.0.0.1 80 < /dev/null 2> /dev/null)"
echo "errno=$(jq -r 'select(.type == "bind") | .errno' root.json)"
echo "root_nnp=$(summary_jq root.json '[.warnings[] | select(.kind == "no-new-privs")] | length')"

mkdir u && chmod 777 u
cd u || exit 1
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
# shellcheck disable=SC2086
echo "nodump=$($NOBODY "$BW" --force 127.0.0.1 --json -o run.json -- \
    "$FIX/sc_probe" nodump raw 0.0.0.0 8950 < /dev/null 2> /dev/null)"
echo "nodump_binds=$(jq -r 'select(.type == "bind")' run.json | grep -c '"type"')"
echo "unreadable=$(summary_jq run.json '[.warnings[] | select(.kind == "seccomp-unreadable")] | length')"
echo "nnp=$(summary_jq run.json '[.warnings[] | select(.kind == "no-new-privs") | .message] | join(" ")')"
# shellcheck disable=SC2086
echo "dumpable=$($NOBODY "$BW" -q --force 127.0.0.1 -- \
    "$FIX/sc_probe" raw 0.0.0.0 8951 < /dev/null 2> /dev/null)"
