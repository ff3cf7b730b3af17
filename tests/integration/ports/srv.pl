# srv.pl HOST PORT [OPTION...]: a server that tells each client its pid.
#	reuseport v6only dual	the socket options
#	comm			rename the process "ev\033il"
#	fork			fork; the child's pid in $D/fork.pid
use IO::Socket::IP;
alarm 30;
open STDOUT, '>', '/dev/null';
my ($host, $port, @o) = @ARGV; my %o = map { $_ => 1 } @o;
my $s = IO::Socket::IP->new(LocalHost => $host, LocalPort => $port,
    Listen => 5, ReuseAddr => 1, ($o{reuseport} ? (ReusePort => 1) : ()),
    ($o{v6only} ? (V6Only => 1) : ()), ($o{dual} ? (V6Only => 0) : ()))
    or exit($!{EADDRINUSE} ? 3 : 4);
if ($o{comm}) { open my $c, '>', '/proc/self/comm'; print $c "ev\033il"; close $c }
if ($o{fork}) {
	my $k = fork; defined $k or exit 5;
	$SIG{TERM} = sub { kill 'TERM', $k; exit 0 } if $k;
	if ($k) { open my $f, '>', "$ENV{D}/fork.pid"; print $f "$k\n"; close $f }
}
$SIG{PIPE} = 'IGNORE';
while (my $c = $s->accept) { print $c "$$\n"; close $c }
