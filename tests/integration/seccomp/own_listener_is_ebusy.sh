# shellcheck shell=sh
#
# Run under a seccomp listener of its own (a sandbox's), bindwatch cannot
# add its own (EBUSY): the command runs all the same, with a warning, and
# its socket is reported as unseen.
"$FIX/sc_probe" own "$BW" --json -o run.json --timeout 2 -- \
    "$FIX/sc_probe" raw 127.0.0.1 8500 < /dev/null > out 2> err
echo "status=$?"
echo "ran=$(grep -c LISTENING out)"
echo "warned=$(summary_jq run.json '[.warnings[] | select(.kind == "seccomp") | .message] | join(" ")')"
