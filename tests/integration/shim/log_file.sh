# shellcheck shell=sh
#
# BINDWATCH_LOG: created 0600 whatever the umask, appended, never stderr.
# An existing file keeps its mode and its content.

umask 000
BINDWATCH_LOG="$D/bw.log" LD_PRELOAD=$LIB "$FIX/bad_pointers" \
    > /dev/null 2> run1.err
echo "status1=$?"
echo "mode=$(stat -c %a bw.log)"
N1=$(wc -l < bw.log)
echo "lines1=$N1"
BINDWATCH_LOG="$D/bw.log" BINDWATCH_FORMAT=json LD_PRELOAD=$LIB \
    "$FIX/forker" 2 > /dev/null 2> run2.err
echo "status2=$?"
N2=$(wc -l < bw.log)
echo "mode2=$(stat -c %a bw.log)"
echo "appended=$((N2 - N1))"
echo "text=$(same "$(grep -c '^bindwatch\[[0-9]*\] bad_pointers: ' bw.log)" "$N1")"
grep '^{' bw.log > j.log
echo "json=$(same "$(wc -l < j.log)" "$((N2 - N1))")"
json_ok j.log || exit 93
echo "stderr=$(cat run1.err run2.err | grep -c bindwatch)"
echo previous > old.log
chmod 640 old.log
BINDWATCH_LOG="$D/old.log" LD_PRELOAD=$LIB "$FIX/forker" 1 > /dev/null
echo "oldmode=$(stat -c %a old.log)"
echo "oldfirst=$(head -n 1 old.log)"
echo "oldlines=$(wc -l < old.log)"
