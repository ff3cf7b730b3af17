# shellcheck shell=sh
#
# The filtered command is started by a child that shares bindwatch's
# memory until it executes (vspawn.c): exit statuses and the messages of a
# command that cannot be run are the same as without the filter.
"$BW" -q --seccomp=all -- true 2> /dev/null; echo "true=$?"
"$BW" -q --seccomp=all -- sh -c 'exit 7' 2> /dev/null; echo "exit7=$?"
"$BW" -q --seccomp=all -- ./nowhere 2> nf.err; echo "notfound=$?"
printf '#!/bin/sh\n' > noexec
chmod 644 noexec
"$BW" -q --seccomp=all -- ./noexec 2> ne.err; echo "noexec=$?"
echo "said=$(grep -c 'command not found' nf.err) $(grep -c 'Permission denied' ne.err)"
"$BW" -q --seccomp=all -- "$FIX/sc_probe" raw 127.0.0.1 8990 < /dev/null > out 2> /dev/null
echo "ran=$(cat out)"
