# shellcheck shell=sh
# shellcheck source=tests/integration/ports/common.sh
. "$BW_IT/ports/common.sh"
#
# A comm with an escape sequence never reaches the terminal raw.

perl "$SRV" 127.0.0.1 6100 comm &
wait_tcp 6100 127.0.0.1:6100
renamed() { ss -Hltnp 'sport = :6100' | grep -q 'ev.*il'; }
bw_until 'timeout: comm' renamed || exit 99
"$BW" ports > p.txt
"$BW" which 127.0.0.1:6100 > w.txt
echo "p_esc=$(LC_ALL=C tr -cd '\033' < p.txt | wc -c)"
echo "w_esc=$(LC_ALL=C tr -cd '\033' < w.txt | wc -c)"
# As the live lines write it (README, the event format): \xNN.
echo "p_escaped=$(count p.txt 'ev\x1bil')"
echo "w_escaped=$(count w.txt 'ev\x1bil')"
echo "octal=$(cat p.txt w.txt | grep -cF 'ev\033il')"
# JSON carries the true bytes (jq decodes \u001b back to ESC).
echo "comm=$("$BW" ports --json | jq -j '.ports[0].sockets[0].comm' | od -An -c | tr -d ' \n')"
