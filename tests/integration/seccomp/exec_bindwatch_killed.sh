# shellcheck shell=sh
#
# Two blind servers executed by a shell, each listener handed over by the
# exec hook; bindwatch is SIGKILLed: both servers' later binds must still
# work (the stand-in holds every listener and answers CONTINUE), never
# ENOSYS, never a bind left unanswered.
bw_reap
mkfifo in in2
exec 3<> in 4<> in2
# shellcheck disable=SC2016 # the inner shell's variables
"$BW" --json -o run.json -- sh -c '
    "$FIX/sc_probe" raw 127.0.0.1 9220 < in > out &
    exec "$FIX/sc_probe" raw 127.0.0.1 9230 < in2 > out2' 2> err &
bw=$!
bw_wait_listen 127.0.0.1:9220 || exit 1
bw_wait_listen 127.0.0.1:9230 || exit 1
echo "before=$(jq -r 'select(.type == "listen") | .source' run.json | joined)"
kill -KILL $bw
wait $bw 2> /dev/null
echo again >&3
echo again >&4
bw_wait_grep out AGAIN || exit 1
bw_wait_grep out2 AGAIN || exit 1
echo "again=$(grep AGAIN out) $(grep AGAIN out2)"
bw_wait_listen 127.0.0.1:9221 || exit 1
bw_wait_listen 127.0.0.1:9231 || exit 1
echo "listening=yes"
exec 3>&- 4>&-
