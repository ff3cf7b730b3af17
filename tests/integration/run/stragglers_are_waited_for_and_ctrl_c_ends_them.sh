# shellcheck shell=sh
#
# sh exits at once; the sleep it left behind is the tree's last process:
# bindwatch waits for it, says so, and SIGINT ends it.

# shellcheck disable=SC2016 # the inner shell's variables
"$BW" -- sh -c 'sleep 30 & echo $! > "$D/straggler"; exit 5' 2> text &
bw=$!
bw_wait_grep text 'waiting for 1 more process' || exit 93
S=$(cat straggler)
echo "alive=$(kill -0 "$S" && echo yes)"
kill -INT $bw
wait $bw
echo "status=$?"
echo "gone=$(kill -0 "$S" 2>/dev/null || echo yes)"
echo "killed=$(count text 'sleep: killed by SIGTERM')"
