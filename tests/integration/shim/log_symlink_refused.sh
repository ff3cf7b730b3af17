# shellcheck shell=sh
#
# A symbolic link as BINDWATCH_LOG, dangling or to a file: refused, the
# program does not start, nothing is created or changed.

ln -s "$D/target" link
echo keep > kept
ln -s "$D/kept" link2
for l in link link2; do
	BINDWATCH_LOG="$D/$l" LD_PRELOAD=$LIB "$FIX/gai_walker" 127.0.0.1 0 0 \
	    > $l.out 2> $l.err
	echo "${l}_status=$?"
	echo "${l}_errlines=$(wc -l < $l.err)"
	echo "${l}_named=$(grep -c BINDWATCH_LOG $l.err)"
	echo "${l}_out=$(wc -c < $l.out)"
	sed "s/^/$l: /" $l.err >&2
done
echo "target=$([ -e target ] && echo created)"
echo "kept=$(cat kept)"
