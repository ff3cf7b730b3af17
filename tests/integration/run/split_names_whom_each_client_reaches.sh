# shellcheck shell=sh
#
# The story with two servers that answer with their pid: Perl outside the
# run holds [::1]:3010, Perl under bindwatch falls back to 127.0.0.1:3010.
# Each real client of localhost:3010 (nc, curl, Python, node) must reach
# the pid that the summary's split warning and `which --json` name for its
# kind of client; curl and nc must reach different ones (the claim is
# not vacuous).

cat > srv.pl <<'PERL'
use IO::Socket::IP;
my $s = IO::Socket::IP->new(LocalHost => "localhost", LocalPort => 3010,
    Listen => 16) or die "bind: $!";
$| = 1;
print "LISTENING $$\n";
while (my $c = $s->accept) {
	while (my $l = <$c>) { last if $l =~ /^\r?\n$/ }
	print $c "HTTP/1.0 200 OK\r\nContent-Length: " . length($$) .
	    "\r\nConnection: close\r\n\r\n$$";
	close $c;
}
PERL
perl srv.pl > holder &
holder=$!
bw_wait_listen '[::1]:3010' || exit 90
"$BW" --json --timeout 30 -o report -- perl srv.pl > /dev/null 2>&1 &
bw=$!
bw_wait_listen 127.0.0.1:3010 || exit 91
"$BW" which --json localhost:3010 > which.json

PY=/usr/bin/python3
[ -x $PY ] || PY=python3
nc=$(printf 'GET / HTTP/1.0\r\n\r\n' | nc -N localhost 3010 | tail -n 1)
curl=$(curl -s http://localhost:3010/)
python=$($PY -c 'import urllib.request
print(urllib.request.urlopen("http://localhost:3010/", timeout=5).read().decode())')
node=$(node -e 'require("http").get("http://localhost:3010/", (r) => {
	let b = ""; r.on("data", (d) => b += d); r.on("end", () => console.log(b));
});')
kill -TERM $bw
wait $bw
kill $holder

# KIND PID: does the summary, and does which, name PID for KIND?
named() {
	_s=$(summary_jq report ".warnings[] | select(.kind == \"split-localhost\")
	    | .reached_by[] | select(.client == \"$1\") | .pid")
	_w=$(jq -r ".reached_by[] | select(.client == \"$1\") | .pid" which.json)
	if [ "$_s" = "$2" ] && [ "$_w" = "$2" ]; then
		echo yes
	else
		echo "client $2, summary $_s, which $_w"
	fi
}
echo "nc=$(named getaddrinfo-order "$nc")"
echo "python=$(named getaddrinfo-order "$python")"
echo "curl=$(named curl "$curl")"
echo "node=$(named node "$node")"
echo "differ=$([ -n "$nc" ] && [ "$nc" != "$curl" ] && echo yes)"
echo "reached=$(same "$(summary_jq report '.warnings[] | select(.kind == "split-localhost") | .reached.pid')" "$nc")"
