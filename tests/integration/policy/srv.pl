# srv.pl HOST PORT: a server via IO::Socket::IP that tells clients its pid.
use IO::Socket::IP;
alarm 30;
$| = 1;
my $s = IO::Socket::IP->new(LocalHost => $ARGV[0], LocalPort => $ARGV[1],
    Listen => 5, ReuseAddr => 1) or do { print "fail $!\n"; exit 3 };
print 'bound ', $s->sockhost, "\n";
$SIG{PIPE} = 'IGNORE';
while (my $c = $s->accept) { print $c "$$\n"; close $c }
