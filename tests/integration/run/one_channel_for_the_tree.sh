# shellcheck shell=sh
#
# The tree shares one connection to the collector (BINDWATCH_COLLECTOR_FD):
# every image finds it at the number and inode the variable names and
# makes no connection of its own.  An image that closed it, or put
# another file at its number, connects instead: its events arrive all
# the same, and that file gets nothing.  Below 701 descriptors there is
# no shared connection, and every image connects.

C="$BW_IT/run/child.py"
export C
# shellcheck disable=SC2016 # the inner shell's variables
"$BW" --json -q -o report -- sh -c '
  v=$BINDWATCH_COLLECTOR_FD
  echo "channel=$(readlink /proc/self/fd/${v%%:*}) inode=${v#*:}"
  python3 "$C" kept 4601
  python3 "$C" closed 4602
  python3 "$C" replaced 4603' > c.out
echo "status=$?"
CHANNEL=$(sed -n 's/^channel=socket:\[\([0-9]*\)\] inode=.*/\1/p' c.out)
echo "channel=$(same "$CHANNEL" "$(sed -n 's/^channel=.* inode=//p' c.out)")"
# an image that connected on its own would have more
echo "kept=$(sed -n 's/^from 700: //p' c.out)"
echo "notours=$(wc -c < notours)"
# shellcheck disable=SC2016,SC3045 # the inner shell's variables; dash has ulimit -n
(ulimit -n 256; "$BW" --json -q -o report2 -- sh -c \
    'echo "${BINDWATCH_COLLECTOR_FD:-no channel}"; python3 "$C" kept 4604') > low.out
echo "low_channel=$(head -n 1 low.out)"
echo "low_listening=$(summary_jq report2 '.listening | map(.port) | join(",")')"
echo "summary=$(summary_jq report '"\(.lost_events) \(.listening | map(.port) | sort | map(tostring) | join(","))"')"
