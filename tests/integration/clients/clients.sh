# shellcheck shell=sh
#
# Client programs for the scenarios: `client NAME HOST PORT` connects the
# way NAME does and prints the pid the server answered with.

# shellcheck disable=SC2016 # the programs' own variables
client() {
	case $1 in
	nc)	nc -w 2 "$2" "$3" < /dev/null ;;
	curl)	curl -s --max-time 2 "telnet://$2:$3" < /dev/null ;;
	python)	python3 -c 'import socket, sys
c = socket.create_connection((sys.argv[1], int(sys.argv[2])))
print(c.recv(64).decode().strip())' "$2" "$3" ;;
	asyncio) python3 -c 'import asyncio, sys
async def main():
    r, w = await asyncio.open_connection(sys.argv[1], int(sys.argv[2]))
    print((await r.readline()).decode().strip())
    w.close()
asyncio.run(main())' "$2" "$3" ;;
	node|node_auto)
		node -e 'const net = require("net");
const s = net.connect({host: process.argv[1], port: +process.argv[2],
    autoSelectFamily: process.argv[3] === "true"});
s.on("error", e => { console.log("error " + e.code + " " + e.address); });
s.on("data", d => { process.stdout.write(String(d)); s.end(); });' \
		    "$2" "$3" "$([ "$1" = node_auto ] && echo true || echo false)" ;;
	perl)	perl -MIO::Socket::IP -e '$c = IO::Socket::IP->new(
    PeerHost => $ARGV[0], PeerPort => $ARGV[1]) or die "$@\n";
print scalar <$c>;' "$2" "$3" ;;
	esac
}

# FILE: the peer pid of the last connect that succeeded in a --json report.
peer_pid() {
	jq -r 'select(.type=="connect" and .ret==0) | .peer.pid' "$1" | tail -n 1
}

# PORT NAME FILE: start pidsrv on ADDR PORT, wait until it listens, its
# pid in FILE.
pidsrv() {
	rm -f "$D/ready.$3"
	python3 "$BW_IT/clients/pidsrv.py" "$1" "$2" "$D/ready.$3" &
	echo $! > "$3"
	bw_until "pidsrv $1 $2" test -s "$D/ready.$3"
}
