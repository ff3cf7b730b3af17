# shellcheck shell=sh
# shellcheck source=tests/integration/real/common.sh
. "$BW_IT/real/common.sh"
#
# Perl's IO::Socket::IP on localhost: serves one client, then exits 7.

# shellcheck disable=SC2016 # Perl's variables
request() {
	perl -MIO::Socket::IP -e '$c = IO::Socket::IP->new(PeerHost =>
	    "localhost", PeerPort => 3000, Timeout => 5) or die $@; print <$c>'
}
# shellcheck disable=SC2016
real_run perl -MIO::Socket::IP -e '$s = IO::Socket::IP->new(LocalHost =>
    "localhost", LocalPort => 3000, Listen => 5) or die $@;
    $c = $s->accept or die; print $c "perl-ok\n"; close $c; exit 7'
