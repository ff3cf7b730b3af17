# shellcheck shell=sh
#
# BINDWATCH_LOG through a symlink (dangling, or to an existing file) is
# refused: exit 125, one line naming BINDWATCH_LOG, the target untouched.
# A new log is created 0600 even under umask 000, and appended to.

ln -s "$D/target" dangling
LD_PRELOAD=$LIB BINDWATCH_LOG="$D/dangling" "$FIX/bind_once" 2> e1
echo "rc1=$?"
echo "lines1=$(wc -l < e1)"
echo "e1=$(head -n 1 e1)"
echo "target=$([ -e target ] && echo created || echo absent)"
echo secret > existing
ln -s "$D/existing" link
LD_PRELOAD=$LIB BINDWATCH_LOG="$D/link" "$FIX/bind_once" 2> e2
echo "rc2=$?"
echo "lines2=$(wc -l < e2)"
echo "e2=$(head -n 1 e2)"
echo "existing=$(cat existing)"
(umask 000; LD_PRELOAD=$LIB BINDWATCH_LOG="$D/new.log" "$FIX/bind_once")
echo "rc3=$?"
LD_PRELOAD=$LIB BINDWATCH_LOG="$D/new.log" "$FIX/bind_once"
echo "rc4=$?"
echo "mode=$(stat -c %a new.log)"
echo "bindlines=$(grep -c 'bind(' new.log)"
