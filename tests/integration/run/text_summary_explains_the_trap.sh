# shellcheck shell=sh
#
# The text summary explains the trap: the failed bind, who holds it, the
# fallback, the split localhost and whom a client reaches; no colour off
# a terminal.

"$FIX/gai_walker" localhost 3000 30 > /dev/null &
bw_wait_listen '[::1]:3000' || exit 90
"$BW" --timeout 1.5 -- "$FIX/gai_walker" localhost 3000 30 > t 2>&1
echo "status=$?"
echo "bind=$(count t 'bind(3, [::1]:3000) = -1 EADDRINUSE')"
echo "failed=$(count t 'failed     tcp [::1]:3000  EADDRINUSE, held by pid')"
echo "fallback=$(count t 'fallback   tried [::1]:3000, got 127.0.0.1:3000')"
echo "split=$(count t '! split localhost:3000')"
echo "reaches=$(count t 'tries [::1]:3000 first and reaches pid')"
echo "colour=$(count t "$(printf '\033[')")"
