# shellcheck shell=sh
# shellcheck source=tests/integration/seccomp/common.sh
. "$BW_IT/seccomp/common.sh"
#
# Blind images executed below a command the shim sees, each filtered by
# the exec hook: from a vfork child (the hook runs in the parent's
# memory), two at once (two listeners served side by side), by the
# l-variants, through system(3), and after an exec that failed: execvp of
# a missing program keeps its ENOENT and the program goes on; an execv
# the kernel refuses (EACCES) after the filter was installed leaves the
# process filtered, and what it runs next is supervised all the same.
bw_reap

"$BW" --json --timeout 3 -o vfork.json -- \
    "$FIX/exec_via" vfork "$FIX/sc_probe" raw 127.0.0.1 9210 \
    < in > vfork.out 2>&1 &
bw_wait_listen 127.0.0.1:9210 || exit 1
echo "vfork_reached=$(hello 127.0.0.1 9210)"
wait
echo "vfork_sources=$(sources vfork.json)"
echo "vfork_unseen=$(unseen vfork.json)"

# The l-variants, which build the argument vector themselves (execlp
# finds sc_probe along PATH).
# shellcheck disable=SC2016 # the inner shell's variables
"$BW" --json --timeout 3 -o l.json -- sh -c '
    PATH="$FIX:$PATH" "$FIX/exec_via" execlp sc_probe raw 127.0.0.1 9215 < in &
    "$FIX/exec_via" execle "$FIX/sc_probe" raw 127.0.0.1 9216 < in &
    wait' > l.out 2>&1 &
bw_wait_listen 127.0.0.1:9215 || exit 1
bw_wait_listen 127.0.0.1:9216 || exit 1
echo "l_reached=$(hello 127.0.0.1 9215) $(hello 127.0.0.1 9216)"
wait
echo "l_sources=$(sources l.json)"

# shellcheck disable=SC2016 # the inner shell's variables
"$BW" --json --timeout 3 -o two.json -- sh -c '
    "$FIX/sc_probe" raw 127.0.0.1 9211 < in &
    "$FIX/sc_probe" raw 127.0.0.1 9212 < in &
    wait' > two.out 2>&1 &
bw_wait_listen 127.0.0.1:9211 || exit 1
bw_wait_listen 127.0.0.1:9212 || exit 1
echo "two_reached=$(hello 127.0.0.1 9211) $(hello 127.0.0.1 9212)"
wait
echo "two_sources=$(sources two.json)"
echo "two_pids=$(jq -r 'select(.type == "listen") | .pid' two.json | sort -u | wc -l)"
echo "two_unseen=$(unseen two.json)"

# system(3): libc spawns /bin/sh past the hooks, and the shell's exec of
# the command is hooked.
"$BW" --json --timeout 3 -o system.json -- "$PY" -c 'import os, sys
os.system(sys.argv[1] + " raw 127.0.0.1 9217 < in")' "$FIX/sc_probe" \
    > system.out 2>&1 &
bw_wait_listen 127.0.0.1:9217 || exit 1
echo "system_reached=$(hello 127.0.0.1 9217)"
wait
echo "system_sources=$(sources system.json)"

"$BW" --json --timeout 3 -o missing.json -- \
    "$FIX/exec_via" missing "$FIX/sc_probe" raw 127.0.0.1 9213 \
    < in > missing.out 2>&1 &
bw_wait_listen 127.0.0.1:9213 || exit 1
echo "missing=$(grep FAILED missing.out)"
echo "missing_reached=$(hello 127.0.0.1 9213)"
wait
echo "missing_sources=$(sources missing.json)"

cp "$FIX/sc_probe" noexec_probe && chmod 644 noexec_probe
"$BW" --json --timeout 3 -o noexec.json -- \
    "$FIX/exec_via" "noexec:$D/noexec_probe" "$FIX/sc_probe" raw \
    127.0.0.1 9214 < in > noexec.out 2>&1 &
bw_wait_listen 127.0.0.1:9214 || exit 1
echo "noexec=$(grep FAILED noexec.out)"
echo "noexec_reached=$(hello 127.0.0.1 9214)"
wait
echo "noexec_sources=$(sources noexec.json)"
