# shellcheck shell=sh
#
# bind and listen from a signal handler interrupting hooked calls.  Main's
# binds are all reported; a handler's may pass unseen (ours busy).

LD_PRELOAD=$LIB "$FIX/sig_binder" 20000 > s.out 2> s.err
echo "status=$?"
SIGS=$(number_after s.out 'SIGNALS ')
HB=$(number_after s.out 'HANDLER_BINDS ')
MB=$(number_after s.out 'MAIN_BINDS ')
NB=$(grep -c ' sig_binder: bind(' s.err)
echo "signals=$SIGS"
echo "handler_binds=$(same "$HB" "$SIGS")"
echo "main_binds=$MB"
# main's and one more, at the least; the handlers' at the most
echo "seen_beyond_main=$((NB - MB - 1))"
echo "unseen_of_handlers=$((MB + 1 + HB - NB))"
echo "malformed=$(grep -cv '^bindwatch\[[0-9]*\] sig_binder: ' s.err)"
