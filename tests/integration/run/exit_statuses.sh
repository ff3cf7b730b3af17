# shellcheck shell=sh
#
# The command's status is bindwatch's: 0, 7, 126 (not executable), 127
# (not found), 128+N when killed by signal N, and 125 for bindwatch's own
# refusals, each said in one line.

"$BW" -q -- true 2>/dev/null; echo "true=$?"
"$BW" -q -- sh -c 'exit 7' 2>/dev/null; echo "exit7=$?"
printf 'x' > noexec
chmod 644 noexec
"$BW" -q -- "$D/noexec" 2> e126; echo "noexec=$?"
"$BW" -q -- /nonexistent/cmd 2> e127; echo "notfound=$?"
# shellcheck disable=SC2016 # the inner shell's $$
"$BW" -q -- sh -c 'kill -TERM $$' 2>/dev/null; echo "term=$?"
# shellcheck disable=SC2016
"$BW" -q -- sh -c 'kill -KILL $$' 2>/dev/null; echo "kill=$?"
"$BW" --bogus -- true 2> e125; echo "bogus=$?"
"$BW" --timeout abc -- true 2>> e125; echo "timeout=$?"
"$BW" --force 1.2.3.x -- true 2>> e125; echo "force=$?"
"$BW" 2>> e125; echo "nothing=$?"
cat e126 e127 e125 > e
echo "e_notfound=$(count e 'bindwatch: /nonexistent/cmd: command not found')"
echo "e_bogus=$(count e 'bindwatch: --bogus: unknown option')"
echo "e_timeout=$(count e 'bindwatch: --timeout abc: not a number')"
echo "e_force=$(count e 'bindwatch: --force 1.2.3.x: not a numeric')"
# One line per refusal.
echo "lines=$(count e 'bindwatch: ')"
