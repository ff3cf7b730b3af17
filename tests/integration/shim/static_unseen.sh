# shellcheck shell=sh
#
# A static program ignores LD_PRELOAD: it works, and nothing is said.

LD_PRELOAD=$LIB "$FIX/static_listener" 127.0.0.1 3000 30 > s.out 2> s.err &
bw_wait_grep s.out LISTENING || exit 90
bw_wait_listen 127.0.0.1:3000 || exit 91
PID=$(number_after s.out 'LISTENING 127\.0\.0\.1 3000 ')
echo "pid=$PID"
echo "stderr=$(wc -c < s.err)"
echo "static=$(readelf -d "$FIX/static_listener" | grep -q NEEDED || echo yes)"
# shellcheck disable=SC2016 # Perl's variables
echo "reply=$(same "$(perl -MIO::Socket::IP -e '$s = IO::Socket::IP->new(
    PeerHost => "127.0.0.1", PeerPort => 3000) or die; print scalar <$s>')" "$PID")"
echo "ss=$(same "$(ss_owner 127.0.0.1:3000 | cut -d ' ' -f 1,2)" "static_listener $PID")"
