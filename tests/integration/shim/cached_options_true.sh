# shellcheck shell=sh
#
# The socket cache never reports options the socket no longer has: after
# each bind of sockopt_truth (options changed through a dup, the other
# side of a fork, syscall(2), dup2 onto the descriptor, closefrom and a
# reused number) the event says what getsockopt says.

BINDWATCH_FORMAT=json LD_PRELOAD=$LIB "$FIX/sockopt_truth" > t.out 2> t.json
echo "status=$?"
json_ok t.json || exit 93
sed -n 's/^truth: //p' t.out > truth
jq -rs '[.[] | select(.type == "bind")] | .[1:] | .[] |
    "\(.fd) \(.ret) \(.proto)" +
    " reuseaddr=\(.options | index("reuseaddr") != null | if . then 1 else 0 end)" +
    " reuseport=\(.options | index("reuseport") != null | if . then 1 else 0 end)" +
    " v6only=\(.options | index("v6only") != null | if . then 1 else 0 end)"' t.json > events
echo "truths=$(wc -l < truth)"
echo "events=$(same "$(cat events)" "$(cat truth)")"
# The holder's, not the file's that took a stale socket's number.
echo "listens=$(jq -s '[.[] | select(.type == "listen")] | length' t.json)"
