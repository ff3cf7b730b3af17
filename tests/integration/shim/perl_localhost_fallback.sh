# shellcheck shell=sh
#
# The localhost story with a real interpreter: [::1]:3000 is taken, Perl's
# IO::Socket::IP walks getaddrinfo's list, fails on [::1], falls back to
# 127.0.0.1 -- and the shim says each step, as the kernel confirms.

"$FIX/gai_walker" localhost 3000 30 > holder.out 2>&1 &
bw_wait_listen '[::1]:3000' || exit 90
# shellcheck disable=SC2016 # Perl's variables
LD_PRELOAD=$LIB perl -MIO::Socket::IP -e '
	$| = 1;
	my $s = IO::Socket::IP->new(LocalHost => "localhost", LocalPort => 3000,
	    Listen => 5) or die "perl: $@\n";
	print "PERL $$\n"; sleep 30' > perl.out 2> perl.err &
bw_wait_grep perl.out PERL || { cat perl.err >&2; exit 91; }
bw_wait_listen '127.0.0.1:3000' || exit 92

HPID=$(number_after holder.out 'LISTENING ::1 3000 ')
PERL_PID=$(number_after perl.out 'PERL ')
echo "perl_pid=$PERL_PID"
# Perl's events, exactly these, in this order.
grep -F "bindwatch[$PERL_PID] perl: " perl.err > ev
echo "events=$(wc -l < ev)"
echo "order=$(awk '
	index($0, "getaddrinfo(\"localhost\", \"3000\", ") { print "gai"; next }
	index($0, ", [::1]:3000) = -1 EADDRINUSE (tcp") { print "bind6"; next }
	index($0, ", 127.0.0.1:3000) = 0 (tcp") { print "bind4"; next }
	index($0, " = 0 on 127.0.0.1:3000 (tcp") { print "listen"; next }
	{ print "other" }' ev | joined)"
echo "gai=$(grep -F 'getaddrinfo(' ev)"
echo "listen=$(grep -F ' = 0 on 127.0.0.1:3000 (tcp' ev)"
FD=$(sed -n 's/.*bind(\([0-9]*\), 127\.0\.0\.1:3000) = 0 (tcp.*/\1/p' ev)
echo "listen_fd=$(same "$(sed -n 's/.*listen(\([0-9]*\), .*/\1/p' ev)" "$FD")"
# The kernel: perl holds 127.0.0.1:3000 on the reported fd ...
echo "ss3000=$(bw_ss | grep -c ':3000 ')"
echo "ss4=$(same "$(ss_owner 127.0.0.1:3000)" "perl $PERL_PID $FD")"
# ... and the EADDRINUSE was real: [::1]:3000 is the holder's.
echo "ss6=$(same "$(ss_owner '[::1]:3000' | cut -d ' ' -f 1,2)" "gai_walker $HPID")"
