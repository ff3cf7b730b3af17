# shellcheck shell=sh
#
# A forking server that re-execs itself: the parent, 4 children and the
# exec'd image each listen on their own, and the report has them all.

"$BW" --json -o report -- "$FIX/forker" 4 > out 2> err
echo "status=$?"
json_ok report || exit 93
echo "parent=$(number_after out 'PARENT ')"
echo "listening_pids=$(summary_jq report '.listening | map(.pid) | unique | length')"
echo "processes=$(summary_jq report '.processes | map(.pid) | unique | length')"
# the first image and the re-exec
echo "execs=$(grep -F '"type":"exec"' report | grep -cF forker)"
echo "lost=$(summary_jq report '.lost_events')"
sed 's/^/stderr: /' err >&2
