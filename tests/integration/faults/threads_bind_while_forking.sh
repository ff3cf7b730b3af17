# shellcheck shell=sh
#
# Threads bind while the main thread forks 16 children, and a signal
# handler binds in the parent and in every child: all of it completes,
# nothing is lost, and each child's events carry the child's pid and
# parent pid: the main-thread bind with its port, and the handler's.

"$BW" --json -o rep -- "$FIX/fork_binder" 4 16 > out 2>&1
echo "status=$?"
echo "done=$(grep -c '^DONE THREAD_BINDS 800 ' out)"
tail -n 1 rep > sum
json_ok sum || exit 93
echo "lost=$(jq -r .lost_events sum)"
echo "malformed=$(jq -r .malformed_events sum)"
n=0 ok=0
while read -r _ pid ppid port _; do
	n=$((n + 1))
	key="\"pid\":$pid,\"ppid\":$ppid,"
	[ "$(grep -F "$key" rep | grep -cF "\"bound_port\":$port,")" = 1 ] &&
	    [ "$(grep -F "$key" rep | grep -cF '"type":"bind"')" = 2 ] &&
	    ok=$((ok + 1))
done <<CHILDREN
$(grep '^CHILD ' out)
CHILDREN
echo "children=$n"
echo "children_ok=$ok"
sed 's/^/out: /' out >&2
