# shellcheck shell=sh
# shellcheck source=tests/integration/policy/common.sh
. "$BW_IT/policy/common.sh"
#
# --resolve localhost=::1,127.0.0.1 while /etc/hosts says 127.0.0.1 only:
# IO::Socket::IP walks the list we return.  Alone, it gets [::1].

# The real resolver gives one address: the list in the events is ours.
echo "hosts=$(perl -MSocket -e 'my ($e, @r) = Socket::getaddrinfo("localhost", 0, {socktype => 1}); print scalar @r')"
fresh
"$UNDER" perl "$P/srv.pl" localhost 13000 > "$D/srv.out" &
PID=$!
wait_listen 13000
wait_text "$D/srv.out" bound
echo "ss=$(listening 13000)"
echo "srv=$(cat "$D/srv.out")"
stop
echo "gai=$(gai localhost)"
echo "binds=$(binds)"
