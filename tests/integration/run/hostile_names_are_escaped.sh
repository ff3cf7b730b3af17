# shellcheck shell=sh
#
# A program and a host name with terminal controls: escaped in the text
# report, valid JSON in the JSON one; no raw ESC or BEL anywhere.

evil=$(printf 'evil\033[31m')
cp "$FIX/gai_walker" "$D/$evil"
"$BW" --timeout 1 -o t -- "$D/$evil" "$(printf 'x\033]0;t\007')" 80 > /dev/null 2>&1
"$BW" --json --timeout 1 -o j -- "$D/$evil" "$(printf 'q"\377')" 81 > /dev/null 2>&1
cat t j > all
echo "esc=$(LC_ALL=C tr -cd '\033' < all | wc -c)"
echo "bel=$(LC_ALL=C tr -cd '\007' < all | wc -c)"
# One form everywhere: the live lines' and the summary's.
echo "escaped=$(grep -cF '\x1b' all)"
echo "octal=$(grep -cF '\033' all)"
json_ok j || exit 93
echo "json=$(wc -l < j)"
