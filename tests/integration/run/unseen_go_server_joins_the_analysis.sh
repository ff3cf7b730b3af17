# shellcheck shell=sh
#
# A Go server (built here with go build; cgo, so the shim is loaded, but Go
# binds with raw system calls), without the seccomp supervisor
# (--seccomp=off): on ":4300" (dual-stack [::]) under
# --loopback-only it stays on the wildcard, which the summary must call
# exposed and policy-not-applied.  On [::1]:4301 beside a holder of
# 127.0.0.1:4301 outside the run, the summary must see the split, and the
# client kinds must reach whom it names (curl the holder, nc the Go pid).

export GOCACHE="$D/gocache" GO111MODULE=off
go build -o gol "$BW_SRC/tests/fixtures/go_listener.go" || exit 90

"$BW" --seccomp=off --loopback-only --json --timeout 2 -o report -- ./gol :4300 > out 2>&1 &
bw=$!
bw_wait_listen '*:4300' || exit 91
bw_ss > ss
wait $bw
pid=$(number_after out 'LISTENING ')
echo "ss=$(same "$(ss_owner '*:4300' ss | cut -d ' ' -f 2)" "$pid")"
echo "exposed=$(same "$(summary_jq report '.warnings[] | select(.kind == "exposed") | "\(.pid) \(.addr):\(.port)"')" "$pid :::4300")"
echo "notapplied=$(same "$(summary_jq report '.warnings[] | select(.kind == "policy-not-applied") | "\(.pid) \(.comm) \(.addr):\(.port) \(.action)"')" "$pid gol :::4300 confine")"

PY=/usr/bin/python3
[ -x $PY ] || PY=python3
$PY -c 'import socket, os, time
s = socket.socket(); s.bind(("127.0.0.1", 4301)); s.listen(8)
print("HOLDER", os.getpid(), flush=True)
while True:
    c, _ = s.accept(); c.recv(1024)
    b = str(os.getpid()).encode()
    c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(b), b)); c.close()' > holder &
h=$!
bw_wait_listen 127.0.0.1:4301 || exit 92
# The timeout ends the run: bindwatch looks at the kernel then (a Go server
# sends no event that would make it look sooner).
"$BW" --seccomp=off --json --timeout 2 -o split -- ./gol '[::1]:4301' > out2 2>&1 &
bw=$!
bw_wait_listen '[::1]:4301' || exit 93
nc=$(printf 'GET / HTTP/1.0\r\n\r\n' | nc -N localhost 4301 | tail -n 1)
curl=$(curl -s http://localhost:4301/)
wait $bw
kill $h
gpid=$(number_after out2 'LISTENING ')
hpid=$(number_after holder 'HOLDER ')
echo "split=$(same "$(summary_jq split '.warnings[] | select(.kind == "split-localhost") | "\(.ipv6[0].pid) \(.ipv6[0].in_run) \(.ipv4[0].pid)"')" "$gpid true $hpid")"
echo "nc=$(same "$(summary_jq split '.warnings[] | select(.kind == "split-localhost") | .reached_by[] | select(.client == "getaddrinfo-order") | .pid')" "$nc")"
echo "curl=$(same "$(summary_jq split '.warnings[] | select(.kind == "split-localhost") | .reached_by[] | select(.client == "curl") | .pid')" "$curl")"
echo "differ=$([ "$nc" = "$gpid" ] && [ "$curl" = "$hpid" ] && echo yes)"
