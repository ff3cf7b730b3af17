# shellcheck shell=sh
#
# bindwatch is SIGKILLed while a filtered server runs: its later binds
# must still work (the stand-in answers CONTINUE), never ENOSYS.
bw_reap
mkfifo in
exec 3<> in
"$BW" --json -o run.json -- "$FIX/sc_probe" raw 127.0.0.1 8400 < in > out 2> err &
bw=$!
bw_wait_listen 127.0.0.1:8400 || exit 1
echo "before=$(jq -r 'select(.type == "listen") | .source' run.json)"
kill -KILL $bw
wait $bw 2> /dev/null
echo again >&3
bw_wait_grep out AGAIN || exit 1
echo "again=$(grep AGAIN out)"
bw_wait_listen 127.0.0.1:8401 || exit 1
echo "listening=yes"
exec 3>&-
