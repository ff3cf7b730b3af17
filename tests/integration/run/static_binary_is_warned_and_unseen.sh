# shellcheck shell=sh
#
# A static program ignores the shim: bindwatch says so up front, and its
# listener is reported as unseen, in JSON and in text (--seccomp=off:
# without the supervisor, as before it).

"$BW" --seccomp=off --json --timeout 1.5 -o report -- "$FIX/static_listener" 127.0.0.1 4000 30 \
    > /dev/null 2> json.err
"$BW" --seccomp=off -q --timeout 1 -- "$FIX/static_listener" 127.0.0.1 4001 30 > /dev/null 2> text
echo "warnings=$(summary_jq report '[.warnings[] | select(.kind=="static" or .kind=="unseen") | .kind + (if .port then ":\(.port)" else "" end)] | join(",")')"
echo "said=$(count text 'bindwatch: warning: ')"
echo "static=$(count text 'is statically linked')"
echo "unseen=$(count text '! unseen: pid ')"
echo "holds=$(count text 'holds tcp 127.0.0.1:4001')"
