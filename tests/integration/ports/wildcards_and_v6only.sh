# shellcheck shell=sh
# shellcheck source=tests/integration/ports/common.sh
. "$BW_IT/ports/common.sh"
#
# A dual-stack "::" answers 127.0.0.1, a v6only "::" does not (the kernel
# option read through sock_diag), and which agrees with a real connect.

perl "$SRV" :: 7000 dual & D7=$!
wait_tcp 7000 ':7000'
perl "$SRV" :: 7001 v6only &
wait_tcp 7001 ':7001'
perl "$SRV" 0.0.0.0 7002 &
wait_tcp 7002 '0.0.0.0:7002'
"$BW" which --json 127.0.0.1:7000 > w0.json
echo "rc0=$?"
echo "r0=$(same "$(q w0.json '.reached.pid')" "$D7")"
echo "answered0=$(same "$(ask 127.0.0.1 7000)" "$D7")"
"$BW" which --json 127.0.0.1:7001 > w1.json
echo "rc1=$?"
echo "r1=$(q w1.json '.reached')"
# refused for real
ask 127.0.0.1 7001 > /dev/null
echo "connect1=$?"
"$BW" which --json '[::1]:7002' > w2.json
echo "rc2=$?"
ask ::1 7002 > /dev/null
echo "connect2=$?"
"$BW" ports --json > p.json
echo "opts1=$(q p.json '[.ports[] | select(.port == 7001) | .sockets[0].options[]] | join(",")')"
echo "opts0=$(q p.json '[.ports[] | select(.port == 7000) | .sockets[0].options[]] | join(",")')"
echo "exposed=$(q p.json '[.ports[] | .exposed] | join(",")')"
"$BW" which localhost:7003 > w3.txt
echo "rc3=$?"
echo "r3=$("$BW" which --json localhost:7003 | jq -r '.reached')"
