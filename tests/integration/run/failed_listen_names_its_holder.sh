# shellcheck shell=sh
#
# A listen that fails is in the summary's failed list with who holds the
# address (issue 13, item 1): two SO_REUSEADDR sockets bound to one
# address, both bind, the second listen gets EADDRINUSE.  The program stays
# up until the timeout ends it, so its listener is there when bindwatch
# asks who holds the address.

# shellcheck disable=SC2016 # the program's own text
prog='import socket, sys, time
s = []
for i in range(2):
    a = socket.socket()
    a.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    a.bind(("127.0.0.1", 4700))
    s.append(a)
s[0].listen(5)
try:
    s[1].listen(5)
except OSError:
    open(sys.argv[1], "w").close()
time.sleep(30)'
"$BW" --json -o j --timeout 30 -- python3 -c "$prog" "$D/failed" &
bw=$!
bw_until 'no failed listen' test -e failed || exit 91
bw_wait_grep j '"type":"listen".*"errno":"EADDRINUSE"' || exit 92
kill -TERM $bw
wait $bw
echo "status=$?"
echo "failed=$(jq -r 'select(.type=="summary") | .failed[] | "\(.call) \(.addr):\(.port) \(.errno) \(.holder.comm)"' j)"
echo "holder_is_it=$(jq -r 'select(.type=="summary") | (.failed[0].holder.pid == .listening[0].pid)' j)"
"$BW" -o t --timeout 30 -- python3 -c "$prog" "$D/failed2" &
bw=$!
bw_until 'no failed listen' test -e failed2 || exit 93
bw_wait_grep t 'listen([0-9]*, 5) = -1 EADDRINUSE' || exit 94
kill -TERM $bw
wait $bw
echo "text=$(grep -c '^ *failed .*127\.0\.0\.1:4700  EADDRINUSE at listen, held by pid [0-9]* (python3)$' t)"
