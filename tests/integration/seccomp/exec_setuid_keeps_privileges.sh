# shellcheck shell=sh
# shellcheck source=tests/integration/seccomp/common.sh
. "$BW_IT/seccomp/common.sh"
#
# Unprivileged, the exec hook's filter needs no_new_privs, which would take
# its privileges from a set-user-ID program: such a program is executed
# unfiltered, as it would have been (a set-user-ID root copy of sc_probe
# binds port 80), and nothing is said.  The same program without the bit
# is filtered, and no_new_privs is said once.
mkdir u && chmod 777 u
cp "$FIX/sc_probe" u/suid_probe && chmod 4755 u/suid_probe
cd u || exit 1
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
# shellcheck disable=SC2086 # the command, as words
echo "suid=$($NOBODY "$BW" --json -o suid.json -- "$FIX/exec_via" fork \
    "$PWD/suid_probe" raw 127.0.0.1 80 < /dev/null 2> /dev/null)"
echo "suid_sources=$(sources suid.json)"
echo "suid_nnp=$(summary_jq suid.json '[.warnings[] | select(.kind == "no-new-privs")] | length')"
# shellcheck disable=SC2086
echo "plain=$($NOBODY "$BW" --json -o plain.json -- "$FIX/exec_via" fork \
    "$FIX/sc_probe" raw 127.0.0.1 9240 < /dev/null 2> /dev/null)"
echo "plain_sources=$(sources plain.json)"
echo "plain_nnp=$(summary_jq plain.json '[.warnings[] | select(.kind == "no-new-privs")] | length')"
