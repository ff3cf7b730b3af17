# shellcheck shell=sh
#
# bindwatch is SIGKILLed while a server runs under it: the server keeps
# serving, its binds after the kill (more records than the ring holds,
# nobody reading) return promptly and keep errno, nothing raises SIGPIPE
# in it, and it exits normally (its shell parent records the status).

PY=/usr/bin/python3
[ -x $PY ] || PY=python3
get() {
	$PY -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", 4700), timeout=5)
s.sendall(b"hi\n"); print(s.recv(100).decode().strip())'
}
# shellcheck disable=SC2016 # the inner shell's variables
"$BW" --json -o rep -- sh -c '"$FIX/serve_trigger" 4700 "$D" > "$D/srv" 2>&1;
    echo "EXIT $?" > "$D/exit"' &
bw=$!
bw_wait_listen 127.0.0.1:4700 || exit 90
echo "before=$(get)"
kill -KILL $bw
wait $bw
echo "bw_status=$?"
echo "after=$(get)"
touch rebind
rebound() { grep -q REBIND srv; }
# as long as 15 s: 2,000 rounds, maybe under a sanitizer
bw_until_n 300 'no REBIND' rebound
echo "again=$(get)"
touch stop
ended() { [ -s exit ]; }
bw_until_n 300 'no exit' ended
echo "rebind=$(grep REBIND srv)"
echo "rebind_ms=$(sed -n 's/.*REBIND OK MS \([0-9]*\).*/\1/p' srv)"
echo "errno0=$(grep -c ' ERRNO 0$' srv)"
echo "bye=$(grep -c 'BYE served=3$' srv)"
# 141 would be SIGPIPE.
echo "exit=$(cat exit)"
sed 's/^/srv: /' srv >&2
