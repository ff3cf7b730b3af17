# shellcheck shell=sh
#
# The fallback story through the CLI: a holder on [::1]:3000, Perl under
# bindwatch --json falls back to 127.0.0.1; the summary names the holder's
# pid, the fallback, the split localhost, and what ss saw listening.

# shellcheck disable=SC2016 # Perl's variables
perl -MIO::Socket::IP -e '$s=IO::Socket::IP->new(LocalHost=>"localhost",
    LocalPort=>3000,Listen=>5) or die; $|=1; print "HOLDER $$\n"; sleep 30' > holder &
bw_wait_listen '[::1]:3000' || exit 90
( bw_wait_listen 127.0.0.1:3000 && bw_ss > ss ) &
# shellcheck disable=SC2016 # Perl's variables
"$BW" --json --timeout 2 -o report -- perl -MIO::Socket::IP -e \
    '$s=IO::Socket::IP->new(LocalHost=>"localhost",LocalPort=>3000,Listen=>5)
    or die; sleep 30'
echo "status=$?"
wait $!
json_ok report || exit 93
HOLDER=$(number_after holder 'HOLDER ')
# The holder named by the summary is the process that holds [::1]:3000.
echo "failed=$(same "$(summary_jq report '.failed[0] | "\(.addr) \(.port) \(.errno) \(.holder.pid)"')" "::1 3000 EADDRINUSE $HOLDER")"
echo "listening=$(summary_jq report '.listening | map("\(.addr):\(.port)") | join(",")')"
echo "fallback=$(summary_jq report '.fallbacks[0] | "\(.tried_addr) \(.addr)"')"
echo "split=$(summary_jq report '.warnings[] | select(.kind=="split-localhost") | "\(.port) \(.reached.addr) \(.reached.in_run)"')"
# What the summary says is listening is what ss saw for the run.
echo "ss_pid=$(same "$(summary_jq report '.listening[0].pid')" "$(ss_owner 127.0.0.1:3000 ss | cut -d ' ' -f 2)")"
