# shellcheck shell=sh
#
# AF_UNIX and netlink binds are notified too (the family sits behind a
# pointer): they go on at once, untouched by the policy, and are not
# reported.
echo "result=$("$BW" --force 127.0.0.1 --json -o run.json -- \
    "$FIX/sc_probe" local "$D/sock" 2> /dev/null)"
echo "socket=$(test -S "$D/sock" && echo yes)"
echo "reported=$(grep -c '"type":"bind"\|"type":"listen"' run.json)"
